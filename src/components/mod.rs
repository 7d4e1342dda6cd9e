//! The page's components, one per file.

pub mod actuals;
pub mod analysis;
pub mod analysis_charts;
pub mod assessment;
pub mod brief;
pub mod canvas;
pub mod channels;
pub mod charts_panel;
pub mod division;
pub mod field;
pub mod latest;
pub mod levers;
pub mod quick;
pub mod reference;
pub mod results;
pub mod sheets;
pub mod tables;
pub mod tracking;

pub use actuals::ActualsEditor;
pub use analysis::AnalysisSection;
pub use assessment::AssessmentEditor;
pub use brief::Brief;
pub use canvas::{ChartCanvas, save_png};
pub use charts_panel::ChartsPanel;
pub use division::Division;
pub use latest::Latest;
pub use levers::Levers;
pub use quick::QuickLevers;
pub use reference::ReferenceEditor;
pub use results::Results;
pub use sheets::SpreadsheetTools;
pub use tables::{EventsTable, InstitutionsTable, TargetsEditor};
pub use tracking::TrackingPanel;

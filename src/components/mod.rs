//! The page's components, one per file.

pub mod analysis;
pub mod analysis_charts;
pub mod canvas;
pub mod channels;
pub mod charts_panel;
pub mod field;
pub mod levers;
pub mod results;
pub mod sheets;
pub mod tables;

pub use analysis::AnalysisSection;
pub use canvas::{ChartCanvas, canvas_png_data_url};
pub use charts_panel::ChartsPanel;
pub use levers::Levers;
pub use results::Results;
pub use sheets::SpreadsheetTools;
pub use tables::{EventsTable, InstitutionsTable, TargetsEditor};

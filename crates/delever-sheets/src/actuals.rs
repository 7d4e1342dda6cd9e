//! Actuals (月报, MODEL.md section 9): the banks' reported months imported from .xlsx, .csv or pasted cells, and their template.
//!
//! The same discipline as the institutions: one table of columns ([`columns::ACTUAL_COLUMNS`])
//! drives the template, the header matching and the mapping of the engine's issues back to
//! cells; nothing is imported unless the whole file is valid, the engine's rules included
//! (an unknown institution, a duplicate month, a gap in the months).

pub mod columns;
pub mod import;
pub mod template;

pub use import::{import_actuals, import_actuals_text};
pub use template::{ActualsTemplateError, actuals_template};

//! The page's components, one per file.

pub mod target_checks;
pub mod year_end_table;

pub use target_checks::TargetChecks;
pub use year_end_table::YearEndTable;

//! Spreadsheets for Delever: institutions imported from .xlsx or .csv, the template to fill in, and results exported as a workbook.
//!
//! The page loads this crate as its own small WebAssembly module, only when someone imports
//! or exports (the main page's wasm stays lean). Everything here is plain Rust, tested natively:
//!
//! - [`import_institutions`]: a file laid out as the template → the scenario with its
//!   institutions replaced, or every problem located by sheet, row and column. Nothing is
//!   imported unless the whole file is valid (the engine's own validation included).
//! - [`template`]: the template as .xlsx (with a notes sheet describing every column) or .csv.
//! - [`export_workbook`]: inputs, monthly results, year-ends and target checks, one sheet each,
//!   with a stamp (model version, data date, scenario link) on the first sheet.
//! - [`export_decomposition`]: the region targets divided among the institutions (一行一表):
//!   a summary table, one sheet per institution (its share, its part, and with actuals its
//!   disposal progress and what it must dispose of each month from now on), and the rule.
//! - [`import_actuals`] / [`import_actuals_text`]: the banks' reported months (月报) from a
//!   file or from cells pasted from Excel → the scenario with its `actuals` replaced, with the
//!   same discipline; [`actuals_template`]: the scenario's actuals as a file to edit and import.
//!
//! Numbers cross into `f64` only at the spreadsheet boundary: a cell holds an Excel double.
//! The columns and rules are documented in `README.md` and in [`columns::COLUMNS`].

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod actuals;
pub mod columns;
pub mod decomposition;
pub mod export;
pub mod grid;
pub mod import;
pub mod issue;
pub mod template;
mod write;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use actuals::{ActualsTemplateError, actuals_template, import_actuals, import_actuals_text};
pub use decomposition::export_decomposition;
pub use export::{ExportError, Stamp, export_workbook};
pub use import::import_institutions;
pub use issue::{ActualsProblem, SheetIssue, SheetProblem};
pub use template::{Format, template};

/// The limits of an import, each refused with its own message.
pub mod limits {
    /// The largest file accepted, in bytes (10 MiB, as for scenario files).
    pub const MAX_FILE_BYTES: usize = delever_model::MAX_INPUT_BYTES;
    /// The most a workbook may unpack to, in bytes (100 MiB: a full 500-row template is
    /// well under 1 MiB; this stops a small zip from unpacking into gigabytes).
    pub const MAX_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;
    /// The most institution rows: the engine's limit on institutions per scenario.
    pub const MAX_ROWS: usize = 500;
    /// The most actuals rows: every institution (at most [`MAX_ROWS`]) in every month of the
    /// longest projection (10 years); the file size limit usually binds first.
    pub const MAX_ACTUAL_ROWS: usize = MAX_ROWS.saturating_mul(120);
    /// Columns read from a sheet (the template has 33); a value further right is an error.
    pub const MAX_COLUMNS: u32 = 256;
    /// Problems listed before "N more".
    pub const MAX_ISSUES: usize = 200;
}

/// The institutions sheet's name: (Chinese, English). Import looks for either.
pub const INSTITUTIONS_SHEET: (&str, &str) = ("机构", "Institutions");

/// `zh` or `en` by language.
pub(crate) fn tr<'a>(lang: delever_model::Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        delever_model::Lang::Zh => zh,
        delever_model::Lang::En => en,
    }
}

//! Building the spreadsheet module (`crates/delever-sheets`): its own wasm, loaded by the page only when someone imports or exports a workbook.
//!
//! The same steps as the page's build (`build::compile_module`): `cargo build` for wasm32
//! with the `wasm-release` profile, `wasm-bindgen --target web`, then `wasm-opt -Oz`. The output goes
//! to `<out_dir>/sheets/`: `delever_sheets.js` (the glue, an ES module exporting
//! `importInstitutions`, `template`, `exportWorkbook` and the default `init`) and
//! `delever_sheets_bg.wasm`.

use std::fs;
use std::path::Path;

use crate::build;
use crate::shell::Error;

/// The package, and the name its glue and wasm are given.
const PACKAGE: &str = "delever-sheets";
const OUT_NAME: &str = "delever_sheets";

/// The sub-directory of the output directory the module goes to.
pub const SHEETS_DIR: &str = "sheets";

/// Builds the spreadsheet module into `<out_dir>/sheets/` (replacing what was there).
pub fn build_sheets(root: &Path, release: bool, out_dir: &Path) -> Result<(), Error> {
    let out = out_dir.join(SHEETS_DIR);
    if out.exists() {
        fs::remove_dir_all(&out)
            .map_err(|error| Error::new(format!("cannot clear {}: {error}", out.display())))?;
    }
    build::compile_module(root, release, PACKAGE, OUT_NAME, &out)
}

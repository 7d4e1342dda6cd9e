//! The README documents the template: every column with its Chinese, English and code names.

use delever_sheets::columns::COLUMNS;

#[test]
fn the_readme_documents_every_column() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for column in &COLUMNS {
        let row = format!("| {} | {} | `{}` |", column.zh, column.en, column.code);
        assert!(readme.contains(&row), "README.md has no row starting {row}");
    }
}

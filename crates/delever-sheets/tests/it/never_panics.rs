//! Whatever bytes or text arrive, the import answers with a scenario or with issues, never a panic.
//!
//! Each suite runs 2,500 cases, a quarter of the engine's 10,000, whatever `PROPTEST_CASES`
//! says: each case reads a whole file, and the CSV cases run the engine's validation twice,
//! in a debug build (measured: 10,000 cases of all four took 190 s; a quarter, under a minute).
//! Failures are saved beside this file (never_panics.proptest-regressions) and replayed first.

use delever_model::Lang;
use delever_sheets::{Format, template};
use proptest::prelude::*;

use crate::support::licheng;

/// Imports and, on failure, renders every issue in both languages (which must not panic either).
fn answer(bytes: &[u8], name: &str) {
    match delever_sheets::import_institutions(licheng(), bytes, name) {
        Ok(text) => assert!(delever_model::parse_scenario(&text).is_ok()),
        Err(issues) => {
            assert!(!issues.is_empty());
            for issue in issues {
                let _ = issue.to_json(Lang::Zh);
                let _ = issue.display(Lang::En);
            }
        }
    }
}

/// CSV-ish text: template headers, numbers, percentages, lists, quotes and separators.
fn csv_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("编号".to_string()),
        Just("期初存款".to_string()),
        Just("期初贷款".to_string()),
        Just("期初不良贷款".to_string()),
        Just("贷款增速".to_string()),
        Just("处置节奏".to_string()),
        Just("核销占比".to_string()),
        Just("示意数据".to_string()),
        Just("all".to_string()),
        Just("8.5%".to_string()),
        Just("1,234.5".to_string()),
        Just("均匀".to_string()),
        Just("无".to_string()),
        Just("\"".to_string()),
        Just(";".to_string()),
        Just(",".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        "-?[0-9]{0,30}(\\.[0-9]{0,30})?(e-?[0-9]{1,3})?%?",
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

#[test]
fn arbitrary_bytes_never_panic() {
    crate::cases::run(file!(), 2500, prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
        answer(&bytes, "any.xlsx");
        answer(&bytes, "any.csv");
        Ok(())
    });
}

#[test]
fn arbitrary_bytes_after_a_zip_signature_never_panic() {
    crate::cases::run(file!(), 2500, prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
        let mut zipish = b"PK\x03\x04".to_vec();
        zipish.extend(bytes);
        answer(&zipish, "any.xlsx");
        Ok(())
    });
}

#[test]
fn arbitrary_csv_text_never_panics() {
    crate::cases::run(file!(), 2500, csv_text(), |text| {
        answer(text.as_bytes(), "any.csv");
        let mut with_header =
            "编号,期初存款,期初贷款,期初不良贷款,贷款增速,处置节奏,核销占比,示意数据\r\n".to_string();
        with_header.push_str(&text);
        answer(with_header.as_bytes(), "any.csv");
        Ok(())
    });
}

#[test]
fn a_template_with_damaged_bytes_never_panics() {
    crate::cases::run(
        file!(),
        2500,
        (
            prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            any::<prop::sample::Index>(),
            any::<bool>(),
        ),
        |(edits, cut, truncate)| {
            static TEMPLATE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
            let mut bytes = TEMPLATE.get_or_init(|| template(Format::Xlsx, Lang::Zh).unwrap()).clone();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
            answer(&bytes, "damaged.xlsx");
            Ok(())
        },
    );
}

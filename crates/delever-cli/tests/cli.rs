//! End-to-end tests of the `delever-cli` binary: output shapes on the Licheng preset, and bad inputs.
//!
//! Every test runs the built binary with `std::process::Command`, from the temporary directory
//! (so nothing depends on the current directory), with its own uniquely named temporary files
//! (so tests run in parallel safely) and with `DELEVER_LANG` removed from its environment.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use delever_model::metrics::YEAR_END_SCALARS;
use delever_model::presets;
use rust_decimal::Decimal;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_delever-cli");

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn path_for(name: &str) -> PathBuf {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("delever-cli-test-{}-{n}-{name}", std::process::id()))
    }

    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = TempFile::path_for(name);
        fs::write(&path, bytes).expect("write a temporary file");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("temporary paths are UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// What one run of the binary left behind.
#[derive(Debug)]
struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args` and, when given, `stdin` as its standard input.
fn run_with(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("DELEVER_LANG")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start delever-cli");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let bytes = bytes.to_vec();
        // Written from a thread so that a large input cannot deadlock against a full stdout pipe;
        // the binary may stop reading early (an oversized input), so a broken pipe is fine.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let out = child.wait_with_output().expect("wait for delever-cli");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Output {
    run_with(args, None, &[])
}

/// The Licheng plan as one aggregate institution (`all`): the cases below were written for one.
fn licheng_text() -> &'static str {
    presets::LICHENG_AGGREGATE
}

fn licheng() -> Value {
    serde_json::from_str(licheng_text()).expect("the Licheng preset is JSON")
}

fn licheng_file() -> TempFile {
    TempFile::new("licheng-2019.json", licheng_text().as_bytes())
}

/// Asserts success with no error output, and returns standard output.
#[track_caller]
fn check_ok(out: &Output) -> &str {
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    assert!(out.stderr.is_empty(), "unexpected stderr: {}", out.stderr);
    &out.stdout
}

/// Asserts a clean failure: exit 2, nothing on stdout, `error: ` lines on stderr holding `expected`.
#[track_caller]
fn check_fails(case: &str, out: &Output, expected: &[&str]) {
    assert_eq!(out.code, Some(2), "{case}: exit code; stderr: {}", out.stderr);
    assert!(out.stdout.is_empty(), "{case}: stdout should be empty, got: {}", out.stdout);
    assert!(!out.stderr.contains("panicked"), "{case}: panicked: {}", out.stderr);
    assert!(!out.stderr.is_empty(), "{case}: no message");
    for line in out.stderr.lines() {
        assert!(line.starts_with("error: "), "{case}: line without `error: `: {line}");
    }
    for needle in expected {
        assert!(out.stderr.contains(needle), "{case}: stderr lacks {needle:?}:\n{}", out.stderr);
    }
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
}

fn decimal(value: &Value) -> Decimal {
    let text = value.as_str().unwrap_or_else(|| panic!("not a decimal string: {value}"));
    Decimal::from_str(text).unwrap_or_else(|err| panic!("{text}: {err}"))
}

/// Splits RFC 4180 CSV text into records of fields (quoted fields may hold commas, quotes, newlines).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(field.is_empty() && record.is_empty(), "the last line lacks its line end");
    records
}

#[test]
fn simulate_json_has_every_section() {
    let file = licheng_file();
    let out = run(&["simulate", file.path()]);
    let v = json_of(check_ok(&out));
    assert!(out.stdout.ends_with("}\n"));
    assert_eq!(v["schema"], json!(1));
    assert_eq!(v["scenario"], json!("鲤城区 2019 年信贷风险防控化解"));
    assert_eq!(v["months"].as_array().map(Vec::len), Some(12));
    assert_eq!(v["months"][0], json!("2019-01"));
    assert_eq!(v["region"]["monthly"].as_array().map(Vec::len), Some(12));
    let year_ends = v["region"]["year_ends"].as_array().expect("year_ends");
    assert_eq!(year_ends.len(), 1);
    assert_eq!(year_ends[0]["year"], json!(2019));
    for metric in YEAR_END_SCALARS {
        assert!(year_ends[0].get(metric).is_some(), "year_ends lacks {metric}");
    }
    assert!(year_ends[0]["disposal_by_channel"]["write_off"].is_string());
    assert!(v["zones"].is_object());
    assert_eq!(v["institutions"]["all"]["monthly"].as_array().map(Vec::len), Some(12));
    let targets = v["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 8);
    for target in targets {
        for key in ["id", "actual", "met", "margin"] {
            assert!(target.get(key).is_some(), "target lacks {key}: {target}");
        }
    }
    let codes: Vec<&str> =
        v["warnings"].as_array().expect("warnings").iter().filter_map(|w| w["code"].as_str()).collect();
    assert!(codes.contains(&"target_never_binds"), "{codes:?}");
}

#[test]
fn simulate_csv_rows_have_the_header_width() {
    let file = licheng_file();
    let out = run(&["simulate", file.path(), "--format", "csv"]);
    let records = parse_csv(check_ok(&out));
    let header = &records[0];
    assert_eq!(&header[..3], ["scope", "id", "period"]);
    let columns: BTreeSet<&String> = header.iter().collect();
    assert_eq!(columns.len(), header.len(), "duplicate columns");
    for metric in YEAR_END_SCALARS.iter().chain(delever_model::metrics::MONTHLY.iter()) {
        assert!(header.iter().any(|h| h == metric), "missing column {metric}");
    }
    for channel in delever_model::scenario::CHANNELS {
        assert!(header.contains(&format!("disposal_{channel}")), "missing disposal_{channel}");
    }
    for (i, record) in records.iter().enumerate() {
        assert_eq!(record.len(), header.len(), "row {i}: {record:?}");
    }
    // Region and the one institution: 12 months and one year-end each.
    assert_eq!(records.len(), 1 + 2 * 13);
    assert_eq!(records[1][..3], ["region", "", "2019-01"]);
    assert_eq!(records[13][..3], ["region", "", "2019"]);
    assert_eq!(records[26][..3], ["institution", "all", "2019"]);
}

#[test]
fn simulate_csv_quotes_names_with_commas_and_quotes() {
    let mut scenario = licheng();
    scenario["institutions"][0]["id"] = json!("bank, \"A\"");
    scenario["institutions"][0]["zone"] = json!("east,side");
    scenario["events"][0]["institution"] = json!("bank, \"A\"");
    let file = TempFile::new("quoted.json", scenario.to_string().as_bytes());
    let out = run(&["simulate", file.path(), "--format", "csv"]);
    let records = parse_csv(check_ok(&out));
    let width = records[0].len();
    assert!(records.iter().all(|r| r.len() == width));
    assert!(records.iter().any(|r| r[0] == "zone" && r[1] == "east,side"));
    assert!(records.iter().any(|r| r[0] == "institution" && r[1] == "bank, \"A\""));
}

#[test]
fn simulate_table_is_readable() {
    let file = licheng_file();
    let out = run(&["simulate", file.path(), "--format", "table"]);
    let text = check_ok(&out);
    for needle in
        ["鲤城区", "不良贷款率 npl_ratio", "2019", "达标 met", "target_never_binds", "不会起约束作用"]
    {
        assert!(text.contains(needle), "table lacks {needle:?}:\n{text}");
    }
}

#[test]
fn validate_accepts_the_preset() {
    let file = licheng_file();
    let out = run(&["validate", file.path()]);
    assert!(check_ok(&out).starts_with("ok: "), "{}", out.stdout);
}

#[test]
fn goal_seek_reports_intervals() {
    let file = licheng_file();
    let out = run(&["goal-seek", file.path(), "--lever", "write_off_share"]);
    let v = json_of(check_ok(&out));
    assert_eq!(v["lever"], json!("write_off_share"));
    assert_eq!(v["range"], json!({"from": "0", "to": "1"}));
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(8));
    assert!(v["intervals"].is_array());

    let out =
        run(&["goal-seek", file.path(), "--lever", "disposal", "--target", "npl_cap", "--format", "table"]);
    assert!(check_ok(&out).contains("npl_cap"));
    let one = run(&["goal-seek", file.path(), "--lever", "disposal", "--target", "npl_cap"]);
    assert_eq!(json_of(check_ok(&one))["targets"], json!(["npl_cap"]));
}

#[test]
fn decompose_divides_the_region_targets_in_every_format() {
    let file = licheng_file();
    let v = json_of(check_ok(&run(&["decompose", file.path()])));
    let targets = v["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 4, "deposits, loans, disposal and NPL; not the ratio targets");
    assert_eq!(targets[0]["parts"][0]["institution"], json!("all"));
    assert_eq!(targets[0]["parts"][0]["share"], json!("1"));
    let csv = parse_csv(check_ok(&run(&["decompose", file.path(), "--format", "csv"])));
    assert_eq!(
        csv[0],
        ["target", "metric", "op", "year", "institution", "share", "value", "actual", "met", "margin"]
    );
    assert_eq!(csv.len(), 5);
    assert!(check_ok(&run(&["decompose", file.path(), "--format", "table"])).contains("一行一方案"));
    check_fails(
        "a year outside",
        &run(&["decompose", file.path(), "--year", "2030"]),
        &["--year", "2019 … 2019"],
    );
    // The preset's eight banks: a part each, in file order, the shares summing to one.
    let preset =
        TempFile::new("licheng-2019.json", presets::get("licheng-2019").expect("preset").json.as_bytes());
    let v = json_of(check_ok(&run(&["decompose", preset.path()])));
    for target in v["targets"].as_array().expect("targets") {
        let parts = target["parts"].as_array().expect("parts");
        let ids: Vec<&str> = parts.iter().filter_map(|p| p["institution"].as_str()).collect();
        assert_eq!(ids, ["icbc", "boc", "ccb", "qzbank", "abc", "psbc", "rcb", "village"], "{target}");
        let total = parts.iter().map(|p| decimal(&p["share"])).sum::<Decimal>();
        assert!((total - Decimal::ONE).abs() < Decimal::new(1, 20), "{target}: {total}");
    }
}

#[test]
fn sensitivity_sorts_five_bars_by_swing() {
    let file = licheng_file();
    let out = run(&["sensitivity", file.path()]);
    let v = json_of(check_ok(&out));
    assert_eq!(v["metric"], json!("npl_ratio"));
    assert_eq!(v["year"], json!(2019));
    let bars = v["bars"].as_array().expect("bars");
    assert_eq!(bars.len(), 5);
    let swings: Vec<Decimal> =
        bars.iter().map(|b| (decimal(&b["at_high"]) - decimal(&b["at_low"])).abs()).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");

    let csv = run(&["sensitivity", file.path(), "--format", "csv"]);
    let records = parse_csv(check_ok(&csv));
    assert_eq!(records.len(), 1 + 5);
    assert!(records.iter().all(|r| r.len() == records[0].len()));
    let table = run(&["sensitivity", file.path(), "--metric", "npl", "--year", "2019", "--format", "table"]);
    assert!(check_ok(&table).contains("不良贷款 npl"));
}

#[test]
fn feasibility_gives_a_square_grid() {
    let file = licheng_file();
    let args = ["feasibility", file.path(), "--x", "disposal", "--y", "write_off_share", "--steps", "5"];
    let out = run(&args);
    let v = json_of(check_ok(&out));
    assert_eq!(v["x"]["lever"], json!("disposal"));
    assert_eq!(v["y"]["values"].as_array().map(Vec::len), Some(5));
    let cells = v["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 5);
    for row in cells {
        let row = row.as_array().expect("a row");
        assert_eq!(row.len(), 5);
        assert!(row.iter().all(|c| c["all_met"].is_boolean()));
    }

    let csv = run(&[&args[..], &["--format", "csv"]].concat());
    let records = parse_csv(check_ok(&csv));
    assert_eq!(records[0], ["x", "y", "value", "all_met"]);
    assert_eq!(records.len(), 1 + 25);
    let table = run(&[&args[..], &["--format", "table"]].concat());
    assert!(check_ok(&table).contains("write_off_share"));
}

#[test]
fn monte_carlo_percentiles_are_ordered_and_reproducible() {
    let file = licheng_file();
    let args = ["monte-carlo", file.path(), "--paths", "50"];
    let first = run(&args);
    let v = json_of(check_ok(&first));
    assert_eq!(v["paths"], json!(50));
    assert_eq!(v["seed"], json!(42));
    assert_eq!(v["cv"], json!("0.25"));
    for metric in ["npl_ratio", "npl", "loans"] {
        let bands = v["percentiles"][metric].as_array().unwrap_or_else(|| panic!("no {metric}"));
        assert_eq!(bands.len(), 12, "{metric}");
        for band in bands {
            let (p5, p50, p95) = (decimal(&band["p5"]), decimal(&band["p50"]), decimal(&band["p95"]));
            assert!(p5 <= p50 && p50 <= p95, "{metric}: {band}");
        }
    }
    assert_eq!(v["targets"].as_array().map(Vec::len), Some(8));
    let second = run(&args);
    assert_eq!(first.stdout, second.stdout, "the same seed must give the same output");
    let other_seed = run(&[&args[..], &["--seed", "7"]].concat());
    assert_ne!(first.stdout, check_ok(&other_seed));

    let csv = run(&[&args[..], &["--format", "csv", "--metric", "npl,coverage"]].concat());
    let records = parse_csv(check_ok(&csv));
    assert!(records.iter().all(|r| r.len() == records[0].len()));
    assert_eq!(records.iter().filter(|r| r[0] == "percentile").count(), 2 * 12);
    assert_eq!(records.iter().filter(|r| r[0] == "target").count(), 8);
    let table = run(&[&args[..], &["--format", "table"]].concat());
    assert!(check_ok(&table).contains("p95"));
}

#[test]
fn presets_are_listed_and_printed() {
    let out = run(&["presets"]);
    let text = check_ok(&out);
    let ids = ["licheng-2019", "licheng-2019-may", "yangjiang-2016-2018", "chongqing-2016-2020"];
    for id in ids {
        assert!(text.contains(id), "{text}");
    }
    let list = json_of(check_ok(&run(&["presets", "--format", "json"])));
    let listed: Vec<&str> = list.as_array().expect("array").iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(listed, ids);
    assert!(list[0]["name_en"].is_string());

    let printed = run(&["preset", "licheng-2019"]);
    assert_eq!(check_ok(&printed), presets::get("licheng-2019").expect("preset").json);
    let validated = run_with(&["validate", "-"], Some(printed.stdout.as_bytes()), &[]);
    assert!(check_ok(&validated).starts_with("ok: "));
}

#[test]
fn the_as_of_may_preset_tracks_divides_and_scores_by_sub_district() {
    let text = presets::get("licheng-2019-may").expect("the as-of-May preset exists").json;
    let scenario = json_of(text);
    let file = TempFile::new("licheng-2019-may.json", text.as_bytes());
    let ids = ["icbc", "boc", "ccb", "qzbank", "abc", "psbc", "rcb", "village"];
    let zones = ["鲤中街道", "开元街道", "海滨街道", "江南街道", "浮桥街道"];
    // Illustrative banks whose openings add up to the region's former illustrative totals.
    let institutions = scenario["institutions"].as_array().expect("institutions");
    let listed: Vec<&str> = institutions.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(listed, ids);
    for (field, total) in [("deposits", "500"), ("loans", "500"), ("npl", "3.0"), ("provisions", "7.5")] {
        let sum: Decimal = institutions.iter().map(|i| decimal(&i["opening"][field])).sum();
        assert_eq!(sum, Decimal::from_str(total).expect("a decimal"), "opening {field}");
    }

    let v = json_of(check_ok(&run(&["simulate", file.path()])));
    assert_eq!(v["as_of"], json!("2019-05"));
    let codes: Vec<&str> =
        v["warnings"].as_array().expect("warnings").iter().filter_map(|w| w["code"].as_str()).collect();
    assert!(!codes.contains(&"actuals_roll_forward"), "{codes:?}");
    // Tracking: the region behind the plan's pace, some banks ahead, some behind, and what each
    // must dispose of every month from June.
    let tracking = &v["tracking"];
    assert!(decimal(&tracking["region"]["completion"]) < Decimal::new(5, 1));
    assert!(decimal(&tracking["region"]["behind"]) > Decimal::ZERO);
    let banks = tracking["institutions"].as_object().expect("each institution tracked");
    assert_eq!(banks.keys().map(String::as_str).collect::<BTreeSet<_>>(), ids.into_iter().collect());
    assert!(banks.values().any(|p| decimal(&p["behind"]) < Decimal::ZERO), "one bank ahead");
    assert!(banks.values().any(|p| decimal(&p["behind"]) > Decimal::ZERO), "one bank behind");
    assert!(banks.values().all(|p| decimal(&p["required_monthly"]) > Decimal::ZERO));
    let to_date: Decimal = banks.values().map(|p| decimal(&p["disposal_to_date"])).sum();
    assert_eq!(to_date, decimal(&tracking["region"]["disposal_to_date"]));
    let tracked: Vec<&str> =
        tracking["zones"].as_object().expect("zones").keys().map(String::as_str).collect();
    assert_eq!(tracked.into_iter().collect::<BTreeSet<_>>(), zones.into_iter().collect());
    // The sub-district assessment: by NPL change, the July exposure's sub-district last; every
    // bank catches up on its share, so disposal completion ties.
    let assessment = &v["assessment"];
    assert_eq!(assessment["level"], json!("zone"));
    let entries = assessment["entries"].as_array().expect("entries");
    let order: Vec<&str> = entries.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(order, ["鲤中街道", "开元街道", "海滨街道", "浮桥街道", "江南街道"]);
    for entry in entries {
        assert_eq!(entry["criteria"][0]["metric"], json!("npl_change"));
        assert_eq!(entry["criteria"][1]["metric"], json!("disposal_completion"));
        assert_eq!(entry["criteria"][1]["rank"], json!("3"), "{entry}");
    }
    let zone_target =
        v["targets"].as_array().expect("targets").iter().find(|t| t["scope"] == json!("zone:江南街道"));
    assert_eq!(zone_target.map(|t| &t["met"]), Some(&json!(false)));

    // Each region target on a stock, divided among the eight banks.
    let d = json_of(check_ok(&run(&["decompose", file.path()])));
    let divided = d["targets"].as_array().expect("targets");
    assert_eq!(divided.len(), 4);
    for target in divided {
        let parts = target["parts"].as_array().expect("parts");
        let shown: Vec<&str> = parts.iter().filter_map(|p| p["institution"].as_str()).collect();
        assert_eq!(shown, ids, "{}", target["id"]);
        assert_eq!(parts.iter().map(|p| decimal(&p["share"])).sum::<Decimal>(), Decimal::ONE);
    }
    let table = run(&["simulate", file.path(), "--format", "table"]);
    for needle in ["片区 zone 江南街道", "鲤城农商银行", "ranked by npl_change"] {
        assert!(check_ok(&table).contains(needle), "table lacks {needle:?}");
    }
}

#[test]
fn standard_input_reads_like_a_file() {
    let file = licheng_file();
    let from_file = run(&["simulate", file.path()]);
    let from_stdin = run_with(&["simulate", "-"], Some(licheng_text().as_bytes()), &[]);
    assert_eq!(check_ok(&from_stdin), check_ok(&from_file));
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let file = licheng_file();
    let mut child = Command::new(BIN)
        .args(["monte-carlo", file.path(), "--paths", "20", "--format", "csv"])
        .env_remove("DELEVER_LANG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start delever-cli");
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("read stderr");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// One bad input: how to make the file, the arguments (`FILE` stands for its path), what stderr says.
struct Bad {
    name: &'static str,
    file: Vec<u8>,
    args: &'static [&'static str],
    expected: &'static [&'static str],
}

fn edited(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut scenario = licheng();
    edit(&mut scenario);
    scenario.to_string().into_bytes()
}

const SIMULATE: &[&str] = &["simulate", "FILE"];

fn bad_inputs() -> Vec<Bad> {
    let huge_number: Value = serde_json::from_str("1e27").expect("a JSON number");
    vec![
        Bad {
            name: "malformed JSON",
            file: b"{\"schema\": 1, \"name\": ".to_vec(),
            args: SIMULATE,
            expected: &["error: file: not valid JSON", "error: 文件: "],
        },
        Bad {
            name: "years as a word",
            file: edited(|s| s["years"] = json!("ten")),
            args: SIMULATE,
            expected: &["years: has the wrong type; expected a whole number"],
        },
        Bad {
            name: "loans as an object",
            file: edited(|s| s["institutions"][0]["opening"]["loans"] = json!({"amount": 500})),
            args: SIMULATE,
            expected: &["institutions[0].opening.loans: has the wrong type"],
        },
        Bad {
            name: "channel shares summing to 0.999",
            file: edited(|s| s["defaults"]["channels"]["write_off"] = json!("0.499")),
            args: SIMULATE,
            expected: &["defaults.channels: the shares sum to 0.999; they must sum to exactly 1"],
        },
        Bad {
            name: "NPL above loans",
            file: edited(|s| s["institutions"][0]["opening"]["npl"] = json!("501")),
            args: SIMULATE,
            expected: &["institutions[0].opening.npl: NPL 501 exceeds loans 500"],
        },
        Bad {
            name: "years 0",
            file: edited(|s| s["years"] = json!(0)),
            args: SIMULATE,
            expected: &["years: 0 is out of range; allowed 1 … 10"],
        },
        Bad {
            name: "years 11",
            file: edited(|s| s["years"] = json!(11)),
            args: SIMULATE,
            expected: &["years: 11 is out of range; allowed 1 … 10"],
        },
        Bad {
            name: "start in November",
            file: edited(|s| s["start"] = json!("2018-11")),
            args: SIMULATE,
            expected: &["start: \"2018-11\" is not a December"],
        },
        Bad {
            name: "event for an unknown institution",
            file: edited(|s| s["events"][0]["institution"] = json!("nobody")),
            args: SIMULATE,
            expected: &["events[0].institution: \"nobody\" is not the id of any institution"],
        },
        Bad {
            name: "1e27 as a JSON number",
            file: edited(|s| s["institutions"][0]["opening"]["loans"] = huge_number.clone()),
            args: SIMULATE,
            expected: &["institutions[0].opening.loans: 1000000000000000000000000000 is out of range"],
        },
        Bad {
            name: "1e27 as a string",
            file: edited(|s| s["institutions"][0]["opening"]["deposits"] = json!("1e27")),
            args: SIMULATE,
            expected: &["institutions[0].opening.deposits: 1000000000000000000000000000 is out of range"],
        },
        Bad { name: "empty file", file: Vec::new(), args: SIMULATE, expected: &["file: the input is empty"] },
        Bad {
            name: "invalid UTF-8",
            file: b"{\"schema\": 1, \"name\": \"\xff\xfe\"}".to_vec(),
            args: SIMULATE,
            expected: &["not valid UTF-8", "byte offset 23", "UTF-8 编码"],
        },
        Bad {
            name: "missing file",
            file: Vec::new(),
            args: &["simulate", "FILE.does-not-exist"],
            expected: &["cannot read the scenario file (no such file)", "文件不存在"],
        },
        Bad {
            name: "unknown lever",
            file: licheng_text().as_bytes().to_vec(),
            args: &["goal-seek", "FILE", "--lever", "interest_rate"],
            expected: &["\"interest_rate\" is not a lever; use one of disposal, write_off_share"],
        },
        Bad {
            name: "unknown target",
            file: licheng_text().as_bytes().to_vec(),
            args: &["goal-seek", "FILE", "--lever", "disposal", "--target", "npl_cap", "--target", "nope"],
            expected: &["target \"nope\" does not exist", "npl_cap"],
        },
        Bad {
            name: "steps 1",
            file: licheng_text().as_bytes().to_vec(),
            args: &["feasibility", "FILE", "--x", "disposal", "--y", "loan_growth", "--steps", "1"],
            expected: &["steps 1 is out of range; allowed 2 … 201"],
        },
        Bad {
            name: "paths 0",
            file: licheng_text().as_bytes().to_vec(),
            args: &["monte-carlo", "FILE", "--paths", "0"],
            expected: &["paths 0 is out of range"],
        },
        Bad {
            name: "cv not a decimal",
            file: licheng_text().as_bytes().to_vec(),
            args: &["monte-carlo", "FILE", "--cv", "a lot"],
            expected: &["--cv: \"a lot\" is not a decimal number"],
        },
        Bad {
            name: "unknown preset",
            file: Vec::new(),
            args: &["preset", "atlantis"],
            expected: &["preset \"atlantis\" does not exist", "licheng-2019"],
        },
        Bad {
            // Performing loans of 50 against a loan contraction of 250 a year: negative by March.
            name: "performing loans turning negative",
            file: edited(|s| {
                s["defaults"]["loan_growth"] = json!("-0.5");
                s["defaults"]["loan_growth_basis"] = json!("lending");
                s["defaults"]["disposal"] = json!({"plan": "amount", "amount": "400"});
                s["institutions"][0]["opening"]["npl"] = json!("450");
            }),
            args: SIMULATE,
            expected: &[
                "error: infeasible: performing of institution \"all\" would turn negative",
                "情景不可行",
            ],
        },
    ]
}

#[test]
fn bad_inputs_exit_2_with_a_clear_message() {
    for case in bad_inputs() {
        let file = TempFile::new("bad.json", &case.file);
        let args: Vec<String> = case.args.iter().map(|a| a.replace("FILE", file.path())).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        check_fails(case.name, &out, case.expected);
        // By default each problem is said in English, then in Chinese.
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert!(lines.len().is_multiple_of(2), "{}: {}", case.name, out.stderr);
        for pair in lines.chunks(2) {
            assert!(
                pair[1].chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {pair:?}",
                case.name
            );
        }
    }
}

#[test]
fn the_infeasible_scenario_also_fails_validate_and_analyses() {
    let file = TempFile::new(
        "negative.json",
        &edited(|s| {
            s["defaults"]["loan_growth"] = json!("-0.5");
            s["institutions"][0]["opening"]["npl"] = json!("450");
        }),
    );
    check_fails("validate", &run(&["validate", file.path()]), &["infeasible"]);
    check_fails("sensitivity", &run(&["sensitivity", file.path()]), &["infeasible"]);
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let file = TempFile::new(
        "three-problems.json",
        &edited(|s| {
            s["years"] = json!(11);
            s["start"] = json!("2018-11");
            s["defaults"]["channels"]["write_off"] = json!("0.499");
        }),
    );
    let out = run(&["validate", file.path()]);
    check_fails("three problems", &out, &["years", "start", "defaults.channels"]);
    let english: Vec<&str> = out.stderr.lines().step_by(2).collect();
    assert_eq!(english.len(), 3, "{}", out.stderr);
    for (line, path) in english.iter().zip(["start", "years", "defaults.channels"]) {
        assert!(line.starts_with(&format!("error: {path}: ")), "{line}");
    }
}

#[test]
fn option_and_file_problems_are_reported_together() {
    let out = run(&["goal-seek", "no-such-file.json", "--lever", "interest_rate"]);
    check_fails("lever and file", &out, &["is not a lever", "no-such-file.json"]);
}

#[test]
fn one_language_on_request() {
    let file = TempFile::new("years.json", &edited(|s| s["years"] = json!(11)));
    let zh = run(&["--lang", "zh", "validate", file.path()]);
    check_fails("--lang zh", &zh, &["years: 11 超出范围"]);
    assert_eq!(zh.stderr.lines().count(), 1);
    let en = run_with(&["validate", file.path()], None, &[("DELEVER_LANG", "en")]);
    check_fails("DELEVER_LANG=en", &en, &["years: 11 is out of range"]);
    assert_eq!(en.stderr.lines().count(), 1);
}

#[test]
fn usage_errors_exit_2() {
    let file = licheng_file();
    for args in [
        &["simulate", file.path(), "--format", "xml"][..],
        &["goal-seek", file.path()][..],
        &["feasibility", file.path(), "--x", "disposal", "--y", "loan_growth", "--steps", "-3"][..],
        &["--lang", "fr", "presets"][..],
        &["explode"][..],
    ] {
        let out = run(args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(out.stderr.starts_with("error: "), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn oversized_input_is_refused_without_reading_it() {
    // 50 MB: one JSON string, valid JSON apart from its size.
    let path = TempFile::path_for("huge.json");
    {
        let mut writer = BufWriter::new(fs::File::create(&path).expect("create the large file"));
        let chunk = vec![b'a'; 1 << 20];
        writer.write_all(b"\"").expect("write");
        for _ in 0..50 {
            writer.write_all(&chunk).expect("write");
        }
        writer.write_all(b"\"").expect("write");
        writer.flush().expect("flush");
    }
    let file = TempFile(path);
    let out = run(&["simulate", file.path()]);
    check_fails(
        "50 MB file",
        &out,
        &["file: the input is 52428802 bytes; at most 10485760 bytes are accepted"],
    );
    drop(file);

    // From a pipe the size is unknown: the reader stops one byte past the limit.
    let stream = vec![b' '; delever_model::MAX_INPUT_BYTES + 4096];
    let out = run_with(&["simulate", "-"], Some(&stream), &[]);
    check_fails("oversized stdin", &out, &["more than 10485760 bytes"]);
}

#[test]
fn monte_carlo_on_any_number_of_threads_prints_the_one_thread_answer() {
    let preset = delever_model::presets::get("licheng-2019-may").expect("preset");
    let file = TempFile::new("may.json", preset.json.as_bytes());
    let args = ["monte-carlo", file.path(), "--paths", "37", "--cv", "0.4"];
    let one = run(&[&args[..], &["--threads", "1"]].concat());
    let expected = check_ok(&one).to_string();
    for threads in ["2", "3", "8", "64"] {
        let out = run(&[&args[..], &["--threads", threads]].concat());
        assert_eq!(check_ok(&out), expected, "--threads {threads}");
    }
    // The default (all the machine's threads) too, and in every format.
    assert_eq!(check_ok(&run(&args)), expected);
    for format in ["csv", "table"] {
        let one = run(&[&args[..], &["--threads", "1", "--format", format]].concat());
        let many = run(&[&args[..], &["--threads", "4", "--format", format]].concat());
        assert_eq!(check_ok(&many), check_ok(&one), "{format}");
    }
    let zero = run(&[&args[..], &["--threads", "0"]].concat());
    assert_eq!(zero.code, Some(2));
}

#[test]
fn the_feasibility_map_on_any_number_of_threads_is_the_one_thread_map() {
    let preset = delever_model::presets::get("yangjiang-2016-2018").expect("preset");
    let file = TempFile::new("yangjiang.json", preset.json.as_bytes());
    let args = ["feasibility", file.path(), "--x", "write_off_share", "--y", "loan_growth", "--steps", "7"];
    let one = run(&[&args[..], &["--threads", "1"]].concat());
    let expected = check_ok(&one).to_string();
    for threads in ["2", "3", "7", "50"] {
        let out = run(&[&args[..], &["--threads", threads]].concat());
        assert_eq!(check_ok(&out), expected, "--threads {threads}");
    }
    assert_eq!(check_ok(&run(&args)), expected, "the default");
}

#[test]
fn goal_seek_and_the_tornado_on_any_number_of_threads_are_the_one_thread_answers() {
    let preset = delever_model::presets::get("licheng-2019").expect("preset");
    let file = TempFile::new("licheng.json", preset.json.as_bytes());
    let cases: [&[&str]; 4] = [
        &["goal-seek", file.path(), "--lever", "disposal"],
        &["goal-seek", file.path(), "--lever", "loan_growth", "--target", "npl_cap", "--format", "table"],
        &["sensitivity", file.path()],
        &["sensitivity", file.path(), "--metric", "npl", "--format", "csv"],
    ];
    for args in cases {
        let one = run(&[args, &["--threads", "1"]].concat());
        let expected = check_ok(&one).to_string();
        for threads in ["2", "3", "6", "101", "200"] {
            let out = run(&[args, &["--threads", threads]].concat());
            assert_eq!(check_ok(&out), expected, "{args:?} --threads {threads}");
        }
        assert_eq!(check_ok(&run(args)), expected, "{args:?}: the default");
    }
    // An error is the one-thread error, on any number of threads.
    let broken = TempFile::new(
        "negative.json",
        &edited(|s| {
            s["defaults"]["loan_growth"] = json!("-0.5");
            s["institutions"][0]["opening"]["npl"] = json!("450");
        }),
    );
    for threads in ["1", "4"] {
        check_fails(
            "sensitivity",
            &run(&["sensitivity", broken.path(), "--threads", threads]),
            &["infeasible"],
        );
    }
}

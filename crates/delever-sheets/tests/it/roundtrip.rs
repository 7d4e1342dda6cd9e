//! Round trips: the template imports as its own institutions; an export reads back with the right sheets, headers and numbers, and its institutions sheet imports again.

use calamine::Data;
use delever_model::num::fmt_decimal;
use delever_model::{Lang, parse_scenario, simulate};
use delever_sheets::columns::COLUMNS;
use delever_sheets::export::SHEETS;
use delever_sheets::template::example_institutions;
use delever_sheets::{Format, Stamp, export_workbook, template};

use crate::support::*;

#[test]
fn the_xlsx_template_imports_as_its_own_institutions() {
    for lang in [Lang::Zh, Lang::En] {
        let bytes = template(Format::Xlsx, lang).unwrap();
        let imported = import_ok(preset("licheng-2019"), &bytes, "template.xlsx");
        assert_eq!(imported, example_institutions(lang), "{lang:?}");
        assert_eq!(imported.len(), 9, "the preset's eight banks and the example");
        // The example shows the drivers an institution may set.
        assert!(!imported[8].drivers.is_empty());
        assert!(imported[8].opening.capital.is_some());
    }
}

#[test]
fn the_csv_template_imports_as_its_own_institutions() {
    for lang in [Lang::Zh, Lang::En] {
        let bytes = template(Format::Csv, lang).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "Excel needs the byte-order mark for Chinese");
        let imported = import_ok(preset("licheng-2019"), &bytes, "template.csv");
        assert_eq!(imported, example_institutions(lang), "{lang:?}");
    }
}

#[test]
fn the_xlsx_template_has_the_headers_and_a_notes_sheet_describing_every_column() {
    let mut back = ReadBack::new(template(Format::Xlsx, Lang::Zh).unwrap());
    assert_eq!(back.names(), ["机构", "说明"]);
    let rows = back.rows("机构");
    let headers: Vec<String> = rows[0].iter().map(text).collect();
    let expected: Vec<&str> = COLUMNS.iter().map(|c| c.zh).collect();
    assert_eq!(headers, expected);
    assert_eq!(text(&rows[1][0]), "icbc");
    assert_eq!(number(&rows[1][4]), 95.0);
    let notes = back.rows("说明");
    let described: Vec<String> = notes.iter().map(|row| text(&row[2])).collect();
    for column in &COLUMNS {
        assert!(described.iter().any(|code| code == column.code), "{} is not described", column.code);
    }
    let mut english = ReadBack::new(template(Format::Xlsx, Lang::En).unwrap());
    assert_eq!(english.names(), ["Institutions", "Notes"]);
    assert_eq!(text(&english.rows("Institutions")[0][4]), "Opening deposits");
}

fn stamp() -> Stamp {
    Stamp {
        version: "0.1.0".into(),
        data_as_of: "2018-12-31".into(),
        link: "https://example.org/delever/#scenario=eyJzY2hlbWEiOjF9".into(),
    }
}

#[test]
fn the_licheng_export_reads_back_with_its_sheets_headers_and_numbers() {
    let scenario = parse_scenario(licheng()).unwrap();
    let projection = simulate(&scenario).unwrap();
    let bytes = export_workbook(licheng(), &stamp(), Lang::Zh).unwrap();
    let mut back = ReadBack::new(bytes);
    let expected: Vec<&str> = SHEETS.iter().map(|(zh, _)| *zh).collect();
    assert_eq!(back.names(), expected);

    // The stamp is on the first sheet.
    let summary = back.rows("概要");
    let value_of = |label: &str| {
        summary.iter().find(|row| text(&row[0]) == label).map(|row| text(&row[1])).unwrap_or_default()
    };
    assert_eq!(value_of("模型版本"), "0.1.0");
    assert_eq!(value_of("数据截至"), "2018-12-31");
    assert_eq!(value_of("情景链接"), stamp().link);
    assert_eq!(value_of("情景名称"), scenario.name);
    assert_eq!(value_of("目标达标"), "8 / 8");

    // Year-ends: the region row, every metric under its Chinese name.
    let year_ends = back.rows("年末结果");
    let headers: Vec<String> = year_ends[0].iter().map(text).collect();
    assert_eq!(&headers[..4], ["范围", "编号", "名称", "年份"]);
    let region = &year_ends[1];
    assert_eq!(text(&region[0]), "全辖");
    assert_eq!(number(&region[3]), 2019.0);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let exact = projection.region.year_ends[0].clone();
    let as_f64 = |d: rust_decimal::Decimal| fmt_decimal(d).parse::<f64>().unwrap();
    assert_eq!(number(&region[column("不良贷款")]), as_f64(exact.npl));
    assert_eq!(number(&region[column("存款")]), 526.0);
    assert_eq!(number(&region[column("处置")]), 10.0);
    assert_eq!(number(&region[column("不良贷款率")]), as_f64(exact.npl_ratio.unwrap()));
    assert_eq!(number(&region[column("处置：核销")]), 5.0);
    // Region, then the institution (Licheng has no zones).
    assert_eq!(year_ends.len(), 3);
    assert_eq!(text(&year_ends[2][1]), "all");

    // Monthly: 12 months of the region and of the institution.
    let monthly = back.rows("月度结果");
    assert_eq!(monthly.len(), 1 + 12 * 2);
    assert_eq!(text(&monthly[1][3]), "2019-01");
    assert_eq!(text(&monthly[12][3]), "2019-12");
    let npl = monthly[0].iter().position(|h| text(h) == "不良贷款").unwrap();
    assert_eq!(number(&monthly[12][npl]), as_f64(projection.region.monthly[11].npl));

    // Target checks: id, metric, op, value, year, scope, actual, met, margin, then exact text.
    let targets = back.rows("目标检查");
    assert_eq!(targets.len(), 1 + 8);
    let headers: Vec<String> = targets[0].iter().map(text).collect();
    assert_eq!(
        &headers[..10],
        ["编号", "指标", "指标代码", "条件", "目标值", "年份", "范围", "实际值", "结果", "余量"]
    );
    let disposal = targets.iter().find(|row| text(&row[0]) == "disposal_floor").unwrap();
    assert_eq!(text(&disposal[3]), "≥");
    assert_eq!(number(&disposal[4]), 10.0);
    assert_eq!(text(&disposal[6]), "全辖");
    assert_eq!(text(&disposal[8]), "达标");
    let check = projection.targets.iter().find(|t| t.target.id == "disposal_floor").unwrap();
    assert_eq!(text(&disposal[10]), fmt_decimal(check.actual.unwrap()));
    assert_eq!(text(&disposal[11]), fmt_decimal(check.margin.unwrap()));
    assert!(targets[1..].iter().all(|row| text(&row[8]) == "达标"));

    // Inputs: the defaults and the events.
    let defaults = back.rows("默认参数");
    let row = defaults.iter().find(|row| text(&row[1]) == "loan_growth").unwrap();
    assert_eq!(number(&row[2]), 0.085);
    let pacing = defaults.iter().find(|row| text(&row[1]) == "pacing").unwrap();
    assert_eq!(number(&pacing[2]), 0.6);
    let events = back.rows("风险事件");
    assert_eq!(text(&events[1][0]), "2019-07");
    assert_eq!(number(&events[1][2]), 1.2);
    let warnings = back.rows("提示");
    assert!(warnings.iter().any(|row| text(&row[0]) == "target_never_binds"));
}

#[test]
fn an_export_imports_again_through_its_institutions_sheet() {
    for id in ["licheng-2019", "yangjiang-2016-2018", "chongqing-2016-2020"] {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = export_workbook(preset(id), &stamp(), lang).unwrap();
            let imported = import_ok(preset(id), &bytes, "export.xlsx");
            assert_eq!(imported, parse_scenario(preset(id)).unwrap().institutions, "{id} {lang:?}");
        }
    }
}

#[test]
fn the_english_export_of_a_zoned_multi_year_scenario() {
    let bytes = export_workbook(preset("yangjiang-2016-2018"), &stamp(), Lang::En).unwrap();
    let mut back = ReadBack::new(bytes);
    let expected: Vec<&str> = SHEETS.iter().map(|(_, en)| *en).collect();
    assert_eq!(back.names(), expected);
    let year_ends = back.rows("Year-ends");
    // Region + 4 zones + 6 institutions, 3 years each.
    assert_eq!(year_ends.len(), 1 + (1 + 4 + 6) * 3);
    let scopes: Vec<String> = year_ends[1..].iter().map(|row| text(&row[0])).collect();
    assert_eq!(scopes.iter().filter(|s| *s == "zone").count(), 12);
    let leverage = year_ends[0].iter().position(|h| text(h) == "Leverage ratio").unwrap();
    let rcb = year_ends.iter().find(|row| text(&row[1]) == "yj_rcb").unwrap();
    assert!(matches!(rcb[leverage], Data::Float(_)), "capital is modelled for yj_rcb");
    let big = year_ends.iter().find(|row| text(&row[1]) == "large_banks").unwrap();
    assert_eq!(big[leverage], Data::Empty, "no capital: the cell stays empty");
    let targets = back.rows("Target checks");
    let national = targets.iter().find(|row| text(&row[0]) == "npl_ratio_below_national_2018").unwrap();
    assert!(text(&national[12]).contains("national"), "{:?}", national[12]);
}

#[test]
fn per_year_defaults_are_written_as_lists() {
    let bytes = export_workbook(preset("chongqing-2016-2020"), &stamp(), Lang::Zh).unwrap();
    let mut back = ReadBack::new(bytes);
    let defaults = back.rows("默认参数");
    let row = defaults.iter().find(|row| text(&row[1]) == "deposit_growth").unwrap();
    assert_eq!(text(&row[2]), "10%; 9%; 7%; 8%; 9%");
}

#[test]
fn invalid_scenarios_are_not_exported() {
    let err = export_workbook("not json", &stamp(), Lang::En).unwrap_err();
    assert!(err.message(Lang::En).contains("not valid JSON"), "{}", err.message(Lang::En));
    let err = export_workbook(licheng(), &Stamp::default(), Lang::Zh)
        .map(|_| ())
        .and_then(|()| export_workbook("{\"schema\":1}", &stamp(), Lang::Zh));
    assert!(err.unwrap_err().message(Lang::Zh).contains("缺少"));
}

#[test]
fn a_link_too_long_for_a_hyperlink_is_written_as_text() {
    let mut long = stamp();
    long.link = format!("https://example.org/#scenario={}", "a".repeat(5000));
    let mut back = ReadBack::new(export_workbook(licheng(), &long, Lang::Zh).unwrap());
    let summary = back.rows("概要");
    let link = summary.iter().find(|row| text(&row[0]) == "情景链接").map(|row| text(&row[1])).unwrap();
    assert_eq!(link, long.link);
    long.link = "x".repeat(40_000);
    let mut back = ReadBack::new(export_workbook(licheng(), &long, Lang::En).unwrap());
    let summary = back.rows("Summary");
    let link = summary.iter().find(|row| text(&row[0]) == "Scenario link").map(|row| text(&row[1])).unwrap();
    assert!(link.contains("40000 characters"), "{link}");
}

#[test]
fn a_csv_with_gbk_text_lists_percentages_and_words_imports() {
    // Chongqing runs five years: per-year lists have five values.
    let csv = "编号,名称,类型,Zone,deposits,期初贷款,期初不良贷款,期初贷款损失准备,贷款增速,贷款增速口径,处置比例,核销占比,清收占比,处置节奏,拨贷比下限,示意数据\r\n\
               cq,重庆,其他,,\"28,000\",22000,198,550,12%; 11%; 12%; 11%; 10%,余额,60%,70%,30%,均匀,无,期初贷款损失准备\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(csv);
    assert!(!unmappable);
    let imported = import_ok(preset("chongqing-2016-2020"), &gbk, "重庆.csv");
    assert_eq!(imported.len(), 1);
    let cq = &imported[0];
    assert_eq!(cq.opening.deposits, rust_decimal::Decimal::from(28_000));
    assert_eq!(cq.opening.illustrative, ["provisions"]);
    assert_eq!(
        cq.drivers.loan_growth,
        Some(delever_model::scenario::PerYear::ByYear(
            ["0.12", "0.11", "0.12", "0.11", "0.1"].iter().map(|s| s.parse().unwrap()).collect()
        ))
    );
    assert_eq!(cq.drivers.loan_growth_basis, Some(delever_model::scenario::Basis::Balance));
    assert_eq!(cq.drivers.pacing, Some(delever_model::scenario::Pacing::Even));
    let channels = cq.drivers.channels.unwrap().0;
    assert_eq!(fmt_decimal(channels[0]), "0.3");
    assert_eq!(fmt_decimal(channels[1]), "0.7");
    let provisioning = cq.drivers.provisioning.unwrap();
    assert_eq!(provisioning.allowance_floor, None, "无 means no floor");
    // The blank coverage floor takes the scenario default's.
    assert_eq!(provisioning.coverage_floor, Some("1.5".parse().unwrap()));
}

#[test]
fn the_rest_of_the_scenario_is_kept_as_it_was() {
    let bytes = workbook(&minimal_rows());
    let text = delever_sheets::import_institutions(licheng(), &bytes, "a.xlsx").unwrap();
    let before: serde_json::Value = serde_json::from_str(licheng()).unwrap();
    let mut after: serde_json::Value = serde_json::from_str(&text).unwrap();
    after["institutions"] = before["institutions"].clone();
    assert_eq!(after, before);
}

#[test]
fn formulas_are_read_by_their_saved_result() {
    let mut rows = minimal_rows();
    rows[1][2] = C::F("=400+100", Some("500"));
    let imported = import_ok(licheng(), &workbook(&rows), "f.xlsx");
    assert_eq!(imported[0].opening.deposits, rust_decimal::Decimal::from(500));
}

#[test]
fn percent_formatted_cells_and_numeric_ids_are_read_by_value() {
    let rows = vec![
        vec![s("编号"), s("期初存款"), s("期初贷款"), s("期初不良贷款"), s("贷款增速"), s("类型")],
        vec![C::N(1001.0), C::N(500.0), C::N(500.0), C::N(3.0), C::N(0.085), s("large_state")],
    ];
    let mut doc: serde_json::Value = serde_json::from_str(licheng()).unwrap();
    doc["events"] = serde_json::json!([]);
    let imported = import_ok(&doc.to_string(), &workbook(&rows), "ids.xlsx");
    assert_eq!(imported[0].id, "1001");
    assert_eq!(imported[0].name, "1001");
    assert_eq!(
        imported[0].drivers.loan_growth,
        Some(delever_model::scenario::PerYear::Same("0.085".parse().unwrap()))
    );
}

#[test]
fn a_large_export_keeps_the_institutions_months_for_the_csv() {
    let scenario = delever_model::presets::synthetic(200, 10).unwrap();
    let bytes = export_workbook(&scenario.to_json().to_string(), &stamp(), Lang::En).unwrap();
    let mut back = ReadBack::new(bytes);
    let monthly = back.rows("Monthly");
    let scopes: Vec<String> =
        monthly[1..].iter().map(|row| text(&row[0])).filter(|s| !s.is_empty()).collect();
    assert!(!scopes.iter().any(|s| s == "institution"));
    assert_eq!(scopes.iter().filter(|s| *s == "region").count(), 120);
    assert!(monthly.iter().any(|row| text(&row[0]).contains("use the CSV export")));
    // The year-ends keep every institution.
    let year_ends = back.rows("Year-ends");
    assert_eq!(year_ends[1..].iter().filter(|row| text(&row[0]) == "institution").count(), 200 * 10);
}

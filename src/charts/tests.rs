//! Native tests: every chart drawn to an SVG string for the presets, a large synthetic
//! scenario and degenerate data, checking what a reader would see (titles, names, bars).
//!
//! `DELEVER_CHART_SVG_DIR=/some/dir cargo test -p delever charts` also writes each SVG
//! there, to look at.

use delever_model::{Lang, Projection, Scenario, parse_scenario, presets, simulate};
use plotters::prelude::{IntoDrawingArea, SVGBackend};

use super::ranking::RANKING_ENDS;
use super::style::{palette, role};
use super::{Chart, ChartData, StepKind, Style, draw};

const WIDTH: u32 = 800;
const HEIGHT: u32 = 450;

/// The Licheng plan as one aggregate institution ([`presets::LICHENG_AGGREGATE`]), as
/// [`preset`]'s id: most chart tests were written for one institution.
pub(super) const AGGREGATE: &str = "licheng-2019-aggregate";

pub(super) fn preset(id: &str) -> (Scenario, Projection) {
    let json = if id == AGGREGATE {
        presets::LICHENG_AGGREGATE
    } else {
        presets::get(id).expect("preset exists").json
    };
    let scenario = parse_scenario(json).expect("preset parses");
    let projection = simulate(&scenario).expect("preset simulates");
    (scenario, projection)
}

/// Draws `chart` of `data` to an SVG string (and to `$DELEVER_CHART_SVG_DIR/name-id.svg` when set).
#[track_caller]
fn render(name: &str, chart: Chart, data: &ChartData, style: &Style, size: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(chart, &area, data, style).unwrap_or_else(|e| panic!("{name}/{}: {e:?}", chart.id()));
        area.present().expect("present");
    }
    if let Some(dir) = std::env::var_os("DELEVER_CHART_SVG_DIR") {
        let path = std::path::Path::new(&dir).join(format!("{name}-{}.svg", chart.id()));
        std::fs::write(&path, &svg).expect("write the SVG");
    }
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{name}/{}: non-finite coordinates", chart.id());
    svg
}

/// Every chart of `data`, normal and large, in a few sizes; returns the normal 800 × 450 SVGs.
#[track_caller]
fn render_all(name: &str, data: &ChartData) -> Vec<(Chart, String)> {
    let mut out = Vec::new();
    for chart in Chart::ALL {
        out.push((chart, render(name, chart, data, &Style::normal(), (WIDTH, HEIGHT))));
        render(&format!("{name}-large"), chart, data, &Style::large(), (1600, 900));
        // Tiny and odd sizes must not fail either.
        for size in [(1, 1), (120, 80), (360, 640)] {
            let mut svg = String::new();
            let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw(chart, &area, data, &Style::normal())
                .unwrap_or_else(|e| panic!("{name} at {size:?}: {e:?}"));
        }
    }
    out
}

fn svg_of(all: &[(Chart, String)], chart: Chart) -> &str {
    all.iter().find(|(c, _)| *c == chart).map(|(_, svg)| svg.as_str()).unwrap_or("")
}

/// `#RRGGBB` as the SVG backend writes it.
pub(super) fn hex(colour: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// How many `<tag` elements are filled (`fill`) or stroked (`stroke`) in `colour`.
pub(super) fn count(svg: &str, tag: &str, attribute: &str, colour: plotters::style::RGBColor) -> usize {
    let needle = format!("{attribute}=\"{}\"", hex(colour));
    svg.split('<').filter(|element| element.starts_with(tag) && element.contains(&needle)).count()
}

#[test]
fn licheng_chart_data_matches_the_projection() {
    let (scenario, projection) = preset(AGGREGATE);
    let data = ChartData::build(&scenario, &projection, Some(&projection), 0, Lang::Zh);
    assert_eq!(data.months.len(), 12);
    assert_eq!(data.npl_ratio.len(), 12);
    assert_eq!(data.disposal_by_channel.len(), 12);
    assert_eq!(data.year, Some(2019));
    let step = |kind: StepKind| data.waterfall.iter().find(|s| s.kind == kind).map(|s| s.value);
    assert_eq!(step(StepKind::Opening), Some(3.0));
    let closing: f64 = projection.region.year_ends[0].npl.to_string().parse().unwrap();
    assert_eq!(step(StepKind::Closing), Some(closing));
    assert_eq!(step(StepKind::Channel(1)), Some(-5.0), "write_off");
    assert_eq!(step(StepKind::Channel(2)), Some(-3.0), "transfer");
    assert_eq!(step(StepKind::Channel(0)), Some(-2.0), "collection");
    assert_eq!(data.waterfall.len(), 6, "opening, formation, three channels, closing: {:?}", data.waterfall);
    assert_eq!(data.baseline_closing_npl, Some(closing));
    // Opening + formation − disposals = closing (to float precision).
    let sum: f64 = data.waterfall.iter().filter(|s| s.kind != StepKind::Closing).map(|s| s.value).sum();
    assert!((sum - closing).abs() < 1e-9, "{sum} vs {closing}");
    assert_eq!(data.first_half_end, Some(6));
    assert_eq!(data.npl_ratio_targets.len(), 1);
    assert_eq!(data.npl_ratio_targets[0].value, 0.0101);
    assert_eq!((data.npl_ratio_targets[0].first_month, data.npl_ratio_targets[0].last_month), (0, 11));
    assert_eq!(data.national_average.len(), 1, "2019 is in the reference table");
    assert_eq!(data.national_average[0].value, 0.0186);
    assert_eq!(data.deposit_targets[0].value, 525.0);
    assert_eq!(data.loan_targets[0].value, 532.0);
    assert_eq!(data.npl_targets[0].value, 1.7);
    assert_eq!(data.institution_ranking.len(), 1);
    assert_eq!(data.institution_ranking[0].label, "全辖银行业机构");
    assert!(data.zone_ranking.is_empty());
    // H1 carries 60% of the plan.
    let h1: f64 = data.disposal_by_channel.iter().take(6).flat_map(|m| m.iter()).sum();
    assert!((h1 - 6.0).abs() < 1e-9, "{h1}");
}

#[test]
fn licheng_charts_show_titles_channels_targets_and_the_baseline() {
    let (scenario, projection) = preset(AGGREGATE);
    let data = ChartData::build(&scenario, &projection, Some(&projection), 0, Lang::Zh);
    let all = render_all("licheng", &data);
    for (chart, svg) in &all {
        assert!(svg.contains(&data.title(*chart)), "{}: title missing", chart.id());
    }

    let npl = svg_of(&all, Chart::NplRatio);
    for text in ["当前情景", "基准（预设）", "目标 ≤ 1.01%", "全国平均 1.86%", "1月", "12月", "0.26%"]
    {
        assert!(npl.contains(text), "npl_ratio: {text} missing");
    }
    // The current line (and its legend sample), one dot per month (and the legend's).
    assert_eq!(count(npl, "polyline", "stroke", role::CURRENT), 2);
    assert_eq!(count(npl, "circle", "fill", role::CURRENT), 12 + 1);
    // The baseline is dashed: many short grey pieces, none of them the whole line.
    assert!(count(npl, "polyline", "stroke", palette::BASELINE) > 12);

    let balances = svg_of(&all, Chart::Balances);
    for text in ["各项存款 ≥ 525", "各项贷款 ≥ 532", "亿元", "526.0", "532.5"] {
        assert!(balances.contains(text), "balances: {text} missing");
    }
    assert_eq!(count(balances, "polyline", "stroke", role::DEPOSITS), 2);
    assert_eq!(count(balances, "polyline", "stroke", role::CURRENT), 2);

    let waterfall = svg_of(&all, Chart::Waterfall);
    for text in ["期初", "新增不良", "清收", "核销", "转让", "期末", "目标 ≤ 1.7", "3.00", "−5.00", "+"]
    {
        assert!(waterfall.contains(text), "waterfall: {text} missing");
    }
    assert!(!waterfall.contains("证券化"), "a zero channel gets no bar");
    // Opening and closing (and the legend's current sample); one bar per channel.
    assert_eq!(count(waterfall, "rect", "fill", role::LEVEL), 3);
    assert_eq!(count(waterfall, "rect", "fill", role::FORMATION), 1);
    for channel in [0, 1, 2] {
        assert_eq!(count(waterfall, "rect", "fill", role::channel(channel)), 1, "channel {channel}");
    }
    // The baseline's closing bar, outlined (and the legend's sample).
    assert_eq!(count(waterfall, "rect", "stroke", palette::BASELINE), 2);

    let disposal = svg_of(&all, Chart::Disposal);
    for text in ["清收", "核销", "转让", "上半年 6.00", "下半年 4.00", "基准（预设）"] {
        assert!(disposal.contains(text), "disposal: {text} missing");
    }
    // Twelve months of three channels, plus one legend swatch each.
    for channel in [0, 1, 2] {
        assert_eq!(count(disposal, "rect", "fill", role::channel(channel)), 12 + 1, "channel {channel}");
    }
    // The baseline's monthly totals: a hollow marker per month.
    assert_eq!(count(disposal, "circle", "stroke", palette::BASELINE), 12);

    let ranking = svg_of(&all, Chart::Ranking);
    for text in ["全辖银行业机构", "机构", "−1.62", "不良贷款余额变化（亿元）"] {
        assert!(ranking.contains(text), "ranking: {text} missing");
    }
    assert_eq!(count(ranking, "rect", "fill", role::CURRENT), 1 + 1);
    assert!(!ranking.contains("街道/园区"), "Licheng has no zones");
}

#[test]
fn yangjiang_charts_show_zones_institutions_and_three_years() {
    let (scenario, projection) = preset("yangjiang-2016-2018");
    assert_eq!(scenario.institutions.len(), 6);
    let data = ChartData::build(&scenario, &projection, Some(&projection), 2, Lang::Zh);
    assert_eq!(data.year, Some(2018));
    assert_eq!(data.months.len(), 36);
    assert_eq!(data.national_average.len(), 3, "2016, 2017 and 2018");
    assert_eq!(data.npl_ratio_targets.len(), 1, "below the national average in 2018");
    assert_eq!(data.npl_ratio_targets[0].first_month, 24);
    assert_eq!(data.npl_ratio_targets[0].value, 0.0183);
    let all = render_all("yangjiang", &data);

    let npl = svg_of(&all, Chart::NplRatio);
    for text in ["全国平均 1.74%", "全国平均 1.83%", "目标 ≤ 1.83%", "2016年1月", "2018年1月"]
    {
        assert!(npl.contains(text), "npl_ratio: {text} missing");
    }
    assert_eq!(count(npl, "polyline", "stroke", role::CURRENT), 2, "one unbroken line and the legend");

    let ranking = svg_of(&all, Chart::Ranking);
    assert!(ranking.contains("2018 年"), "the selected year is in the title");
    for zone in ["江城区", "阳春市", "阳西县", "阳东区"] {
        assert!(ranking.contains(zone), "zone {zone} missing");
    }
    for institution in &scenario.institutions {
        assert!(ranking.contains(&institution.name), "{} missing", institution.name);
    }
    assert_eq!(count(ranking, "rect", "fill", role::ZONE), 4 + 1);
    assert_eq!(count(ranking, "rect", "fill", role::CURRENT), 6 + 1);
    // Every bar has its baseline outline (and the legend its sample).
    assert_eq!(count(ranking, "rect", "stroke", palette::BASELINE), 10 + 1);
    // Most reduction first.
    let values: Vec<f64> = data.institution_ranking.iter().map(|r| r.value).collect();
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");

    let disposal = svg_of(&all, Chart::Disposal);
    assert!(disposal.contains("以物抵债"), "Yangjiang forecloses");
}

#[test]
fn a_fifty_institution_five_year_scenario_stays_readable() {
    let scenario = presets::synthetic(50, 5).expect("synthetic scenario");
    let projection = simulate(&scenario).expect("simulates");
    let data = ChartData::build(&scenario, &projection, Some(&projection), 4, Lang::En);
    assert_eq!(data.institution_ranking.len(), 50);
    assert_eq!(data.zone_ranking.len(), 8);
    let all = render_all("synthetic", &data);
    for (chart, svg) in &all {
        assert!(svg.contains(&data.title(*chart)), "{}: title missing", chart.id());
    }
    assert!(svg_of(&all, Chart::Waterfall).contains("Write-off"));
    assert!(svg_of(&all, Chart::NplRatio).contains("National average 1.59%"), "2023 is in the table");
    assert!(svg_of(&all, Chart::NplRatio).contains("Jan 2021"));

    // 58 rows do not fit in 450 pixels: all zones, the top and bottom institutions, and a count of the rest.
    let ranking = svg_of(&all, Chart::Ranking);
    assert_eq!(count(ranking, "rect", "fill", role::ZONE), 8 + 1);
    let shown = count(ranking, "rect", "fill", role::CURRENT) - 1;
    let more = gap_count(ranking).expect("a 'more' line");
    assert!(shown >= 4, "{shown}");
    assert_eq!(shown + more, 50);
    assert!(ranking.contains(&format!("Showing {shown} of 50 institutions")), "the caption");
    // However tall, no more than the first and last RANKING_ENDS.
    let tall = render("synthetic-tall", Chart::Ranking, &data, &Style::normal(), (800, 2000));
    assert_eq!(count(&tall, "rect", "fill", role::CURRENT), 2 * RANKING_ENDS + 1);
    assert_eq!(gap_count(&tall), Some(50 - 2 * RANKING_ENDS));
}

/// The `N` of the ranking's "…N more institutions not shown…" line, if it has one.
fn gap_count(svg: &str) -> Option<usize> {
    let head = svg.split(" more institutions not shown…").next().filter(|head| head.len() < svg.len())?;
    head.rsplit('…').next()?.parse().ok()
}

/// How many texts an SVG draws.
fn text_count(svg: &str) -> usize {
    svg.matches("<text").count()
}

#[test]
fn a_500_institution_ranking_shows_its_ends_a_gap_and_a_caption() {
    // Issue 10, item 4: 500 bars would be 500 unreadable labels.
    let scenario = presets::synthetic(500, 1).expect("synthetic scenario");
    let projection = simulate(&scenario).expect("simulates");
    let data = ChartData::build(&scenario, &projection, Some(&projection), 0, Lang::En);
    assert_eq!(data.institution_ranking.len(), 500);
    let first = &data.institution_ranking[0].label;
    let last = &data.institution_ranking[499].label;
    let middle = &data.institution_ranking[250].label;
    let zones = data.zone_ranking.len();
    // (size, institution bars expected): what fits in 450 pixels; both ends in tall ones.
    let cases =
        [((800, 450), None), ((800, 1400), Some(2 * RANKING_ENDS)), ((1600, 4000), Some(2 * RANKING_ENDS))];
    for (size, bars) in cases {
        let svg = render("synthetic-500", Chart::Ranking, &data, &Style::normal(), size);
        let shown = count(&svg, "rect", "fill", role::CURRENT) - 1;
        if let Some(bars) = bars {
            assert_eq!(shown, bars, "{size:?}");
            assert!(svg.contains(first.as_str()) && svg.contains(last.as_str()), "{size:?}: both ends");
        }
        assert!((2..=2 * RANKING_ENDS).contains(&shown), "{size:?}: {shown}");
        assert!(!svg.contains(&format!(">{middle}<")), "{size:?}: the middle is left out");
        assert_eq!(gap_count(&svg), Some(500 - shown), "{size:?}: the gap marker");
        assert!(svg.contains(&format!("Showing {shown} of 500 institutions")), "{size:?}: the caption");
        // Title, legend, caption, axis, gap, zones and bars with their values: bounded, whatever the count.
        let texts = text_count(&svg);
        assert!(texts <= 20 + 2 * (zones + 2 * RANKING_ENDS), "{size:?}: {texts} texts");
    }
    let zh = ChartData::build(&scenario, &projection, None, 0, Lang::Zh);
    let svg = render("synthetic-500-zh", Chart::Ranking, &zh, &Style::normal(), (800, 1400));
    assert!(svg.contains("…另有 480 家机构未列出…"), "the gap in Chinese");
    assert!(svg.contains("显示 500 家机构中的 20 家"), "the caption in Chinese");
}

/// A scenario with no loans and no NPL: nothing to divide by, nothing to dispose of.
fn empty_bank() -> (Scenario, Projection) {
    let mut json: serde_json::Value = serde_json::from_str(presets::LICHENG_AGGREGATE).expect("json");
    let opening = &mut json["institutions"][0]["opening"];
    for field in ["loans", "npl", "provisions"] {
        opening[field] = serde_json::json!("0");
    }
    json["events"] = serde_json::json!([]);
    json["amc"] = serde_json::Value::Null;
    let scenario = parse_scenario(&json.to_string()).expect("a bank without loans is valid");
    let projection = simulate(&scenario).expect("simulates");
    (scenario, projection)
}

#[test]
fn degenerate_data_draws_without_failing() {
    let (scenario, projection) = empty_bank();
    let data = ChartData::build(&scenario, &projection, None, 0, Lang::Zh);
    assert!(data.npl_ratio.iter().all(Option::is_none), "no loans, no ratio");
    assert_eq!(data.waterfall.len(), 3, "opening, formation, closing: {:?}", data.waterfall);
    let all = render_all("empty", &data);
    let npl = svg_of(&all, Chart::NplRatio);
    assert!(npl.contains("暂无数据"), "the ratio chart says there is nothing to show");
    assert!(!npl.contains("基准"), "no baseline, no baseline legend");
    let disposal = svg_of(&all, Chart::Disposal);
    assert!(disposal.contains("上半年 0.00"));
    for channel in 0..7 {
        assert_eq!(count(disposal, "rect", "fill", role::channel(channel)), 0, "no bars, no legend entry");
    }
    assert!(svg_of(&all, Chart::Ranking).contains("全辖银行业机构"));

    // Year index past the end is the last year.
    assert_eq!(ChartData::build(&scenario, &projection, None, 99, Lang::Zh).year, Some(2019));
}

#[test]
fn empty_single_month_and_non_finite_data_never_fail() {
    let (scenario, projection) = preset(AGGREGATE);
    let full = ChartData::build(&scenario, &projection, Some(&projection), 0, Lang::En);

    let mut empty = full.clone();
    empty.months.clear();
    empty.npl_ratio.clear();
    empty.baseline_npl_ratio = Some(Vec::new());
    empty.npl_ratio_targets.clear();
    empty.national_average.clear();
    empty.deposits.clear();
    empty.loans.clear();
    empty.baseline_deposits = None;
    empty.baseline_loans = None;
    empty.waterfall.clear();
    empty.baseline_closing_npl = None;
    empty.disposal_months.clear();
    empty.disposal_by_channel.clear();
    empty.baseline_disposal = None;
    empty.first_half_end = None;
    empty.zone_ranking.clear();
    empty.institution_ranking.clear();
    empty.year = None;
    for (chart, svg) in render_all("nothing", &empty) {
        assert!(svg.contains("No data") || chart == Chart::Disposal, "{}: says so", chart.id());
    }

    let mut single = full.clone();
    single.months.truncate(1);
    single.npl_ratio.truncate(1);
    single.deposits.truncate(1);
    single.loans.truncate(1);
    single.disposal_months.truncate(1);
    single.disposal_by_channel.truncate(1);
    single.first_half_end = None;
    let all = render_all("single", &single);
    // A lone value is a dot, not a line.
    assert_eq!(count(svg_of(&all, Chart::NplRatio), "circle", "fill", role::CURRENT), 1 + 1);

    let mut poisoned = full;
    poisoned.npl_ratio[3] = Some(f64::NAN);
    poisoned.npl_ratio[4] = Some(f64::INFINITY);
    poisoned.loans[0] = Some(f64::NEG_INFINITY);
    poisoned.waterfall[1].value = f64::NAN;
    poisoned.disposal_by_channel[0][1] = f64::INFINITY;
    poisoned.institution_ranking[0].baseline = Some(f64::NAN);
    poisoned.npl_ratio_targets[0].value = f64::NAN;
    let all = render_all("poisoned", &poisoned);
    // The ratio line breaks where values are missing: two pieces and the legend sample.
    assert_eq!(count(svg_of(&all, Chart::NplRatio), "polyline", "stroke", role::CURRENT), 3);
}

#[test]
fn charts_have_stable_ids_and_titles_in_both_languages() {
    let ids: Vec<&str> = Chart::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["npl_ratio", "balances", "waterfall", "disposal", "ranking"]);
    for chart in Chart::ALL {
        assert_eq!(Chart::from_id(chart.id()), Some(chart));
        assert!(!chart.title(Lang::Zh).is_empty() && !chart.title(Lang::En).is_empty());
        assert_ne!(chart.title(Lang::Zh), chart.title(Lang::En));
    }
    assert_eq!(Chart::from_id("pie"), None);
    let (scenario, projection) = preset(AGGREGATE);
    let data = ChartData::build(&scenario, &projection, None, 0, Lang::En);
    assert_eq!(data.title(Chart::Waterfall), "NPL movement, 2019");
    assert_eq!(data.labels.channels[1], "Write-off");
    assert_eq!(
        super::labels::ZH.channels,
        ["清收", "核销", "转让", "证券化", "债转股", "以物抵债", "重组上调"]
    );
}

#[test]
fn styles_scale_for_presentation_and_dense_screens() {
    let normal = Style::normal();
    let large = Style::large();
    assert!(large.title_size > normal.title_size && large.line_width > normal.line_width);
    let doubled = normal.scaled(2.0);
    assert_eq!(doubled.label_size, normal.label_size * 2.0);
    assert_eq!(doubled.line_width, normal.line_width * 2);
    assert_eq!(normal.scaled(f64::NAN), normal);
    assert_eq!(normal.scaled(0.1).thin_line_width, 1, "lines never vanish");
}

#[test]
fn reported_months_are_solid_the_reforecast_dashed_and_the_plan_beside_them() {
    let (scenario, projection) = preset("licheng-2019-may");
    let data = ChartData::build(&scenario, &projection, None, 0, Lang::Zh);
    assert_eq!(data.reported, 5, "January to May are reported");
    let plan = data.plan_npl_ratio.as_ref().expect("the plan's path");
    assert_eq!(plan.len(), 12);
    // The plan differs from the reported months (they are illustrative, not the plan's).
    assert_ne!(plan[..5], data.npl_ratio[..5]);
    let all = render_all("licheng-may", &data);
    for chart in [Chart::NplRatio, Chart::Balances] {
        let svg = svg_of(&all, chart);
        for word in ["实际", "重新预测", "原计划"] {
            assert!(svg.contains(word), "{}: legend lacks {word}", chart.id());
        }
        assert!(count(svg, "polyline", "stroke", role::PLAN) > 1, "{}: the plan is dotted", chart.id());
    }
    // The NPL ratio: one solid run over the reported months, then dashes to December.
    let svg = svg_of(&all, Chart::NplRatio);
    assert!(count(svg, "polyline", "stroke", role::CURRENT) > 3, "dashed re-forecast");

    // Without actuals there is no plan line and the legend names the scenario as before.
    let (scenario, projection) = preset(AGGREGATE);
    let data = ChartData::build(&scenario, &projection, None, 0, Lang::Zh);
    assert_eq!((data.reported, data.plan_npl_ratio.is_none()), (0, true));
    let svg = render("licheng-bare", Chart::NplRatio, &data, &Style::normal(), (WIDTH, HEIGHT));
    assert_eq!(count(&svg, "polyline", "stroke", role::PLAN), 0);
    assert!(!svg.contains("重新预测"));
}

#[test]
fn an_assessment_of_the_year_drives_the_ranking() {
    let preset = presets::get("yangjiang-2016-2018").expect("preset");
    let mut doc: serde_json::Value = serde_json::from_str(preset.json).expect("json");
    doc["assessment"] = serde_json::json!({"year": 2016, "level": "institution", "criteria": [
        {"metric": "npl_change", "better": "lower", "weight": "60"},
        {"metric": "loan_growth", "better": "higher", "weight": "40"}]});
    let scenario = parse_scenario(&doc.to_string()).expect("valid");
    let projection = simulate(&scenario).expect("runs");
    let scores = projection.assessment.as_ref().expect("scored");
    let data = ChartData::build(&scenario, &projection, None, 0, Lang::Zh);
    assert!(data.ranking_scored);
    assert!(data.zone_ranking.is_empty(), "only the scored level is ranked");
    let ids: Vec<&str> = data.institution_ranking.iter().map(|r| r.id.as_str()).collect();
    let expected: Vec<&str> = scores.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, expected, "in the assessment's order, highest total first");
    let top: f64 = scores.entries[0].total.to_string().parse().unwrap();
    assert_eq!(data.institution_ranking[0].value, top);
    let svg = render("yangjiang-scored", Chart::Ranking, &data, &Style::normal(), (WIDTH, HEIGHT));
    assert!(svg.contains("考核得分排名") && svg.contains("考核总分"), "{svg}");

    // Another year than the assessment's: the NPL-change ranking as before.
    let later = ChartData::build(&scenario, &projection, None, 1, Lang::Zh);
    assert!(!later.ranking_scored);
    assert!(later.title(Chart::Ranking).contains("不良贷款余额变化排名"));
}

/// A deposit or loan target's label never lies across the other target's line, however
/// close the two levels are drawn (Licheng's 525 and 532 in presentation, where the type is
/// large): where a label does not fit between them, the lower one is written under its line.
#[test]
fn close_deposit_and_loan_target_labels_stay_clear_of_the_other_line() {
    let (scenario, projection) = preset(AGGREGATE);
    let data = ChartData::build(&scenario, &projection, Some(&projection), 0, Lang::En);
    // The label's top and bottom, `height` tall: the SVG backend writes a top-anchored text
    // with `dy="0.76em"` at its top, and a bottom-anchored one with `dy="-0.5ex"` at its
    // baseline (its `font-size` is the canvas's divided by 1.24, so the style's is used).
    let label_box = |svg: &str, prefix: &str, height: f64| -> (f64, f64) {
        let element = svg
            .split("<text")
            .find(|element| {
                element.split_once('>').is_some_and(|(_, text)| text.trim_start().starts_with(prefix))
            })
            .unwrap_or_else(|| panic!("no label `{prefix}` in {svg}"));
        let attribute = |name: &str| -> &str {
            element.split(&format!(" {name}=\"")).nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("")
        };
        let y: f64 = attribute("y").parse().unwrap_or_else(|_| panic!("no y in {element}"));
        if attribute("dy") == "0.76em" { (y, y + height) } else { (y - height, y) }
    };
    // The target lines' heights: horizontal dashes in the target colour, five or more at
    // one height (the legend's swatch has three).
    let target_lines = |svg: &str| -> Vec<f64> {
        let mut dashes = std::collections::HashMap::<i64, usize>::new();
        let needle = format!("stroke=\"{}\"", hex(role::TARGET));
        for element in svg.split("<polyline").filter(|element| element.contains(&needle)) {
            let points =
                element.split("points=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
            let ys: Vec<&str> =
                points.split_whitespace().filter_map(|point| point.split(',').nth(1)).collect();
            if let [first, rest @ ..] = ys.as_slice()
                && rest.iter().all(|y| y == first)
                && let Ok(y) = first.parse::<i64>()
            {
                *dashes.entry(y).or_default() += 1;
            }
        }
        let mut heights: Vec<f64> =
            dashes.into_iter().filter(|&(_, n)| n >= 5).map(|(y, _)| y as f64).collect();
        heights.sort_by(f64::total_cmp);
        heights
    };
    let sizes = [(Style::normal(), (WIDTH, HEIGHT)), (Style::large(), (800, 450))];
    let presentation = [300, 330, 360, 390].map(|height| (Style::large(), (500, height)));
    for (style, size) in sizes.into_iter().chain(presentation) {
        let svg = render("close-targets", Chart::Balances, &data, &style, size);
        let lines = target_lines(&svg);
        assert_eq!(lines.len(), 2, "two target lines at {size:?}: {lines:?}");
        for prefix in ["Deposits ≥", "Loans ≥"] {
            let (top, bottom) = label_box(&svg, prefix, style.value_size);
            let crossed: Vec<f64> =
                lines.iter().copied().filter(|&y| top + 1.0 < y && y < bottom - 1.0).collect();
            assert!(
                crossed.is_empty(),
                "at {size:?} `{prefix}` ({top}…{bottom}) lies across the line at {crossed:?}"
            );
        }
    }
}

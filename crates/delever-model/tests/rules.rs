//! Hand-computed tables for the rules of MODEL.md that no step table reaches: targets, limits, later years, the AMC, leverage, Monte Carlo and goal seek.
//!
//! Every expected value is derived here from MODEL.md's text, with the arithmetic in the
//! comments; none is copied from the engine's output. Most scenarios put a year's whole
//! disposal plan in January (`"pacing": {"weights": [1, 0, …]}`), so that every amount is
//! exact and a comparison can be `==`.

mod common;

use common::{d, scenario};
use delever_model::analysis::nearest_rank;
use delever_model::output::Series;
use delever_model::rng::SplitMix64;
use delever_model::scenario::PerYear;
use delever_model::{
    Lever, MonteCarloOptions, Problem, Projection, goal_seek, monte_carlo, parse_scenario_value, simulate,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Pacing that disposes of the whole year's plan in January.
fn january() -> Value {
    json!({"weights": ["1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]})
}

/// A plain scenario: no growth, no formation, write-offs only, January pacing, no provisioning
/// floors, no capital. One institution `a`: deposits 100, loans 1000, NPL 50, provisions 0.
fn plain(years: u32, amount: &str) -> Value {
    json!({
        "schema": 1, "name": "rules", "start": "2018-12", "years": years,
        "defaults": {
            "deposit_growth": "0", "loan_growth": "0", "loan_growth_basis": "lending",
            "npl_formation_rate": "0",
            "disposal": {"plan": "amount", "amount": amount},
            "channels": {"write_off": "1"},
            "pacing": january(),
            "recovery": {"transfer": "0", "securitization": "0", "debt_equity": "0", "foreclosure": "0"},
            "provisioning": {"coverage_floor": null, "allowance_floor": null},
            "capital": {"pre_provision_return": "0", "retention": "1"}
        },
        "institutions": [institution("a", "100", "1000", "50")],
        "amc": null, "events": [], "targets": []
    })
}

fn institution(id: &str, deposits: &str, loans: &str, npl: &str) -> Value {
    json!({"id": id, "name": id, "kind": "rural", "zone": null,
           "opening": {"deposits": deposits, "loans": loans, "npl": npl, "provisions": "0",
                       "tier1_capital": null, "leverage_exposure": null}})
}

#[track_caller]
fn run(doc: &Value) -> Projection {
    simulate(&scenario(doc)).expect("the scenario runs")
}

#[track_caller]
fn member<'p>(projection: &'p Projection, id: &str) -> &'p Series {
    &projection.institutions.iter().find(|(i, _)| i == id).unwrap_or_else(|| panic!("no institution {id}")).1
}

fn target(id: &str, metric: &str, op: &str, value: &str, scope: &str) -> Value {
    json!({"id": id, "metric": metric, "op": op, "value": value, "year": 2019, "scope": scope})
}

/// One target of the table: id, scope, op, value, whether met, the margin (`None`: null).
type Row = (&'static str, &'static str, &'static str, &'static str, bool, Option<&'static str>);

/// The target rule (section 2): `actual` rounded half-even to 8 places is compared; the
/// margin is `actual − value` for `ge`, `value − actual` for `le`, from the unrounded actual;
/// a null actual never meets and has no margin.
#[test]
fn targets_compare_at_eight_places_half_even_with_signed_margins() {
    // No disposal and no formation: every year-end NPL is its opening, exactly.
    // `a`: 1.000000005, 5 in the 9th place after an even 8th digit (0): half-even rounds it down
    // to 1.00000000 (half-up would give 1.00000001). `b`: 1.000000015, after an odd 8th digit (1):
    // rounds up to 1.00000002 (truncation would give 1.00000001). `e`: no loans, so its NPL
    // ratio and its coverage are null.
    let mut doc = plain(1, "0");
    doc["institutions"] = json!([
        institution("a", "100", "1000", "1.000000005"),
        institution("b", "100", "1000", "1.000000015"),
        institution("e", "0", "0", "0"),
    ]);
    // (target, scope, op, value, met, margin); margins from the unrounded actual.
    let table: [Row; 12] = [
        // a: 1.00000000 ≤ 1, met; margin 1 − 1.000000005 = −0.000000005 (met, yet negative).
        ("a_le_1", "a", "le", "1", true, Some("-0.000000005")),
        // a: 1.00000000 ≥ 1, met; margin 1.000000005 − 1 = 0.000000005.
        ("a_ge_1", "a", "ge", "1", true, Some("0.000000005")),
        // a: 1.00000000 ≥ 1.00000001 fails; margin 1.000000005 − 1.00000001 = −0.000000005.
        ("a_ge_1.00000001", "a", "ge", "1.00000001", false, Some("-0.000000005")),
        // a: 1.00000000 ≤ 1.00000001, met; margin 1.00000001 − 1.000000005 = 0.000000005.
        ("a_le_1.00000001", "a", "le", "1.00000001", true, Some("0.000000005")),
        // b: 1.00000002 ≥ 1.00000002, met; margin 1.000000015 − 1.00000002 = −0.000000005.
        ("b_ge_1.00000002", "b", "ge", "1.00000002", true, Some("-0.000000005")),
        // b: 1.00000002 ≤ 1.00000001 fails; margin 1.00000001 − 1.000000015 = −0.000000005.
        ("b_le_1.00000001", "b", "le", "1.00000001", false, Some("-0.000000005")),
        // b: 1.00000002 ≤ 1.00000002, met; margin 1.00000002 − 1.000000015 = 0.000000005.
        ("b_le_1.00000002", "b", "le", "1.00000002", true, Some("0.000000005")),
        // b: 1.00000002 ≥ 1.00000003 fails; margin 1.000000015 − 1.00000003 = −0.000000015.
        ("b_ge_1.00000003", "b", "ge", "1.00000003", false, Some("-0.000000015")),
        // Region: 1.000000005 + 1.000000015 = 2.00000002, already 8 places: ≥ 2.00000002 met, margin 0.
        ("region_ge", "region", "ge", "2.00000002", true, Some("0")),
        // Region: 2.00000002 ≤ 2.00000001 fails; margin −0.00000001.
        ("region_le", "region", "le", "2.00000001", false, Some("-0.00000001")),
        // e: loans 0, so npl_ratio is null; a null actual never meets, whatever the op.
        ("e_ratio_le", "e", "le", "1", false, None),
        ("e_ratio_ge", "e", "ge", "0", false, None),
    ];
    let targets: Vec<Value> = table
        .iter()
        .map(|(id, scope, op, value, ..)| {
            let metric = if id.starts_with("e_") { "npl_ratio" } else { "npl" };
            target(id, metric, op, value, scope)
        })
        .collect();
    doc["targets"] = Value::Array(targets);
    let projection = run(&doc);
    assert_eq!(projection.targets.len(), table.len());
    for (result, (id, _, _, _, met, margin)) in projection.targets.iter().zip(table) {
        assert_eq!(result.target.id, id);
        assert_eq!(result.met, met, "{id}: met");
        assert_eq!(result.margin, margin.map(d), "{id}: margin");
        assert_eq!(result.actual.is_none(), margin.is_none(), "{id}: a null margin only with a null actual");
    }
}

/// Section 2's own example: a plan of exactly 10 spread evenly over twelve months meets
/// "≥ 10", although each month's `10 × 1/12` is not exact in decimal.
#[test]
fn an_evenly_spread_plan_meets_its_own_total() {
    let mut doc = plain(1, "10");
    doc["defaults"]["pacing"] = json!("even");
    doc["targets"] = json!([target("disposal", "disposal", "ge", "10", "region")]);
    let projection = run(&doc);
    // w = 1/12 = 0.0833333333333333333333333333 (28 places, rounded down); each month disposes of
    // 10 × w = 0.833333333333333333333333333, and twelve of them sum to
    // 9.999999999999999999999999996: 10.00000000 at 8 places, so met, with margin −4e-27.
    let result = &projection.targets[0];
    assert_eq!(result.actual, Some(d("9.999999999999999999999999996")));
    assert!(result.met);
    assert_eq!(result.margin, Some(d("-0.000000000000000000000000004")));
}

/// Section 2: 1 to 500 institutions.
#[test]
fn five_hundred_institutions_are_the_limit() {
    let with = |count: usize| {
        let mut doc = plain(1, "0");
        doc["institutions"] =
            Value::Array((0..count).map(|i| institution(&format!("i{i}"), "1", "2", "1")).collect());
        doc
    };
    let five_hundred = run(&with(500));
    // 500 × NPL 1 and no disposal: the region holds 500.
    assert_eq!(five_hundred.region.year_ends[0].npl, d("500"));
    for (count, got) in [(501, 501), (0, 0)] {
        let issues = parse_scenario_value(&with(count)).expect_err("refused");
        assert_eq!(issues.len(), 1, "{count}");
        assert_eq!(issues[0].path, "institutions");
        assert_eq!(issues[0].problem, Problem::Count { got, min: 1, max: 500 });
    }
}

/// Section 2, region-level amounts: the region's plan is shared every year in proportion to
/// the NPL at the start of *that* year, among the institutions without their own disposal.
#[test]
fn the_regions_plan_is_shared_by_each_years_opening_npl() {
    let mut doc = plain(2, "0");
    doc["defaults"]["disposal"] = json!({"plan": "amount", "amount": ["8", "10"]});
    doc["institutions"] = json!([
        institution("a", "100", "1000", "30"),
        institution("b", "100", "1000", "10"),
        institution("own", "100", "1000", "40"),
    ]);
    // `own` sets its own plan of 1 a year and takes no part in the sharing.
    doc["institutions"][2]["drivers"] = json!({"disposal": {"plan": "amount", "amount": "1"}});
    // A default of 16 at `b` in June 2019 (a named borrower's default: an event).
    doc["events"] = json!([{"month": "2019-06", "institution": "b", "amount": "16"}]);
    let projection = run(&doc);
    let plans =
        |id: &str| member(&projection, id).year_ends.iter().map(|y| y.disposal_plan).collect::<Vec<_>>();
    let npl = |id: &str| member(&projection, id).year_ends.iter().map(|y| y.npl).collect::<Vec<_>>();
    // 2019: NPL at the start 30 and 10 (own excluded): a 8 × 30/40 = 6, b 8 × 10/40 = 2,
    // disposed of in January. Year-end: a 30 − 6 = 24; b 10 − 2 + 16 = 24.
    // 2020: NPL at the start 24 and 24: a 10 × 24/48 = 5, b 5. Year-end: a 19, b 19.
    // (Year 1's shares again would give 7.5 and 2.5.)
    assert_eq!(plans("a"), [d("6"), d("5")]);
    assert_eq!(plans("b"), [d("2"), d("5")]);
    assert_eq!(npl("a"), [d("24"), d("19")]);
    assert_eq!(npl("b"), [d("24"), d("19")]);
    // own: its own 1 a year: 40 → 39 → 38. The region's plan is the sum: 8 + 1, 10 + 1.
    assert_eq!(plans("own"), [d("1"), d("1")]);
    assert_eq!(npl("own"), [d("39"), d("38")]);
    let region: Vec<Decimal> = projection.region.year_ends.iter().map(|y| y.disposal_plan).collect();
    assert_eq!(region, [d("9"), d("11")]);
}

/// Section 2, region-level amounts: when every sharing institution has zero NPL at the start
/// of a later year, that year's plan is shared by loans, and with zero loans too, equally.
#[test]
fn a_later_years_plan_falls_back_to_loans_then_to_equal_shares() {
    let mut doc = plain(3, "0");
    // 2019: 40 (= all the NPL: 30 + 10); 2020: 6; 2021: 6.
    doc["defaults"]["disposal"] = json!({"plan": "amount", "amount": ["40", "6", "6"]});
    doc["institutions"] = json!([institution("a", "100", "300", "30"), institution("b", "100", "100", "10")]);
    let projection = run(&doc);
    let plans =
        |id: &str| member(&projection, id).year_ends.iter().map(|y| y.disposal_plan).collect::<Vec<_>>();
    // 2019 by NPL: a 40 × 30/40 = 30, b 10; everything is written off, so 2020 opens with no NPL.
    // 2020 by loans at the start of 2020: a 300 − 30 = 270, b 100 − 10 = 90: a 6 × 270/360 = 4.5,
    // b 1.5 (nothing is left to dispose of: the plans fall short). 2021 the same: loans unchanged.
    assert_eq!(plans("a"), [d("30"), d("4.5"), d("4.5")]);
    assert_eq!(plans("b"), [d("10"), d("1.5"), d("1.5")]);
    assert_eq!(member(&projection, "a").year_ends[1].disposal_shortfall, d("4.5"));
}

/// Section 2, per-year drivers: a field given as an array uses its `y`-th value in year `y`,
/// for growth, formation, the amount plan and the rate plan alike.
#[test]
fn per_year_arrays_apply_in_every_year() {
    let mut doc = plain(3, "0");
    let defaults = &mut doc["defaults"];
    defaults["deposit_growth"] = json!(["0", "0.12", "0.24"]);
    defaults["loan_growth"] = json!(["0.12", "0", "0.24"]);
    defaults["npl_formation_rate"] = json!(["0", "0", "0.12"]);
    defaults["disposal"] = json!({"plan": "amount", "amount": ["1.2", "2.4", "3.6"]});
    doc["institutions"] = json!([institution("a", "100", "1000", "50"), institution("r", "10", "200", "20")]);
    doc["institutions"][1]["drivers"] = json!({"disposal": {"plan": "rate", "rate": ["0", "0.5", "0.1"]}});
    let projection = run(&doc);
    let a = &member(&projection, "a").monthly;
    // a, the only institution sharing the region's plan, takes all of it: 1.2, 2.4, 3.6, in January.
    // Deposits (step 1): 2019 g 0: 100. 2020 g 0.12: Dec 100 × 1.12 = 112. 2021 g 0.24 from 112:
    // Jan 112 × (1 + 0.24 × 1/12) = 114.24; Dec 112 × 1.24 = 138.88.
    // Lending (step 8): 2019 0.12 × 1000 / 12 = 10 a month: P 950 → 1070, N 50 − 1.2 = 48.8,
    // L 1118.8. 2020 growth 0: P 1070, N 48.8 − 2.4 = 46.4, L 1116.4.
    // 2021, January: NL 0.24 × 1116.4 / 12 = 22.328; F 0.12 × 1070 / 12 = 10.7;
    // N 46.4 + 10.7 − 3.6 = 53.5; P 1070 + 22.328 − 10.7 = 1081.628.
    let table: [(&str, Decimal, &str); 14] = [
        ("deposits Dec 2019", a[11].deposits, "100"),
        ("deposits Dec 2020", a[23].deposits, "112"),
        ("deposits Jan 2021", a[24].deposits, "114.24"),
        ("deposits Dec 2021", a[35].deposits, "138.88"),
        ("loans Dec 2019", a[11].loans, "1118.8"),
        ("loans Dec 2020", a[23].loans, "1116.4"),
        ("formation Dec 2020", a[23].formation, "0"),
        ("new lending Dec 2020", a[23].new_lending, "0"),
        ("disposal Jan 2020", a[12].disposal, "2.4"),
        ("new lending Jan 2021", a[24].new_lending, "22.328"),
        ("formation Jan 2021", a[24].formation, "10.7"),
        ("disposal Jan 2021", a[24].disposal, "3.6"),
        ("npl Jan 2021", a[24].npl, "53.5"),
        ("performing Jan 2021", a[24].performing, "1081.628"),
    ];
    for (name, got, want) in table {
        assert_eq!(got, d(want), "{name}");
    }
    // r's rate plan A_y = r_y × (N_y0 + f_y × P_y0 + Ev_y): 2019 0 × … = 0; 2020 0.5 × (20 + 0) = 10
    // (P: 180 + 2 a month in 2019 = 204); 2021 0.1 × (10 + 0.12 × 204) = 0.1 × 34.48 = 3.448.
    let r: Vec<Decimal> = member(&projection, "r").year_ends.iter().map(|y| y.disposal_plan).collect();
    assert_eq!(r, [d("0"), d("10"), d("3.448")]);
}

/// Section 2 and step 13: the AMC never disposes of more than it holds in a month.
#[test]
fn the_amc_never_disposes_of_more_than_it_holds() {
    let mut doc = plain(1, "0");
    // S0 = 1, no inflow, α = 1, 100% in H1: each of months 1–6 plans 1 × 1/6, and 1/6 rounds
    // *up* at the 28th place (0.1666666666666666666666666667). After five months
    // S = 1 − 5 × 0.1666666666666666666666666667 = 0.1666666666666666666666666665, less than
    // June's 0.1666666666666666666666666667: June takes what is left, and S stays at 0.
    doc["defaults"]["pacing"] = json!({"h1_share": "1"});
    doc["amc"] = json!({"name": "amc", "opening_stock": "1", "inflow_share": "0", "disposal_rate": "1"});
    let projection = run(&doc);
    let stock: Vec<Option<Decimal>> = projection.region.monthly.iter().map(|m| m.amc_stock).collect();
    assert_eq!(stock[4], Some(d("0.1666666666666666666666666665")));
    assert_eq!(stock[5..], [Some(Decimal::ZERO); 7], "June empties the AMC and it stays empty");
    let year = &projection.region.year_ends[0];
    // The year's disposal is everything it had, 1, which is α × S_y0: share 1.
    assert_eq!(year.amc_disposal, Some(d("1")));
    assert_eq!(year.amc_disposal_share, Some(d("1")));
}

/// Step 13: each year's AMC plan is `α × S_y0` with `S_y0` that year's opening stock, not S0.
#[test]
fn the_amc_plans_each_year_from_that_years_opening_stock() {
    let mut doc = plain(2, "20");
    doc["defaults"]["channels"] = json!({"transfer": "1"});
    doc["amc"] =
        json!({"name": "amc", "opening_stock": "100", "inflow_share": "0.5", "disposal_rate": "0.5"});
    let projection = run(&doc);
    // The bank transfers its 20 in January each year (NPL 50 → 30 → 10): inflow 0.5 × 20 = 10.
    // 2019: S_y0 = 100; January out = min(0.5 × 100 × 1, 100 + 10) = 50: S = 60, then no flows.
    // 2020: S_y0 = 60; January out = min(0.5 × 60, 60 + 10) = 30: S = 40. (From S0: 50, S = 20.)
    let years: Vec<(Option<Decimal>, Option<Decimal>, Option<Decimal>)> = projection
        .region
        .year_ends
        .iter()
        .map(|y| (y.amc_stock, y.amc_disposal, y.amc_disposal_share))
        .collect();
    assert_eq!(
        years,
        [(Some(d("60")), Some(d("50")), Some(d("0.5"))), (Some(d("40")), Some(d("30")), Some(d("0.5")))]
    );
    assert_eq!(projection.region.monthly[0].amc_stock, Some(d("60")));
    assert_eq!(projection.region.monthly[12].amc_stock, Some(d("40")));
}

/// Step 12 and section 4: the leverage ratio `K / E` is null where `E ≤ 0`, for an institution
/// and for a sum (`Σ K / Σ E`), while the capital itself is still reported.
#[test]
fn the_leverage_ratio_is_null_where_exposure_is_not_positive() {
    let mut doc = plain(1, "0");
    doc["defaults"]["channels"] = json!({"collection": "1"});
    // Each: K0 = 5, E0 = 10, loans 1000, NPL 50; collections lose nothing, so R stays 0, and
    // π = 0, so K stays 5. E = E0 + (L − L0) − (R − R0) = 10 − (January's collection).
    let cases = [("neg", "20", None), ("zero", "10", None), ("pos", "5", Some("1"))];
    let mut institutions = Vec::new();
    for (id, amount, _) in cases {
        let mut inst = institution(id, "100", "1000", "50");
        inst["opening"]["tier1_capital"] = json!("5");
        inst["opening"]["leverage_exposure"] = json!("10");
        inst["drivers"] = json!({"disposal": {"plan": "amount", "amount": amount}});
        inst["zone"] = json!(if id == "neg" { "z_neg" } else { "z_rest" });
        institutions.push(inst);
    }
    doc["institutions"] = Value::Array(institutions);
    let projection = run(&doc);
    // neg: E = 10 − 20 = −10, null; zero: E = 10 − 10 = 0, null; pos: E = 10 − 5 = 5, 5 / 5 = 1.
    for (id, _, ratio) in cases {
        let series = member(&projection, id);
        assert_eq!(series.monthly[0].tier1_capital, Some(d("5")), "{id}");
        assert_eq!(series.monthly[0].leverage_ratio(), ratio.map(d), "{id} in January");
        assert_eq!(series.year_ends[0].leverage_ratio, ratio.map(d), "{id} at the year-end");
        assert_eq!(series.year_ends[0].tier1_capital, Some(d("5")), "{id}");
    }
    // Region: Σ K = 15, Σ E = −10 + 0 + 5 = −5: null. Zone z_rest: 10 / (0 + 5) = 2; z_neg: null.
    assert_eq!(projection.region.year_ends[0].tier1_capital, Some(d("15")));
    assert_eq!(projection.region.year_ends[0].leverage_ratio, None);
    let zone = |name: &str| &projection.zones.iter().find(|(z, _)| z == name).unwrap().1.year_ends[0];
    assert_eq!(zone("z_rest").leverage_ratio, Some(d("2")));
    assert_eq!(zone("z_neg").leverage_ratio, None);
}

/// Two institutions with different formation rates (0.12 and 0.06) over two years, and a
/// target that some paths miss; the base of both Monte Carlo tables below.
fn two_by_two() -> Value {
    let mut doc = plain(2, "0");
    doc["defaults"]["npl_formation_rate"] = json!("0.12");
    doc["institutions"] =
        json!([institution("a", "100", "1000", "50"), institution("b", "100", "400", "10")]);
    doc["institutions"][1]["drivers"] = json!({"npl_formation_rate": ["0.06", "0.09"]});
    doc["targets"] = json!([target("cap", "npl", "le", "330", "region")]);
    doc
}

/// Section 5, Monte Carlo, by hand: for each path, year, then institution (file order), draw
/// `z`, set that institution's formation rate for that year to `f_y × max(0, 1 + cv × z)`, and
/// run the ordinary simulation. Returns each path's run. (A drawn rate may exceed the file's
/// range 0 … 1: the analysis sets it on the scenario, not through the file, and so does this.)
fn paths_by_hand(
    doc: &Value,
    paths: usize,
    seed: u64,
    cv: Decimal,
) -> Vec<Result<Projection, delever_model::SimError>> {
    let base = scenario(doc);
    let years = usize::try_from(base.years).unwrap();
    let mut stream = SplitMix64::new(seed);
    (0..paths)
        .map(|_| {
            let mut path = base.clone();
            let mut rates = vec![Vec::new(); base.institutions.len()];
            for y in 0..years {
                for (i, inst) in base.institutions.iter().enumerate() {
                    let f = inst
                        .drivers
                        .npl_formation_rate
                        .as_ref()
                        .unwrap_or(&base.defaults.npl_formation_rate)
                        .get(y);
                    let factor = (Decimal::ONE + cv * stream.next_z()).max(Decimal::ZERO);
                    rates[i].push(f * factor);
                }
            }
            for (inst, rates) in path.institutions.iter_mut().zip(rates) {
                inst.drivers.npl_formation_rate = Some(PerYear::ByYear(rates));
            }
            simulate(&path)
        })
        .collect()
}

/// The p5 … p95 of `values` by nearest rank: the q-th is `sorted[ceil(q·n) − 1]`.
fn bands(mut values: Vec<Decimal>) -> [Option<Decimal>; 5] {
    values.sort();
    [5, 25, 50, 75, 95].map(|q| nearest_rank(&values, q))
}

/// Section 5: draws are taken path by path, then year, then institution; the percentiles and
/// the targets' shares are those of the paths so built.
#[test]
fn monte_carlo_draws_path_then_year_then_institution() {
    let doc = two_by_two();
    let cv = d("0.5");
    let options = MonteCarloOptions { paths: 5, seed: 2019, cv, metrics: vec!["npl".into(), "loans".into()] };
    let mc = monte_carlo(&scenario(&doc), &options).unwrap();
    let runs: Vec<Projection> = paths_by_hand(&doc, 5, 2019, cv).into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(mc.failed, 0);
    for (metric, got) in &mc.percentiles {
        assert_eq!(got.len(), 24, "{metric}");
        for (m, band) in got.iter().enumerate() {
            let values = runs.iter().map(|p| p.region.monthly[m].get(metric).unwrap()).collect();
            assert_eq!(band.values, bands(values), "{metric} month {m}");
        }
    }
    let met = runs.iter().filter(|p| p.targets[0].met).count();
    assert_eq!(mc.targets, vec![("cap".to_string(), Decimal::from(met) / Decimal::from(5))]);
    // The paths differ (a draw order that gave every path the same rates would not).
    let december: Vec<Decimal> = runs.iter().map(|p| p.region.monthly[23].npl).collect();
    assert!(december.windows(2).any(|w| w[0] != w[1]), "{december:?}");
}

/// Section 5: a path that stops with an error meets no target and is left out of the
/// percentiles, which rank the `n` paths that ran.
#[test]
fn monte_carlo_leaves_failed_paths_out_of_the_percentiles() {
    let mut doc = two_by_two();
    // Lending shrinks by 90% a year and formation eats performing loans: on a path drawing a
    // high rate in 2020, performing loans turn negative (MODEL.md: the run stops with an error).
    doc["defaults"]["loan_growth"] = json!(["0", "-0.5"]);
    doc["defaults"]["npl_formation_rate"] = json!("0.5");
    doc["institutions"][1]["drivers"] = json!({"npl_formation_rate": "0.5"});
    doc["targets"] = json!([target("any", "npl", "ge", "0", "region")]);
    let cv = d("1");
    let runs = paths_by_hand(&doc, 12, 7, cv);
    let ran: Vec<&Projection> = runs.iter().filter_map(|r| r.as_ref().ok()).collect();
    let failed = runs.len() - ran.len();
    assert!(failed > 0 && !ran.is_empty(), "the table needs both: {failed} of 12 failed");
    let options = MonteCarloOptions { paths: 12, seed: 7, cv, metrics: vec!["npl".into()] };
    let mc = monte_carlo(&scenario(&doc), &options).unwrap();
    assert_eq!(mc.failed, failed);
    // "npl ≥ 0" holds on every path that ran; a failed path meets nothing.
    assert_eq!(mc.targets[0].1, Decimal::from(ran.len()) / Decimal::from(12));
    let got = &mc.percentiles[0].1;
    for (m, band) in got.iter().enumerate() {
        let values = ran.iter().map(|p| p.region.monthly[m].npl).collect();
        assert_eq!(
            band.values,
            bands(values),
            "month {m}: the percentiles of the {} paths that ran",
            ran.len()
        );
    }
}

/// Section 5, goal seek: a target need not be monotone in the lever, and then the feasible
/// values can be more than one interval.
#[test]
fn goal_seek_reports_every_feasible_interval() {
    // One institution, NPL 12, no formation, two years, the plan D disposed of each January.
    // 2019: N 12 → max(12 − D, 0). 2020: → max(12 − 2D, 0). npl_change in 2020 is
    // N_2020 − N_2019: −D for D ≤ 6, −(12 − D) for 6 ≤ D ≤ 12, 0 beyond: a V with its point
    // at D = 6. "npl_change ≥ −3 in 2020" holds for D ≤ 3 and for D ≥ 9.
    // The lever's range: 0 … 2 × (opening NPL 12 + formation 0) = 24.
    let mut doc = plain(2, "0");
    doc["institutions"] = json!([institution("a", "100", "100", "12")]);
    doc["targets"] = json!([{"id": "calm", "metric": "npl_change", "op": "ge", "value": "-3", "year": 2020, "scope": "region"}]);
    let seek = goal_seek(&scenario(&doc), Lever::Disposal, &[]).unwrap();
    assert_eq!((seek.from, seek.to), (d("0"), d("24")));
    // Two intervals, [0, 3] and [9, 24], each end found to within 1e-6 of the width (24e-6),
    // on its met side.
    assert_eq!(seek.intervals.len(), 2, "{:?}", seek.intervals);
    let width = d("0.000024");
    let [(a_from, a_to), (b_from, b_to)] = [seek.intervals[0], seek.intervals[1]];
    assert_eq!(a_from, d("0"));
    assert!(a_to <= d("3") && d("3") - a_to <= width, "first interval ends at {a_to}");
    assert!(b_from >= d("9") && b_from - d("9") <= width, "second interval starts at {b_from}");
    assert_eq!(b_to, d("24"));
}

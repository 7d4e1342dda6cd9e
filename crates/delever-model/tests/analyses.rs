//! Tests of the analyses (MODEL.md section 5) on scenarios whose answers are known by hand.

mod common;

use common::{base, d, scenario, set};
use delever_model::analysis::{nearest_rank, with_write_off};
use delever_model::rng::SplitMix64;
use delever_model::{
    Error, Lever, MonteCarloOptions, feasibility, goal_seek, monte_carlo, sensitivity, simulate,
};
use rust_decimal::Decimal;
use serde_json::json;

#[test]
fn splitmix64_matches_the_reference_stream() {
    // Vigna's splitmix64.c seeded with 1234567.
    let mut rng = SplitMix64::new(1_234_567);
    let expected: [u64; 5] = [
        6457827717110365317,
        3203168211198807973,
        9817491932198370423,
        4593380528125082431,
        16408922859458223821,
    ];
    for want in expected {
        assert_eq!(rng.next_u64(), want);
    }
}

#[test]
fn z_is_the_exact_sum_of_twelve_uniforms_minus_six() {
    let mut bits = SplitMix64::new(7);
    let mut draws = SplitMix64::new(7);
    let two_24 = Decimal::from(1u64 << 24);
    let by_hand: Decimal =
        (0..12).map(|_| Decimal::from(bits.next_u64() >> 40) / two_24).sum::<Decimal>() - Decimal::from(6);
    assert_eq!(draws.next_z(), by_hand);
}

#[test]
fn nearest_rank_percentiles() {
    let sorted: Vec<Decimal> = (1..=1000).map(Decimal::from).collect();
    let cases = [(5, 50), (25, 250), (50, 500), (75, 750), (95, 950)];
    for (q, want) in cases {
        assert_eq!(nearest_rank(&sorted, q), Some(Decimal::from(want)), "p{q}");
    }
    let ten: Vec<Decimal> = (1..=10).map(Decimal::from).collect();
    assert_eq!(nearest_rank(&ten, 25), Some(Decimal::from(3)), "ceil(2.5) = 3rd value");
    assert_eq!(nearest_rank(&ten[..1], 95), Some(Decimal::ONE));
    assert_eq!(nearest_rank(&[], 50), None);
}

#[test]
fn write_off_share_rescales_the_other_channels() {
    let shares = |v: [&str; 7]| v.map(d);
    let check = |from: [&str; 7], value: &str, want: [&str; 7]| {
        let got = with_write_off(shares(from), d(value));
        assert_eq!(got, shares(want));
        assert_eq!(got.iter().copied().sum::<Decimal>(), Decimal::ONE);
    };
    check(["0.25", "0.5", "0.25", "0", "0", "0", "0"], "0.8", ["0.1", "0.8", "0.1", "0", "0", "0", "0"]);
    check(["0", "1", "0", "0", "0", "0", "0"], "0.3", ["0.7", "0.3", "0", "0", "0", "0", "0"]);
    check(["0.2", "0.5", "0.3", "0", "0", "0", "0"], "0", ["0.4", "0", "0.6", "0", "0", "0", "0"]);
    // Thirds do not divide exactly: the largest other channel absorbs the last digit.
    let got = with_write_off(shares(["0.3", "0.1", "0.3", "0.3", "0", "0", "0"]), d("0.5"));
    assert_eq!(got.iter().copied().sum::<Decimal>(), Decimal::ONE);
}

/// Base scenario without formation: year-end NPL = 12 − disposal (until NPL runs out).
fn no_formation() -> serde_json::Value {
    let mut doc = base();
    set(&mut doc, "/defaults/npl_formation_rate", json!("0"));
    set(
        &mut doc,
        "/targets",
        json!([
            {"id": "npl_cap", "metric": "npl", "op": "le", "value": "5", "year": 2019, "scope": "region"}
        ]),
    );
    doc
}

#[test]
fn goal_seek_finds_the_least_disposal() {
    let s = scenario(&no_formation());
    let g = goal_seek(&s, Lever::Disposal, &[]).unwrap();
    // Range 0 … 2 × (12 + 0); NPL ≤ 5 needs disposal ≥ 7; more is always fine.
    assert_eq!((g.from, g.to), (d("0"), d("24")));
    assert_eq!(g.intervals.len(), 1);
    let (low, high) = g.intervals[0];
    assert!(low >= d("7") && low - d("7") <= d("24") * d("0.000001"), "low {low}");
    assert_eq!(high, d("24"));
    // The reported boundary itself meets the target.
    let mut at = s.clone();
    Lever::Disposal.apply(&mut at, low);
    assert!(simulate(&at).unwrap().targets[0].met);
}

#[test]
fn goal_seek_reports_no_interval_when_nothing_meets() {
    let mut doc = no_formation();
    set(&mut doc, "/targets/0/value", json!("-1"));
    let g = goal_seek(&scenario(&doc), Lever::WriteOffShare, &[]).unwrap();
    assert!(g.intervals.is_empty());
    assert_eq!(g.to_json()["intervals"], json!([]));
}

#[test]
fn goal_seek_rejects_unknown_targets_and_empty_target_lists() {
    let s = scenario(&no_formation());
    let err = goal_seek(&s, Lever::Disposal, &["nope".to_string()]).unwrap_err();
    assert!(matches!(err, Error::Analysis(_)));
    assert!(err.message(delever_model::Lang::En).contains("npl_cap"), "lists the known targets");
    let err = goal_seek(&scenario(&base()), Lever::Disposal, &[]).unwrap_err();
    assert!(err.message(delever_model::Lang::Zh).contains("没有目标"));
}

#[test]
fn sensitivity_moves_each_lever_twenty_percent_and_sorts_by_swing() {
    let s = scenario(&no_formation());
    let t = sensitivity(&s, Some("npl"), None).unwrap();
    assert_eq!((t.metric.as_str(), t.year), ("npl", 2019));
    assert_eq!(t.bars.len(), 5);
    let swings: Vec<Decimal> = t.bars.iter().map(|b| b.swing().unwrap()).collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "{swings:?}");
    let disposal = t.bars.iter().find(|b| b.lever == Lever::Disposal).unwrap();
    assert_eq!((disposal.low, disposal.high), (d("9.6"), d("14.4")));
    // NPL = 12 − 9.6 at the low end; the high end disposes of everything.
    assert_eq!(disposal.at_low.map(|v| v.round_dp(20)), Some(d("2.4")));
    // A zero value moves by ∓0.01, clamped to the valid range.
    let formation = t.bars.iter().find(|b| b.lever == Lever::NplFormationRate).unwrap();
    assert_eq!((formation.low, formation.high), (d("0"), d("0.01")));
}

#[test]
fn feasibility_grid_spans_both_ranges() {
    let s = scenario(&no_formation());
    let map = feasibility(&s, Lever::Disposal, Lever::WriteOffShare, 5, None, None).unwrap();
    assert_eq!(map.x_values, ["0", "6", "12", "18", "24"].map(d));
    assert_eq!(map.y_values, ["0", "0.25", "0.5", "0.75", "1"].map(d));
    assert_eq!(map.cells.len(), 5);
    assert!(map.cells.iter().all(|row| row.len() == 5));
    // cells[j][i]: disposal 0 or 6 leaves NPL above 5; 12 and more meet it, whatever the write-off share.
    for row in &map.cells {
        let met: Vec<bool> = row.iter().map(|c| c.all_met).collect();
        assert_eq!(met, [false, false, true, true, true]);
    }
    assert!(matches!(
        feasibility(&s, Lever::Disposal, Lever::Disposal, 5, None, None),
        Err(Error::Analysis(_))
    ));
    assert!(matches!(
        feasibility(&s, Lever::Disposal, Lever::LoanGrowth, 1, None, None),
        Err(Error::Analysis(_))
    ));
}

#[test]
fn monte_carlo_is_reproducible_and_centred() {
    let mut doc = base();
    set(
        &mut doc,
        "/targets",
        json!([
            {"id": "npl_cap", "metric": "npl", "op": "le", "value": "150", "year": 2019, "scope": "region"}
        ]),
    );
    let s = scenario(&doc);
    let options = MonteCarloOptions { paths: 200, seed: 9, ..MonteCarloOptions::default() };
    let a = monte_carlo(&s, &options).unwrap();
    let b = monte_carlo(&s, &options).unwrap();
    assert_eq!(a, b, "same seed, same answer");
    let other = monte_carlo(&s, &MonteCarloOptions { seed: 10, ..options.clone() }).unwrap();
    assert_ne!(a.percentiles, other.percentiles);
    let bands = &a.percentiles.iter().find(|(m, _)| m == "npl").unwrap().1;
    assert_eq!(bands.len(), 12);
    for band in bands {
        let v: Vec<Decimal> = band.values.iter().map(|x| x.unwrap()).collect();
        assert!(v.windows(2).all(|w| w[0] <= w[1]), "{band:?}");
    }
    // With no spread every path is the base projection.
    let flat = monte_carlo(&s, &MonteCarloOptions { cv: Decimal::ZERO, paths: 3, ..options }).unwrap();
    let base_npl = simulate(&s).unwrap().region.monthly[11].npl;
    let last = &flat.percentiles.iter().find(|(m, _)| m == "npl").unwrap().1[11];
    assert!(last.values.iter().all(|v| *v == Some(base_npl)));
    assert_eq!(flat.targets, vec![("npl_cap".to_string(), Decimal::ONE)]);
}

#[test]
fn monte_carlo_counts_failed_paths_as_meeting_nothing() {
    // Formation near 100% with a 50% contraction turns performing loans negative in year 2 on some paths.
    let mut doc = base();
    set(&mut doc, "/years", json!(2));
    set(&mut doc, "/defaults/loan_growth", json!("-0.5"));
    set(&mut doc, "/defaults/npl_formation_rate", json!("0.6"));
    set(&mut doc, "/defaults/disposal/amount", json!("0"));
    set(
        &mut doc,
        "/targets",
        json!([
            {"id": "any", "metric": "npl", "op": "ge", "value": "0", "year": 2019, "scope": "region"}
        ]),
    );
    let s = scenario(&doc);
    let mc = monte_carlo(&s, &MonteCarloOptions { paths: 100, cv: d("1"), ..MonteCarloOptions::default() })
        .unwrap();
    assert!(mc.failed > 0 && mc.failed < 100, "failed {}", mc.failed);
    let expected = Decimal::from(100 - mc.failed) / Decimal::from(100);
    assert_eq!(mc.targets[0].1, expected);
}

#[test]
fn analyses_validate_their_options() {
    let s = scenario(&no_formation());
    assert!(sensitivity(&s, Some("disposal_by_channel"), None).is_err());
    assert!(sensitivity(&s, None, Some(2030)).is_err());
    let bad_paths = MonteCarloOptions { paths: 0, ..MonteCarloOptions::default() };
    assert!(monte_carlo(&s, &bad_paths).is_err());
    let bad_metric = MonteCarloOptions { metrics: vec!["nope".into()], ..MonteCarloOptions::default() };
    assert!(monte_carlo(&s, &bad_metric).is_err());
}

#[test]
fn analyses_refuse_work_that_would_look_like_a_hang() {
    // 500 institutions × 120 months × 1000 paths = 60 million institution-months: the limit.
    let big = delever_model::presets::synthetic(500, 10).unwrap();
    let defaults = MonteCarloOptions::default();
    assert!(
        delever_model::analysis::MonteCarloPart::new(&big, &defaults, 0..0).is_ok(),
        "1000 paths are allowed"
    );
    let err = monte_carlo(&big, &MonteCarloOptions { paths: 1001, ..defaults }).unwrap_err();
    assert!(err.message(delever_model::Lang::En).contains("institution-months"), "{err}");
    assert!(feasibility(&big, Lever::Disposal, Lever::LoanGrowth, 41, None, None).is_err());
}

#[test]
fn synthetic_scenarios_are_valid_for_every_size() {
    for (n, years) in [(1, 1), (50, 5), (500, 10)] {
        let s = delever_model::presets::synthetic(n, years).unwrap();
        assert_eq!((s.institutions.len(), s.years), (n, years));
    }
}

/// Three institutions, two of them in zone `z1`, with a zone-scope NPL cap (v2).
fn zoned() -> delever_model::Scenario {
    let mut doc = base();
    let a = doc["institutions"][0].clone();
    let mut b = a.clone();
    b["id"] = json!("b");
    b["opening"]["npl"] = json!("20");
    let mut c = a.clone();
    c["id"] = json!("c");
    c["zone"] = json!("z2");
    set(&mut doc, "/institutions", json!([a, b, c]));
    set(
        &mut doc,
        "/targets",
        json!([{"id": "z1_npl", "metric": "npl", "op": "le", "value": "60", "year": 2019, "scope": "zone:z1"}]),
    );
    scenario(&doc)
}

#[test]
fn a_zone_target_reads_the_zone_and_the_analyses_read_it_the_same_way() {
    let s = zoned();
    let p = simulate(&s).unwrap();
    let zone = &p.zones.iter().find(|(z, _)| z == "z1").expect("zone z1").1;
    let member = |id: &str| p.institutions.iter().find(|(i, _)| i == id).unwrap().1.year_ends[0].npl;
    assert_eq!(zone.year_ends[0].npl, member("a") + member("b"), "the zone is its members summed");
    assert_eq!(p.targets[0].actual, Some(zone.year_ends[0].npl));
    assert_eq!(p.targets[0].target.scope.name(), "zone:z1");
    // Every cell of a map, and both sides of goal seek's boundary, agree with simulate.
    let map = feasibility(&s, Lever::Disposal, Lever::WriteOffShare, 5, None, None).unwrap();
    for (j, row) in map.cells.iter().enumerate() {
        for (i, cell) in row.iter().enumerate() {
            let mut at = s.clone();
            Lever::Disposal.apply(&mut at, map.x_values[i]);
            Lever::WriteOffShare.apply(&mut at, map.y_values[j]);
            let met = simulate(&at).map(|p| p.targets.iter().all(|t| t.met)).unwrap_or(false);
            assert_eq!(cell.all_met, met, "cell ({i}, {j})");
        }
    }
    let seek = goal_seek(&s, Lever::Disposal, &[]).unwrap();
    let (low, _) = *seek.intervals.first().expect("a feasible interval");
    assert!(low > Decimal::ZERO, "the cap binds: {low}");
    let mut at = s.clone();
    Lever::Disposal.apply(&mut at, low);
    assert!(simulate(&at).unwrap().targets[0].met);
}

/// Every cell of a map and every point of a scan is the scenario with its levers set, not
/// the last cell's scenario moved on: a write-off share of 100% (no other channel left) must
/// not send the rest of later cells to collection.
#[test]
fn each_map_cell_and_scan_point_starts_from_the_scenario() {
    let s = delever_model::parse_scenario(delever_model::presets::get("licheng-2019").unwrap().json).unwrap();
    let map =
        feasibility(&s, Lever::WriteOffShare, Lever::Disposal, 5, Some("cash_recovered"), None).unwrap();
    assert_eq!(map.x_values.last(), Some(&Decimal::ONE), "the scan reaches a 100% write-off share");
    for (j, row) in map.cells.iter().enumerate() {
        for (i, cell) in row.iter().enumerate() {
            let mut fresh = s.clone();
            Lever::Disposal.apply(&mut fresh, map.y_values[j]);
            Lever::WriteOffShare.apply(&mut fresh, map.x_values[i]);
            let expected = simulate(&fresh).unwrap().region.year_ends[0].get("cash_recovered");
            assert_eq!(cell.value, expected, "row {j}, column {i}");
        }
    }
    // Goal seek scans up to 100% and then bisects below it: the answer is the fresh scenario's.
    let seek = goal_seek(&s, Lever::WriteOffShare, &[]).unwrap();
    assert!(!seek.intervals.is_empty());
    for &(from, to) in &seek.intervals {
        for end in [from, to] {
            let mut fresh = s.clone();
            Lever::WriteOffShare.apply(&mut fresh, end);
            let p = simulate(&fresh).unwrap();
            assert!(
                p.targets.iter().all(|t| t.met),
                "{end}: {:?}",
                p.targets.iter().filter(|t| !t.met).map(|t| &t.target.id).collect::<Vec<_>>()
            );
        }
    }
}

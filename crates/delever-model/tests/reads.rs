//! The analyses read only what they need from each run; what they read must equal the projection's numbers.

mod common;

use common::d;
use delever_model::engine::Plan;
use delever_model::{
    Lever, MonteCarloOptions, Scenario, feasibility, metrics, monte_carlo, parse_scenario, presets,
    sensitivity, simulate,
};

fn every_scenario() -> Vec<Scenario> {
    let mut all: Vec<Scenario> =
        presets::all().iter().map(|p| parse_scenario(p.json).expect("valid preset")).collect();
    all.push(presets::synthetic(7, 2).expect("valid"));
    all
}

#[test]
fn a_tornado_base_is_the_projection_for_every_metric_and_year() {
    for s in every_scenario() {
        let projection = simulate(&s).unwrap();
        for year in s.first_year()..=s.last_year() {
            let year_end = projection.region.year(year).unwrap();
            for metric in metrics::YEAR_END_SCALARS {
                let t = sensitivity(&s, Some(metric), Some(year)).unwrap();
                assert_eq!(t.base, year_end.get(metric), "{} {metric} {year}", s.name);
            }
        }
    }
}

#[test]
fn monte_carlo_without_spread_reads_the_projection_every_month() {
    for s in every_scenario() {
        let projection = simulate(&s).unwrap();
        let options = MonteCarloOptions {
            paths: 2,
            cv: d("0"),
            metrics: metrics::MONTHLY.iter().map(|m| m.to_string()).collect(),
            ..MonteCarloOptions::default()
        };
        let mc = monte_carlo(&s, &options).unwrap();
        for (metric, bands) in &mc.percentiles {
            for (band, month) in bands.iter().zip(&projection.region.monthly) {
                let want = month.get(metric);
                assert!(band.values.iter().all(|v| *v == want), "{} {metric} {}", s.name, band.month);
            }
        }
        for ((id, probability), result) in mc.targets.iter().zip(&projection.targets) {
            assert_eq!(id, &result.target.id);
            assert_eq!(*probability, if result.met { d("1") } else { d("0") }, "{} {id}", s.name);
        }
    }
}

#[test]
fn map_cells_are_the_projections_of_their_scenarios() {
    for s in every_scenario() {
        let (x, y) = (Lever::WriteOffShare, Lever::LoanGrowth);
        let map = feasibility(&s, x, y, 3, Some("coverage"), None).unwrap();
        // Each cell is the scenario with its two levers set (the write-off share from the
        // scenario's own mix, whatever the cell before it was).
        for (row, &yv) in map.cells.iter().zip(&map.y_values) {
            for (cell, &xv) in row.iter().zip(&map.x_values) {
                let mut trial = s.clone();
                y.apply(&mut trial, yv);
                x.apply(&mut trial, xv);
                let p = simulate(&trial).unwrap();
                assert_eq!(cell.value, p.region.year(s.last_year()).unwrap().coverage, "{}", s.name);
                assert_eq!(cell.all_met, p.targets.iter().all(|t| t.met), "{}", s.name);
            }
        }
    }
}

#[test]
fn refreshing_a_plan_after_a_lever_move_equals_compiling_anew() {
    for s in every_scenario() {
        let mut plan = Plan::compile(&s);
        let mut trial = s.clone();
        for lever in Lever::ALL {
            let (from, to) = lever.range(&s);
            for value in [from, to, (from + to) / d("3")] {
                lever.apply(&mut trial, value);
                plan.refresh_drivers(&trial);
                assert_eq!(plan, Plan::compile(&trial), "{} {} {value}", s.name, lever.name());
            }
        }
    }
}

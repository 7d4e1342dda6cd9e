//! One lever move on the page's engine path (`Simulator`, region months only), for instruction counts.
//!
//! `cargo run --release --example page_move -- 500 10` runs one warm-up move, then the measured
//! move inside `measured_move` (so `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect=*measured_move*` counts that move alone).

use delever_model::output::Detail;
use delever_model::scenario::PerYear;
use delever_model::{Scenario, Simulator, presets};
use rust_decimal::Decimal;

/// The measured move: one `Simulator::simulate` at the page's detail (never inlined, so callgrind can toggle on it).
#[inline(never)]
fn measured_move(simulator: &mut Simulator, scenario: &Scenario) -> usize {
    let projection = simulator.simulate(scenario, Detail::RegionMonthly).expect("runs");
    projection.region.monthly.len()
}

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a number"));
    let institutions = args.next().unwrap_or(50);
    let years = u32::try_from(args.next().unwrap_or(5)).expect("years");
    let mut scenario = presets::synthetic(institutions, years).expect("valid");
    let mut simulator = Simulator::new();
    simulator.simulate(&scenario, Detail::RegionMonthly).expect("runs");
    scenario.defaults.loan_growth = PerYear::Same(Decimal::new(7, 2));
    let months = measured_move(&mut simulator, &scenario);
    println!("{institutions} × {years}: {months} region months");
}

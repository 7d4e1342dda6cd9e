//! Native engine benchmark (`cargo xtask bench`): median wall time and cost per institution-month.
//!
//! Prints a table; asserts nothing. Numbers from a shared, noisy machine: compare within one run.

use std::time::{Duration, Instant};

use delever_model::{
    Lever, MonteCarloOptions, Scenario, feasibility, monte_carlo, parse_scenario, presets, simulate,
};

/// Runs `f` `runs` times (after one warm-up) and returns the median duration.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn institution_months(s: &Scenario) -> usize {
    s.institutions.len() * s.months()
}

fn row(case: &str, runs: usize, time: Duration, inst_months: usize) {
    let ms = time.as_secs_f64() * 1e3;
    let per = time.as_secs_f64() * 1e9 / inst_months as f64;
    println!("| {case:<44} | {runs:>4} | {ms:>10.3} | {inst_months:>12} | {per:>10.1} |");
}

fn main() {
    let licheng = parse_scenario(presets::get("licheng-2019").expect("preset").json).expect("valid");
    let mut licheng5 = licheng.clone();
    licheng5.years = 5;
    let big = presets::synthetic(50, 5).expect("synthetic scenario is valid");

    println!("Native engine, release build (median of N runs; ns per institution-month)");
    println!();
    println!(
        "| {:<44} | {:>4} | {:>10} | {:>12} | {:>10} |",
        "case", "runs", "median ms", "inst-months", "ns/inst-mo"
    );
    println!("|{:-<46}|{:->6}|{:->12}|{:->14}|{:->12}|", "", "", "", "", "");

    let t = median(2001, || {
        std::hint::black_box(simulate(&licheng).expect("runs"));
    });
    row("simulate: Licheng 2019 (1 inst × 12 mo)", 2001, t, institution_months(&licheng));

    let t = median(51, || {
        std::hint::black_box(simulate(&big).expect("runs"));
    });
    row("simulate: 50 institutions × 5 years", 51, t, institution_months(&big));

    let options = MonteCarloOptions::default();
    let t = median(21, || {
        std::hint::black_box(monte_carlo(&licheng, &options).expect("runs"));
    });
    row("monte carlo: 1000 paths, Licheng 1 year", 21, t, institution_months(&licheng) * 1000);

    let t = median(5, || {
        std::hint::black_box(monte_carlo(&licheng5, &options).expect("runs"));
    });
    row("monte carlo: 1000 paths × 5 years (Licheng)", 5, t, institution_months(&licheng5) * 1000);

    let t = median(5, || {
        std::hint::black_box(
            feasibility(&licheng, Lever::Disposal, Lever::WriteOffShare, 41, None, None).expect("runs"),
        );
    });
    row("feasibility: 41 × 41, Licheng", 5, t, institution_months(&licheng) * 41 * 41);
}

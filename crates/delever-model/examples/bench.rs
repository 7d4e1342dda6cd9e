//! Native engine benchmark (`cargo xtask bench`): median wall time of each case and its cost per institution-month.
//!
//! Prints a table; asserts nothing. Numbers from a shared, noisy machine: compare within one run.
//! `cargo xtask bench -- WORD` runs only the cases whose name contains WORD (for profiling);
//! `--repeat N` multiplies the repetitions.

use std::time::{Duration, Instant};

use delever_model::engine::{Needs, Plan, Run};
use delever_model::{
    Lever, MonteCarloOptions, Projection, Scenario, feasibility, goal_seek, monte_carlo, parse_scenario,
    presets, sensitivity, simulate,
};

/// Runs `f` `runs` times (after one warm-up) and returns the median and the fastest duration.
fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[0])
}

fn institution_months(s: &Scenario) -> usize {
    s.institutions.len() * s.months()
}

struct Bench {
    filter: Vec<String>,
    repeat: usize,
}

impl Bench {
    /// Times `f` (median of `runs` × repeat) if `case` passes the filter, and prints its row.
    fn case(&self, case: &str, runs: usize, inst_months: usize, f: impl FnMut()) {
        if !self.filter.is_empty() && !self.filter.iter().any(|w| case.contains(w.as_str())) {
            return;
        }
        let runs = runs * self.repeat;
        let (median, fastest) = time(runs, f);
        let ms = median.as_secs_f64() * 1e3;
        let min = fastest.as_secs_f64() * 1e3;
        let per = median.as_secs_f64() * 1e9 / inst_months as f64;
        println!("| {case:<50} | {runs:>5} | {ms:>10.3} | {min:>10.3} | {inst_months:>12} | {per:>10.1} |");
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut bench = Bench { filter: Vec::new(), repeat: 1 };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--repeat" => bench.repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1).max(1),
            word => bench.filter.push(word.to_string()),
        }
    }
    // The "Licheng (1 institution)": the plan's region as one aggregate institution.
    let licheng = parse_scenario(presets::LICHENG_AGGREGATE).expect("valid");
    let licheng_banks = parse_scenario(presets::get("licheng-2019").expect("preset").json).expect("valid");
    let mut licheng5 = licheng.clone();
    licheng5.years = 5;
    let big = presets::synthetic(50, 5).expect("synthetic scenario is valid");
    let huge = presets::synthetic(500, 10).expect("synthetic scenario is valid");
    let huge_text = huge.to_json().to_string();

    println!(
        "Native engine, release build (median and fastest of N runs; ns per institution-month at the median)"
    );
    println!("On a busy machine the fastest run is the better estimate of the work itself.");
    println!();
    println!(
        "| {:<50} | {:>5} | {:>10} | {:>10} | {:>12} | {:>10} |",
        "case", "runs", "median ms", "min ms", "inst-months", "ns/inst-mo"
    );
    println!("|{:-<52}|{:->7}|{:->12}|{:->12}|{:->14}|{:->12}|", "", "", "", "", "", "");

    bench.case(
        "simulate: Licheng 2019 aggregate (1 inst × 12 mo)",
        2001,
        institution_months(&licheng),
        || {
            std::hint::black_box(simulate(&licheng).expect("runs"));
        },
    );
    bench.case(
        "simulate: Licheng 2019 preset (8 banks × 12 mo)",
        2001,
        institution_months(&licheng_banks),
        || {
            std::hint::black_box(simulate(&licheng_banks).expect("runs"));
        },
    );
    bench.case("simulate: 50 institutions × 5 years", 51, institution_months(&big), || {
        std::hint::black_box(simulate(&big).expect("runs"));
    });
    bench.case("simulate: 500 institutions × 10 years", 5, institution_months(&huge), || {
        std::hint::black_box(simulate(&huge).expect("runs"));
    });
    let huge_plan = Plan::compile(&huge);
    let mut huge_run = Run::new(&huge_plan);
    // Run once here so the build rows sum a real run even when a filter skips the execute rows.
    huge_run.execute(&huge_plan).expect("runs");
    bench.case("  of which Run::execute (500 × 10)", 5, institution_months(&huge), || {
        huge_run.execute(&huge_plan).expect("runs");
        std::hint::black_box(&huge_run);
    });
    bench.case("  of which Projection::build (500 × 10)", 5, institution_months(&huge), || {
        std::hint::black_box(Projection::build(&huge, &huge_plan, &huge_run).expect("builds"));
    });
    bench.case(
        "  of which Projection::build_with, region months only (500 × 10)",
        5,
        institution_months(&huge),
        || {
            std::hint::black_box(
                Projection::build_with(
                    &huge,
                    &huge_plan,
                    &huge_run,
                    delever_model::output::Detail::RegionMonthly,
                )
                .expect("builds"),
            );
        },
    );
    // The monthly step alone: its cost per institution-month is the last column.
    for (label, needs) in [("every quantity", Needs::ALL), ("loan book only, Needs::CORE", Needs::CORE)] {
        bench.case(
            &format!("step: Run::execute_with, {label} (500 × 10)"),
            5,
            institution_months(&huge),
            || {
                huge_run.execute_with(&huge_plan, needs).expect("runs");
                std::hint::black_box(&huge_run);
            },
        );
    }
    bench.case(
        "parse_scenario: 500 × 10 (the page validates every change)",
        5,
        institution_months(&huge),
        || {
            std::hint::black_box(parse_scenario(&huge_text).expect("valid"));
        },
    );
    bench.case("Scenario::to_json + to_string: 500 × 10", 5, institution_months(&huge), || {
        std::hint::black_box(huge.to_json().to_string());
    });
    // The page's path: one Simulator across lever moves, the members' months not built.
    for (label, scenario) in [("50 × 5", &big), ("500 × 10", &huge)] {
        let mut simulator = delever_model::Simulator::new();
        let mut moved = scenario.clone();
        let mut step = 0i64;
        bench.case(
            &format!("page path: Simulator, region months only ({label})"),
            if scenario.institutions.len() > 100 { 5 } else { 51 },
            institution_months(scenario),
            || {
                step = (step + 1) % 10;
                moved.defaults.loan_growth =
                    delever_model::scenario::PerYear::Same(rust_decimal::Decimal::new(5 + step, 2));
                std::hint::black_box(
                    simulator.simulate(&moved, delever_model::output::Detail::RegionMonthly).expect("runs"),
                );
            },
        );
    }
    let plan = Plan::compile(&big);
    let mut run = Run::new(&plan);
    run.execute(&plan).expect("runs");
    bench.case("  of which Plan::compile (50 × 5)", 201, institution_months(&big), || {
        std::hint::black_box(Plan::compile(&big));
    });
    bench.case("  of which Run::execute (50 × 5)", 51, institution_months(&big), || {
        run.execute(&plan).expect("runs");
        std::hint::black_box(&run);
    });
    bench.case("  of which Projection::build (50 × 5)", 51, institution_months(&big), || {
        std::hint::black_box(Projection::build(&big, &plan, &run).expect("builds"));
    });

    let options = MonteCarloOptions::default();
    bench.case("monte carlo: 1000 paths, Licheng 1 year", 21, institution_months(&licheng) * 1000, || {
        std::hint::black_box(monte_carlo(&licheng, &options).expect("runs"));
    });
    bench.case(
        "monte carlo: 1000 paths × 5 years (Licheng)",
        5,
        institution_months(&licheng5) * 1000,
        || {
            std::hint::black_box(monte_carlo(&licheng5, &options).expect("runs"));
        },
    );
    // The same runs in parts on every thread, as the command line's --threads does (the
    // answer identical to the one-thread run's, which the jobs tests hold).
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let parallel = |s: &delever_model::Scenario, options: &MonteCarloOptions| {
        use delever_model::analysis::{MonteCarloPart, monte_carlo_merge, split_range};
        let parts: Vec<MonteCarloPart> = std::thread::scope(|scope| {
            let handles: Vec<_> = split_range(options.paths, threads)
                .into_iter()
                .map(|range| {
                    scope.spawn(move || {
                        let mut part = MonteCarloPart::new(s, options, range).expect("valid");
                        while !part.run(64) {}
                        part
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("a part")).collect()
        });
        monte_carlo_merge(parts).expect("a cover")
    };
    bench.case(
        &format!("monte carlo: 1000 paths, Licheng 1 year, {threads} threads"),
        21,
        institution_months(&licheng) * 1000,
        || {
            std::hint::black_box(parallel(&licheng, &options));
        },
    );
    bench.case(
        &format!("monte carlo: 1000 paths × 5 years (Licheng), {threads} threads"),
        5,
        institution_months(&licheng5) * 1000,
        || {
            std::hint::black_box(parallel(&licheng5, &options));
        },
    );
    let huge = delever_model::presets::synthetic(500, 10).expect("valid");
    let fifty = MonteCarloOptions { paths: 50, ..MonteCarloOptions::default() };
    bench.case(
        &format!("monte carlo: 50 paths, 500 institutions × 10 years, {threads} threads"),
        1,
        institution_months(&huge) * 50,
        || {
            std::hint::black_box(parallel(&huge, &fifty));
        },
    );
    let hundred = MonteCarloOptions { paths: 100, ..MonteCarloOptions::default() };
    bench.case(
        "monte carlo: 100 paths, 50 institutions × 5 years",
        3,
        institution_months(&big) * 100,
        || {
            std::hint::black_box(monte_carlo(&big, &hundred).expect("runs"));
        },
    );
    bench.case("feasibility: 41 × 41, Licheng", 5, institution_months(&licheng) * 41 * 41, || {
        std::hint::black_box(
            feasibility(&licheng, Lever::Disposal, Lever::WriteOffShare, 41, None, None).expect("runs"),
        );
    });
    bench.case("feasibility: 41 × 41, Licheng 5 years", 3, institution_months(&licheng5) * 41 * 41, || {
        std::hint::black_box(
            feasibility(&licheng5, Lever::Disposal, Lever::WriteOffShare, 41, None, None).expect("runs"),
        );
    });
    // A goal seek of every lever: 5 × (101 scan points + bisections).
    bench.case("goal seek: every lever, Licheng", 11, institution_months(&licheng) * 5 * 129, || {
        for lever in Lever::ALL {
            std::hint::black_box(goal_seek(&licheng, lever, &[]).expect("runs"));
        }
    });
    bench.case("sensitivity: 50 institutions × 5 years", 11, institution_months(&big) * 11, || {
        std::hint::black_box(sensitivity(&big, None, None).expect("runs"));
    });
}

//! Stepwise analyses ([`Job`]): any slicing gives exactly the free functions' results, with honest progress.

mod common;

use common::{base, d, scenario, set};
use delever_model::analysis::{Analysis, Job};
use delever_model::{
    Error, Lever, MonteCarloOptions, Scenario, feasibility, goal_seek, monte_carlo, parse_scenario, presets,
    sensitivity,
};
use serde_json::json;

/// The Licheng plan as one aggregate institution: the slicing cases were written for it.
fn licheng() -> Scenario {
    parse_scenario(presets::LICHENG_AGGREGATE).expect("valid preset")
}

/// Steps `make()` to the end with `max_runs` per step, checking progress after every step.
#[track_caller]
fn step_through(make: &dyn Fn() -> Job, max_runs: usize) -> Result<Analysis, Error> {
    let mut job = make();
    let (mut last_done, mut steps) = (0, 0usize);
    assert_eq!(job.progress().0, 0, "nothing runs before the first step");
    loop {
        steps += 1;
        let before = job.progress().0;
        let outcome = job.step(max_runs);
        let (done, total) = job.progress();
        assert!(done >= last_done, "done went back from {last_done} to {done}");
        assert!(done <= total, "done {done} exceeds total {total}");
        assert!(done - before <= max_runs.max(1), "ran {} with max_runs {max_runs}", done - before);
        last_done = done;
        match outcome {
            Ok(None) => {
                assert!(!job.is_finished());
                assert!(done < total, "unfinished job at its total: {done}/{total}");
            }
            Ok(Some(result)) => {
                assert_eq!(done, total, "a finished job has run its total");
                assert!(job.is_finished());
                // A finished job answers the same again, running nothing.
                assert_eq!(job.step(max_runs).unwrap(), Some(result.clone()));
                assert_eq!(job.progress(), (done, total));
                if max_runs == 1 {
                    assert_eq!(steps, done, "one run per step");
                }
                return Ok(result);
            }
            Err(err) => {
                assert_eq!(job.step(max_runs).unwrap_err(), err, "a failed job fails the same again");
                return Err(err);
            }
        }
    }
}

#[track_caller]
fn check_slicings(make: &dyn Fn() -> Job, whole: Analysis) {
    for max_runs in [1, 7, usize::MAX] {
        let sliced = step_through(make, max_runs).expect("the job succeeds");
        assert_eq!(sliced, whole, "max_runs {max_runs}");
        assert_eq!(sliced.to_json(), whole.to_json());
    }
}

#[test]
fn goal_seek_jobs_match_the_free_function_for_every_lever() {
    let s = licheng();
    for lever in Lever::ALL {
        let whole = Analysis::GoalSeek(goal_seek(&s, lever, &[]).unwrap());
        check_slicings(&|| Job::goal_seek(&s, lever, &[]).unwrap(), whole);
    }
    let one = vec!["npl_cap".to_string()];
    let whole = Analysis::GoalSeek(goal_seek(&s, Lever::WriteOffShare, &one).unwrap());
    check_slicings(&|| Job::goal_seek(&s, Lever::WriteOffShare, &one).unwrap(), whole);
}

#[test]
fn goal_seek_progress_estimate_is_exact_for_one_interval() {
    // Licheng's disposal lever: one interval, two boundaries, each bisected in full.
    let s = licheng();
    let mut job = Job::goal_seek(&s, Lever::Disposal, &[]).unwrap();
    let (_, first_total) = job.progress();
    while job.step(1).unwrap().is_none() {}
    assert_eq!(job.progress().1, first_total);
}

#[test]
fn sensitivity_jobs_match_the_free_function() {
    let s = licheng();
    for (metric, year) in [(None, None), (Some("npl"), Some(2019)), (Some("amc_disposal_share"), None)] {
        let whole = Analysis::Sensitivity(sensitivity(&s, metric, year).unwrap());
        check_slicings(&|| Job::sensitivity(&s, metric, year).unwrap(), whole);
    }
}

#[test]
fn feasibility_jobs_match_the_free_function() {
    let s = licheng();
    for (x, y, steps) in [
        (Lever::Disposal, Lever::WriteOffShare, 5),
        (Lever::WriteOffShare, Lever::LoanGrowth, 9),
        (Lever::NplFormationRate, Lever::DepositGrowth, 2),
    ] {
        let whole = Analysis::Feasibility(feasibility(&s, x, y, steps, None, None).unwrap());
        check_slicings(&|| Job::feasibility(&s, x, y, steps, None, None).unwrap(), whole);
    }
}

#[test]
fn monte_carlo_jobs_match_the_free_function() {
    let s = licheng();
    for options in [
        MonteCarloOptions { paths: 60, ..MonteCarloOptions::default() },
        MonteCarloOptions {
            paths: 13,
            seed: 3,
            cv: d("2"),
            metrics: vec!["coverage".into(), "amc_stock".into()],
        },
    ] {
        let whole = Analysis::MonteCarlo(monte_carlo(&s, &options).unwrap());
        check_slicings(&|| Job::monte_carlo(&s, &options).unwrap(), whole);
    }
}

#[test]
fn constructors_refuse_what_the_free_functions_refuse() {
    let s = licheng();
    let unknown = vec!["nope".to_string()];
    assert_eq!(
        Job::goal_seek(&s, Lever::Disposal, &unknown).unwrap_err(),
        goal_seek(&s, Lever::Disposal, &unknown).unwrap_err()
    );
    assert_eq!(
        Job::sensitivity(&s, Some("nope"), None).unwrap_err(),
        sensitivity(&s, Some("nope"), None).unwrap_err()
    );
    assert_eq!(
        Job::sensitivity(&s, None, Some(2030)).unwrap_err(),
        sensitivity(&s, None, Some(2030)).unwrap_err()
    );
    for (x, y, steps) in [(Lever::Disposal, Lever::Disposal, 5), (Lever::Disposal, Lever::LoanGrowth, 1)] {
        assert_eq!(
            Job::feasibility(&s, x, y, steps, None, None).unwrap_err(),
            feasibility(&s, x, y, steps, None, None).unwrap_err()
        );
    }
    for options in [
        MonteCarloOptions { paths: 0, ..MonteCarloOptions::default() },
        MonteCarloOptions { cv: d("-0.1"), ..MonteCarloOptions::default() },
        MonteCarloOptions { metrics: vec!["nope".into()], ..MonteCarloOptions::default() },
    ] {
        assert_eq!(Job::monte_carlo(&s, &options).unwrap_err(), monte_carlo(&s, &options).unwrap_err());
    }
    // Past the work limit (1000 paths of 500 × 10 is the most).
    let big = presets::synthetic(500, 10).unwrap();
    let too_many = MonteCarloOptions { paths: 1001, ..MonteCarloOptions::default() };
    assert_eq!(Job::monte_carlo(&big, &too_many).unwrap_err(), monte_carlo(&big, &too_many).unwrap_err());
}

#[test]
fn an_infeasible_base_fails_the_first_step_of_a_sensitivity() {
    // Formation near 100% with a 50% contraction turns performing loans negative.
    let mut doc = base();
    set(&mut doc, "/years", json!(2));
    set(&mut doc, "/defaults/loan_growth", json!("-0.5"));
    set(&mut doc, "/defaults/npl_formation_rate", json!("1"));
    set(&mut doc, "/defaults/disposal/amount", json!("0"));
    let s = scenario(&doc);
    let whole = sensitivity(&s, None, None).unwrap_err();
    assert!(matches!(whole, Error::Analysis(delever_model::error::AnalysisProblem::BaseInfeasible(_))));
    let mut job = Job::sensitivity(&s, None, None).expect("options are fine; the run fails later");
    assert_eq!(job.step(1).unwrap_err(), whole);
    assert_eq!(step_through(&|| Job::sensitivity(&s, None, None).unwrap(), 7).unwrap_err(), whole);
}

#[test]
fn a_job_owns_its_scenario() {
    let mut s = licheng();
    let mut job =
        Job::monte_carlo(&s, &MonteCarloOptions { paths: 5, ..MonteCarloOptions::default() }).unwrap();
    let whole = monte_carlo(&s, &MonteCarloOptions { paths: 5, ..MonteCarloOptions::default() }).unwrap();
    s.targets.clear();
    s.institutions[0].opening.npl = d("100");
    let mut result = None;
    while result.is_none() {
        result = job.step(2).unwrap();
    }
    assert_eq!(result, Some(Analysis::MonteCarlo(whole)));
}

/// A Monte Carlo run in parts (as the command line spreads it over threads) is the one run,
/// digit for digit: every split of the paths, several institutions and years, failed paths.
#[test]
fn monte_carlo_parts_merge_to_the_whole_run() {
    use delever_model::analysis::{MonteCarloPart, monte_carlo_merge, split_range};
    let yangjiang = parse_scenario(presets::get("yangjiang-2016-2018").expect("preset").json).expect("valid");
    let may = parse_scenario(presets::get("licheng-2019-may").expect("preset").json).expect("valid");
    // Formation near 100% with a 50% contraction: some paths stop (a negative stock) in year 2.
    let mut failing = base();
    set(&mut failing, "/years", json!(2));
    set(&mut failing, "/defaults/loan_growth", json!("-0.5"));
    set(&mut failing, "/defaults/npl_formation_rate", json!("0.6"));
    set(&mut failing, "/defaults/disposal/amount", json!("0"));
    let failing = scenario(&failing);
    for (name, s, paths, cv) in [
        ("licheng", licheng(), 37, "0.3"),
        ("yangjiang", yangjiang, 23, "0.5"),
        ("licheng as of may", may, 11, "0.4"),
        ("failing paths", failing, 29, "1"),
    ] {
        let options = MonteCarloOptions { paths, seed: 2026, cv: d(cv), ..MonteCarloOptions::default() };
        let whole = monte_carlo(&s, &options).unwrap().to_json();
        if name == "failing paths" {
            assert!(whole["failed_paths"].as_u64() > Some(0), "some paths fail: {}", whole["failed_paths"]);
        }
        for parts in [1, 2, 3, 7, paths, paths + 5] {
            let ranges = split_range(paths, parts);
            assert_eq!(ranges.iter().map(|r| r.len()).sum::<usize>(), paths, "{name}: {parts} parts cover");
            let run: Vec<MonteCarloPart> = ranges
                .iter()
                .map(|r| {
                    let mut part = MonteCarloPart::new(&s, &options, r.clone()).unwrap();
                    while !part.run(3) {}
                    assert_eq!(part.done(), r.len());
                    part
                })
                .collect();
            let merged = monte_carlo_merge(run).expect("a cover in order").to_json();
            assert_eq!(merged, whole, "{name}: {parts} parts");
        }
        // Parts out of order, or one missing, are not the run.
        let ranges = split_range(paths, 2);
        let make = |r: &std::ops::Range<usize>| {
            let mut part = MonteCarloPart::new(&s, &options, r.clone()).unwrap();
            while !part.run(100) {}
            part
        };
        assert!(
            monte_carlo_merge(vec![make(&ranges[1]), make(&ranges[0])]).is_none(),
            "{name}: out of order"
        );
        assert!(monte_carlo_merge(vec![make(&ranges[0])]).is_none(), "{name}: a part missing");
    }
}

/// A feasibility map in row parts (as the command line spreads it over threads) is the one
/// map, cell for cell: every split, the write-off share on either axis, several banks.
#[test]
fn feasibility_parts_merge_to_the_whole_map() {
    use delever_model::analysis::{FeasibilityPart, feasibility_merge, split_range};
    let yangjiang = parse_scenario(presets::get("yangjiang-2016-2018").expect("preset").json).expect("valid");
    for (name, s, x, y, steps) in [
        ("licheng", licheng(), Lever::WriteOffShare, Lever::Disposal, 7),
        ("licheng, write-off down the side", licheng(), Lever::LoanGrowth, Lever::WriteOffShare, 6),
        ("yangjiang", yangjiang, Lever::Disposal, Lever::NplFormationRate, 5),
    ] {
        let whole = feasibility(&s, x, y, steps, None, None).unwrap().to_json();
        for parts in [1, 2, 3, steps, steps + 4] {
            let run: Vec<FeasibilityPart> = split_range(steps, parts)
                .into_iter()
                .map(|rows| {
                    let mut part =
                        FeasibilityPart::new(&s, (x, y), steps, (None, None), rows.clone()).unwrap();
                    while !part.run(2) {}
                    assert_eq!(part.rows_done(), rows.len());
                    part
                })
                .collect();
            assert_eq!(feasibility_merge(run).expect("a cover").to_json(), whole, "{name}: {parts} parts");
        }
        let halves = split_range(steps, 2);
        let make = |rows: std::ops::Range<usize>| {
            let mut part = FeasibilityPart::new(&s, (x, y), steps, (None, None), rows).unwrap();
            while !part.run(100) {}
            part
        };
        assert!(
            feasibility_merge(vec![make(halves[1].clone()), make(halves[0].clone())]).is_none(),
            "{name}"
        );
        assert!(feasibility_merge(vec![make(halves[0].clone())]).is_none(), "{name}");
    }
}

/// A goal seek whose scan runs in parts (as the command line spreads it over threads) is the
/// one goal seek, interval for interval: every split, every lever, a case with no interval and
/// one with several banks.
#[test]
fn goal_seek_scan_parts_merge_to_the_whole_seek() {
    use delever_model::analysis::{GOAL_SEEK_POINTS, GoalSeekScanPart, goal_seek_merge, split_range};
    let may = parse_scenario(presets::get("licheng-2019-may").expect("preset").json).expect("valid");
    let banks = parse_scenario(presets::get("licheng-2019").expect("preset").json).expect("valid");
    let cases = [("licheng", licheng()), ("licheng's banks", banks), ("licheng as of may", may)];
    for (name, s) in &cases {
        for lever in Lever::ALL {
            let whole = goal_seek(s, lever, &[]).unwrap().to_json();
            for parts in [1, 2, 3, 7, GOAL_SEEK_POINTS, GOAL_SEEK_POINTS + 3] {
                let run: Vec<GoalSeekScanPart> = split_range(GOAL_SEEK_POINTS, parts)
                    .into_iter()
                    .map(|range| {
                        let mut part = GoalSeekScanPart::new(s, lever, &[], range.clone()).unwrap();
                        while !part.run(4) {}
                        assert_eq!(part.done(), range.len());
                        part
                    })
                    .collect();
                let merged = goal_seek_merge(run).expect("a cover").unwrap().to_json();
                assert_eq!(merged, whole, "{name}, {}: {parts} parts", lever.name());
            }
        }
    }
    // "As of May" is behind its first-half pace whatever one lever does: no interval, in parts too.
    assert_eq!(goal_seek(&cases[2].1, Lever::WriteOffShare, &[]).unwrap().intervals, []);
    let s = licheng();
    let halves = split_range(GOAL_SEEK_POINTS, 2);
    let make = |range: std::ops::Range<usize>| {
        let mut part = GoalSeekScanPart::new(&s, Lever::Disposal, &[], range).unwrap();
        while !part.run(1000) {}
        part
    };
    assert!(
        goal_seek_merge(vec![make(halves[1].clone()), make(halves[0].clone())]).is_none(),
        "out of order"
    );
    assert!(goal_seek_merge(vec![make(halves[0].clone())]).is_none(), "a part missing");
    assert!(goal_seek_merge(Vec::new()).is_none(), "no parts");
}

/// A tornado whose levers run in parts is the one tornado, bar for bar and in the same order;
/// a base scenario that cannot run is the same error.
#[test]
fn sensitivity_parts_merge_to_the_whole_tornado() {
    use delever_model::analysis::{SensitivityPart, sensitivity_merge, split_range};
    let banks = parse_scenario(presets::get("licheng-2019").expect("preset").json).expect("valid");
    let yangjiang = parse_scenario(presets::get("yangjiang-2016-2018").expect("preset").json).expect("valid");
    for (name, s, metric, year) in [
        ("licheng", licheng(), None, None),
        ("licheng's banks, NPL", banks, Some("npl"), None),
        ("yangjiang, 2017", yangjiang, Some("leverage_ratio"), Some(2017)),
    ] {
        let whole = sensitivity(&s, metric, year).unwrap().to_json();
        for parts in 1..=Lever::ALL.len() + 2 {
            let run: Vec<SensitivityPart> = split_range(Lever::ALL.len(), parts)
                .into_iter()
                .map(|levers| {
                    let mut part = SensitivityPart::new(&s, metric, year, levers.clone()).unwrap();
                    while !part.run(1) {}
                    let runs = 2 * levers.len() + usize::from(levers.start == 0);
                    assert_eq!(part.done(), runs, "{name}: {levers:?}");
                    part
                })
                .collect();
            assert_eq!(
                sensitivity_merge(run).expect("a cover").unwrap().to_json(),
                whole,
                "{name}: {parts} parts"
            );
        }
    }
    // The base cannot run: the whole run's error, from the part that runs the base.
    // (Licheng's one institution shrinking 50% a year with 450 of its 500 non-performing.)
    let mut broken: serde_json::Value = serde_json::from_str(presets::LICHENG_AGGREGATE).unwrap();
    set(&mut broken, "/defaults/loan_growth", json!("-0.5"));
    set(&mut broken, "/institutions/0/opening/npl", json!("450"));
    let broken = scenario(&broken);
    let whole = sensitivity(&broken, None, None).unwrap_err();
    let run: Vec<SensitivityPart> = split_range(Lever::ALL.len(), 2)
        .into_iter()
        .map(|levers| {
            let mut part = SensitivityPart::new(&broken, None, None, levers).unwrap();
            while !part.run(3) {}
            part
        })
        .collect();
    assert_eq!(sensitivity_merge(run).expect("a cover").unwrap_err(), whole);
    let s = licheng();
    let make = |levers: std::ops::Range<usize>| {
        let mut part = SensitivityPart::new(&s, None, None, levers).unwrap();
        while !part.run(100) {}
        part
    };
    assert!(sensitivity_merge(vec![make(2..5), make(0..2)]).is_none(), "out of order");
    assert!(sensitivity_merge(vec![make(0..2)]).is_none(), "a part missing");
}

/// A request cut into parts for a pool of workers, each finished part sent as bytes and the
/// bytes merged, answers exactly what the request answers in one run; bytes that are not such
/// parts are refused, never a panic.
#[test]
fn request_parts_as_bytes_merge_to_the_one_run_answer() {
    use delever_model::analysis::Request;
    use delever_model::analysis::pool::{MergeError, RequestPart, merge, split};
    let may = parse_scenario(presets::get("licheng-2019-may").expect("preset").json).expect("valid");
    let requests = [
        Request::MonteCarlo { paths: 41, seed: 9, cv: d("0.4") },
        Request::Map { x: Lever::Disposal, y: Lever::WriteOffShare, metric: "npl_ratio".into(), steps: 6 },
        Request::Map {
            x: Lever::LoanGrowth,
            y: Lever::Disposal,
            metric: "amc_disposal_share".into(),
            steps: 5,
        },
    ];
    for (name, s) in [("licheng", licheng()), ("licheng as of may", may)] {
        for request in &requests {
            let mut whole = Vec::new();
            for job in request.jobs(&s).unwrap() {
                let mut job = job;
                loop {
                    if let Some(answer) = job.step(1000).unwrap() {
                        whole.push(answer);
                        break;
                    }
                }
            }
            for workers in [1, 2, 3, 4, 16] {
                let bytes: Vec<Vec<u8>> = split(request, workers)
                    .into_iter()
                    .map(|range| {
                        let mut part = RequestPart::new(request, &s, range.clone()).unwrap().expect("splits");
                        assert!(part.result().is_none(), "not finished yet");
                        while !part.run(3) {}
                        assert_eq!(part.progress(), (range.len(), range.len()));
                        part.result().expect("finished").expect("no failure")
                    })
                    .collect();
                assert_eq!(
                    merge(request, &s, &bytes).unwrap(),
                    whole,
                    "{name} {request:?}: {workers} workers"
                );
                // Parts missing, in the wrong order, cut short, with a byte changed: refused.
                if bytes.len() > 1 {
                    let reversed: Vec<Vec<u8>> = bytes.iter().rev().cloned().collect();
                    assert_eq!(merge(request, &s, &reversed), Err(MergeError::Parts), "{name}: reversed");
                    assert_eq!(merge(request, &s, &bytes[1..]), Err(MergeError::Parts), "{name}: missing");
                }
                for cut in [0, 9, bytes[0].len() / 2, bytes[0].len() - 1] {
                    let mut short = bytes.clone();
                    short[0].truncate(cut);
                    assert_eq!(merge(request, &s, &short), Err(MergeError::Parts), "{name}: cut at {cut}");
                }
                for at in (0..bytes[0].len()).step_by(7) {
                    let mut changed = bytes.clone();
                    changed[0][at] ^= 0x5a;
                    // Any answer is fine where the change is a value (a decimal's digits), but no panic.
                    let _ = merge(request, &s, &changed);
                }
            }
        }
    }
    // The requests that run whole.
    let seek = Request::Sensitivity { metric: "npl".into(), year: None };
    assert!(split(&seek, 4).is_empty());
    assert!(RequestPart::new(&seek, &licheng(), 0..1).unwrap().is_none());
    assert_eq!(merge(&seek, &licheng(), &[]), Err(MergeError::Parts));
}

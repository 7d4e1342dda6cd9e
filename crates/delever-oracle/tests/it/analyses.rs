//! Section 5 on small cases (one institution, one year): goal seek, the tornado, the feasibility map and Monte Carlo, engine against oracle.

use delever_oracle::analysis::{self, Lever};
use delever_oracle::number::{Q, parse_decimal, show, ten_pow_neg};
use num_traits::{Signed, Zero};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_json::json;

use crate::generate;

fn q(d: rust_decimal::Decimal) -> Q {
    parse_decimal(&d.to_string()).expect("a decimal")
}

const LEVERS: [(Lever, delever_model::Lever); 5] = [
    (Lever::Disposal, delever_model::Lever::Disposal),
    (Lever::WriteOffShare, delever_model::Lever::WriteOffShare),
    (Lever::LoanGrowth, delever_model::Lever::LoanGrowth),
    (Lever::DepositGrowth, delever_model::Lever::DepositGrowth),
    (Lever::NplFormationRate, delever_model::Lever::NplFormationRate),
];

/// Goal seek and Monte Carlo on one scenario; `Ok(true)` when compared, `Ok(false)` when left out at a boundary.
fn check(seed: u64) -> Result<(u32, u32), String> {
    let shape = generate::Shape { max_institutions: 1, max_years: 1, actuals_one_in: 0 };
    let mut doc = generate::scenario(seed, shape);
    if doc["targets"].as_array().is_none_or(|t| t.is_empty()) {
        doc["targets"] = json!([{"id": "cap", "metric": "npl_ratio", "op": "le", "value": "0.02", "year": 2019, "scope": "region"}]);
    }
    let text = doc.to_string();
    let Ok(engine_s) = delever_model::parse_scenario(&text) else { return Ok((0, 0)) };
    let s = delever_oracle::read(&doc).map_err(|e| format!("{e:?}"))?;
    let tol = delever_oracle::amount_tolerance(&s);
    let (mut compared, mut boundary) = (0, 0);
    let (lever, engine_lever) = LEVERS[(seed % 5) as usize];
    let all: Vec<usize> = (0..s.targets.len()).collect();
    let mine = analysis::goal_seek(&s, lever, &all, &tol);
    let theirs = delever_model::goal_seek(&engine_s, engine_lever, &[])
        .map_err(|e| format!("engine goal seek: {e:?}"))?;
    let width = &mine.to - &mine.from;
    let slack = &width * ten_pow_neg(6) + &tol;
    if (q(theirs.from) - &mine.from).abs() > tol || (q(theirs.to) - &mine.to).abs() > tol {
        return Err(format!(
            "goal seek {lever:?} range: engine {} … {}, oracle {} … {}",
            theirs.from,
            theirs.to,
            show(&mine.from),
            show(&mine.to)
        ));
    }
    if mine.fragile {
        boundary += 1;
    } else {
        let same = theirs.intervals.len() == mine.intervals.len()
            && theirs
                .intervals
                .iter()
                .zip(&mine.intervals)
                .all(|((a, b), (c, d))| (q(*a) - c).abs() <= slack && (q(*b) - d).abs() <= slack);
        if !same {
            let shown: Vec<String> =
                mine.intervals.iter().map(|(a, b)| format!("{} … {}", show(a), show(b))).collect();
            return Err(format!("goal seek {lever:?}: engine {:?}, oracle {shown:?}", theirs.intervals));
        }
        compared += 1;
    }
    // The feasibility map (section 5): a 3 × 3 grid over two different levers, each cell the
    // scenario with both set, its first year's region NPL ratio and whether every target is met.
    let (y_lever, engine_y) = LEVERS[((seed / 5 + 1 + seed % 5) % 5) as usize];
    if y_lever != lever {
        let year = s.start_year + 1;
        let theirs =
            delever_model::feasibility(&engine_s, engine_lever, engine_y, 3, Some("npl_ratio"), Some(year))
                .map_err(|e| format!("engine feasibility: {e:?}"))?;
        let grid = |l: Lever| {
            let (from, to) = l.range(&s);
            (0..3).map(|i| &from + (&to - &from) * Q::new(i.into(), 2.into())).collect::<Vec<Q>>()
        };
        let (xs, ys) = (grid(lever), grid(y_lever));
        for (i, (x, ex)) in xs.iter().zip(&theirs.x_values).enumerate() {
            if (q(*ex) - x).abs() > tol {
                return Err(format!("feasibility x value {i}: engine {ex}, oracle {}", show(x)));
            }
        }
        for (j, y) in ys.iter().enumerate() {
            for (i, x) in xs.iter().enumerate() {
                let cell_scenario = y_lever.apply(&lever.apply(&s, x), y);
                let (value, met, fragile) = analysis::cell(&cell_scenario, "npl_ratio", 0, &tol);
                let theirs = &theirs.cells[j][i];
                let near_zero = value.denominator.as_ref().is_some_and(|d| d.abs() <= tol);
                if fragile || near_zero {
                    boundary += 1;
                    continue;
                }
                // A ratio: 1e-20, or the amount tolerance carried through a small denominator.
                let bound = match &value.denominator {
                    Some(d) if !d.is_zero() => {
                        let carried = &tol
                            * (Q::from_integer(1.into()) + value.value.clone().unwrap_or_default().abs())
                            / d.abs();
                        if carried > ten_pow_neg(20) { carried } else { ten_pow_neg(20) }
                    }
                    _ => ten_pow_neg(20),
                };
                let same_value = match (&value.value, theirs.value) {
                    (None, None) => true,
                    (Some(o), Some(e)) => (q(e) - o).abs() <= bound,
                    _ => false,
                };
                if !same_value || met != theirs.all_met {
                    return Err(format!(
                        "feasibility {lever:?} × {y_lever:?} cell ({i}, {j}): engine {:?} met {}, oracle {:?} met {met}",
                        theirs.value,
                        theirs.all_met,
                        value.value.as_ref().map(show)
                    ));
                }
                compared += 1;
            }
        }
    }
    // The tornado (section 5): each lever's value × 0.8 and × 1.2 (∓0.01 where it is 0), held
    // within the file's ranges, and the last year's region NPL ratio at each end.
    let theirs = match delever_model::sensitivity(&engine_s, Some("npl_ratio"), None) {
        Ok(theirs) => theirs,
        // A base that cannot run has no tornado (section 3: the run stops): the oracle must stop too.
        Err(delever_model::Error::Analysis(delever_model::error::AnalysisProblem::BaseInfeasible(e))) => {
            return match delever_oracle::project(&s, &tol) {
                Err(_) => Ok((compared, boundary + 1)),
                Ok(p) if p.run.fragile_from.is_some() => Ok((compared, boundary + 1)),
                Ok(_) => Err(format!("the engine's base stops ({e:?}), the oracle's runs")),
            };
        }
        Err(e) => return Err(format!("engine sensitivity: {e:?}")),
    };
    if theirs.bars.len() != LEVERS.len() {
        return Err(format!("sensitivity: {} bars, not one per lever", theirs.bars.len()));
    }
    for bar in &theirs.bars {
        let Some(&(lever, _)) = LEVERS.iter().find(|(_, e)| *e == bar.lever) else {
            return Err(format!("sensitivity: an unknown lever {:?}", bar.lever));
        };
        let d = &s.defaults;
        let first = |v: &Option<Vec<Q>>| v.as_ref().and_then(|v| v.first().cloned()).unwrap_or_default();
        let (current, (lowest, highest)) = match lever {
            Lever::Disposal => match &d.disposal {
                Some(delever_oracle::scenario::Disposal::Rate(r)) => {
                    (r[0].clone(), (Q::zero(), Q::from_integer(1.into())))
                }
                Some(delever_oracle::scenario::Disposal::Amount(a)) => {
                    (a[0].clone(), (Q::zero(), Q::from_integer(10_i64.pow(15).into())))
                }
                None => return Err("no default disposal".into()),
            },
            Lever::WriteOffShare => (
                d.channels
                    .as_ref()
                    .map(|c| c[delever_oracle::scenario::WRITE_OFF].clone())
                    .unwrap_or_default(),
                (Q::zero(), Q::from_integer(1.into())),
            ),
            Lever::NplFormationRate => (first(&d.npl_formation_rate), (Q::zero(), Q::from_integer(1.into()))),
            Lever::LoanGrowth => {
                (first(&d.loan_growth), (Q::new((-1).into(), 2.into()), Q::from_integer(1.into())))
            }
            Lever::DepositGrowth => {
                (first(&d.deposit_growth), (Q::new((-1).into(), 2.into()), Q::from_integer(1.into())))
            }
        };
        let moved = |factor: Q, step: Q| {
            let v = if current.is_zero() { step } else { &current * factor };
            if v < lowest {
                lowest.clone()
            } else if v > highest {
                highest.clone()
            } else {
                v
            }
        };
        let low = moved(Q::new(8.into(), 10.into()), Q::new((-1).into(), 100.into()));
        let high = moved(Q::new(12.into(), 10.into()), Q::new(1.into(), 100.into()));
        if (q(bar.low) - &low).abs() > tol || (q(bar.high) - &high).abs() > tol {
            return Err(format!(
                "sensitivity {lever:?} ends: engine {} … {}, oracle {} … {}",
                bar.low,
                bar.high,
                show(&low),
                show(&high)
            ));
        }
        for (end, value, engine_value) in [("low", &low, bar.at_low), ("high", &high, bar.at_high)] {
            let last = s.years - 1;
            let mine = match delever_oracle::project(&lever.apply(&s, value), &tol) {
                Err(f) if f.near_boundary => None,
                Err(_) => Some(None),
                Ok(p) if p.run.fragile_from.is_some() => None,
                Ok(p) => match p.region.year_ends[last].get("npl_ratio").cloned() {
                    Some(m) if m.denominator.as_ref().is_some_and(|d| d.abs() <= tol) => None,
                    Some(m) => Some(Some(m)),
                    None => Some(None),
                },
            };
            let Some(mine) = mine else {
                boundary += 1;
                continue;
            };
            let agree = match (mine.as_ref().and_then(|m| m.value.clone()), engine_value) {
                (None, None) => true,
                (Some(o), Some(e)) => {
                    let den = mine.as_ref().and_then(|m| m.denominator.clone()).unwrap_or_default();
                    let carried = if den.is_zero() {
                        ten_pow_neg(20)
                    } else {
                        &tol * (Q::from_integer(1.into()) + o.abs()) / den.abs()
                    };
                    let bound = if carried > ten_pow_neg(20) { carried } else { ten_pow_neg(20) };
                    (q(e) - &o).abs() <= bound
                }
                _ => false,
            };
            if !agree {
                return Err(format!(
                    "sensitivity {lever:?} at its {end} end: engine {engine_value:?}, oracle {:?}",
                    mine.and_then(|m| m.value).as_ref().map(show)
                ));
            }
            compared += 1;
        }
    }
    // Monte Carlo: a few paths, a cv from the seed.
    let cv = ["0", "0.25", "1"][(seed / 5 % 3) as usize];
    let paths = 12;
    let options = delever_model::MonteCarloOptions {
        paths,
        seed: seed.rotate_left(17),
        cv: cv.parse().unwrap(),
        metrics: vec!["npl_ratio".into(), "npl".into(), "loans".into()],
    };
    let theirs =
        delever_model::monte_carlo(&engine_s, &options).map_err(|e| format!("engine monte carlo: {e:?}"))?;
    let mine = analysis::monte_carlo(
        &s,
        paths,
        options.seed,
        &parse_decimal(cv).unwrap(),
        &["npl_ratio", "npl", "loans"],
        &tol,
    );
    if mine.fragile {
        return Ok((compared, boundary + 1));
    }
    if mine.failed != theirs.failed {
        return Err(format!("monte carlo failed paths: engine {} oracle {}", theirs.failed, mine.failed));
    }
    for ((name, bands), (ename, ebands)) in mine.percentiles.iter().zip(&theirs.percentiles) {
        if name != ename {
            return Err(format!("monte carlo metric order: {ename} vs {name}"));
        }
        // A ratio: propagate the amount tolerance as the single-run comparison does (loans ≥ 1 here is not assured).
        let bound = if name == "npl_ratio" { ten_pow_neg(12) } else { tol.clone() };
        for (m, (b, eb)) in bands.iter().zip(ebands).enumerate() {
            for (k, (o, e)) in b.iter().zip(&eb.values).enumerate() {
                let ok = match (o, e) {
                    (None, None) => true,
                    (Some(o), Some(e)) => (q(*e) - o).abs() <= bound,
                    _ => false,
                };
                if !ok {
                    return Err(format!(
                        "monte carlo {name} month {m} percentile {k}: engine {e:?} oracle {:?}",
                        o.as_ref().map(show)
                    ));
                }
            }
        }
    }
    for ((p, fragile), (id, ep)) in mine.targets.iter().zip(&theirs.targets) {
        if *fragile {
            boundary += 1;
        } else if (q(*ep) - p).abs() > ten_pow_neg(20) {
            return Err(format!("monte carlo target {id}: engine {ep} oracle {}", show(p)));
        }
    }
    Ok((compared + 1, boundary))
}

#[test]
fn analyses_agree_on_small_cases() {
    let cases =
        std::env::var("DELEVER_ORACLE_ANALYSIS_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let config = Config {
        cases,
        max_shrink_iters: 0,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/it/analyses.proptest-regressions",
        ))),
        ..Config::default()
    };
    let totals = std::cell::Cell::new((0u32, 0u32));
    let result = TestRunner::new(config).run(&any::<u64>(), |seed| {
        let (c, b) = check(seed).map_err(|m| TestCaseError::fail(format!("seed {seed}: {m}")))?;
        let (tc, tb) = totals.get();
        totals.set((tc + c, tb + b));
        Ok(())
    });
    let (c, b) = totals.get();
    println!(
        "oracle analyses: {c} goal seeks, tornado ends, map cells and Monte Carlo runs compared, {b} left out at a boundary"
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

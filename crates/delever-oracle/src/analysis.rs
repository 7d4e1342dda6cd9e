//! Section 5 on the oracle: goal seek (101-point scan, then bisection), the feasibility map's cells, and Monte Carlo with SplitMix64 draws.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use crate::number::{Q, frac, int, max, ten_pow_neg};
use crate::output::{Metric, met_boundary_distance, project};
use crate::scenario::{Disposal, Scenario, WRITE_OFF};
use crate::simulate::resolve;

/// A lever of section 5: one value for every year of the region defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lever {
    Disposal,
    WriteOffShare,
    LoanGrowth,
    DepositGrowth,
    NplFormationRate,
}

impl Lever {
    /// The lever's goal-seek range.
    pub fn range(self, s: &Scenario) -> (Q, Q) {
        match self {
            Lever::Disposal => match &s.defaults.disposal {
                Some(Disposal::Rate(_)) => (int(0), int(1)),
                _ => {
                    // 2 × (the region's opening NPL + Σ_i f_i × P0_i), each institution's first-year rate.
                    let mut total = int(0);
                    for (i, inst) in s.institutions.iter().enumerate() {
                        let f = resolve(s, i).formation_rate[0].clone();
                        total += &inst.npl + f * (&inst.loans - &inst.npl);
                    }
                    (int(0), int(2) * total)
                }
            },
            Lever::WriteOffShare => (int(0), int(1)),
            Lever::LoanGrowth | Lever::DepositGrowth => (frac(-1, 5), frac(1, 2)),
            Lever::NplFormationRate => (int(0), frac(1, 5)),
        }
    }

    /// The scenario with the lever set to `v` in every year of the defaults.
    pub fn apply(self, s: &Scenario, v: &Q) -> Scenario {
        let mut t = s.clone();
        let every = vec![v.clone(); s.years];
        let d = &mut t.defaults;
        match self {
            Lever::Disposal => {
                d.disposal = Some(match &d.disposal {
                    Some(Disposal::Rate(_)) => Disposal::Rate(every),
                    _ => Disposal::Amount(every),
                })
            }
            Lever::WriteOffShare => {
                if let Some(shares) = &mut d.channels {
                    let others: Q = shares
                        .iter()
                        .enumerate()
                        .filter(|(c, _)| *c != WRITE_OFF)
                        .map(|(_, x)| x.clone())
                        .sum();
                    let rest = int(1) - v;
                    for (c, x) in shares.iter_mut().enumerate() {
                        if c == WRITE_OFF {
                            *x = v.clone();
                        } else if others.is_zero() {
                            // From a mix with no other channel, the rest goes to collection.
                            *x = if c == crate::scenario::COLLECTION { rest.clone() } else { int(0) };
                        } else {
                            *x = &*x * &rest / &others;
                        }
                    }
                }
            }
            Lever::LoanGrowth => d.loan_growth = Some(every),
            Lever::DepositGrowth => d.deposit_growth = Some(every),
            Lever::NplFormationRate => d.npl_formation_rate = Some(every),
        }
        t
    }
}

/// Whether every chosen target is met (an infeasible run meets none); also whether any
/// target's actual lies within `tolerance` of its `met` boundary (the answer may then differ in the engine).
pub fn all_met(s: &Scenario, targets: &[usize], tolerance: &Q) -> (bool, bool) {
    match project(s, tolerance) {
        Err(f) => (false, f.near_boundary),
        Ok(p) => {
            let mut fragile = p.run.fragile_from.is_some();
            let mut met = true;
            for &t in targets {
                let r = &p.targets[t];
                met &= r.met;
                if let (Some(a), Some(v)) = (&r.actual.value, &r.value) {
                    let bound = if crate::output::RATIOS.contains(&r.metric.as_str()) {
                        ten_pow_neg(20)
                    } else {
                        tolerance.clone()
                    };
                    fragile |= met_boundary_distance(a, v) <= bound;
                }
                fragile |= r.actual.denominator.as_ref().is_some_and(|d| d.abs() <= *tolerance);
            }
            (met, fragile)
        }
    }
}

/// A goal seek's answer.
#[derive(Clone, Debug)]
pub struct GoalSeek {
    pub from: Q,
    pub to: Q,
    /// Feasible intervals, each end the last value that meets.
    pub intervals: Vec<(Q, Q)>,
    /// Whether a scan or bisection point lay within the tolerance of a target's boundary.
    pub fragile: bool,
}

/// Goal seek: 101 evenly spaced points, then each met/unmet boundary bisected to 1e-6 of the width.
pub fn goal_seek(s: &Scenario, lever: Lever, targets: &[usize], tolerance: &Q) -> GoalSeek {
    let (from, to) = lever.range(s);
    let width = &to - &from;
    let mut fragile = false;
    let mut probe = |v: &Q| {
        let (met, f) = all_met(&lever.apply(s, v), targets, tolerance);
        fragile |= f;
        met
    };
    let points: Vec<Q> = (0..=100).map(|i| &from + &width * frac(i, 100)).collect();
    let status: Vec<bool> = points.iter().map(&mut probe).collect();
    let precision = &width * ten_pow_neg(6);
    // The met end of the boundary between points i and i + 1.
    let mut boundary = |i: usize| -> Q {
        let (mut lo, mut hi) = (points[i].clone(), points[i + 1].clone());
        let lo_met = status[i];
        while &hi - &lo > precision {
            let mid = (&lo + &hi) / int(2);
            if probe(&mid) == lo_met {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if lo_met { lo } else { hi }
    };
    let mut intervals = Vec::new();
    let mut start: Option<Q> = None;
    for i in 0..points.len() {
        if status[i] && start.is_none() {
            start = Some(if i == 0 { points[0].clone() } else { boundary(i - 1) });
        }
        if status[i] && (i + 1 == points.len() || !status[i + 1]) {
            let end = if i + 1 == points.len() { points[i].clone() } else { boundary(i) };
            intervals.push((start.take().unwrap_or_default(), end));
        }
    }
    GoalSeek { from, to, intervals, fragile }
}

/// One feasibility cell: the year-end region metric and whether every target is met.
pub fn cell(s: &Scenario, metric: &str, year_index: usize, tolerance: &Q) -> (Metric, bool, bool) {
    let every: Vec<usize> = (0..s.targets.len()).collect();
    let (met, fragile) = all_met(s, &every, tolerance);
    let value = match project(s, tolerance) {
        Ok(p) => p.region.year_ends[year_index].get(metric).cloned().unwrap_or_default(),
        Err(_) => Metric::default(),
    };
    (value, met, fragile)
}

/// The SplitMix64 stream of section 5.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `z = Σ_{j=1..12} u_j − 6` with `u_j = (next_u64 >> 40) / 2^24`, exactly.
    pub fn next_z(&mut self) -> Q {
        let mut sum = int(0);
        for _ in 0..12 {
            sum += Q::new(BigInt::from(self.next_u64() >> 40), BigInt::from(1u64 << 24));
        }
        sum - int(6)
    }
}

/// Monte Carlo results.
#[derive(Clone, Debug)]
pub struct MonteCarlo {
    pub failed: usize,
    /// Per metric, per month: p5, p25, p50, p75, p95 (over the paths that ran).
    pub percentiles: Vec<(String, Vec<[Option<Q>; 5]>)>,
    /// Per target: the share of paths meeting it, and whether some path's actual lay at its boundary.
    pub targets: Vec<(Q, bool)>,
    /// Whether some path stopped within the tolerance of zero, or had a fragile branch.
    pub fragile: bool,
}

/// Runs `paths` paths with `f' = f_y × max(0, 1 + cv × z)`, draws path by path, then year, then institution.
pub fn monte_carlo(
    s: &Scenario,
    paths: usize,
    seed: u64,
    cv: &Q,
    metrics: &[&str],
    tolerance: &Q,
) -> MonteCarlo {
    let mut rng = SplitMix64(seed);
    let mut values: Vec<Vec<Vec<Q>>> = vec![vec![Vec::new(); s.months()]; metrics.len()];
    let mut met = vec![0usize; s.targets.len()];
    let mut target_fragile = vec![false; s.targets.len()];
    let mut failed = 0;
    let mut fragile = false;
    for _ in 0..paths {
        let mut rates: Vec<Vec<Q>> = s.institutions.iter().map(|_| Vec::new()).collect();
        for y in 0..s.years {
            for (i, list) in rates.iter_mut().enumerate() {
                let z = rng.next_z();
                let f = resolve(s, i).formation_rate[y].clone();
                list.push(f * max(int(0), int(1) + cv * z));
            }
        }
        let mut path = s.clone();
        for (inst, list) in path.institutions.iter_mut().zip(rates) {
            inst.drivers.npl_formation_rate = Some(list);
        }
        match project(&path, tolerance) {
            Err(f) => {
                failed += 1;
                fragile |= f.near_boundary;
            }
            Ok(p) => {
                fragile |= p.run.fragile_from.is_some();
                for (k, name) in metrics.iter().enumerate() {
                    for (m, entry) in p.region.monthly.iter().enumerate() {
                        if let Some(v) = entry.get(name).and_then(|x| x.value.clone()) {
                            values[k][m].push(v);
                        }
                    }
                }
                for (t, r) in p.targets.iter().enumerate() {
                    met[t] += usize::from(r.met);
                    if let (Some(a), Some(v)) = (&r.actual.value, &r.value) {
                        let bound = if crate::output::RATIOS.contains(&r.metric.as_str()) {
                            ten_pow_neg(20)
                        } else {
                            tolerance.clone()
                        };
                        target_fragile[t] |= met_boundary_distance(a, v) <= bound;
                    }
                }
            }
        }
    }
    let percentiles = metrics
        .iter()
        .zip(values)
        .map(|(name, months)| {
            let bands = months
                .into_iter()
                .map(|mut v| {
                    v.sort();
                    let n = v.len();
                    [5usize, 25, 50, 75, 95]
                        .map(|q| (n > 0).then(|| v[(q * n).div_ceil(100).max(1) - 1].clone()))
                })
                .collect();
            (name.to_string(), bands)
        })
        .collect();
    let targets = met.iter().zip(target_fragile).map(|(&k, f)| (frac(k as i64, paths as i64), f)).collect();
    MonteCarlo { failed, percentiles, targets, fragile }
}

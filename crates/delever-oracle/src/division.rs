//! Section 10: dividing region targets among the institutions, and scoring zones or institutions.

use num_traits::{Signed, Zero};

use crate::number::{Q, int};
use crate::output::{Metric, Projection, margin, meets, zones};
use crate::scenario::{Scenario, Scope, TargetValue};

/// One institution's part of a divided target.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub institution: String,
    pub share: Q,
    pub value: Q,
    pub actual: Option<Q>,
    pub met: bool,
    pub margin: Option<Q>,
}

/// A divided target.
#[derive(Clone, Debug, PartialEq)]
pub struct Divided {
    pub id: String,
    pub metric: String,
    pub parts: Vec<Part>,
    /// Whether the shares hang on a sum within the tolerance of zero (the NPL, or the loans of
    /// the fallback): the engine's digits may take the other branch of the rule.
    pub near_zero_basis: bool,
}

/// Divides every region-scope target on `deposits`, `loans`, `npl` or `disposal` (of `year`, or every year).
pub fn decompose(s: &Scenario, p: &Projection, year: Option<i32>, tolerance: &Q) -> Vec<Divided> {
    let mut out = Vec::new();
    for t in &s.targets {
        if t.scope != Scope::Region || !["deposits", "loans", "npl", "disposal"].contains(&t.metric.as_str())
        {
            continue;
        }
        if year.is_some_and(|y| y != t.year) {
            continue;
        }
        let TargetValue::Decimal(value) = &t.value else { continue };
        let y = (t.year - s.first_year()) as usize;
        let openings: Vec<_> = p.run.institutions.iter().map(|inst| inst.openings[y].clone()).collect();
        let basis: Vec<Q> = openings
            .iter()
            .map(|o| match t.metric.as_str() {
                "deposits" => o.deposits.clone(),
                "loans" => o.loans.clone(),
                _ => o.npl.clone(),
            })
            .collect();
        let loans: Vec<Q> = openings.iter().map(|o| o.loans.clone()).collect();
        let basis_sum: Q = basis.iter().cloned().sum();
        let loans_sum: Q = loans.iter().cloned().sum();
        let near_zero_basis = (basis_sum.abs() <= *tolerance && basis.len() > 1)
            || (basis_sum.is_zero() && loans_sum.abs() <= *tolerance && basis.len() > 1);
        let shares = proportional(&basis).or_else(|| proportional(&loans)).unwrap_or_else(|| {
            let n = int(basis.len() as i64);
            basis.iter().map(|_| int(1) / &n).collect()
        });
        let parts = s
            .institutions
            .iter()
            .zip(shares)
            .map(|(inst, share)| {
                let part_value = value * &share;
                let actual = p
                    .scope(&Scope::Institution(inst.id.clone()))
                    .and_then(|series| series.year_ends.get(y))
                    .and_then(|e| e.get(&t.metric))
                    .and_then(|m| m.value.clone());
                Part {
                    institution: inst.id.clone(),
                    share,
                    met: meets(actual.as_ref(), t.ge, &part_value),
                    margin: margin(actual.as_ref(), t.ge, &part_value),
                    value: part_value,
                    actual,
                }
            })
            .collect();
        out.push(Divided { id: t.id.clone(), metric: t.metric.clone(), parts, near_zero_basis });
    }
    out
}

fn proportional(values: &[Q]) -> Option<Vec<Q>> {
    let total: Q = values.iter().cloned().sum();
    (!total.is_zero()).then(|| values.iter().map(|v| v / &total).collect())
}

/// One criterion's score for one entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub metric: String,
    pub value: Metric,
    /// The (possibly shared, half-integer) rank; null for a null value.
    pub rank: Option<Q>,
    pub points: Q,
}

/// One scored entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub total: Q,
    pub rank: usize,
    pub criteria: Vec<Score>,
}

/// The scored assessment, entries in output order.
#[derive(Clone, Debug, PartialEq)]
pub struct Scores {
    pub year: i32,
    pub entries: Vec<Entry>,
}

/// Scores the scenario's assessment, if it has one.
pub fn assess(s: &Scenario, p: &Projection) -> Option<Scores> {
    let a = s.assessment.as_ref()?;
    let y = (a.year - s.first_year()) as usize;
    // Entities: every zone (unzoned institutions are not scored), or every institution.
    let entities: Vec<(String, Vec<usize>)> = if a.by_zone {
        zones(s)
    } else {
        s.institutions.iter().enumerate().map(|(i, inst)| (inst.id.clone(), vec![i])).collect()
    };
    let series_of = |id: &str| {
        if a.by_zone {
            p.scope(&Scope::Zone(id.to_string()))
        } else {
            p.scope(&Scope::Institution(id.to_string()))
        }
    };
    let mut entries: Vec<Entry> = entities
        .iter()
        .map(|(id, _)| Entry { id: id.clone(), total: int(0), rank: 0, criteria: Vec::new() })
        .collect();
    for c in &a.criteria {
        let values: Vec<Metric> = entities
            .iter()
            .map(|(id, members)| {
                let Some(end) = series_of(id).and_then(|series| series.year_ends.get(y)) else {
                    return Metric::default();
                };
                match c.metric.as_str() {
                    "loan_growth" => {
                        let open: Q =
                            members.iter().map(|&i| p.run.institutions[i].openings[y].loans.clone()).sum();
                        let loans = end.get("loans").and_then(|m| m.value.clone()).unwrap_or_default();
                        Metric {
                            value: (!open.is_zero()).then(|| &loans / &open - int(1)),
                            denominator: Some(open),
                        }
                    }
                    "disposal_completion" => {
                        let plan = end.get("disposal_plan").and_then(|m| m.value.clone()).unwrap_or_default();
                        let done = end.get("disposal").and_then(|m| m.value.clone()).unwrap_or_default();
                        Metric { value: (!plan.is_zero()).then(|| &done / &plan), denominator: Some(plan) }
                    }
                    name => end.get(name).cloned().unwrap_or_default(),
                }
            })
            .collect();
        let ranks = tie_ranks(&values, c.higher_is_better);
        let ranked = values.iter().filter(|v| v.value.is_some()).count();
        for ((entry, value), rank) in entries.iter_mut().zip(values).zip(ranks) {
            let points = match &rank {
                None => int(0),
                Some(_) if ranked == 1 => c.weight.clone(),
                Some(r) => &c.weight * (int(ranked as i64) - r) / int(ranked as i64 - 1),
            };
            entry.total += &points;
            entry.criteria.push(Score { metric: c.metric.clone(), value, rank, points });
        }
    }
    let totals: Vec<Q> = entries.iter().map(|e| e.total.clone()).collect();
    for e in &mut entries {
        e.rank = 1 + totals.iter().filter(|t| **t > e.total).count();
    }
    entries.sort_by(|x, y| y.total.cmp(&x.total).then_with(|| x.id.cmp(&y.id)));
    Some(Scores { year: a.year, entries })
}

/// 1-based ranks, best first; tied values share the mean of their positions; null values are unranked.
pub fn tie_ranks(values: &[Metric], higher_is_better: bool) -> Vec<Option<Q>> {
    let mut order: Vec<(usize, &Q)> =
        values.iter().enumerate().filter_map(|(i, v)| v.value.as_ref().map(|q| (i, q))).collect();
    order.sort_by(|a, b| if higher_is_better { b.1.cmp(a.1) } else { a.1.cmp(b.1) });
    let mut ranks = vec![None; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && order[end + 1].1 == order[start].1 {
            end += 1;
        }
        // Positions start+1 … end+1 share their mean.
        let mean = Q::new((start + end + 2).into(), 2.into());
        for item in &order[start..=end] {
            ranks[item.0] = Some(mean.clone());
        }
        start = end + 1;
    }
    ranks
}

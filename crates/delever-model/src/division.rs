//! MODEL.md section 10: region targets divided among the institutions (一行一方案), and the assessment that scores zones or institutions (考核计分).
//!
//! Both read a finished [`Projection`] and the scenario's opening balances; neither runs
//! the engine again.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::num::{decimal_json, fmt_decimal, ratio};
use crate::output::{Projection, Series, YearEnd};
use crate::scenario::{Assessment, Better, Level, Op, Scenario, Scope, Target, TargetValue};
use crate::targets;

/// The metrics a region target may be divided by (each divided by its own opening stock,
/// `disposal` by the opening NPL).
pub const DIVISIBLE: [&str; 4] = ["deposits", "loans", "npl", "disposal"];

/// One institution's part of a divided target.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub institution: String,
    pub share: Decimal,
    pub value: Decimal,
    pub actual: Option<Decimal>,
    pub met: bool,
    pub margin: Option<Decimal>,
}

/// A region target and its parts, one per institution in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Divided {
    pub target: Target,
    /// The region threshold divided (a fixed value: these metrics have no national average).
    pub value: Decimal,
    pub parts: Vec<Part>,
}

/// `decompose FILE [--year YEAR]`: every region target on a divisible metric (of `year`, or of
/// every year), divided in proportion to the institutions' opening stock of its year.
pub fn decompose(scenario: &Scenario, projection: &Projection, year: Option<i32>) -> Vec<Divided> {
    scenario
        .targets
        .iter()
        .filter(|t| t.scope == Scope::Region && DIVISIBLE.contains(&t.metric.as_str()))
        .filter(|t| year.is_none_or(|y| t.year == y))
        .map(|t| divide(scenario, projection, t))
        .collect()
}

fn divide(scenario: &Scenario, projection: &Projection, target: &Target) -> Divided {
    let value = targets::threshold(target);
    let y = target.year.saturating_sub(scenario.first_year());
    let stock = if target.metric == "disposal" { "npl" } else { target.metric.as_str() };
    let opening = |name: &str| -> Vec<Decimal> {
        scenario
            .institutions
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                let series = projection.institutions.get(i).map(|(_, s)| s);
                let own = match name {
                    "deposits" => inst.opening.deposits,
                    "loans" => inst.opening.loans,
                    _ => inst.opening.npl,
                };
                year_opening(series, y, own, |e| e.get(name).unwrap_or_default())
            })
            .collect()
    };
    // The opening stock of the metric; loans when those are all zero; else equal shares.
    let mut weights = opening(stock);
    if weights.iter().all(Decimal::is_zero) {
        weights = opening("loans");
    }
    if weights.iter().all(Decimal::is_zero) {
        weights = vec![Decimal::ONE; scenario.institutions.len()];
    }
    let total = weights.iter().try_fold(Decimal::ZERO, |acc, w| acc.checked_add(*w)).unwrap_or_default();
    let parts = scenario
        .institutions
        .iter()
        .zip(&weights)
        .enumerate()
        .map(|(i, (inst, weight))| {
            let share = weight.checked_div(total).unwrap_or_default();
            let part = value.checked_mul(share).unwrap_or_default();
            let actual = projection
                .institutions
                .get(i)
                .and_then(|(_, s)| s.year(target.year))
                .and_then(|e| e.get(&target.metric));
            let own = Target {
                value: TargetValue::Fixed(part),
                scope: Scope::Institution(inst.id.clone()),
                ..target.clone()
            };
            let (met, margin) = targets::check(&own, actual);
            Part { institution: inst.id.clone(), share, value: part, actual, met, margin }
        })
        .collect();
    Divided { target: target.clone(), value, parts }
}

/// A stock at the opening of year index `y`: the entity's previous year-end, or `own` (the
/// scenario's opening) in the first year.
fn year_opening(
    series: Option<&Series>,
    y: i32,
    own: Decimal,
    pick: impl Fn(&YearEnd) -> Decimal,
) -> Decimal {
    if y <= 0 {
        return own;
    }
    let previous = usize::try_from(y.saturating_sub(1)).ok();
    series.and_then(|s| s.year_ends.get(previous?)).map(pick).unwrap_or(own)
}

/// The JSON `decompose --format json` prints.
pub fn decomposition_json(divided: &[Divided]) -> Value {
    let targets: Vec<Value> = divided
        .iter()
        .map(|d| {
            let parts: Vec<Value> = d
                .parts
                .iter()
                .map(|p| {
                    json!({
                        "institution": p.institution,
                        "share": fmt_decimal(p.share),
                        "value": fmt_decimal(p.value),
                        "actual": decimal_json(p.actual),
                        "met": p.met,
                        "margin": decimal_json(p.margin),
                    })
                })
                .collect();
            json!({
                "id": d.target.id,
                "metric": d.target.metric,
                "op": d.target.op.name(),
                "value": fmt_decimal(d.value),
                "year": d.target.year,
                "parts": parts,
            })
        })
        .collect();
    json!({ "targets": targets })
}

/// One entity's score on one criterion.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub metric: String,
    pub value: Option<Decimal>,
    /// The 1-based rank among the entities with a value (ties share the mean); `None` when null.
    pub rank: Option<Decimal>,
    pub points: Decimal,
}

/// One scored entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub total: Decimal,
    pub rank: usize,
    pub criteria: Vec<Score>,
}

/// The assessment's result: entries by total, highest first, then by id.
#[derive(Clone, Debug, PartialEq)]
pub struct Scores {
    pub year: i32,
    pub level: Level,
    pub entries: Vec<Entry>,
}

impl Scores {
    pub fn to_json(&self) -> Value {
        let entries: Vec<Value> = self
            .entries
            .iter()
            .map(|e| {
                let criteria: Vec<Value> = e
                    .criteria
                    .iter()
                    .map(|c| {
                        json!({
                            "metric": c.metric,
                            "value": decimal_json(c.value),
                            "rank": decimal_json(c.rank),
                            "points": fmt_decimal(c.points),
                        })
                    })
                    .collect();
                json!({ "id": e.id, "total": fmt_decimal(e.total), "rank": e.rank, "criteria": criteria })
            })
            .collect();
        json!({ "year": self.year, "level": self.level.name(), "entries": entries })
    }
}

/// A criterion's value for one entity: a year-end metric, `loan_growth` or `disposal_completion`.
fn criterion_value(metric: &str, end: Option<&YearEnd>, loans_open: Decimal) -> Option<Decimal> {
    let end = end?;
    match metric {
        "loan_growth" => ratio(end.loans, loans_open)?.checked_sub(Decimal::ONE),
        "disposal_completion" => ratio(end.disposal, end.disposal_plan),
        other => end.get(other),
    }
}

/// Scores the scenario's assessment on `projection` (section 10).
pub fn assess(scenario: &Scenario, projection: &Projection, assessment: &Assessment) -> Scores {
    let y = assessment.year.saturating_sub(scenario.first_year());
    // The entities: each zone in the order the institutions first name it, or each institution.
    let entities: Vec<(String, Option<&Series>, Decimal)> = match assessment.level {
        Level::Zone => projection
            .zones
            .iter()
            .map(|(zone, series)| {
                let own = scenario
                    .institutions
                    .iter()
                    .filter(|inst| inst.zone.as_deref() == Some(zone.as_str()))
                    .try_fold(Decimal::ZERO, |acc, inst| acc.checked_add(inst.opening.loans))
                    .unwrap_or_default();
                (zone.clone(), Some(series), year_opening(Some(series), y, own, |e| e.loans))
            })
            .collect(),
        Level::Institution => scenario
            .institutions
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                let series = projection.institutions.get(i).map(|(_, s)| s);
                (inst.id.clone(), series, year_opening(series, y, inst.opening.loans, |e| e.loans))
            })
            .collect(),
    };
    let mut scores: Vec<Vec<Score>> = vec![Vec::with_capacity(assessment.criteria.len()); entities.len()];
    for criterion in &assessment.criteria {
        let values: Vec<Option<Decimal>> = entities
            .iter()
            .map(|(_, series, loans_open)| {
                criterion_value(&criterion.metric, series.and_then(|s| s.year(assessment.year)), *loans_open)
            })
            .collect();
        let ranks = ranks(&values, criterion.better);
        let n = values.iter().filter(|v| v.is_some()).count();
        for ((slot, value), rank) in scores.iter_mut().zip(&values).zip(&ranks) {
            let points = match rank {
                None => Decimal::ZERO,
                Some(_) if n == 1 => criterion.weight,
                Some(rank) => {
                    let n = Decimal::from(n);
                    let below = n.checked_sub(*rank).unwrap_or_default();
                    criterion
                        .weight
                        .checked_mul(below)
                        .and_then(|x| x.checked_div(n.checked_sub(Decimal::ONE)?))
                        .unwrap_or_default()
                }
            };
            slot.push(Score { metric: criterion.metric.clone(), value: *value, rank: *rank, points });
        }
    }
    let mut entries: Vec<Entry> = entities
        .into_iter()
        .zip(scores)
        .map(|((id, _, _), criteria)| {
            let total = criteria
                .iter()
                .try_fold(Decimal::ZERO, |acc, c| acc.checked_add(c.points))
                .unwrap_or_default();
            Entry { id, total, rank: 0, criteria }
        })
        .collect();
    // Totals are compared at the same places (points are quotients, summed in criterion
    // order): two entries with the same points in another order are equal.
    entries.sort_by(|a, b| compared(b.total).cmp(&compared(a.total)).then_with(|| a.id.cmp(&b.id)));
    let totals: Vec<Decimal> = entries.iter().map(|e| compared(e.total)).collect();
    for entry in &mut entries {
        let own = compared(entry.total);
        entry.rank = 1usize.saturating_add(totals.iter().filter(|t| **t > own).count());
    }
    Scores { year: assessment.year, level: assessment.level, entries }
}

/// The places at which the assessment compares values and totals: a zone that completes its
/// plan exactly shows `disposal_completion` 1 only to within the last of 28 digits (the
/// catch-up's `Rem × w_k / W` terms are rounded quotients), and a tie the plan means must not
/// be broken by that digit; 20 places keep every difference a plan could mean (a ratio that
/// differs at the ninth place still ranks apart), as the contract's 1e-20 tolerance does.
const COMPARED_PLACES: u32 = 20;

fn compared(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(COMPARED_PLACES, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

/// Each value's 1-based rank, best first (`better`), ties sharing the mean of their positions
/// (values equal at [`COMPARED_PLACES`]); `None` for a null value.
fn ranks(values: &[Option<Decimal>], better: Better) -> Vec<Option<Decimal>> {
    let mut ranked: Vec<(usize, Decimal)> =
        values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, compared(v)))).collect();
    ranked.sort_by(|a, b| match better {
        Better::Lower => a.1.cmp(&b.1),
        Better::Higher => b.1.cmp(&a.1),
    });
    let mut out = vec![None; values.len()];
    let mut start = 0usize;
    while start < ranked.len() {
        let value = ranked.get(start).map(|r| r.1).unwrap_or_default();
        let end = ranked.iter().skip(start).take_while(|r| r.1 == value).count().saturating_add(start);
        // Positions start+1 … end share their mean, (start + 1 + end) / 2.
        let mean = Decimal::from(start.saturating_add(1).saturating_add(end))
            .checked_div(Decimal::TWO)
            .unwrap_or_default();
        for (i, _) in ranked.get(start..end).unwrap_or(&[]) {
            if let Some(slot) = out.get_mut(*i) {
                *slot = Some(mean);
            }
        }
        start = end.max(start.saturating_add(1));
    }
    out
}

/// `op` as the decomposition table prints it.
pub fn op_symbol(op: Op) -> &'static str {
    match op {
        Op::Ge => "≥",
        Op::Le => "≤",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or(Decimal::MAX)
    }

    #[test]
    fn ties_share_the_mean_of_their_positions_and_nulls_are_unranked() {
        let values = [Some(d("3")), None, Some(d("1")), Some(d("3")), Some(d("2"))];
        assert_eq!(
            ranks(&values, Better::Higher),
            [Some(d("1.5")), None, Some(d("4")), Some(d("1.5")), Some(d("3"))]
        );
        assert_eq!(
            ranks(&values, Better::Lower),
            [Some(d("3.5")), None, Some(d("1")), Some(d("3.5")), Some(d("2"))]
        );
        assert_eq!(ranks(&[None, None], Better::Lower), [None, None]);
    }

    #[test]
    fn the_last_digits_of_a_quotient_do_not_break_a_tie_and_a_real_difference_counts() {
        // A plan completed exactly, as the catch-up's rounded quotients leave it.
        let values = [
            Some(d("1")),
            Some(d("0.9999999999999999999999999996")),
            Some(d("1.0000000000000000000000000002")),
        ];
        assert_eq!(ranks(&values, Better::Higher), [Some(d("2")); 3]);
        let values = [Some(d("0.6")), Some(d("0.599999999996"))];
        assert_eq!(ranks(&values, Better::Higher), [Some(d("1")), Some(d("2"))]);
    }
}

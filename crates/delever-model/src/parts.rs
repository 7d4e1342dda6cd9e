//! A projection run in parts, one range of institutions per worker, and merged: bit for bit the projection of the whole run.
//!
//! When no institution's months depend on another's ([`Run::separable`]: no plan shared from
//! the region's amount, no AMC, no reported months), each of `n` workers runs its range of
//! institutions ([`range`], [`Run::execute_part`]) and builds a [`Part`]: its institutions'
//! series and plan totals, the months their formation was capped, and for every month each
//! zone's (and the unzoned institutions') partial sum of their records, as the exact sums'
//! bytes ([`RecordSum::write`]). [`merge`] adds the parts' sums in the parts' order, which
//! is the institutions' file order, so every zone's and the region's month is the same exact
//! sum, rounded once, that [`Projection::build_with`] gives ([`crate::sum`]); the targets,
//! the assessment and the warnings are then derived by the same functions. Only
//! [`Detail::RegionMonthly`], the page's detail, is built this way.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::engine::{Needs, Plan, RecordSum, Run};
use crate::error::SimError;
use crate::output::{Entity, Groups, PerYear, Projection, Series, View, overflow};
use crate::scenario::Scenario;
use crate::targets;

/// One part's share of a projection: what [`merge`] needs of its institutions.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// The part's institutions: `first … first + institutions.len()`.
    pub first: usize,
    /// Their ids and series (year-ends only).
    pub institutions: Vec<(String, Series)>,
    /// `A_y` and `N_y0` of each, institution-major (`years` per institution).
    pub plans: Vec<Decimal>,
    pub npl_open: Vec<Decimal>,
    /// Per institution, the months its formation was capped and the first of them.
    pub capped: Vec<Option<(usize, usize)>>,
    /// Month by month, each group's partial sum ([`Groups`]), as [`RecordSum::write`] bytes.
    pub sums: Vec<u8>,
}

/// Why parts could not be merged.
#[derive(Clone, Debug, PartialEq)]
pub enum MergeError {
    /// The parts are not the ranges of this scenario's institutions, in order, or their sums
    /// are not sums of its groups.
    Mismatch(&'static str),
    /// A zone's or the region's sum overflowed.
    Engine(SimError),
}

impl From<SimError> for MergeError {
    fn from(err: SimError) -> MergeError {
        MergeError::Engine(err)
    }
}

/// Institutions `index` of `parts`: the `index`-th of `parts` contiguous ranges, as equal as can be.
pub fn range(n: usize, index: usize, parts: usize) -> Range<usize> {
    let parts = parts.max(1);
    let at = |k: usize| n.saturating_mul(k).checked_div(parts).unwrap_or(0);
    at(index.min(parts))..at(index.saturating_add(1).min(parts))
}

/// Runs institutions `range` of `plan` (which must be [`Run::separable`]) into `run` and
/// builds their part.
///
/// Errors: the run's, for these institutions; an overflow summing them.
pub fn run_part(
    scenario: &Scenario,
    plan: &Plan,
    run: &mut Run,
    range: Range<usize>,
) -> Result<Part, SimError> {
    run.execute_part(plan, range.clone(), Needs::ALL)?;
    build_part(scenario, plan, run, range)
}

/// The part of institutions `range` of a run in which they have run.
fn build_part(scenario: &Scenario, plan: &Plan, run: &Run, range: Range<usize>) -> Result<Part, SimError> {
    let first_year = scenario.first_year();
    let years = plan.years;
    let institutions = scenario
        .institutions
        .iter()
        .enumerate()
        .take(range.end)
        .skip(range.start)
        .map(|(i, inst)| (inst.id.clone(), View::single(plan, run, i).series(plan, first_year, false)))
        .collect();
    let slots = range.start.saturating_mul(years)..range.end.saturating_mul(years);
    let plans = run.plans.get(slots.clone()).unwrap_or(&[]).to_vec();
    let npl_open = run.npl_year_open.get(slots).unwrap_or(&[]).to_vec();
    let capped = range
        .clone()
        .map(|i| {
            let mut months = run.institution(i).iter().enumerate().filter(|(_, r)| r.capped).map(|(m, _)| m);
            months.next().map(|first| (months.count().saturating_add(1), first))
        })
        .collect();
    let zones = zone_members(scenario);
    let Groups { groups, every, .. } = Groups::of(plan, &zones, false);
    let mine: Vec<Vec<usize>> = groups
        .iter()
        .map(|members| members.iter().copied().filter(|i| range.contains(i)).collect())
        .collect();
    let mut sums = Vec::new();
    let mut sum = RecordSum::new();
    for m in 0..plan.months {
        for members in &mine {
            for &i in members {
                if let Some(record) = run.institution(i).get(m) {
                    sum.add(record, every).map_err(|o| overflow(plan, Some(i), o.0))?;
                }
            }
            sum.write(every, &mut sums);
        }
    }
    Ok(Part { first: range.start, institutions, plans, npl_open, capped, sums })
}

/// The projection of `scenario` (compiled as `plan`, which must be [`Run::separable`]) from
/// its parts in order: exactly what [`Projection::build_with`] gives at
/// [`Detail::RegionMonthly`](crate::output::Detail::RegionMonthly) from the whole run.
///
/// Errors: [`MergeError::Mismatch`] when the parts are not this scenario's, in order;
/// [`MergeError::Engine`] on an overflow in a sum.
pub fn merge(scenario: &Scenario, plan: &Plan, parts: &[Part]) -> Result<Projection, MergeError> {
    let n = plan.institutions.len();
    let years = plan.years;
    let mut next = 0usize;
    for part in parts {
        let len = part.institutions.len();
        if part.first != next
            || part.plans.len() != len.saturating_mul(years)
            || part.npl_open.len() != part.plans.len()
            || part.capped.len() != len
        {
            return Err(MergeError::Mismatch("part"));
        }
        next = next.saturating_add(len);
    }
    if next != n {
        return Err(MergeError::Mismatch("institutions"));
    }
    let ids_match = parts
        .iter()
        .flat_map(|part| &part.institutions)
        .zip(&plan.institutions)
        .all(|((id, series), inst)| *id == inst.id && series.year_ends.len() == years);
    if !ids_match {
        return Err(MergeError::Mismatch("institutions"));
    }
    // Which part holds institution `i`, and where in it.
    let locate = |i: usize| {
        let p = parts.partition_point(|part| part.first.saturating_add(part.institutions.len()) <= i);
        parts.get(p).map(|part| (part, i.saturating_sub(part.first)))
    };
    let total_of = |values: fn(&Part) -> &Vec<Decimal>| {
        move |i: usize, y: usize| {
            locate(i)
                .and_then(|(part, k)| values(part).get(k.saturating_mul(years).saturating_add(y)).copied())
                .unwrap_or_default()
        }
    };
    let plan_of = total_of(|part| &part.plans);
    let npl_open_of = total_of(|part| &part.npl_open);

    let zone_names = scenario.zones();
    let zones = zone_members(scenario);
    let Groups { groups, order, all, every, zone_fields } = Groups::of(plan, &zones, false);
    let mut cursors: Vec<&[u8]> = parts.iter().map(|part| part.sums.as_slice()).collect();
    let mut merged: Vec<RecordSum> = vec![RecordSum::new(); groups.len()];
    let mut region = RecordSum::new();
    let mut records = Vec::with_capacity(plan.months);
    let mut zone_records: Vec<Vec<_>> = zones.iter().map(|_| Vec::with_capacity(plan.months)).collect();
    let sum_error = |o: crate::num::Overflow| MergeError::Engine(overflow(plan, None, o.0));
    for m in 0..plan.months {
        for sum in &mut merged {
            for cursor in &mut cursors {
                sum.merge_read(every, cursor).ok_or(MergeError::Mismatch("sums"))?;
            }
        }
        for &g in &order {
            if let Some(sum) = merged.get(g) {
                region.merge(sum, every).map_err(sum_error)?;
            }
        }
        records.push(region.take(every).map_err(sum_error)?);
        for ((sum, out), fields) in merged.iter_mut().zip(&mut zone_records).zip(&zone_fields) {
            out.push(sum.take(fields.at(m)).map_err(sum_error)?);
        }
        if let Some(rest) = merged.last_mut() {
            rest.take(crate::engine::Fields::NONE).map_err(sum_error)?;
        }
    }
    if cursors.iter().any(|rest| !rest.is_empty()) {
        return Err(MergeError::Mismatch("sums"));
    }
    let first_year = scenario.first_year();
    let of: (PerYear<'_>, PerYear<'_>) = (&plan_of, &npl_open_of);
    let idle = crate::engine::Fields::ALL.without(every);
    let region = Entity::of_totals(plan, &all, records, idle, of, Vec::new())?;
    let region = region.view(None).series(plan, first_year, true);
    let mut zone_series = Vec::with_capacity(zones.len());
    for (((name, members), records), fields) in
        zone_names.iter().zip(&zones).zip(zone_records).zip(&zone_fields)
    {
        let entity = Entity::of_totals(plan, members, records, fields.idle, of, Vec::new())?;
        zone_series.push((name.to_string(), entity.view(None).series(plan, first_year, false)));
    }
    let mut projection = Projection {
        scenario: scenario.name.clone(),
        months: plan.labels.clone(),
        region,
        zones: zone_series,
        institutions: parts.iter().flat_map(|part| part.institutions.iter().cloned()).collect(),
        targets: Vec::new(),
        warnings: Vec::new(),
        assessment: None,
        as_of: None,
        tracking: None,
        plan: None,
    };
    projection.targets = targets::evaluate(scenario, &projection);
    projection.assessment =
        scenario.assessment.as_ref().map(|a| crate::division::assess(scenario, &projection, a));
    let capped = |i: usize| locate(i).and_then(|(part, k)| part.capped.get(k).copied().flatten());
    projection.warnings = targets::warnings_with(scenario, &projection, plan, Vec::new(), &capped);
    Ok(projection)
}

/// Each zone's members, in the order [`Projection::build_with`] takes the zones.
fn zone_members(scenario: &Scenario) -> Vec<Vec<usize>> {
    scenario.zones().iter().map(|zone| scenario.zone_members(zone)).collect()
}

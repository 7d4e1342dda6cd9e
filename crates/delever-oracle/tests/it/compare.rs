//! The engine's projection against the oracle's, field by field, within the tolerances of issue 13.

use delever_oracle::number::{Q, parse_decimal, show};
use delever_oracle::output::{Entry, Metric, RATIOS, Series, met_boundary_distance};
use delever_oracle::{Projection, Scenario};
use num_traits::{Signed, Zero};
use serde_json::Value;

/// What a comparison did: values compared, and comparisons left out because the oracle's value
/// lies within the tolerance of a discrete boundary.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub values: u64,
    /// A ratio whose denominator is within the amount tolerance of zero (null or not is a matter of digits).
    pub near_zero_denominator: u64,
    /// A target's `met` (or a part's) with the actual within the tolerance of the 8-place rounding boundary.
    pub met_at_boundary: u64,
    /// Months and year-ends after a region plan's sharing branch or a stock at zero within the tolerance.
    pub fragile_months: u64,
    /// Assessments whose ranks hang on values within the tolerance of each other.
    pub rank_ties: u64,
    /// Runs that stop with a stock within the tolerance of zero, so either outcome stands.
    pub failure_at_boundary: u64,
    /// Runs with deposits below zero somewhere (not a stop in the contract; reported).
    pub negative_deposits: u64,
    /// Ratios compared within the amount tolerance propagated through a small denominator.
    pub widened_ratios: u64,
    /// Values that disagree.
    pub mismatches: Vec<Mismatch>,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.values += o.values;
        self.near_zero_denominator += o.near_zero_denominator;
        self.met_at_boundary += o.met_at_boundary;
        self.fragile_months += o.fragile_months;
        self.rank_ties += o.rank_ties;
        self.failure_at_boundary += o.failure_at_boundary;
        self.negative_deposits += o.negative_deposits;
        self.widened_ratios += o.widened_ratios;
    }
}

/// One value that disagrees.
#[derive(Clone, Debug)]
pub struct Mismatch {
    /// The field's path, e.g. `institutions.b0.year_ends[2019].write_off_share`.
    pub path: String,
    pub message: String,
}

/// The tolerances of one scenario.
pub struct Tolerance {
    pub amount: Q,
    pub ratio: Q,
}

impl Tolerance {
    pub fn of(s: &Scenario) -> Tolerance {
        Tolerance { amount: delever_oracle::amount_tolerance(s), ratio: delever_oracle::ratio_tolerance() }
    }

    fn for_metric(&self, name: &str) -> &Q {
        if is_ratio(name) { &self.ratio } else { &self.amount }
    }
}

/// Whether `name` is a ratio (compared within 1e-20) rather than an amount.
pub fn is_ratio(name: &str) -> bool {
    RATIOS.contains(&name) || name == "completion" || name == "npl_ratio_vs_plan"
}

/// An engine decimal (a JSON string, or null).
pub fn engine_decimal(v: &Value) -> Result<Option<Q>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => parse_decimal(s).map(Some).ok_or_else(|| format!("not a decimal: {s}")),
        other => Err(format!("not a decimal: {other}")),
    }
}

fn show_opt(q: &Option<Q>) -> String {
    q.as_ref().map_or("null".into(), show)
}

/// Compares one metric.
pub fn metric(
    at: &str,
    name: &str,
    oracle: &Metric,
    engine: &Value,
    tol: &Tolerance,
    counts: &mut Counts,
) -> Result<(), String> {
    let engine = engine_decimal(engine).map_err(|e| format!("{at}.{name}: {e}"))?;
    if let Some(den) = &oracle.denominator
        && den.abs() <= tol.amount
    {
        counts.near_zero_denominator += 1;
        return Ok(());
    }
    counts.values += 1;
    let mut bound = tol.for_metric(name).clone();
    // A ratio's numerator and denominator may each be off by the amount tolerance: through the
    // quotient that is `tol × (1 + |q|) / |den|`, which exceeds 1e-20 only for a small
    // denominator (a coverage of 7e5 over a nearly cleared NPL, say).
    if let (Some(den), Some(q)) = (&oracle.denominator, &oracle.value) {
        let propagated = &tol.amount * (Q::from_integer(1.into()) + q.abs()) / den.abs();
        if propagated > bound {
            bound = propagated;
            counts.widened_ratios += 1;
        }
    }
    let bound = &bound;
    let agree = match (&oracle.value, &engine) {
        (None, None) => true,
        (Some(o), Some(e)) => (o - e).abs() <= *bound,
        _ => false,
    };
    if !agree {
        counts.mismatches.push(Mismatch {
            path: format!("{at}.{name}"),
            message: format!(
                "{at}.{name}: engine {} oracle {} (difference {}, tolerance {})",
                show_opt(&engine),
                show_opt(&oracle.value),
                match (&oracle.value, &engine) {
                    (Some(o), Some(e)) => show(&(e - o)),
                    _ => "null vs value".into(),
                },
                show(bound)
            ),
        });
    }
    Ok(())
}

fn amount(
    at: &str,
    name: &str,
    oracle: &Q,
    engine: &Value,
    tol: &Tolerance,
    counts: &mut Counts,
) -> Result<(), String> {
    metric(at, name, &Metric { value: Some(oracle.clone()), denominator: None }, engine, tol, counts)
}

const CHANNEL_NAMES: [&str; 7] = delever_oracle::scenario::CHANNELS;

/// Compares a series, months before `fragile_from` only.
fn series(
    at: &str,
    oracle: &Series,
    engine: &Value,
    fragile_from: Option<usize>,
    tol: &Tolerance,
    counts: &mut Counts,
) -> Result<(), String> {
    let months = engine["monthly"].as_array().ok_or(format!("{at}: no monthly"))?;
    if !months.is_empty() && months.len() != oracle.monthly.len() {
        return Err(format!("{at}: {} months, oracle {}", months.len(), oracle.monthly.len()));
    }
    for (m0, (o, e)) in oracle.monthly.iter().zip(months).enumerate() {
        if fragile_from.is_some_and(|f| m0 + 1 >= f) {
            counts.fragile_months += 1;
            continue;
        }
        let here = format!("{at}.monthly[{}]", o.label);
        if e["month"].as_str() != Some(o.label.as_str()) {
            return Err(format!("{here}: engine month {}", e["month"]));
        }
        if e["actual"].as_bool() != o.actual {
            return Err(format!("{here}.actual: engine {} oracle {:?}", e["actual"], o.actual));
        }
        entry(&here, o, e, tol, counts)?;
    }
    let ends = engine["year_ends"].as_array().ok_or(format!("{at}: no year_ends"))?;
    if ends.len() != oracle.year_ends.len() {
        return Err(format!("{at}: {} year-ends, oracle {}", ends.len(), oracle.year_ends.len()));
    }
    for (y, (o, e)) in oracle.year_ends.iter().zip(ends).enumerate() {
        if fragile_from.is_some_and(|f| f <= 12 * y + 12) {
            counts.fragile_months += 1;
            continue;
        }
        let here = format!("{at}.year_ends[{}]", o.label);
        if e["year"].as_i64().map(|y| y.to_string()).as_deref() != Some(o.label.as_str()) {
            return Err(format!("{here}: engine year {}", e["year"]));
        }
        entry(&here, o, e, tol, counts)?;
    }
    Ok(())
}

/// One month's or year-end's metrics and flows by channel, oracle `o` against engine `e`.
fn entry(here: &str, o: &Entry, e: &Value, tol: &Tolerance, counts: &mut Counts) -> Result<(), String> {
    for (name, m) in &o.metrics {
        metric(here, name, m, &e[*name], tol, counts)?;
    }
    for (c, name) in CHANNEL_NAMES.iter().enumerate() {
        let field = format!("disposal_by_channel.{name}");
        amount(here, &field, &o.channels[c], &e["disposal_by_channel"][*name], tol, counts)?;
    }
    Ok(())
}

/// Whether a `met` computed from `actual` may flip within the tolerance.
fn met_fragile(actual: &Metric, value: Option<&Q>, tol: &Q, tol_amount: &Q) -> bool {
    if actual.denominator.as_ref().is_some_and(|d| d.abs() <= *tol_amount) {
        return true;
    }
    match (&actual.value, value) {
        (Some(a), Some(v)) => met_boundary_distance(a, v) <= *tol,
        _ => false,
    }
}

/// Compares the whole projection (the engine's `Projection::to_json()`).
pub fn projection(o: &Projection, e: &Value, tol: &Tolerance) -> Result<Counts, String> {
    let mut counts = Counts::default();
    let fragile = o.run.fragile_from;
    let months: Vec<&str> = e["months"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    if months != o.months.iter().map(String::as_str).collect::<Vec<_>>() {
        return Err(format!("months: engine {months:?}"));
    }
    if e["as_of"].as_str().map(str::to_string) != o.as_of {
        return Err(format!("as_of: engine {} oracle {:?}", e["as_of"], o.as_of));
    }
    series("region", &o.region, &e["region"], fragile, tol, &mut counts)?;
    let zones = e["zones"].as_object().ok_or("no zones")?;
    if zones.len() != o.zones.len() {
        return Err(format!("zones: engine {:?}", zones.keys().collect::<Vec<_>>()));
    }
    for (name, s) in &o.zones {
        series(&format!("zones.{name}"), s, &zones[name], fragile, tol, &mut counts)?;
    }
    let institutions = e["institutions"].as_object().ok_or("no institutions")?;
    for (id, s) in &o.institutions {
        series(&format!("institutions.{id}"), s, &institutions[id], fragile, tol, &mut counts)?;
    }
    if fragile.is_some() {
        // Targets, tracking and the assessment read year-ends that hang on the fragile branch.
        counts.fragile_months += 1;
        return Ok(counts);
    }
    let targets = e["targets"].as_array().ok_or("no targets")?;
    for (t, et) in o.targets.iter().zip(targets) {
        let here = format!("targets.{}", t.id);
        metric(&here, &t.metric, &t.actual, &et["actual"], tol, &mut counts)?;
        if let Some(v) = &t.value {
            amount(&here, "value", v, &et["value"], tol, &mut counts)?;
        }
        if met_fragile(&t.actual, t.value.as_ref(), tol.for_metric(&t.metric), &tol.amount) {
            counts.met_at_boundary += 1;
        } else if et["met"].as_bool() != Some(t.met) {
            counts.mismatches.push(Mismatch {
                path: format!("{here}.met ({})", t.metric),
                message: format!(
                    "{here}.met: engine {} oracle {} (actual {})",
                    et["met"],
                    t.met,
                    show_opt(&t.actual.value)
                ),
            });
        }
        let margin = Metric { value: t.margin.clone(), denominator: t.actual.denominator.clone() };
        metric(&here, &format!("margin ({})", t.metric), &margin, &et["margin"], tol, &mut counts)
            .map_err(|m| m.replace(&format!("margin ({})", t.metric), "margin"))?;
        if o.plan_failed {
            continue;
        }
        match &t.planned {
            Some(p) => metric(&here, &format!("planned.{}", t.metric), p, &et["planned"], tol, &mut counts)
                .map_err(|m| m.replace(&format!("planned.{}", t.metric), "planned"))?,
            None if et.get("planned").is_some() => {
                return Err(format!("{here}.planned: engine has one, oracle none"));
            }
            None => {}
        }
    }
    match (&o.tracking, e.get("tracking")) {
        (Some(tr), Some(et)) => {
            let mut one =
                |at: &str, p: &delever_oracle::output::Progress, ev: &Value| -> Result<(), String> {
                    if ev["as_of"].as_str() != Some(p.as_of.as_str())
                        || ev["year"].as_i64() != Some(p.year as i64)
                    {
                        return Err(format!("{at}: engine year/as_of {} {}", ev["year"], ev["as_of"]));
                    }
                    for (name, m) in &p.fields {
                        metric(at, name, m, &ev[*name], tol, &mut counts)?;
                    }
                    Ok(())
                };
            one("tracking.region", &tr.region, &et["region"])?;
            for (z, p) in &tr.zones {
                one(&format!("tracking.zones.{z}"), p, &et["zones"][z])?;
            }
            for (i, p) in &tr.institutions {
                one(&format!("tracking.institutions.{i}"), p, &et["institutions"][i])?;
            }
        }
        (None, None) => {}
        (None, Some(_)) if o.plan_failed => {}
        (a, b) => return Err(format!("tracking: oracle {} engine {}", a.is_some(), b.is_some())),
    }
    Ok(counts)
}

/// Compares the assessment block (section 10).
pub fn assessment(
    o: Option<&delever_oracle::division::Scores>,
    e: Option<&Value>,
    tol: &Tolerance,
    counts: &mut Counts,
) -> Result<(), String> {
    let (o, e) = match (o, e) {
        (None, None) => return Ok(()),
        (Some(o), Some(e)) => (o, e),
        (a, b) => return Err(format!("assessment: oracle {} engine {}", a.is_some(), b.is_some())),
    };
    let entries = e["entries"].as_array().ok_or("assessment: no entries")?;
    if entries.len() != o.entries.len() {
        return Err(format!("assessment: {} entries, oracle {}", entries.len(), o.entries.len()));
    }
    let find = |id: &str| entries.iter().find(|x| x["id"].as_str() == Some(id));
    // Values first, each entity by id.
    let mut ties = false;
    for oe in &o.entries {
        let ee = find(&oe.id).ok_or(format!("assessment: engine has no {}", oe.id))?;
        for (c, (oc, ec)) in
            oe.criteria.iter().zip(ee["criteria"].as_array().into_iter().flatten()).enumerate()
        {
            metric(
                &format!("assessment.{}.criteria[{c}]", oe.id),
                &oc.metric,
                &oc.value,
                &ec["value"],
                tol,
                counts,
            )?;
            if oc.value.denominator.as_ref().is_some_and(|d| d.abs() <= tol.amount) {
                ties = true;
            }
        }
    }
    // Ranks hang on ties: two values within the tolerance of each other, unless equal on both sides.
    let criteria = o.entries.first().map_or(0, |e| e.criteria.len());
    for c in 0..criteria {
        for a in &o.entries {
            for b in &o.entries {
                if a.id >= b.id {
                    continue;
                }
                let (Some(va), Some(vb)) = (&a.criteria[c].value.value, &b.criteria[c].value.value) else {
                    continue;
                };
                let bound = tol.for_metric(&a.criteria[c].metric);
                if (va - vb).abs() <= *bound {
                    let ea = engine_decimal(&find(&a.id).unwrap()["criteria"][c]["value"])?;
                    let eb = engine_decimal(&find(&b.id).unwrap()["criteria"][c]["value"])?;
                    if !(va == vb && ea == eb) {
                        ties = true;
                    }
                }
            }
        }
    }
    if ties {
        counts.rank_ties += 1;
        return Ok(());
    }
    for oe in &o.entries {
        let ee = find(&oe.id).unwrap();
        let at = format!("assessment.{}", oe.id);
        for (c, (oc, ec)) in
            oe.criteria.iter().zip(ee["criteria"].as_array().into_iter().flatten()).enumerate()
        {
            let here = format!("{at}.criteria[{c}]");
            let rank = engine_decimal(&ec["rank"])?;
            if rank != oc.rank {
                return Err(format!("{here}.rank: engine {} oracle {}", show_opt(&rank), show_opt(&oc.rank)));
            }
            metric(
                &here,
                "points",
                &Metric { value: Some(oc.points.clone()), denominator: None },
                &ec["points"],
                tol,
                counts,
            )?;
        }
        metric(
            &at,
            "total",
            &Metric { value: Some(oe.total.clone()), denominator: None },
            &ee["total"],
            tol,
            counts,
        )?;
    }
    // Order and entry ranks, unless two totals are within the tolerance without being equal.
    let totals_close = o.entries.windows(2).any(|w| {
        let d = (&w[0].total - &w[1].total).abs();
        !d.is_zero() && d <= tol.amount
    });
    if totals_close {
        counts.rank_ties += 1;
        return Ok(());
    }
    for (i, (oe, ee)) in o.entries.iter().zip(entries).enumerate() {
        if ee["id"].as_str() != Some(oe.id.as_str()) || ee["rank"].as_u64() != Some(oe.rank as u64) {
            return Err(format!(
                "assessment.entries[{i}]: engine {} rank {}, oracle {} rank {}",
                ee["id"], ee["rank"], oe.id, oe.rank
            ));
        }
    }
    Ok(())
}

/// Compares a decomposition (section 10) with the engine's.
pub fn decomposition(
    o: &[delever_oracle::division::Divided],
    e: &[delever_model::division::Divided],
    tol: &Tolerance,
    counts: &mut Counts,
) -> Result<(), String> {
    if o.len() != e.len() {
        return Err(format!("decompose: {} targets, oracle {}", e.len(), o.len()));
    }
    for (od, ed) in o.iter().zip(e) {
        if od.id != ed.target.id {
            return Err(format!("decompose: engine target {}, oracle {}", ed.target.id, od.id));
        }
        if od.near_zero_basis {
            let same_shares = od.parts.iter().zip(&ed.parts).all(|(op, ep)| {
                parse_decimal(&ep.share.to_string()).is_some_and(|e| (&e - &op.share).abs() <= tol.ratio)
            });
            if !same_shares {
                counts.met_at_boundary += 1;
                continue;
            }
        }
        for (op, ep) in od.parts.iter().zip(&ed.parts) {
            let at = format!("decompose.{}.{}", od.id, op.institution);
            let j = |d: Option<String>| d.map_or(Value::Null, Value::String);
            let share_den = None;
            metric(
                &at,
                "share",
                &Metric { value: Some(op.share.clone()), denominator: share_den },
                &j(Some(ep.share.to_string())),
                &Tolerance { amount: tol.ratio.clone(), ratio: tol.ratio.clone() },
                counts,
            )?;
            metric(
                &at,
                "value",
                &Metric { value: Some(op.value.clone()), denominator: None },
                &j(Some(ep.value.to_string())),
                tol,
                counts,
            )?;
            metric(
                &at,
                &od.metric,
                &Metric { value: op.actual.clone(), denominator: None },
                &j(ep.actual.map(|d| d.to_string())),
                tol,
                counts,
            )?;
            metric(
                &at,
                "margin",
                &Metric { value: op.margin.clone(), denominator: None },
                &j(ep.margin.map(|d| d.to_string())),
                tol,
                counts,
            )?;
            let fragile =
                op.actual.as_ref().is_some_and(|a| met_boundary_distance(a, &op.value) <= tol.amount);
            if fragile {
                counts.met_at_boundary += 1;
            } else if op.met != ep.met {
                counts.mismatches.push(Mismatch {
                    path: format!("{at}.met"),
                    message: format!(
                        "{at}.met: engine {} oracle {} (actual {}, part value {})",
                        ep.met,
                        op.met,
                        op.actual.as_ref().map_or("null".into(), |q| q.to_string()),
                        op.value
                    ),
                });
            }
        }
    }
    Ok(())
}

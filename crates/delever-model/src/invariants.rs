//! The accounting identities of MODEL.md section 3, checked on a finished [`Projection`].
//!
//! For tests and fuzzers outside the engine (the page's state machine, the lever matrix,
//! the model's own property tests): every institution's every month satisfies
//! `L = P + N`, `ΔN = F − Dsp`, `Dep, P, N, R ≥ 0`, `F ≥ 0`, `Σ X_c = Dsp ≤ N + F`, and the
//! region's and each zone's stocks are the exact sums of their institutions'. The
//! engine never calls this; a violation is an engine bug, reported as text naming where.

use rust_decimal::Decimal;

use crate::Scenario;
use crate::output::{MonthMetrics, Projection, Series};

/// How far a reordered sum may be from its terms: MODEL.md's 1e-20, plus one unit in the
/// 25th significant digit for amounts above ~1e8, where 28 digits cannot hold 1e-20.
pub fn close(a: Decimal, b: Decimal) -> bool {
    let scale = a.abs().max(b.abs());
    let allowed = scale.checked_mul(Decimal::new(1, 25)).and_then(|s| s.checked_add(Decimal::new(1, 20)));
    match (a.checked_sub(b), allowed) {
        (Some(difference), Some(allowed)) => difference.abs() <= allowed,
        _ => false,
    }
}

/// Checks every identity on `projection`, the result of simulating `scenario`.
/// `Err` names the first violation (entity, month, identity and the numbers).
pub fn check_projection(scenario: &Scenario, projection: &Projection) -> Result<(), String> {
    if projection.institutions.len() != scenario.institutions.len() {
        return Err(format!(
            "{} institutions in the projection, {} in the scenario",
            projection.institutions.len(),
            scenario.institutions.len()
        ));
    }
    for (institution, (id, series)) in scenario.institutions.iter().zip(&projection.institutions) {
        check_series(id, institution.opening.npl, series)?;
    }
    let all: Vec<&Series> = projection.institutions.iter().map(|(_, s)| s).collect();
    check_sums("region", &projection.region, &all)?;
    for (zone, series) in &projection.zones {
        let members: Vec<&Series> = scenario
            .institutions
            .iter()
            .zip(&projection.institutions)
            .filter(|(inst, _)| inst.zone.as_deref() == Some(zone.as_str()))
            .map(|(_, (_, s))| s)
            .collect();
        check_sums(&format!("zone {zone}"), series, &members)?;
    }
    for year_end in &projection.region.year_ends {
        let by_channel = sum(year_end.disposal_by_channel.iter().copied());
        if !by_channel.is_some_and(|total| close(total, year_end.disposal)) {
            return Err(format!(
                "region {}: Σ disposal by channel {by_channel:?} ≠ disposal {}",
                year_end.year, year_end.disposal
            ));
        }
    }
    Ok(())
}

/// One institution's months, from its opening NPL stock.
fn check_series(id: &str, opening_npl: Decimal, series: &Series) -> Result<(), String> {
    let mut previous_npl = opening_npl;
    for m in &series.monthly {
        let at = format!("{id} {}", m.month);
        if m.performing.checked_add(m.npl) != Some(m.loans) {
            return Err(format!("{at}: L = P + N fails: {} ≠ {} + {}", m.loans, m.performing, m.npl));
        }
        // A reported month's stocks are the reported ones: its formation may be a reported
        // figure that does not roll forward, or a negative residual (MODEL.md section 9).
        if m.actual {
            if m.performing.is_sign_negative() && !m.performing.is_zero() {
                return Err(format!("{at}: performing is negative ({})", m.performing));
            }
            let by_channel = sum(m.disposal_by_channel.iter().copied());
            if !by_channel.is_some_and(|total| close(total, m.disposal)) {
                return Err(format!("{at}: Σ X_c {by_channel:?} ≠ Dsp {}", m.disposal));
            }
            previous_npl = m.npl;
            continue;
        }
        let change = m.npl.checked_sub(previous_npl);
        let net = m.formation.checked_sub(m.disposal);
        if !matches!((change, net), (Some(c), Some(n)) if close(c, n)) {
            return Err(format!(
                "{at}: ΔN = F − Dsp fails: ΔN {change:?}, F {} , Dsp {}",
                m.formation, m.disposal
            ));
        }
        for (name, value) in [
            ("deposits", m.deposits),
            ("performing", m.performing),
            ("npl", m.npl),
            ("provisions", m.provisions),
            ("formation", m.formation),
            ("disposal", m.disposal),
        ] {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(format!("{at}: {name} is negative ({value})"));
            }
        }
        let by_channel = sum(m.disposal_by_channel.iter().copied());
        if !by_channel.is_some_and(|total| close(total, m.disposal)) {
            return Err(format!("{at}: Σ X_c {by_channel:?} ≠ Dsp {}", m.disposal));
        }
        let available = previous_npl.checked_add(m.formation);
        if available.is_none_or(|available| m.disposal > available) {
            return Err(format!("{at}: Dsp {} > N {previous_npl} + F {}", m.disposal, m.formation));
        }
        previous_npl = m.npl;
    }
    Ok(())
}

/// An aggregate's stocks are the exact sums of its members', month by month, rounded once
/// ([`crate::sum`]).
fn check_sums(name: &str, aggregate: &Series, members: &[&Series]) -> Result<(), String> {
    type Pick = fn(&MonthMetrics) -> Decimal;
    let stocks: [(&str, Pick); 5] = [
        ("npl", |m| m.npl),
        ("loans", |m| m.loans),
        ("performing", |m| m.performing),
        ("deposits", |m| m.deposits),
        ("provisions", |m| m.provisions),
    ];
    for (index, month) in aggregate.monthly.iter().enumerate() {
        for (stock, pick) in stocks {
            let total = sum(members.iter().map(|s| s.monthly.get(index).map_or(Decimal::MAX, pick)));
            if total != Some(pick(month)) {
                return Err(format!(
                    "{name} {}: {stock} {} ≠ Σ institutions {total:?}",
                    month.month,
                    pick(month)
                ));
            }
        }
    }
    Ok(())
}

/// The exact sum, rounded once (`None` on overflow).
fn sum(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    crate::sum::exact_sum(values)
}

//! MODEL.md section 9's outputs beside the plan: each target's value in the plan (`planned`), and the `tracking` block of the as-of year for the region, each zone and each institution.
//!
//! The plan is the same scenario without its actuals: the compiled plan with its reported
//! months removed, run once more.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::engine::{MonthRecord, Plan, Run};
use crate::num::{decimal_json, fmt_decimal, ratio};

/// One entity's progress in the as-of year.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub year: i32,
    pub as_of: String,
    /// `A_y` of this run.
    pub disposal_plan: Decimal,
    /// `Σ Dsp_m` over the year's reported months.
    pub disposal_to_date: Decimal,
    /// `Σ A_y × w_k` over the same months (时序进度 as an amount).
    pub scheduled_to_date: Decimal,
    pub completion: Option<Decimal>,
    /// `scheduled − to date` (positive: behind schedule).
    pub behind: Decimal,
    /// `Rem / (12 − k_a)`, `Rem` summed as each institution's own; `None` when `k_a = 12`.
    pub required_monthly: Option<Decimal>,
    pub npl_vs_plan: Decimal,
    pub loans_vs_plan: Decimal,
    pub deposits_vs_plan: Decimal,
    pub npl_ratio_vs_plan: Option<Decimal>,
}

impl Progress {
    pub fn to_json(&self) -> Value {
        json!({
            "year": self.year,
            "as_of": self.as_of,
            "disposal_plan": fmt_decimal(self.disposal_plan),
            "disposal_to_date": fmt_decimal(self.disposal_to_date),
            "scheduled_to_date": fmt_decimal(self.scheduled_to_date),
            "completion": decimal_json(self.completion),
            "behind": fmt_decimal(self.behind),
            "required_monthly": decimal_json(self.required_monthly),
            "npl_vs_plan": fmt_decimal(self.npl_vs_plan),
            "loans_vs_plan": fmt_decimal(self.loans_vs_plan),
            "deposits_vs_plan": fmt_decimal(self.deposits_vs_plan),
            "npl_ratio_vs_plan": decimal_json(self.npl_ratio_vs_plan),
        })
    }
}

/// The `tracking` block: the region, each zone (first-named order), each institution.
#[derive(Clone, Debug, PartialEq)]
pub struct Tracking {
    pub region: Progress,
    pub zones: Vec<(String, Progress)>,
    pub institutions: Vec<(String, Progress)>,
}

impl Tracking {
    pub fn to_json(&self) -> Value {
        let object = |list: &[(String, Progress)]| {
            let mut map = Map::new();
            for (id, p) in list {
                map.insert(id.clone(), p.to_json());
            }
            Value::Object(map)
        };
        json!({
            "region": self.region.to_json(),
            "zones": object(&self.zones),
            "institutions": object(&self.institutions),
        })
    }
}

/// `plan` without its reported months: the plan of section 9.
pub fn without_actuals(plan: &Plan) -> Plan {
    let mut bare = plan.clone();
    bare.as_of = 0;
    for inst in &mut bare.institutions {
        inst.reported.clear();
    }
    bare
}

fn sum(values: impl Iterator<Item = Decimal>) -> Decimal {
    values.fold(Decimal::ZERO, |acc, x| acc.checked_add(x).unwrap_or(acc))
}

/// The progress of the institutions `members` (in file order) at the as-of month.
fn progress(plan: &Plan, run: &Run, bare: &Run, members: &[usize], first_year: i32) -> Progress {
    let a = plan.as_of;
    let y = a.saturating_sub(1) / 12;
    let k_a = a.saturating_sub(y.saturating_mul(12));
    let months = y.saturating_mul(12)..a;
    let own = |i: usize| run.institution(i).get(months.clone()).unwrap_or(&[]);
    let to_date_of = |i: usize| sum(own(i).iter().map(|r| r.disposal));
    let disposal_plan = sum(members.iter().map(|&i| run.plan_of(i, y)));
    let disposal_to_date = sum(members.iter().map(|&i| to_date_of(i)));
    let scheduled_to_date = sum(members.iter().map(|&i| sum(own(i).iter().map(|r| r.planned))));
    let rem = sum(members
        .iter()
        .map(|&i| run.plan_of(i, y).checked_sub(to_date_of(i)).unwrap_or_default().max(Decimal::ZERO)));
    let at = |r: &Run, pick: fn(&MonthRecord) -> Decimal| {
        sum(members.iter().filter_map(|&i| r.institution(i).get(a.saturating_sub(1))).map(pick))
    };
    let (npl, loans, deposits) = (at(run, |r| r.npl), at(run, |r| r.loans), at(run, |r| r.deposits));
    let (npl0, loans0, deposits0) = (at(bare, |r| r.npl), at(bare, |r| r.loans), at(bare, |r| r.deposits));
    let minus = |x: Decimal, y: Decimal| x.checked_sub(y).unwrap_or_default();
    Progress {
        year: first_year.saturating_add(i32::try_from(y).unwrap_or(0)),
        as_of: plan.labels.get(a.saturating_sub(1)).cloned().unwrap_or_default(),
        disposal_plan,
        disposal_to_date,
        scheduled_to_date,
        completion: ratio(disposal_to_date, disposal_plan),
        behind: minus(scheduled_to_date, disposal_to_date),
        required_monthly: (k_a < 12)
            .then(|| rem.checked_div(Decimal::from(12usize.saturating_sub(k_a))))
            .flatten(),
        npl_vs_plan: minus(npl, npl0),
        loans_vs_plan: minus(loans, loans0),
        deposits_vs_plan: minus(deposits, deposits0),
        npl_ratio_vs_plan: match (ratio(npl, loans), ratio(npl0, loans0)) {
            (Some(x), Some(y)) => x.checked_sub(y),
            _ => None,
        },
    }
}

/// The tracking block of a run with actuals, beside `bare`, the run of its plan.
pub fn tracking(scenario: &crate::Scenario, plan: &Plan, run: &Run, bare: &Run) -> Tracking {
    let first_year = scenario.first_year();
    let all: Vec<usize> = (0..plan.institutions.len()).collect();
    let zones = scenario
        .zones()
        .into_iter()
        .map(|zone| (zone.to_string(), progress(plan, run, bare, &scenario.zone_members(zone), first_year)))
        .collect();
    let institutions = scenario
        .institutions
        .iter()
        .enumerate()
        .map(|(i, inst)| (inst.id.clone(), progress(plan, run, bare, &[i], first_year)))
        .collect();
    Tracking { region: progress(plan, run, bare, &all, first_year), zones, institutions }
}

//! Target checks (MODEL.md section 2, "Targets") and the warnings that are data, not errors.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::engine::{Plan, Run};
use crate::num::{decimal_json, fmt_decimal, round8};
use crate::output::Projection;
use crate::reference::{self, floors};
use crate::scenario::{Op, Scenario, Scope, Target, TargetValue};

/// The outcome of one target.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult {
    pub target: Target,
    /// The threshold, with `national_average` resolved from the reference table.
    pub value: Decimal,
    pub actual: Option<Decimal>,
    pub met: bool,
    /// `actual − value` for `ge`, `value − actual` for `le`; positive means room to spare.
    pub margin: Option<Decimal>,
    /// For `national_average`: where the figure comes from (in English, as the JSON speaks).
    pub source: Option<String>,
    /// For `national_average`: whether the figure is the scenario's assumption (section 11).
    pub assumed: bool,
    /// With actuals (section 9): the target's `actual` in the plan (the scenario without its
    /// actuals); `None` without actuals (not printed).
    pub planned: Option<Option<Decimal>>,
}

impl TargetResult {
    pub fn to_json(&self) -> Value {
        let t = &self.target;
        let mut value = json!({
            "id": t.id,
            "metric": t.metric,
            "op": t.op.name(),
            "value": fmt_decimal(self.value),
            "year": t.year,
            "scope": t.scope.name(),
            "actual": decimal_json(self.actual),
            "met": self.met,
            "margin": decimal_json(self.margin),
        });
        if let (Some(planned), Some(map)) = (self.planned, value.as_object_mut()) {
            map.insert("planned".into(), decimal_json(planned));
        }
        if let (TargetValue::NationalAverage(_), Some(map)) = (&t.value, value.as_object_mut()) {
            map.insert("value_from".into(), json!("national_average"));
            map.insert("basis".into(), json!("commercial banks (商业银行)"));
            if self.assumed {
                map.insert("assumed".into(), json!(true));
            }
            if let Some(source) = &self.source {
                map.insert("source".into(), json!(source));
            }
        }
        value
    }
}

/// The threshold of a target (the reference figure for `national_average`).
pub fn threshold(target: &Target) -> Decimal {
    match target.value {
        TargetValue::Fixed(v) => v,
        TargetValue::NationalAverage(ratio) => ratio,
    }
}

/// Checks `actual` against a target: the comparison uses `actual` rounded half-even to 8 places.
pub fn check(target: &Target, actual: Option<Decimal>) -> (bool, Option<Decimal>) {
    let value = threshold(target);
    match actual {
        None => (false, None),
        Some(a) => {
            let rounded = round8(a);
            let met = match target.op {
                Op::Ge => rounded >= value,
                Op::Le => rounded <= value,
            };
            let margin = match target.op {
                Op::Ge => a.checked_sub(value),
                Op::Le => value.checked_sub(a),
            };
            (met, margin)
        }
    }
}

/// Evaluates every target of the scenario against a projection.
pub fn evaluate(scenario: &Scenario, projection: &Projection) -> Vec<TargetResult> {
    scenario
        .targets
        .iter()
        .map(|target| {
            let actual = projection
                .scope(&target.scope)
                .and_then(|series| series.year(target.year))
                .and_then(|year_end| year_end.get(&target.metric));
            let (met, margin) = check(target, actual);
            let figure = match target.value {
                TargetValue::NationalAverage(_) => scenario.national_npl_ratio(target.year),
                TargetValue::Fixed(_) => None,
            };
            TargetResult {
                target: target.clone(),
                value: threshold(target),
                actual,
                met,
                margin,
                source: figure.map(|f| f.source(crate::Lang::En)),
                assumed: figure.is_some_and(|f| f.is_assumed()),
                planned: None,
            }
        })
        .collect()
}

/// A fact about the projection worth telling the user; data, not an error.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
    pub message_zh: String,
    pub institution: Option<String>,
    pub year: Option<i32>,
    pub target: Option<String>,
}

impl Warning {
    fn new(code: &'static str, message: String, message_zh: String) -> Warning {
        Warning { code, message, message_zh, institution: None, year: None, target: None }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.message,
            crate::Lang::Zh => &self.message_zh,
        }
    }

    pub fn to_json(&self) -> Value {
        let mut value = json!({"code": self.code, "message": self.message, "message_zh": self.message_zh});
        if let Some(map) = value.as_object_mut() {
            if let Some(i) = &self.institution {
                map.insert("institution".into(), json!(i));
            }
            if let Some(y) = self.year {
                map.insert("year".into(), json!(y));
            }
            if let Some(t) = &self.target {
                map.insert("target".into(), json!(t));
            }
        }
        value
    }
}

fn pct(value: Decimal) -> String {
    let hundred = Decimal::ONE_HUNDRED;
    let v = value.checked_mul(hundred).unwrap_or_default().round_dp(2);
    format!("{}%", fmt_decimal(v))
}

fn amount(value: Decimal) -> String {
    fmt_decimal(value.round_dp(2))
}

/// The warnings of a finished run.
/// Section 9, step 9: each institution-month whose reported formation leaves
/// `|N_{m−1} + F_m − Dsp_m − N_m|` above 1% of `max(N_{m−1}, N_m)` (the reported stocks are
/// used all the same).
fn roll_forward(plan: &Plan, run: &Run) -> Vec<Warning> {
    let mut out = Vec::new();
    let one_percent = Decimal::new(1, 2);
    for (i, inst) in plan.institutions.iter().enumerate() {
        let records = run.institution(i);
        for (m, reported) in inst.reported.iter().enumerate() {
            if reported.formation.is_none() {
                continue;
            }
            let (Some(record), Some(before)) = (
                records.get(m),
                if m == 0 { Some(inst.npl0) } else { records.get(m.saturating_sub(1)).map(|r| r.npl) },
            ) else {
                continue;
            };
            let gap = before
                .checked_add(record.formation)
                .and_then(|x| x.checked_sub(record.disposal))
                .and_then(|x| x.checked_sub(record.npl))
                .map(|x| x.abs());
            let limit = before.max(record.npl).checked_mul(one_percent);
            if let (Some(gap), Some(limit)) = (gap, limit)
                && gap > limit
            {
                let month = plan.labels.get(m).cloned().unwrap_or_default();
                let mut w = Warning::new(
                    "actuals_roll_forward",
                    format!(
                        "the report of \"{}\" for {month} does not roll forward: last month's NPL + formation − disposal differs from the reported NPL by {} (more than 1%); the reported NPL is used",
                        inst.id,
                        fmt_decimal(gap)
                    ),
                    format!(
                        "\"{}\" {month} 的报送数不衔接：上月不良 + 本月生成 − 本月处置 与报送不良相差 {}（超过 1%）；仍采用报送的不良余额",
                        inst.id,
                        fmt_decimal(gap)
                    ),
                );
                w.institution = Some(inst.id.clone());
                out.push(w);
            }
        }
    }
    out
}

pub fn warnings(scenario: &Scenario, projection: &Projection, run: &Run, plan: &Plan) -> Vec<Warning> {
    let capped = |i: usize| {
        let mut months = run.institution(i).iter().enumerate().filter(|(_, r)| r.capped).map(|(m, _)| m);
        let first = months.next();
        first.map(|first| (months.count().saturating_add(1), first))
    };
    warnings_with(scenario, projection, plan, roll_forward(plan, run), &capped)
}

/// [`warnings`] from what they read of a run: the roll-forward warnings, and per institution
/// `capped(i)`, the number of months its formation was capped and the first of them (none:
/// `None`). A projection merged from parts (`crate::parts`) has these without one whole run.
pub(crate) fn warnings_with(
    scenario: &Scenario,
    projection: &Projection,
    plan: &Plan,
    roll_forward: Vec<Warning>,
    capped: &dyn Fn(usize) -> Option<(usize, usize)>,
) -> Vec<Warning> {
    let mut out = Vec::new();
    out.extend(never_binding(scenario));
    let published_2018 = scenario.national_npl_ratio(2018).is_some_and(|f| !f.is_assumed());
    if published_2018
        && scenario
            .targets
            .iter()
            .any(|t| matches!(t.value, TargetValue::NationalAverage(_)) && t.year == 2018)
    {
        out.push(Warning::new(
            "national_average_2018",
            format!(
                "the 2018 national average NPL ratio used is 1.83% as first published; it was later restated as {}",
                pct(reference::RESTATED_2018)
            ),
            format!("2018 年全国商业银行不良贷款率采用首次发布数 1.83%，后修订为 {}", pct(reference::RESTATED_2018)),
        ));
    }
    let unit = &scenario.unit;
    out.extend(roll_forward);
    for (i, inst) in plan.institutions.iter().enumerate() {
        if let Some((count, first)) = capped(i) {
            let month = plan.labels.get(first).cloned().unwrap_or_default();
            let mut w = Warning::new(
                "formation_capped",
                format!(
                    "NPL formation of \"{}\" was capped at its performing loans in {count} month(s), first in {month}",
                    inst.id,
                ),
                format!("机构 \"{}\" 有 {count} 个月的不良生成被正常贷款余额封顶，首次在 {month}", inst.id,),
            );
            w.institution = Some(inst.id.clone());
            out.push(w);
        }
        if let Some((_, series)) = projection.institutions.get(i) {
            for ye in &series.year_ends {
                if ye.disposal_shortfall > Decimal::ZERO && round8(ye.disposal_shortfall) > Decimal::ZERO {
                    let mut w = Warning::new(
                        "disposal_shortfall",
                        format!(
                            "\"{}\" could dispose of only {} of its {} {unit} plan in {}: not enough NPL (shortfall {})",
                            inst.id,
                            amount(ye.disposal),
                            amount(ye.disposal_plan),
                            ye.year,
                            amount(ye.disposal_shortfall)
                        ),
                        format!(
                            "机构 \"{}\" {} 年处置计划 {} {unit}，因不良不足仅处置 {}（缺口 {}）",
                            inst.id,
                            ye.year,
                            amount(ye.disposal_plan),
                            amount(ye.disposal),
                            amount(ye.disposal_shortfall)
                        ),
                    );
                    w.institution = Some(inst.id.clone());
                    w.year = Some(ye.year);
                    out.push(w);
                }
                if let Some(k) = ye.tier1_capital
                    && k < Decimal::ZERO
                {
                    let mut w = Warning::new(
                        "capital_negative",
                        format!(
                            "tier-1 capital of \"{}\" is negative ({}) at end-{}",
                            inst.id,
                            amount(k),
                            ye.year
                        ),
                        format!("机构 \"{}\" {} 年末一级资本为负（{}）", inst.id, ye.year, amount(k)),
                    );
                    w.institution = Some(inst.id.clone());
                    w.year = Some(ye.year);
                    out.push(w);
                } else if let Some(lr) = ye.leverage_ratio
                    && lr < floors::LEVERAGE_MIN
                {
                    let mut w = Warning::new(
                        "leverage_below_minimum",
                        format!(
                            "leverage ratio of \"{}\" is {} at end-{}, below the 4% regulatory minimum",
                            inst.id,
                            pct(lr),
                            ye.year
                        ),
                        format!(
                            "机构 \"{}\" {} 年末杠杆率 {}，低于 4% 的监管最低要求",
                            inst.id,
                            ye.year,
                            pct(lr)
                        ),
                    );
                    w.institution = Some(inst.id.clone());
                    w.year = Some(ye.year);
                    out.push(w);
                }
            }
        }
    }
    for ye in &projection.region.year_ends {
        if let Some(c) = ye.coverage
            && c < floors::COVERAGE_LOW
        {
            let mut w = Warning::new(
                "coverage_below_floor",
                format!(
                    "region provision coverage is {} at end-{}, below the 120% regulatory floor",
                    pct(c),
                    ye.year
                ),
                format!("{} 年末全辖拨备覆盖率 {}，低于 120% 的监管下限", ye.year, pct(c)),
            );
            w.year = Some(ye.year);
            out.push(w);
        }
        if let Some(a) = ye.allowance_ratio
            && a < floors::ALLOWANCE_LOW
            && !ye.loans.is_zero()
        {
            let mut w = Warning::new(
                "allowance_below_floor",
                format!(
                    "region allowance ratio (拨贷比) is {} at end-{}, below the 1.5% floor",
                    pct(a),
                    ye.year
                ),
                format!("{} 年末全辖拨贷比 {}，低于 1.5% 的监管下限", ye.year, pct(a)),
            );
            w.year = Some(ye.year);
            out.push(w);
        }
    }
    out
}

/// An NPL-ratio ceiling that can never bind because an NPL ceiling and a loan floor
/// for the same scope and year already imply a lower ratio (Licheng 2019: 1.7 / 532 = 0.32% < 1.01%).
pub fn never_binding(scenario: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    for ratio_target in scenario.targets.iter().filter(|t| t.metric == "npl_ratio" && t.op == Op::Le) {
        let same = |t: &&Target| t.scope == ratio_target.scope && t.year == ratio_target.year;
        let npl_cap = scenario
            .targets
            .iter()
            .filter(same)
            .filter(|t| t.metric == "npl" && t.op == Op::Le)
            .map(threshold)
            .min();
        let loan_floor = scenario
            .targets
            .iter()
            .filter(same)
            .filter(|t| t.metric == "loans" && t.op == Op::Ge)
            .map(threshold)
            .max();
        let (Some(npl_cap), Some(loan_floor)) = (npl_cap, loan_floor) else { continue };
        if loan_floor <= Decimal::ZERO || npl_cap < Decimal::ZERO {
            continue;
        }
        let Some(implied) = npl_cap.checked_div(loan_floor) else { continue };
        let ceiling = threshold(ratio_target);
        if implied < ceiling {
            let scope = match &ratio_target.scope {
                Scope::Region => String::new(),
                Scope::Zone(zone) => format!(" for zone \"{zone}\""),
                Scope::Institution(id) => format!(" for \"{id}\""),
            };
            let mut w = Warning::new(
                "target_never_binds",
                format!(
                    "target \"{}\"{scope} can never bind: with loans ≥ {} and NPL ≤ {} the NPL ratio is at most {}, below its {} ceiling",
                    ratio_target.id,
                    fmt_decimal(loan_floor),
                    fmt_decimal(npl_cap),
                    pct(implied),
                    pct(ceiling)
                ),
                format!(
                    "目标 \"{}\" 不会起约束作用：贷款 ≥ {}、不良 ≤ {} 时不良贷款率至多 {}，已低于 {} 的上限",
                    ratio_target.id,
                    fmt_decimal(loan_floor),
                    fmt_decimal(npl_cap),
                    pct(implied),
                    pct(ceiling)
                ),
            );
            w.target = Some(ratio_target.id.clone());
            w.year = Some(ratio_target.year);
            out.push(w);
        }
    }
    out
}

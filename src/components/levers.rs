//! The lever panel: opening balances, growth, NPL formation, disposal plan and pacing, channels, and the advanced drivers.
//!
//! Levers are grouped as an official thinks about a plan. Each is a slider paired with a
//! number field (percent where a rate) bound to a JSON path of the scenario; in a
//! multi-year scenario a per-year lever can be split into one value per year.

use serde_json::Value;
use yew::prelude::*;

use crate::components::channels::ChannelMix;
use crate::components::field::{Field, shows_the_same};
use crate::i18n::tr;
use crate::path;
use crate::state::{Action, PageState, UiState};

#[derive(Properties, PartialEq)]
pub struct LeversProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
}

/// Deposit growth (a year), as in every lever panel.
pub fn deposit_growth_lever(state: &PageState, dispatch: &Callback<Action>) -> Html {
    let label = tr(state.lang, "存款增速", "Deposit growth");
    per_year_lever(state, dispatch, "defaults.deposit_growth", label, (-20.0, 50.0, 0.1))
}

/// Loan growth (a year), as in every lever panel.
pub fn loan_growth_lever(state: &PageState, dispatch: &Callback<Action>) -> Html {
    let label = tr(state.lang, "贷款增速", "Loan growth");
    per_year_lever(state, dispatch, "defaults.loan_growth", label, (-20.0, 50.0, 0.1))
}

/// The NPL formation rate (a year), as in every lever panel.
pub fn formation_lever(state: &PageState, dispatch: &Callback<Action>) -> Html {
    let label = tr(state.lang, "不良生成率（年）", "Formation rate (a year)");
    per_year_lever(state, dispatch, "defaults.npl_formation_rate", label, (0.0, 20.0, 0.05))
}

/// The first year of the scenario shown (labels of a lever split by year).
fn first_year(state: &UiState) -> i32 {
    state.current.as_ref().map(|c| c.scenario.first_year()).unwrap_or(2019)
}

/// How many values a lever split by year has (`None`: not split).
fn split_count(state: &UiState, path: &str) -> Option<usize> {
    path::get(&state.doc, path).and_then(Value::as_array).map(Vec::len)
}

/// The paths of the fields a per-year lever shows: `path`, or one per year when split.
fn per_year_paths(state: &UiState, path: &str) -> Vec<String> {
    match split_count(state, path) {
        Some(count) => (0..count).map(|i| format!("{path}[{i}]")).collect(),
        None => vec![path.to_string()],
    }
}

/// What a per-year lever shows besides its fields' values: the years (the toggle), the
/// first year (the labels) and whether and how it is split.
fn per_year_shape(state: &UiState, path: &str) -> (usize, i32, Option<usize>) {
    (state.years(), first_year(state), split_count(state, path))
}

/// The top of the yearly disposal amount's slider: up to what the scenario could dispose of.
fn disposal_amount_top(state: &UiState) -> f64 {
    state
        .current
        .as_ref()
        .map(|c| {
            let (_, to) = delever_model::Lever::Disposal.range(&c.scenario);
            rust_decimal::prelude::ToPrimitive::to_f64(&to).unwrap_or(20.0)
        })
        .unwrap_or(20.0)
        .max(1.0)
        .ceil()
}

/// A lever that may vary by year, for any panel: one field, or one per year when split.
pub fn per_year_lever(
    state: &PageState,
    dispatch: &Callback<Action>,
    path: &str,
    label: &'static str,
    slider: (f64, f64, f64),
) -> Html {
    let lang = state.lang;
    let years = state.years();
    let first_year = first_year(state);
    let split = path::get(&state.doc, path).is_some_and(Value::is_array);
    let toggle = (years > 1).then(|| {
        let dispatch = dispatch.clone();
        let p = path.to_string();
        let onchange = Callback::from(move |event: Event| {
            dispatch.emit(Action::SetPerYear { path: p.clone(), by_year: crate::web::event_checked(&event) })
        });
        html! {
            <label class="per-year-toggle">
                <input type="checkbox" checked={split} {onchange} data-field={format!("ui.per_year.{path}")} />
                { tr(lang, "逐年设置", "By year") }
            </label>
        }
    });
    let fields = if split {
        let count = path::get(&state.doc, path).and_then(Value::as_array).map_or(0, Vec::len);
        (0..count)
            .map(|i| {
                let year = first_year.saturating_add(i32::try_from(i).unwrap_or(0));
                html! {
                    <Field state={state.clone()} dispatch={dispatch.clone()}
                        path={format!("{path}[{i}]")} label={format!("{label} {year}")} slider={Some(slider)} />
                }
            })
            .collect::<Html>()
    } else {
        html! { <Field state={state.clone()} dispatch={dispatch.clone()} path={path.to_string()}
        label={label} slider={Some(slider)} /> }
    };
    html! { <div class="lever">{ toggle }{ fields }</div> }
}

/// The yearly disposal plan's lever: an amount (亿元 a year, up to what the scenario could
/// dispose of) or a rate, as the plan is written.
pub fn disposal_lever(state: &PageState, dispatch: &Callback<Action>) -> Html {
    let lang = state.lang;
    let plan = path::get(&state.doc, "defaults.disposal.plan").and_then(Value::as_str).unwrap_or("amount");
    if plan == "rate" {
        return per_year_lever(
            state,
            dispatch,
            "defaults.disposal.rate",
            tr(lang, "处置率", "Disposal rate"),
            (0.0, 100.0, 0.5),
        );
    }
    let amount_top = disposal_amount_top(state);
    per_year_lever(
        state,
        dispatch,
        "defaults.disposal.amount",
        tr(lang, "全年处置计划（亿元）", "Disposal plan a year"),
        (0.0, amount_top, 0.05),
    )
}

/// A `<select>` bound to `path`, dispatching `on_pick(value)`.
fn choice(
    state: &UiState,
    path: &str,
    label: &'static str,
    options: &[(&'static str, &'static str)],
    current: &str,
    on_pick: Callback<String>,
) -> Html {
    let id = crate::components::field::field_id(path);
    let onchange = Callback::from(move |event: Event| on_pick.emit(crate::web::event_value(&event)));
    let _ = state;
    html! {
        <div class="field choice">
            <label for={id.clone()}>{ label }</label>
            <select id={id} data-field={path.to_string()} {onchange}>
                { for options.iter().map(|(value, text)| html! {
                    <option value={*value} selected={*value == current}>{ *text }</option>
                }) }
            </select>
        </div>
    }
}

/// The groups of the lever panel, each a component of its own (see [`GroupProps`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeverGroup {
    /// Opening balances: as levers when the scenario is one institution, else a hint.
    Opening,
    /// Deposit and loan growth, and the loan growth basis.
    Growth,
    /// The NPL formation rate.
    Formation,
    /// The disposal plan (amount or rate) and its pacing over the year.
    Disposal,
    /// Recovery, provisioning, capital and the local AMC, folded away.
    Advanced,
}

impl LeverGroup {
    /// In the order the panel shows them (the channel mix comes after `Disposal`).
    pub const ALL: [LeverGroup; 5] = [
        LeverGroup::Opening,
        LeverGroup::Growth,
        LeverGroup::Formation,
        LeverGroup::Disposal,
        LeverGroup::Advanced,
    ];
}

/// One group of levers. Compared by what the group shows: its shape (which levers, how
/// split, the choices made, the sliders' ranges, the language; [`GroupShape`]) and each of
/// its fields' text, value and messages, so a lever move re-renders the one group (and in
/// it the one field) it changes, not the whole panel.
#[derive(Properties)]
pub struct GroupProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
    pub group: LeverGroup,
}

impl PartialEq for GroupProps {
    fn eq(&self, other: &GroupProps) -> bool {
        self.group == other.group
            && self.dispatch == other.dispatch
            && (self.state == other.state || group_shows_the_same(self.group, &self.state, &other.state))
    }
}

/// What a group shows besides its fields' own text, value and messages, and those fields.
#[derive(Debug, PartialEq)]
pub struct GroupShape {
    lang: delever_model::Lang,
    /// Everything else the group's markup reads from the state (choices, ranges, splits).
    looks: Vec<String>,
    /// The paths of the group's fields.
    fields: Vec<String>,
}

/// Whether `group` looks the same in both states.
pub fn group_shows_the_same(group: LeverGroup, a: &UiState, b: &UiState) -> bool {
    let shape = group_shape(group, a);
    shape == group_shape(group, b) && shape.fields.iter().all(|path| shows_the_same(a, b, path))
}

/// The opening balances' slider tops (deposits and loans; NPL and provisions) when the
/// scenario is one institution.
fn opening_tops(state: &UiState) -> Option<(f64, f64)> {
    let institutions = state.doc.get("institutions").and_then(Value::as_array).map_or(0, Vec::len);
    (institutions == 1).then(|| {
        let loans = state.current.as_ref().map_or(1000.0, |c| {
            rust_decimal::prelude::ToPrimitive::to_f64(&c.scenario.institutions[0].opening.loans)
                .unwrap_or(1000.0)
        });
        ((loans * 2.0).max(10.0).ceil(), (loans * 0.1).max(1.0).ceil())
    })
}

const OPENING_FIELDS: [&str; 4] = [
    "institutions[0].opening.deposits",
    "institutions[0].opening.loans",
    "institutions[0].opening.npl",
    "institutions[0].opening.provisions",
];

const ADVANCED_FIELDS: [&str; 8] = [
    "defaults.recovery.transfer",
    "defaults.recovery.securitization",
    "defaults.recovery.debt_equity",
    "defaults.recovery.foreclosure",
    "defaults.provisioning.coverage_floor",
    "defaults.provisioning.allowance_floor",
    "defaults.capital.pre_provision_return",
    "defaults.capital.retention",
];

const AMC_FIELDS: [&str; 3] = ["amc.opening_stock", "amc.inflow_share", "amc.disposal_rate"];

fn text_at<'a>(state: &'a UiState, path: &str, default: &'a str) -> &'a str {
    path::get(&state.doc, path).and_then(Value::as_str).unwrap_or(default)
}

fn pacing_kind(state: &UiState) -> &'static str {
    match path::get(&state.doc, "defaults.pacing") {
        Some(Value::Object(map)) if map.contains_key("h1_share") => "h1_share",
        Some(Value::Object(map)) if map.contains_key("weights") => "weights",
        _ => "even",
    }
}

/// The shape of `group` in `state`: read from the state exactly as the group's markup reads it.
pub fn group_shape(group: LeverGroup, state: &UiState) -> GroupShape {
    let mut looks = Vec::new();
    let mut fields = Vec::new();
    let per_year = |path: &str, looks: &mut Vec<String>, fields: &mut Vec<String>| {
        looks.push(format!("{path} {:?}", per_year_shape(state, path)));
        fields.extend(per_year_paths(state, path));
    };
    match group {
        LeverGroup::Opening => {
            let tops = opening_tops(state);
            looks.push(format!("{tops:?}"));
            if tops.is_some() {
                fields.extend(OPENING_FIELDS.iter().map(|p| p.to_string()));
            }
        }
        LeverGroup::Growth => {
            per_year("defaults.deposit_growth", &mut looks, &mut fields);
            per_year("defaults.loan_growth", &mut looks, &mut fields);
            looks.push(text_at(state, "defaults.loan_growth_basis", "lending").to_string());
        }
        LeverGroup::Formation => per_year("defaults.npl_formation_rate", &mut looks, &mut fields),
        LeverGroup::Disposal => {
            let plan = text_at(state, "defaults.disposal.plan", "amount");
            looks.push(plan.to_string());
            if plan == "rate" {
                per_year("defaults.disposal.rate", &mut looks, &mut fields);
            } else {
                looks.push(format!("{:?}", disposal_amount_top(state)));
                per_year("defaults.disposal.amount", &mut looks, &mut fields);
            }
            let pacing = pacing_kind(state);
            looks.push(pacing.to_string());
            match pacing {
                "h1_share" => fields.push("defaults.pacing.h1_share".to_string()),
                "weights" => fields.extend((0..12).map(|k| format!("defaults.pacing.weights[{k}]"))),
                _ => {}
            }
        }
        LeverGroup::Advanced => {
            fields.extend(ADVANCED_FIELDS.iter().map(|p| p.to_string()));
            let amc = state.doc.get("amc").is_some_and(Value::is_object);
            looks.push(amc.to_string());
            if amc {
                fields.extend(AMC_FIELDS.iter().map(|p| p.to_string()));
            }
        }
    }
    GroupShape { lang: state.lang, looks, fields }
}

#[function_component(Levers)]
pub fn levers(props: &LeversProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let dispatch = &props.dispatch;
    let group = |group: LeverGroup| html! { <LeverGroupView state={state.clone()} dispatch={dispatch.clone()} {group} /> };
    html! {
        <section class="levers" aria-labelledby="levers-title">
            <h2 id="levers-title">{ tr(lang, "调整参数", "Levers") }</h2>
            { group(LeverGroup::Opening) }
            { group(LeverGroup::Growth) }
            { group(LeverGroup::Formation) }
            { group(LeverGroup::Disposal) }
            <ChannelMix state={state.clone()} dispatch={dispatch.clone()} prefix="defaults" />
            { group(LeverGroup::Advanced) }
        </section>
    }
}

/// One group of the lever panel.
#[function_component(LeverGroupView)]
pub fn lever_group(props: &GroupProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let dispatch = &props.dispatch;
    let doc = &state.doc;
    let field = |path: &str, label: &'static str, slider: Option<(f64, f64, f64)>| {
        html! { <Field state={state.clone()} dispatch={dispatch.clone()} path={path.to_string()} {label} {slider} /> }
    };
    match props.group {
        LeverGroup::Opening => {
            // Opening balances: as levers when the scenario is one institution, else in the table.
            let opening = if let Some((top, npl_top)) = opening_tops(state) {
                html! {
                    <>
                        { field(OPENING_FIELDS[0], tr(lang, "各项存款（期初）", "Deposits (opening)"), Some((0.0, top, 0.5))) }
                        { field(OPENING_FIELDS[1], tr(lang, "各项贷款（期初）", "Loans (opening)"), Some((0.0, top, 0.5))) }
                        { field(OPENING_FIELDS[2], tr(lang, "不良贷款（期初）", "NPL (opening)"), Some((0.0, npl_top, 0.01))) }
                        { field(OPENING_FIELDS[3], tr(lang, "贷款损失准备（期初）", "Provisions (opening)"), Some((0.0, npl_top * 3.0, 0.01))) }
                    </>
                }
            } else {
                html! { <p class="hint">{ tr(lang, "多家机构的期初余额请在下方“机构”表中编辑。", "With several institutions, edit opening balances in the institutions table below.") }</p> }
            };
            html! {
                <fieldset class="group">
                    <legend>{ tr(lang, "期初余额", "Opening balances") }</legend>
                    { opening }
                </fieldset>
            }
        }
        LeverGroup::Growth => {
            let basis = text_at(state, "defaults.loan_growth_basis", "lending").to_string();
            let basis_pick = {
                let dispatch = dispatch.clone();
                Callback::from(move |v: String| {
                    dispatch.emit(Action::SetChoice {
                        path: "defaults.loan_growth_basis".into(),
                        value: Value::String(v),
                    })
                })
            };
            let basis_hint = match basis.as_str() {
                "balance" => tr(
                    lang,
                    "余额口径：贷款余额按增速增长，核销、转让移出的贷款由新增投放补足。",
                    "Balance basis: the reported balance grows at this rate; new lending replaces loans that disposals remove.",
                ),
                _ => tr(
                    lang,
                    "投放口径：增速指新增净投放，核销、转让等处置会使贷款余额相应减少。",
                    "Lending basis: the rate is new net lending; write-offs and transfers then lower the reported balance.",
                ),
            };
            html! {
                <fieldset class="group">
                    <legend>{ tr(lang, "增长", "Growth") }</legend>
                    { deposit_growth_lever(state, dispatch) }
                    { loan_growth_lever(state, dispatch) }
                    { choice(state, "defaults.loan_growth_basis", tr(lang, "贷款增速口径", "Loan growth basis"),
                        &[("lending", tr(lang, "投放口径", "new lending")), ("balance", tr(lang, "余额口径", "balance"))], &basis, basis_pick) }
                    <p class="hint">{ basis_hint }</p>
                </fieldset>
            }
        }
        LeverGroup::Formation => html! {
            <fieldset class="group">
                <legend>{ tr(lang, "不良生成", "NPL formation") }</legend>
                { formation_lever(state, dispatch) }
            </fieldset>
        },
        LeverGroup::Disposal => {
            // Disposal plan: an amount (亿元 a year) or a rate of the year's NPL plus expected formation.
            let plan = text_at(state, "defaults.disposal.plan", "amount").to_string();
            let plan_pick = {
                let dispatch = dispatch.clone();
                Callback::from(move |v: String| {
                    dispatch.emit(Action::SetDisposalPlan { prefix: "defaults".into(), plan: v })
                })
            };
            let plan_lever = disposal_lever(state, dispatch);
            let pacing_kind = pacing_kind(state);
            let pacing_pick = {
                let dispatch = dispatch.clone();
                Callback::from(move |v: String| {
                    dispatch.emit(Action::SetPacing { prefix: "defaults".into(), kind: v })
                })
            };
            let pacing_detail = match pacing_kind {
                "h1_share" => field(
                    "defaults.pacing.h1_share",
                    tr(lang, "上半年完成比例", "Share in the first half"),
                    Some((0.0, 100.0, 1.0)),
                ),
                "weights" => html! {
                    <div class="weights">
                        { for (0..12).map(|k| html! {
                            <Field state={state.clone()} dispatch={dispatch.clone()} compact={false}
                                path={format!("defaults.pacing.weights[{k}]")} label={format!("{}{}", k + 1, tr(lang, "月", " "))} />
                        }) }
                    </div>
                },
                _ => html! {},
            };
            html! {
                <fieldset class="group">
                    <legend>{ tr(lang, "处置计划与节奏", "Disposal plan and pacing") }</legend>
                    { choice(state, "defaults.disposal.plan", tr(lang, "计划方式", "Plan"),
                        &[("amount", tr(lang, "按金额", "amount")), ("rate", tr(lang, "按比例", "rate"))], &plan, plan_pick) }
                    { plan_lever }
                    { choice(state, "defaults.pacing", tr(lang, "全年节奏", "Pacing"),
                        &[("even", tr(lang, "按月平均", "even")), ("h1_share", tr(lang, "上半年比例", "first-half share")),
                          ("weights", tr(lang, "逐月权重", "monthly weights"))], pacing_kind, pacing_pick) }
                    { pacing_detail }
                </fieldset>
            }
        }
        LeverGroup::Advanced => {
            let amc = doc.get("amc").is_some_and(Value::is_object).then(|| html! {
                <fieldset class="group">
                    <legend>{ tr(lang, "地方资产管理公司（接包平台）", "Local AMC") }</legend>
                    { field(AMC_FIELDS[0], tr(lang, "期初存量（亿元）", "Opening stock"), None) }
                    { field(AMC_FIELDS[1], tr(lang, "承接转让比例", "Share of transfers received"), Some((0.0, 100.0, 1.0))) }
                    { field(AMC_FIELDS[2], tr(lang, "年处置比例", "Yearly disposal rate"), Some((0.0, 100.0, 1.0))) }
                </fieldset>
            });
            html! {
                <details class="group advanced">
                    <summary>{ tr(lang, "高级：回收、拨备与资本", "Advanced: recovery, provisioning and capital") }</summary>
                    <fieldset class="group">
                        <legend>{ tr(lang, "回收率（每单位账面价值）", "Recovery per unit of book value") }</legend>
                        { field(ADVANCED_FIELDS[0], tr(lang, "转让/打包", "Transfer"), Some((0.0, 100.0, 1.0))) }
                        { field(ADVANCED_FIELDS[1], tr(lang, "证券化", "Securitization"), Some((0.0, 100.0, 1.0))) }
                        { field(ADVANCED_FIELDS[2], tr(lang, "债转股", "Debt-to-equity"), Some((0.0, 100.0, 1.0))) }
                        { field(ADVANCED_FIELDS[3], tr(lang, "以物抵债", "Foreclosure"), Some((0.0, 100.0, 1.0))) }
                    </fieldset>
                    <fieldset class="group">
                        <legend>{ tr(lang, "拨备", "Provisioning") }</legend>
                        { field(ADVANCED_FIELDS[4], tr(lang, "拨备覆盖率下限", "Coverage floor"), Some((0.0, 300.0, 5.0))) }
                        { field(ADVANCED_FIELDS[5], tr(lang, "拨贷比下限", "Allowance-ratio floor"), Some((0.0, 5.0, 0.1))) }
                        <p class="hint">{ tr(lang, "留空表示不设该下限。", "Leave empty for no floor.") }</p>
                    </fieldset>
                    <fieldset class="group">
                        <legend>{ tr(lang, "资本（仅对填写一级资本的机构）", "Capital (institutions with tier-1 capital)") }</legend>
                        { field(ADVANCED_FIELDS[6], tr(lang, "拨备前利润率（年，占贷款）", "Pre-provision return on loans"), Some((-10.0, 20.0, 0.1))) }
                        { field(ADVANCED_FIELDS[7], tr(lang, "利润留存比例", "Retention"), Some((0.0, 100.0, 1.0))) }
                    </fieldset>
                    { amc }
                </details>
            }
        }
    }
}

//! The lever panel: opening balances, growth, NPL formation, disposal plan and pacing, channels, and the advanced drivers.
//!
//! Levers are grouped as an official thinks about a plan. Each is a slider paired with a
//! number field (percent where a rate) bound to a JSON path of the scenario; in a
//! multi-year scenario a per-year lever can be split into one value per year.

use serde_json::Value;
use yew::prelude::*;

use crate::components::channels::ChannelMix;
use crate::components::field::Field;
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
    let first_year = state.current.as_ref().map(|c| c.scenario.first_year()).unwrap_or(2019);
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
    let amount_top = state
        .current
        .as_ref()
        .map(|c| {
            let (_, to) = delever_model::Lever::Disposal.range(&c.scenario);
            rust_decimal::prelude::ToPrimitive::to_f64(&to).unwrap_or(20.0)
        })
        .unwrap_or(20.0)
        .max(1.0)
        .ceil();
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

#[function_component(Levers)]
pub fn levers(props: &LeversProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let dispatch = &props.dispatch;
    let doc = &state.doc;
    let field = |path: &str, label: &'static str, slider: Option<(f64, f64, f64)>| {
        html! { <Field state={state.clone()} dispatch={dispatch.clone()} path={path.to_string()} {label} {slider} /> }
    };

    // Opening balances: as levers when the scenario is one institution, else in the table.
    let institutions = doc.get("institutions").and_then(Value::as_array).map_or(0, Vec::len);
    let opening = if institutions == 1 {
        let loans = state.current.as_ref().map_or(1000.0, |c| {
            rust_decimal::prelude::ToPrimitive::to_f64(&c.scenario.institutions[0].opening.loans)
                .unwrap_or(1000.0)
        });
        let top = (loans * 2.0).max(10.0).ceil();
        let npl_top = (loans * 0.1).max(1.0).ceil();
        html! {
            <>
                { field("institutions[0].opening.deposits", tr(lang, "各项存款（期初）", "Deposits (opening)"), Some((0.0, top, 0.5))) }
                { field("institutions[0].opening.loans", tr(lang, "各项贷款（期初）", "Loans (opening)"), Some((0.0, top, 0.5))) }
                { field("institutions[0].opening.npl", tr(lang, "不良贷款（期初）", "NPL (opening)"), Some((0.0, npl_top, 0.01))) }
                { field("institutions[0].opening.provisions", tr(lang, "贷款损失准备（期初）", "Provisions (opening)"), Some((0.0, npl_top * 3.0, 0.01))) }
            </>
        }
    } else {
        html! { <p class="hint">{ tr(lang, "多家机构的期初余额请在下方“机构”表中编辑。", "With several institutions, edit opening balances in the institutions table below.") }</p> }
    };

    let basis =
        path::get(doc, "defaults.loan_growth_basis").and_then(Value::as_str).unwrap_or("lending").to_string();
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

    // Disposal plan: an amount (亿元 a year) or a rate of the year's NPL plus expected formation.
    let plan =
        path::get(doc, "defaults.disposal.plan").and_then(Value::as_str).unwrap_or("amount").to_string();
    let plan_pick = {
        let dispatch = dispatch.clone();
        Callback::from(move |v: String| {
            dispatch.emit(Action::SetDisposalPlan { prefix: "defaults".into(), plan: v })
        })
    };
    let plan_lever = disposal_lever(state, dispatch);

    let pacing_kind = match path::get(doc, "defaults.pacing") {
        Some(Value::Object(map)) if map.contains_key("h1_share") => "h1_share",
        Some(Value::Object(map)) if map.contains_key("weights") => "weights",
        _ => "even",
    };
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

    let amc = doc.get("amc").is_some_and(Value::is_object).then(|| html! {
        <fieldset class="group">
            <legend>{ tr(lang, "地方资产管理公司（接包平台）", "Local AMC") }</legend>
            { field("amc.opening_stock", tr(lang, "期初存量（亿元）", "Opening stock"), None) }
            { field("amc.inflow_share", tr(lang, "承接转让比例", "Share of transfers received"), Some((0.0, 100.0, 1.0))) }
            { field("amc.disposal_rate", tr(lang, "年处置比例", "Yearly disposal rate"), Some((0.0, 100.0, 1.0))) }
        </fieldset>
    });

    html! {
        <section class="levers" aria-labelledby="levers-title">
            <h2 id="levers-title">{ tr(lang, "调整参数", "Levers") }</h2>
            <fieldset class="group">
                <legend>{ tr(lang, "期初余额", "Opening balances") }</legend>
                { opening }
            </fieldset>
            <fieldset class="group">
                <legend>{ tr(lang, "增长", "Growth") }</legend>
                { deposit_growth_lever(state, dispatch) }
                { loan_growth_lever(state, dispatch) }
                { choice(state, "defaults.loan_growth_basis", tr(lang, "贷款增速口径", "Loan growth basis"),
                    &[("lending", tr(lang, "投放口径", "new lending")), ("balance", tr(lang, "余额口径", "balance"))], &basis, basis_pick) }
                <p class="hint">{ basis_hint }</p>
            </fieldset>
            <fieldset class="group">
                <legend>{ tr(lang, "不良生成", "NPL formation") }</legend>
                { formation_lever(state, dispatch) }
            </fieldset>
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
            <ChannelMix state={state.clone()} dispatch={dispatch.clone()} prefix="defaults" />
            <details class="group advanced">
                <summary>{ tr(lang, "高级：回收、拨备与资本", "Advanced: recovery, provisioning and capital") }</summary>
                <fieldset class="group">
                    <legend>{ tr(lang, "回收率（每单位账面价值）", "Recovery per unit of book value") }</legend>
                    { field("defaults.recovery.transfer", tr(lang, "转让/打包", "Transfer"), Some((0.0, 100.0, 1.0))) }
                    { field("defaults.recovery.securitization", tr(lang, "证券化", "Securitization"), Some((0.0, 100.0, 1.0))) }
                    { field("defaults.recovery.debt_equity", tr(lang, "债转股", "Debt-to-equity"), Some((0.0, 100.0, 1.0))) }
                    { field("defaults.recovery.foreclosure", tr(lang, "以物抵债", "Foreclosure"), Some((0.0, 100.0, 1.0))) }
                </fieldset>
                <fieldset class="group">
                    <legend>{ tr(lang, "拨备", "Provisioning") }</legend>
                    { field("defaults.provisioning.coverage_floor", tr(lang, "拨备覆盖率下限", "Coverage floor"), Some((0.0, 300.0, 5.0))) }
                    { field("defaults.provisioning.allowance_floor", tr(lang, "拨贷比下限", "Allowance-ratio floor"), Some((0.0, 5.0, 0.1))) }
                    <p class="hint">{ tr(lang, "留空表示不设该下限。", "Leave empty for no floor.") }</p>
                </fieldset>
                <fieldset class="group">
                    <legend>{ tr(lang, "资本（仅对填写一级资本的机构）", "Capital (institutions with tier-1 capital)") }</legend>
                    { field("defaults.capital.pre_provision_return", tr(lang, "拨备前利润率（年，占贷款）", "Pre-provision return on loans"), Some((-10.0, 20.0, 0.1))) }
                    { field("defaults.capital.retention", tr(lang, "利润留存比例", "Retention"), Some((0.0, 100.0, 1.0))) }
                </fieldset>
                { amc }
            </details>
        </section>
    }
}

//! The analysis panels' state: the chosen panel, each panel's settings, what to run, its progress and its last answer.
//!
//! Plain Rust, changed only through [`UiState::apply`](crate::state::UiState::apply). The
//! page has the engine's module (`crates/delever-worker`) run the [`Request`] of the open
//! panel, in its worker or, without one, in short slices on the page, whenever the scenario or the settings change, and reports back with `Action::AnalysisProgress` and
//! `Action::AnalysisDone`; a result for an old scenario version or old settings is ignored.

use std::rc::Rc;

pub use delever_model::analysis::Request;
use delever_model::analysis::{Analysis, DEFAULT_STEPS, GoalSeek, MonteCarloOptions};
use delever_model::validate::parse_decimal_text;
use delever_model::{Lang, Lever, Scenario};
use rust_decimal::Decimal;

use crate::i18n::{metric_name, tr};

/// What an analysis panel says, `(zh, en)`, when the engine's module cannot be fetched or
/// started (offline on a hosted page, say), or its answer cannot be read.
pub fn engine_unavailable() -> (String, String) {
    (
        "分析引擎未能加载（网络中断或浏览器不支持），请刷新页面重试；预测结果不受影响。".into(),
        "The analysis engine could not be loaded (the network is down, or this browser cannot \
         start it): reload the page to try again. The projection above is not affected."
            .into(),
    )
}

/// The open analysis panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panel {
    #[default]
    GoalSeek,
    Sensitivity,
    Map,
    MonteCarlo,
    Compare,
}

impl Panel {
    pub const ALL: [Panel; 5] =
        [Panel::GoalSeek, Panel::Sensitivity, Panel::Map, Panel::MonteCarlo, Panel::Compare];

    /// The name used in `data-panel` attributes.
    pub fn id(self) -> &'static str {
        match self {
            Panel::GoalSeek => "goal-seek",
            Panel::Sensitivity => "sensitivity",
            Panel::Map => "feasibility",
            Panel::MonteCarlo => "monte-carlo",
            Panel::Compare => "compare",
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Panel::GoalSeek => tr(lang, "目标求解", "Goal seek"),
            Panel::Sensitivity => tr(lang, "敏感性", "Sensitivity"),
            Panel::Map => tr(lang, "可行域", "Feasibility map"),
            Panel::MonteCarlo => tr(lang, "不确定性", "Uncertainty"),
            Panel::Compare => tr(lang, "情景对比", "Compare"),
        }
    }
}

/// Monte Carlo settings as typed (validated when a run is requested).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonteCarloTexts {
    pub paths: String,
    pub seed: String,
    pub cv: String,
}

impl Default for MonteCarloTexts {
    fn default() -> Self {
        let d = MonteCarloOptions::default();
        MonteCarloTexts { paths: d.paths.to_string(), seed: d.seed.to_string(), cv: "25".into() }
    }
}

/// Every panel's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub goal_lever: Lever,
    /// The one target to meet; `None` for all of them.
    pub goal_target: Option<String>,
    pub tornado_metric: String,
    /// `None`: the last year.
    pub tornado_year: Option<i32>,
    pub map_x: Lever,
    pub map_y: Lever,
    pub map_metric: String,
    pub map_steps: usize,
    pub mc: MonteCarloTexts,
    /// The metric the fan chart shows (`npl_ratio`, `npl`, `loans`).
    pub fan_metric: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            goal_lever: Lever::WriteOffShare,
            goal_target: None,
            tornado_metric: "npl_ratio".into(),
            tornado_year: None,
            map_x: Lever::Disposal,
            map_y: Lever::WriteOffShare,
            map_metric: "npl_ratio".into(),
            map_steps: DEFAULT_STEPS,
            mc: MonteCarloTexts::default(),
            fan_metric: "npl_ratio".into(),
        }
    }
}

/// One setting changed by the user.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting {
    Panel(Panel),
    GoalLever(Lever),
    GoalTarget(Option<String>),
    TornadoMetric(String),
    TornadoYear(Option<i32>),
    MapX(Lever),
    MapY(Lever),
    MapMetric(String),
    MapSteps(usize),
    Paths(String),
    Seed(String),
    Cv(String),
    FanMetric(String),
}

/// A problem with a Monte Carlo setting, by field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingProblem {
    /// `paths`, `seed` or `cv`.
    pub field: &'static str,
    pub zh: String,
    pub en: String,
}

impl SettingProblem {
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The Monte Carlo settings as typed, checked: paths 1…100,000, seed a whole number
/// 0…2^64−1, spread (cv) 0…500% in percent.
pub fn monte_carlo_settings(texts: &MonteCarloTexts) -> Result<(usize, u64, Decimal), Vec<SettingProblem>> {
    let mut problems = Vec::new();
    let max_paths = delever_model::analysis::MAX_PATHS;
    let paths = match texts.paths.trim().parse::<usize>() {
        Ok(n) if (1..=max_paths).contains(&n) => Some(n),
        _ => {
            problems.push(SettingProblem {
                field: "paths",
                zh: format!("路径数“{}”无效：应为 1 至 {max_paths} 之间的整数", texts.paths),
                en: format!(
                    "paths “{}” is not valid: allowed is a whole number from 1 to {max_paths}",
                    texts.paths
                ),
            });
            None
        }
    };
    let seed = match texts.seed.trim().parse::<u64>() {
        Ok(s) => Some(s),
        Err(_) => {
            problems.push(SettingProblem {
                field: "seed",
                zh: format!("随机种子“{}”无效：应为 0 至 {} 之间的整数", texts.seed, u64::MAX),
                en: format!(
                    "seed “{}” is not valid: allowed is a whole number from 0 to {}",
                    texts.seed,
                    u64::MAX
                ),
            });
            None
        }
    };
    let max_cv =
        delever_model::analysis::MAX_CV.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(Decimal::ONE_HUNDRED);
    let cv = match parse_decimal_text(texts.cv.trim().trim_end_matches('%').trim()) {
        Some(percent) if percent >= Decimal::ZERO && percent <= max_cv => {
            percent.checked_div(Decimal::ONE_HUNDRED)
        }
        _ => None,
    };
    if cv.is_none() {
        problems.push(SettingProblem {
            field: "cv",
            zh: format!("波动幅度“{}”无效：应为 0% 至 {max_cv}% 之间的数", texts.cv),
            en: format!("spread “{}” is not valid: allowed is a number from 0% to {max_cv}%", texts.cv),
        });
    }
    match (paths, seed, cv) {
        (Some(p), Some(s), Some(c)) => Ok((p, s, c)),
        _ => Err(problems),
    }
}

/// A finished request's answers, and the first one's JSON as the command line prints it
/// (the page's `data-json`), written once.
#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    pub list: Vec<Analysis>,
    pub json: String,
}

impl Answers {
    pub fn new(list: Vec<Analysis>) -> Answers {
        let json = list.first().map(|a| a.to_json().to_string()).unwrap_or_default();
        Answers { list, json }
    }
}

impl std::ops::Deref for Answers {
    type Target = [Analysis];

    fn deref(&self) -> &[Analysis] {
        &self.list
    }
}

/// A finished request.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub request: Request,
    /// The scenario version it was computed for.
    pub version: u64,
    /// Each job's result, in the request's order; or why it could not run.
    pub result: Result<Rc<Answers>, (String, String)>,
}

/// A request being computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub request: Request,
    pub version: u64,
    pub done: usize,
    pub total: usize,
}

/// Everything the analysis panels show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analyses {
    pub panel: Panel,
    pub settings: Settings,
    pub running: Option<Running>,
    /// The last answer of each kind of request (kept while a newer one runs).
    pub goal: Option<Outcome>,
    pub tornado: Option<Outcome>,
    pub map: Option<Outcome>,
    pub monte_carlo: Option<Outcome>,
    /// Saved scenario names picked for comparison (at most [`MAX_COMPARED`]).
    pub compared: Vec<String>,
}

/// How many saved scenarios can be compared at once.
pub const MAX_COMPARED: usize = 4;

impl Analyses {
    /// What the open panel needs computed for `scenario`, or `None` (the comparison panel,
    /// or Monte Carlo settings that do not parse).
    pub fn request(&self, scenario: &Scenario) -> Option<Request> {
        let s = &self.settings;
        match self.panel {
            Panel::GoalSeek => {
                let targets: Vec<String> = s.goal_target.iter().cloned().collect();
                let chosen: Vec<String> = match &s.goal_target {
                    Some(id) => vec![id.clone()],
                    None => scenario.targets.iter().map(|t| t.id.clone()).collect(),
                };
                // Each target alone only adds to the answer when there is more than one.
                let each = if chosen.len() > 1 { chosen } else { Vec::new() };
                Some(Request::GoalSeek { lever: s.goal_lever, targets, each })
            }
            Panel::Sensitivity => {
                Some(Request::Sensitivity { metric: s.tornado_metric.clone(), year: s.tornado_year })
            }
            Panel::Map => Some(Request::Map {
                x: s.map_x,
                y: s.map_y,
                metric: s.map_metric.clone(),
                steps: s.map_steps,
            }),
            Panel::MonteCarlo => monte_carlo_settings(&s.mc)
                .ok()
                .map(|(paths, seed, cv)| Request::MonteCarlo { paths, seed, cv }),
            Panel::Compare => None,
        }
    }

    /// The slot that keeps answers to requests like `request`.
    fn slot(&mut self, request: &Request) -> &mut Option<Outcome> {
        match request {
            Request::GoalSeek { .. } => &mut self.goal,
            Request::Sensitivity { .. } => &mut self.tornado,
            Request::Map { .. } => &mut self.map,
            Request::MonteCarlo { .. } => &mut self.monte_carlo,
        }
    }

    /// The last answer for the open panel, if it matches the current request and version.
    pub fn fresh(&self, request: Option<&Request>, version: u64) -> Option<&Outcome> {
        let outcome = match request? {
            Request::GoalSeek { .. } => self.goal.as_ref(),
            Request::Sensitivity { .. } => self.tornado.as_ref(),
            Request::Map { .. } => self.map.as_ref(),
            Request::MonteCarlo { .. } => self.monte_carlo.as_ref(),
        }?;
        (Some(&outcome.request) == request && outcome.version == version).then_some(outcome)
    }

    pub fn set(&mut self, setting: Setting) {
        let s = &mut self.settings;
        match setting {
            Setting::Panel(panel) => self.panel = panel,
            Setting::GoalLever(lever) => s.goal_lever = lever,
            Setting::GoalTarget(target) => s.goal_target = target,
            Setting::TornadoMetric(metric) => s.tornado_metric = metric,
            Setting::TornadoYear(year) => s.tornado_year = year,
            Setting::MapX(lever) => s.map_x = lever,
            Setting::MapY(lever) => s.map_y = lever,
            Setting::MapMetric(metric) => s.map_metric = metric,
            Setting::MapSteps(steps) => s.map_steps = steps.clamp(2, delever_model::analysis::MAX_STEPS),
            Setting::Paths(text) => s.mc.paths = text,
            Setting::Seed(text) => s.mc.seed = text,
            Setting::Cv(text) => s.mc.cv = text,
            Setting::FanMetric(metric) => s.fan_metric = metric,
        }
    }

    pub fn progress(&mut self, request: Request, version: u64, done: usize, total: usize) {
        self.running = Some(Running { request, version, done, total });
    }

    pub fn finish(&mut self, outcome: Outcome) {
        if self.running.as_ref().is_some_and(|r| r.request == outcome.request && r.version == outcome.version)
        {
            self.running = None;
        }
        let request = outcome.request.clone();
        *self.slot(&request) = Some(outcome);
    }

    /// Picks or unpicks a saved scenario for comparison.
    pub fn toggle_compared(&mut self, name: String) {
        if let Some(at) = self.compared.iter().position(|n| *n == name) {
            self.compared.remove(at);
        } else if self.compared.len() < MAX_COMPARED {
            self.compared.push(name);
        }
    }
}

/// A lever's name in `lang` (disposal as an amount or a rate, as the scenario plans it).
pub fn lever_name(lang: Lang, lever: Lever, rate_plan: bool) -> &'static str {
    match lever {
        Lever::Disposal if rate_plan => tr(lang, "处置率", "Disposal rate"),
        Lever::Disposal => tr(lang, "处置金额", "Disposal amount"),
        Lever::WriteOffShare => tr(lang, "核销占比", "Write-off share"),
        Lever::LoanGrowth => tr(lang, "贷款增速", "Loan growth"),
        Lever::DepositGrowth => tr(lang, "存款增速", "Deposit growth"),
        Lever::NplFormationRate => tr(lang, "不良生成率", "NPL formation rate"),
    }
}

/// Whether the lever's value is an amount (else a fraction shown as a percentage).
pub fn lever_is_amount(lever: Lever, scenario: &Scenario) -> bool {
    lever == Lever::Disposal
        && matches!(scenario.defaults.disposal, delever_model::scenario::Disposal::Amount(_))
}

/// A lever value in display units: `10.00 亿元` or `41.33%`.
pub fn lever_value(lang: Lang, lever: Lever, scenario: &Scenario, value: Decimal) -> String {
    let text = value.to_string();
    if lever_is_amount(lever, scenario) {
        let unit = if scenario.unit.is_empty() {
            tr(lang, "亿元", "100m yuan").to_string()
        } else {
            scenario.unit.clone()
        };
        format!("{} {unit}", crate::format::amount(&text).unwrap_or(text))
    } else {
        crate::format::percent(&text).unwrap_or(text)
    }
}

/// The step a lever's display rounds to: 0.01 in amounts, 0.01 percentage points in rates.
fn display_step(lever: Lever, scenario: &Scenario) -> u32 {
    if lever_is_amount(lever, scenario) { 2 } else { 4 }
}

/// The value to apply for a boundary of a feasible interval: rounded to the display step
/// towards the inside of `[from, to]` when that stays inside, else exact.
pub fn applied_value(
    lever: Lever,
    scenario: &Scenario,
    (from, to): (Decimal, Decimal),
    lower: bool,
) -> Decimal {
    use rust_decimal::RoundingStrategy::{ToNegativeInfinity, ToPositiveInfinity};
    let dp = display_step(lever, scenario);
    let (value, strategy) = if lower { (from, ToPositiveInfinity) } else { (to, ToNegativeInfinity) };
    let rounded = value.round_dp_with_strategy(dp, strategy);
    if rounded >= from && rounded <= to { rounded.normalize() } else { value }
}

/// One feasible interval in words: `≥ 41.33%`, `≤ 12.00 亿元`, `41.33% – 60.00%`, or the
/// whole range.
pub fn interval_text(
    lang: Lang,
    lever: Lever,
    scenario: &Scenario,
    g: &GoalSeek,
    (a, b): (Decimal, Decimal),
) -> String {
    let name = lever_name(lang, lever, !lever_is_amount(lever, scenario) && lever == Lever::Disposal);
    let v = |d| lever_value(lang, lever, scenario, d);
    match (a == g.from, b == g.to) {
        (true, true) => match lang {
            Lang::Zh => format!("{name}在整个范围 {} – {} 内均可", v(a), v(b)),
            Lang::En => format!("any {} in {} – {}", name.to_ascii_lowercase(), v(a), v(b)),
        },
        (false, true) => format!("{name} ≥ {}", v(a)),
        (true, false) => format!("{name} ≤ {}", v(b)),
        (false, false) => format!("{} ≤ {name} ≤ {}", v(a), v(b)),
    }
}

/// A target as a reader names it: metric, condition, year and scope, e.g.
/// "杠杆率 ≥ 4.00%（2016，yj_rcb）" / "Leverage ratio ≥ 4.00% (2016, yj_rcb)", so that
/// twelve banks' targets on one metric are twelve different lines.
pub fn target_label(lang: Lang, t: &delever_model::scenario::Target) -> String {
    let op = match t.op {
        delever_model::scenario::Op::Le => "≤",
        delever_model::scenario::Op::Ge => "≥",
    };
    let value = delever_model::targets::threshold(t).to_string();
    let shown = crate::format::value(crate::format::kind_of(&t.metric), &value).unwrap_or(value);
    let scope = t.scope.label(lang);
    match lang {
        Lang::Zh => format!("{} {op} {shown}（{}，{scope}）", metric_name(lang, &t.metric), t.year),
        Lang::En => format!("{} {op} {shown} ({}, {scope})", metric_name(lang, &t.metric), t.year),
    }
}

/// Why no lever value meets the chosen targets together, from each target's own answer:
/// a target no value meets alone, else two targets whose ranges do not overlap. A sentence
/// of its own in either language.
pub fn why_infeasible(lang: Lang, scenario: &Scenario, each: &[&GoalSeek]) -> String {
    let describe = |id: &str| {
        scenario
            .targets
            .iter()
            .find(|t| t.id == id)
            .map(|t| target_label(lang, t))
            .unwrap_or_else(|| id.to_string())
    };
    let target_of = |g: &GoalSeek| g.targets.first().cloned().unwrap_or_default();
    if let Some(alone) = each.iter().find(|g| g.intervals.is_empty()) {
        let t = describe(&target_of(alone));
        return match lang {
            Lang::Zh => format!("原因：单独看，{t} 在该范围内就无法达成。"),
            Lang::En => format!("The reason: {t} cannot be met anywhere in the range, even on its own."),
        };
    }
    let overlaps = |x: &GoalSeek, y: &GoalSeek| {
        x.intervals.iter().any(|(a, b)| y.intervals.iter().any(|(c, d)| a <= d && c <= b))
    };
    for (k, x) in each.iter().enumerate() {
        for y in each.iter().skip(k.saturating_add(1)) {
            if !overlaps(x, y) {
                let (tx, ty) = (describe(&target_of(x)), describe(&target_of(y)));
                return match lang {
                    Lang::Zh => format!("原因：{tx} 与 {ty} 方向相反，没有同时满足两者的取值。"),
                    Lang::En => format!("The reason: {tx} and {ty} pull apart, and no value meets both."),
                };
            }
        }
    }
    tr(
        lang,
        "原因：各目标两两可以兼顾，但没有一个取值能同时满足全部目标。",
        "The reason: each pair of targets can be met together, but no single value meets all of them at once.",
    )
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn licheng() -> Scenario {
        delever_model::parse_scenario(
            delever_model::presets::get("licheng-2019").map(|p| p.json).unwrap_or(""),
        )
        .unwrap()
    }

    #[test]
    fn monte_carlo_settings_name_the_field_and_the_allowed_range() {
        let ok = MonteCarloTexts { paths: "1000".into(), seed: "42".into(), cv: "25%".into() };
        assert_eq!(monte_carlo_settings(&ok), Ok((1000, 42, Decimal::new(25, 2))));
        let cases = [
            ("0", "42", "25", "paths"),
            ("100001", "42", "25", "paths"),
            ("abc", "42", "25", "paths"),
            ("10", "-1", "25", "seed"),
            ("10", "1.5", "25", "seed"),
            ("10", "42", "-1", "cv"),
            ("10", "42", "501", "cv"),
            ("10", "42", "x", "cv"),
        ];
        for (paths, seed, cv, field) in cases {
            let texts = MonteCarloTexts { paths: paths.into(), seed: seed.into(), cv: cv.into() };
            let problems = monte_carlo_settings(&texts).unwrap_err();
            assert_eq!(problems.len(), 1, "{paths} {seed} {cv}");
            assert_eq!(problems[0].field, field);
            assert!(problems[0].message(Lang::En).contains("allowed"), "{:?}", problems[0]);
            assert!(problems[0].message(Lang::Zh).contains("应为"), "{:?}", problems[0]);
        }
    }

    #[test]
    fn the_open_panel_decides_the_request() {
        let scenario = licheng();
        let mut a = Analyses::default();
        match a.request(&scenario) {
            Some(Request::GoalSeek { lever: Lever::WriteOffShare, targets, each }) => {
                assert!(targets.is_empty());
                assert_eq!(each.len(), scenario.targets.len());
            }
            other => panic!("{other:?}"),
        }
        a.set(Setting::GoalTarget(Some(scenario.targets[0].id.clone())));
        assert!(matches!(a.request(&scenario), Some(Request::GoalSeek { each, .. }) if each.is_empty()));
        a.set(Setting::Panel(Panel::MonteCarlo));
        assert_eq!(
            a.request(&scenario),
            Some(Request::MonteCarlo { paths: 1000, seed: 42, cv: Decimal::new(25, 2) })
        );
        a.set(Setting::Paths("lots".into()));
        assert_eq!(a.request(&scenario), None);
        a.set(Setting::Panel(Panel::Compare));
        assert_eq!(a.request(&scenario), None);
    }

    #[test]
    fn answers_are_kept_by_kind_and_only_fresh_ones_show() {
        let scenario = licheng();
        let mut a = Analyses::default();
        let request = a.request(&scenario).unwrap();
        a.progress(request.clone(), 3, 10, 100);
        assert!(a.running.is_some());
        a.finish(Outcome { request: request.clone(), version: 3, result: Err(("x".into(), "x".into())) });
        assert!(a.running.is_none());
        assert!(a.fresh(Some(&request), 3).is_some());
        assert!(a.fresh(Some(&request), 4).is_none(), "a new scenario version makes it stale");
        a.set(Setting::GoalLever(Lever::LoanGrowth));
        assert!(a.fresh(a.request(&scenario).as_ref(), 3).is_none(), "new settings make it stale");
        assert!(a.goal.is_some(), "the last answer is kept while the next one runs");
    }

    #[test]
    fn comparison_holds_at_most_four() {
        let mut a = Analyses::default();
        for name in ["a", "b", "c", "d", "e"] {
            a.toggle_compared(name.into());
        }
        assert_eq!(a.compared, ["a", "b", "c", "d"]);
        a.toggle_compared("b".into());
        assert_eq!(a.compared, ["a", "c", "d"]);
    }

    #[test]
    fn boundaries_round_inwards_to_the_display_step() {
        let s = licheng();
        let range = (Decimal::new(413_342_285, 9), Decimal::ONE);
        assert_eq!(applied_value(Lever::WriteOffShare, &s, range, true), Decimal::new(4134, 4));
        assert_eq!(applied_value(Lever::WriteOffShare, &s, range, false), Decimal::ONE);
        // Narrower than the step: exact.
        let narrow = (Decimal::new(41_334_001, 8), Decimal::new(41_334_009, 8));
        assert_eq!(applied_value(Lever::WriteOffShare, &s, narrow, true), narrow.0);
        let amount = (Decimal::new(8_123_456, 6), Decimal::new(20, 0));
        assert_eq!(applied_value(Lever::Disposal, &s, amount, true), Decimal::new(813, 2));
    }

    #[test]
    fn intervals_read_as_bounds() {
        let s = licheng();
        let g = GoalSeek {
            lever: Lever::WriteOffShare,
            from: Decimal::ZERO,
            to: Decimal::ONE,
            targets: vec![],
            intervals: vec![(Decimal::new(413, 3), Decimal::ONE)],
        };
        assert_eq!(
            interval_text(Lang::Zh, Lever::WriteOffShare, &s, &g, g.intervals[0]),
            "核销占比 ≥ 41.30%"
        );
        assert_eq!(
            interval_text(Lang::En, Lever::WriteOffShare, &s, &g, (Decimal::ZERO, Decimal::new(5, 1))),
            "Write-off share ≤ 50.00%"
        );
    }

    #[test]
    fn an_empty_answer_is_explained_by_the_targets_that_pull_apart() {
        let s = licheng();
        let ids: Vec<String> = s.targets.iter().map(|t| t.id.clone()).collect();
        let g = |id: &str, intervals: Vec<(Decimal, Decimal)>| GoalSeek {
            lever: Lever::WriteOffShare,
            from: Decimal::ZERO,
            to: Decimal::ONE,
            targets: vec![id.to_string()],
            intervals,
        };
        let low = g(&ids[0], vec![(Decimal::ZERO, Decimal::new(3, 1))]);
        let high = g(&ids[1], vec![(Decimal::new(4, 1), Decimal::ONE)]);
        let text = why_infeasible(Lang::En, &s, &[&low, &high]);
        assert!(text.contains("pull apart"), "{text}");
        assert!(text.starts_with("The reason: ") && text.ends_with('.'), "a sentence of its own: {text}");
        let never = g(&ids[1], vec![]);
        assert!(why_infeasible(Lang::Zh, &s, &[&low, &never]).contains("无法达成"));
    }

    #[test]
    fn target_labels_name_their_scope() {
        let s = delever_model::parse_scenario(
            delever_model::presets::get("yangjiang-2016-2018").map(|p| p.json).unwrap_or(""),
        )
        .unwrap();
        let leverage: Vec<String> = s
            .targets
            .iter()
            .filter(|t| t.metric == "leverage_ratio")
            .map(|t| target_label(Lang::En, t))
            .collect();
        assert!(leverage.len() > 1);
        let mut distinct = leverage.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), leverage.len(), "{leverage:?}");
        let first = s.targets.iter().find(|t| t.metric == "leverage_ratio").unwrap();
        assert!(
            target_label(Lang::Zh, first).contains(&format!("（{}，", first.year)),
            "{}",
            target_label(Lang::Zh, first)
        );
        let region = s.targets.iter().find(|t| t.scope == delever_model::scenario::Scope::Region).unwrap();
        assert!(target_label(Lang::Zh, region).ends_with("，全辖）"));
    }
}

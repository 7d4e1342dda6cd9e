//! The engine's second wasm module: large scenarios' projections and every analysis, in a Web Worker (or on the page when there is none), and `window.delever`'s functions.
//!
//! The page's own module carries only what its first figures need; this one is fetched
//! when it is first wanted: for a large scenario's projection or an analysis (in the
//! worker, `www/worker.js`), for `window.delever` (on the page, on the first `ready()`), or
//! for an analysis where no worker can start (on the page, in short slices).
//!
//! The page validates a large scenario itself (it needs every issue by field at once) and
//! sends this module the scenario's canonical JSON; [`project_bytes`] runs it through a
//! [`Simulator`] kept between calls (so a lever move refreshes the plan in place, exactly as
//! on the page) at [`Detail::RegionMonthly`], the page's own detail, and encodes the result
//! with `delever_model::wire`. Anything but a projection (a scenario this module refuses, a
//! negative stock, an overflow) is answered with no bytes: the page then runs the scenario
//! itself, so every message the user sees is worded in one place.
//!
//! An analysis runs as the engine's resumable jobs in a [`Runner`]: [`analysis_start`] sets
//! up the `wire`-encoded [`Request`](delever_model::analysis::Request) on a scenario,
//! [`analysis_slice`] runs simulations for a time budget (so the thread reads a newer
//! message, or paints, between slices), and the answers are `wire` bytes.
//!
//! [`api`] is `window.delever` (MODEL.md section 8): the command line's JSON, in the browser.

pub mod api;
pub mod runner;

use std::cell::RefCell;

use delever_model::analysis::pool::{self, MergeError};
use delever_model::analysis::{Analysis, Request};
use delever_model::output::Detail;
use delever_model::{Lang, Scenario, Simulator, parse_scenario, wire};

use runner::{Runner, Share, Step};

thread_local! {
    /// The module's engine, kept across projections.
    static ENGINE: RefCell<Simulator> = RefCell::new(Simulator::new());
    /// The analysis being run, if any.
    static ANALYSIS: RefCell<Option<Running>> = const { RefCell::new(None) };
}

/// An analysis request being run, or how it ended.
enum Running {
    Jobs(Runner),
    Done(Vec<Analysis>),
    /// A pool's part finished: its bytes for the merge.
    PartDone(Vec<u8>),
    Failed(String, String),
}

/// A refusal in both languages, `(zh, en)`.
type Words = (String, String);

fn words(err: &delever_model::Error) -> Words {
    (err.message(Lang::Zh), err.message(Lang::En))
}

/// The request and scenario of an analysis message, or the refusal.
fn read(scenario_json: &str, request: &[u8]) -> Result<(Request, Scenario), Words> {
    let request =
        wire::decode_request(request).map_err(|e| (format!("分析请求无法读取：{e}"), e.to_string()))?;
    let scenario = parse_scenario(scenario_json).map_err(|issues| {
        let first = issues.first();
        let words = |lang| first.map(|i| i.message(lang)).unwrap_or_default();
        (words(Lang::Zh), words(Lang::En))
    })?;
    Ok((request, scenario))
}

/// Sets up the analysis `request` (`wire::encode_request`) on `scenario_json`, replacing any
/// other. `Err((zh, en))`: the engine refuses it, in its words.
pub fn analysis_start(scenario_json: &str, request: &[u8]) -> Result<(), Words> {
    ANALYSIS.with(|a| a.borrow_mut().take());
    let (request, scenario) = read(scenario_json, request)?;
    let runner = Runner::new(&request, &scenario).map_err(|err| words(&err))?;
    ANALYSIS.with(|a| *a.borrow_mut() = Some(Running::Jobs(runner)));
    Ok(())
}

/// What worker `index` of a pool of `workers` was given by [`analysis_start_share`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given {
    /// The whole request: its answers come from [`analysis_result`].
    Whole,
    /// A part: its bytes come from [`analysis_result`], for [`analysis_merge`].
    Part,
    /// Nothing to run.
    Idle,
}

/// Sets up worker `index`'s share of the analysis `request` in a pool of `workers`
/// (`runner::Runner::share`), replacing any other analysis. `Err((zh, en))`: the engine
/// refuses the request (every worker of the pool says so).
pub fn analysis_start_share(
    scenario_json: &str,
    request: &[u8],
    index: usize,
    workers: usize,
) -> Result<Given, Words> {
    ANALYSIS.with(|a| a.borrow_mut().take());
    let (request, scenario) = read(scenario_json, request)?;
    let (given, runner) =
        match Runner::share(&request, &scenario, index, workers).map_err(|err| words(&err))? {
            Share::Whole(runner) => (Given::Whole, Some(runner)),
            Share::Part(runner) => (Given::Part, Some(runner)),
            Share::Idle => (Given::Idle, None),
        };
    ANALYSIS.with(|a| *a.borrow_mut() = runner.map(Running::Jobs));
    Ok(given)
}

/// The answers (`wire::encode_answers`) of `request` on `scenario_json` from the bytes of its
/// parts, in the pool's order (`delever_model::analysis::pool::merge`). `Err((zh, en))`: the
/// engine refuses the request, or the parts do not fit together.
pub fn analysis_merge(scenario_json: &str, request: &[u8], parts: &[Vec<u8>]) -> Result<Vec<u8>, Words> {
    let (request, scenario) = read(scenario_json, request)?;
    match pool::merge(&request, &scenario, parts) {
        Ok(answers) => Ok(wire::encode_answers(&answers)),
        Err(MergeError::Engine(err)) => Err(words(&err)),
        Err(MergeError::Parts) => Err((
            "分析的各部分结果无法合并（请重试）".into(),
            "the analysis' parts do not fit together (try again)".into(),
        )),
    }
}

/// Runs the analysis until `budget_ms` has passed by `now()` (at least one engine step);
/// `true` once it has finished (or failed), or when none is set up.
pub fn analysis_slice(budget_ms: f64, now: &dyn Fn() -> f64) -> bool {
    ANALYSIS.with(|a| {
        let mut slot = a.borrow_mut();
        let Some(Running::Jobs(runner)) = slot.as_mut() else { return true };
        match runner.slice(budget_ms, now) {
            Step::Progress { .. } => return false,
            Step::Done(answers) => *slot = Some(Running::Done(answers)),
            Step::PartDone(bytes) => *slot = Some(Running::PartDone(bytes)),
            Step::Failed(err) => *slot = Some(Running::Failed(err.message(Lang::Zh), err.message(Lang::En))),
        }
        true
    })
}

/// Simulations done and expected in total, over every job of the analysis.
pub fn analysis_progress() -> (usize, usize) {
    ANALYSIS.with(|a| match a.borrow().as_ref() {
        Some(Running::Jobs(runner)) => runner.progress(),
        Some(Running::Done(_) | Running::PartDone(_)) => (1, 1),
        Some(Running::Failed(..)) | None => (0, 0),
    })
}

/// The finished analysis: its answers as `wire` bytes (a pool's part: the part's bytes), or
/// why it stopped (`(zh, en)`).
pub fn analysis_result() -> Result<Vec<u8>, Words> {
    ANALYSIS.with(|a| {
        let mut slot = a.borrow_mut();
        match slot.take() {
            Some(Running::Done(answers)) => Ok(wire::encode_answers(&answers)),
            Some(Running::PartDone(bytes)) => Ok(bytes),
            Some(Running::Failed(zh, en)) => Err((zh, en)),
            other => {
                *slot = other;
                Err(("分析尚未完成".into(), "the analysis has not finished".into()))
            }
        }
    })
}

/// The projection of `scenario_json` as `wire` bytes, or no bytes when it has none.
pub fn project_bytes(scenario_json: &str) -> Vec<u8> {
    let Ok(scenario) = parse_scenario(scenario_json) else { return Vec::new() };
    project_scenario(&scenario)
}

fn project_scenario(scenario: &Scenario) -> Vec<u8> {
    ENGINE.with(|engine| match engine.borrow_mut().simulate(scenario, Detail::RegionMonthly) {
        Ok(projection) => wire::encode(&projection),
        Err(_) => Vec::new(),
    })
}

/// What [`project_share`] gave worker `index` of a pool.
#[derive(Debug, PartialEq, Eq)]
pub enum Shared {
    /// The whole projection's `wire` bytes (none: the page must run it): the scenario does
    /// not run in parts, and this is the pool's first worker.
    Whole(Vec<u8>),
    /// This worker's part. The first worker keeps its own (empty bytes here) for
    /// [`project_merge`]; any other sends these bytes (`wire::encode_part`) to the first.
    Part(Vec<u8>),
    /// Nothing: the first worker runs it whole; or this part's run failed (the first worker
    /// then answers no bytes, and the page runs the scenario itself).
    Idle,
}

/// The first worker's own part and its scenario, kept for [`project_merge`].
struct Kept {
    scenario: Scenario,
    part: Option<delever_model::parts::Part>,
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// Worker `index`'s share of the projection of `scenario_json` in a pool of `workers`
/// (`delever_model::parts`): the whole projection (the first worker, when the scenario does
/// not run in parts), its part, or nothing.
pub fn project_share(scenario_json: &str, index: usize, workers: usize) -> Shared {
    KEPT.with(|k| k.borrow_mut().take());
    let Ok(scenario) = parse_scenario(scenario_json) else {
        return if index == 0 { Shared::Whole(Vec::new()) } else { Shared::Idle };
    };
    let share = ENGINE.with(|engine| engine.borrow_mut().simulate_part(&scenario, index, workers));
    match share {
        Ok(None) if index == 0 => Shared::Whole(project_scenario(&scenario)),
        Ok(None) => Shared::Idle,
        Ok(Some(part)) if index == 0 => {
            KEPT.with(|k| *k.borrow_mut() = Some(Kept { scenario, part: Some(part) }));
            Shared::Part(Vec::new())
        }
        Ok(Some(part)) => Shared::Part(wire::encode_part(&part)),
        Err(_) => {
            // The first worker answers no bytes once the others' parts are in.
            if index == 0 {
                KEPT.with(|k| *k.borrow_mut() = Some(Kept { scenario, part: None }));
                Shared::Part(Vec::new())
            } else {
                Shared::Idle
            }
        }
    }
}

/// The projection's `wire` bytes merged from the first worker's kept part and `others`
/// (the other workers' part bytes, in the pool's order); no bytes when a part failed or the
/// parts do not fit (the page then runs the scenario itself).
pub fn project_merge(others: &[Vec<u8>]) -> Vec<u8> {
    let Some(Kept { scenario, part: Some(own) }) = KEPT.with(|k| k.borrow_mut().take()) else {
        return Vec::new();
    };
    let mut parts = vec![own];
    for bytes in others {
        match wire::decode_part(bytes) {
            Ok(part) => parts.push(part),
            Err(_) => return Vec::new(),
        }
    }
    ENGINE.with(|engine| match engine.borrow().merge(&scenario, &parts) {
        Ok(projection) => wire::encode(&projection),
        Err(_) => Vec::new(),
    })
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::{JsValue, wasm_bindgen};

    /// `project(scenarioJson)`: a `Uint8Array` of `wire` bytes, empty when the page must run it.
    #[wasm_bindgen]
    pub fn project(scenario_json: &str) -> Vec<u8> {
        super::project_bytes(scenario_json)
    }

    /// `projectShare(scenarioJson, index, workers)`: worker `index`'s share of the projection
    /// in a pool of `workers`, one tag byte then its bytes: `0` the whole projection (no more
    /// bytes: the page must run it), `1` a part (the first worker's kept: no more bytes), `2`
    /// nothing.
    #[wasm_bindgen(js_name = projectShare)]
    pub fn project_share(scenario_json: &str, index: u32, workers: u32) -> Vec<u8> {
        let (tag, mut bytes) = match super::project_share(scenario_json, index as usize, workers as usize) {
            super::Shared::Whole(bytes) => (0, bytes),
            super::Shared::Part(bytes) => (1, bytes),
            super::Shared::Idle => (2, Vec::new()),
        };
        bytes.insert(0, tag);
        bytes
    }

    /// `projectMerge(parts)`: the projection's `wire` bytes from the first worker's kept part
    /// and the other workers' (an array of `Uint8Array`, in the pool's order); empty when the
    /// page must run it.
    #[wasm_bindgen(js_name = projectMerge)]
    pub fn project_merge(parts: &js_sys::Array) -> Vec<u8> {
        let parts: Vec<Vec<u8>> = parts.iter().map(|part| js_sys::Uint8Array::new(&part).to_vec()).collect();
        super::project_merge(&parts)
    }

    /// `analysisStart(scenarioJson, requestBytes)`: `[]` when started, else `[zh, en]`, the refusal.
    #[wasm_bindgen(js_name = analysisStart)]
    pub fn analysis_start(scenario_json: &str, request: &[u8]) -> Vec<String> {
        match super::analysis_start(scenario_json, request) {
            Ok(()) => Vec::new(),
            Err((zh, en)) => vec![zh, en],
        }
    }

    /// `analysisStartShare(scenarioJson, requestBytes, index, workers)`: worker `index`'s
    /// share of the request in a pool of `workers`: `["whole"]`, `["part"]` or `["idle"]`, else
    /// `[zh, en]`, the refusal.
    #[wasm_bindgen(js_name = analysisStartShare)]
    pub fn analysis_start_share(
        scenario_json: &str,
        request: &[u8],
        index: u32,
        workers: u32,
    ) -> Vec<String> {
        let (index, workers) = (index as usize, workers as usize);
        match super::analysis_start_share(scenario_json, request, index, workers) {
            Ok(super::Given::Whole) => vec!["whole".into()],
            Ok(super::Given::Part) => vec!["part".into()],
            Ok(super::Given::Idle) => vec!["idle".into()],
            Err((zh, en)) => vec![zh, en],
        }
    }

    /// `analysisMerge(scenarioJson, requestBytes, parts)`: the answers' `wire` bytes from the
    /// parts' bytes (an array of `Uint8Array`, in the pool's order); throws `[zh, en]`.
    #[wasm_bindgen(js_name = analysisMerge)]
    pub fn analysis_merge(
        scenario_json: &str,
        request: &[u8],
        parts: &js_sys::Array,
    ) -> Result<Vec<u8>, Vec<String>> {
        let parts: Vec<Vec<u8>> = parts.iter().map(|part| js_sys::Uint8Array::new(&part).to_vec()).collect();
        super::analysis_merge(scenario_json, request, &parts).map_err(|(zh, en)| vec![zh, en])
    }

    /// `analysisSlice(budgetMs, now)`: runs the analysis for `budgetMs` as `now()` (the
    /// caller's `performance.now`) tells; `true` once it has finished or failed.
    #[wasm_bindgen(js_name = analysisSlice)]
    pub fn analysis_slice(budget_ms: f64, now: &js_sys::Function) -> bool {
        let clock = || now.call0(&JsValue::NULL).ok().and_then(|t| t.as_f64()).unwrap_or(f64::INFINITY);
        super::analysis_slice(budget_ms, &clock)
    }

    /// `analysisProgress()`: `[done, total]` simulations.
    #[wasm_bindgen(js_name = analysisProgress)]
    pub fn analysis_progress() -> Vec<u32> {
        let (done, total) = super::analysis_progress();
        vec![u32::try_from(done).unwrap_or(u32::MAX), u32::try_from(total).unwrap_or(u32::MAX)]
    }

    /// `analysisResult()`: the answers' `wire` bytes; throws `[zh, en]` when it failed.
    #[wasm_bindgen(js_name = analysisResult)]
    pub fn analysis_result() -> Result<Vec<u8>, Vec<String>> {
        super::analysis_result().map_err(|(zh, en)| vec![zh, en])
    }
}

#[cfg(test)]
mod tests {
    use delever_model::analysis::{Analysis, Lever, Request};
    use delever_model::output::Detail;
    use delever_model::{Simulator, parse_scenario, presets, wire};

    use super::{
        Shared, analysis_progress, analysis_result, analysis_slice, analysis_start, project_bytes,
        project_merge, project_share,
    };

    /// The answers the page would compute for `request` on `json`, job by job to the end.
    fn on_the_page(json: &str, request: &Request) -> Vec<Analysis> {
        let scenario = parse_scenario(json).expect("valid");
        let mut answers = Vec::new();
        for mut job in request.jobs(&scenario).expect("the request runs") {
            loop {
                if let Some(answer) = job.step(7).expect("no failure") {
                    answers.push(answer);
                    break;
                }
            }
        }
        answers
    }

    #[test]
    fn an_analysis_answers_exactly_what_the_page_would() {
        let json = presets::get("licheng-2019").expect("Licheng").json;
        for request in crate::runner::tests::one_of_each(Vec::new()) {
            analysis_start(json, &wire::encode_request(&request)).expect("starts");
            let mut steps = 0;
            // A slow clock: every slice ends after one engine step.
            let clock = crate::runner::tests::clock(100.0);
            while !analysis_slice(12.0, &clock) {
                steps += 1;
                let (done, total) = analysis_progress();
                assert!(done <= total && total > 0, "{request:?}: {done}/{total}");
            }
            assert!(steps > 0, "{request:?} finished in one step: progress went untested");
            let bytes = analysis_result().expect("answers");
            assert_eq!(
                wire::decode_answers(&bytes).expect("decodes"),
                on_the_page(json, &request),
                "{request:?}"
            );
        }
    }

    /// Runs the analysis set up here to its end; its result.
    fn finish() -> Result<Vec<u8>, (String, String)> {
        let clock = crate::runner::tests::clock(100.0);
        while !analysis_slice(12.0, &clock) {
            let (done, total) = analysis_progress();
            assert!(done <= total && total > 0, "{done}/{total}");
        }
        analysis_result()
    }

    /// A pool of 1 … 5 workers, run one after another here: the parts merged (or the one
    /// worker given the whole request) answer exactly what one worker answers, for every kind
    /// of request; the others idle.
    #[test]
    fn a_pool_of_workers_answers_exactly_what_one_worker_would() {
        use super::{Given, analysis_merge, analysis_start_share};
        let json = presets::get("licheng-2019").expect("Licheng").json;
        for request in crate::runner::tests::one_of_each(Vec::new()) {
            let bytes = wire::encode_request(&request);
            let expected = on_the_page(json, &request);
            for workers in 1..=5 {
                let mut parts = Vec::new();
                let mut whole = None;
                for index in 0..workers {
                    match analysis_start_share(json, &bytes, index, workers).expect("starts") {
                        Given::Whole => whole = Some(finish().expect("answers")),
                        Given::Part => parts.push(finish().expect("a part")),
                        Given::Idle => {}
                    }
                }
                let splits = matches!(request, Request::MonteCarlo { .. } | Request::Map { .. });
                let answers = if splits && workers > 1 {
                    assert!(whole.is_none(), "{request:?}: a part for each worker");
                    assert_eq!(parts.len(), workers, "{request:?}");
                    analysis_merge(json, &bytes, &parts).expect("merges")
                } else {
                    assert!(parts.is_empty(), "{request:?}");
                    whole.expect("the first worker runs it whole")
                };
                assert_eq!(
                    wire::decode_answers(&answers).expect("decodes"),
                    expected,
                    "{request:?} on {workers}"
                );
            }
        }
        // A refused request is refused by every worker; parts that do not fit are said so.
        let unknown = wire::encode_request(&Request::Map {
            x: Lever::Disposal,
            y: Lever::Disposal,
            metric: "npl".into(),
            steps: 5,
        });
        for index in 0..3 {
            assert!(analysis_start_share(json, &unknown, index, 3).is_err());
        }
        let map = wire::encode_request(&Request::Map {
            x: Lever::Disposal,
            y: Lever::WriteOffShare,
            metric: "npl".into(),
            steps: 5,
        });
        let (zh, en) = analysis_merge(json, &map, &[b"junk".to_vec()]).expect_err("refused");
        assert!(zh.contains("合并") && en.contains("fit together"), "{zh} / {en}");
    }

    #[test]
    fn a_refused_analysis_says_why_in_both_languages() {
        let json = presets::get("licheng-2019").expect("Licheng").json;
        let unknown =
            Request::GoalSeek { lever: Lever::LoanGrowth, targets: vec!["no-such".into()], each: Vec::new() };
        let (zh, en) = analysis_start(json, &wire::encode_request(&unknown)).expect_err("refused");
        assert!(zh.contains("no-such") && en.contains("no-such"), "{zh} / {en}");
        assert!(analysis_start(json, b"junk").is_err());
        assert!(analysis_start("{", &wire::encode_request(&unknown)).is_err());
    }

    #[test]
    fn answers_what_the_page_would_show_and_nothing_for_what_it_must_word() {
        for preset in presets::all() {
            let scenario = parse_scenario(preset.json).unwrap_or_else(|_| panic!("{} is valid", preset.id));
            let bytes = project_bytes(preset.json);
            let shown = Simulator::new().simulate(&scenario, Detail::RegionMonthly).ok();
            assert_eq!(wire::decode(&bytes, &scenario).ok(), shown, "{}", preset.id);
        }
        assert!(project_bytes("{").is_empty());
        assert!(project_bytes(r#"{"schema": 1}"#).is_empty());
    }

    /// A pool of `workers` projecting `json` as the page's workers do; the first worker's answer.
    fn pool_projects(json: &str, workers: usize) -> Vec<u8> {
        let shares: Vec<Shared> =
            (0..workers).rev().map(|index| project_share(json, index, workers)).collect();
        match shares.last() {
            Some(Shared::Whole(bytes)) => {
                assert!(shares[..workers - 1].iter().all(|s| *s == Shared::Idle), "the others idle");
                bytes.clone()
            }
            Some(Shared::Part(own)) => {
                assert!(own.is_empty(), "the first worker keeps its own part");
                let others: Vec<Vec<u8>> = shares[..workers - 1]
                    .iter()
                    .rev()
                    .map(|s| match s {
                        Shared::Part(bytes) => bytes.clone(),
                        other => panic!("a part, not {other:?}"),
                    })
                    .collect();
                project_merge(&others)
            }
            other => panic!("the first worker idles: {other:?}"),
        }
    }

    #[test]
    fn a_pool_of_workers_projects_exactly_what_one_worker_would() {
        // Run in parts: a rate plan, no AMC; run whole: a region-wide amount (every preset's).
        let separable = delever_model::presets::synthetic(60, 3).expect("synthetic").to_json();
        let mut doc = separable.clone();
        doc["defaults"]["disposal"] = serde_json::json!({"plan": "rate", "rate": "0.5"});
        doc["amc"] = serde_json::Value::Null;
        let split = doc.to_string();
        let licheng = presets::get("licheng-2019").expect("Licheng").json;
        for json in [split.as_str(), licheng, &separable.to_string()] {
            let one = project_bytes(json);
            assert!(!one.is_empty());
            for workers in [2, 3] {
                // The other workers' simulators are this thread's one, as each would be its own:
                // the part each runs does not depend on what ran before.
                assert_eq!(pool_projects(json, workers), one, "{workers} workers");
            }
        }
        assert!(matches!(project_share(&split, 0, 2), Shared::Part(_)));
        assert!(project_merge(&[b"junk".to_vec()]).is_empty(), "a part that is not one");
        assert!(project_merge(&[]).is_empty(), "nothing kept");
        assert_eq!(project_share("{", 0, 2), Shared::Whole(Vec::new()));
        assert_eq!(project_share("{", 1, 2), Shared::Idle);
    }
}

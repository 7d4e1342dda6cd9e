//! The engine in a Web Worker: a large scenario's projection and its analyses run off the page's main thread, answered as `wire` bytes.
//!
//! The page validates a large scenario itself (it needs every issue by field at once) and
//! sends this module the scenario's canonical JSON; [`project`] runs it through a
//! [`Simulator`] kept between calls (so a lever move refreshes the plan in place, exactly as
//! on the page) at [`Detail::RegionMonthly`], the page's own detail, and encodes the result
//! with `delever_model::wire`. Anything but a projection (a scenario this module refuses, a
//! negative stock, an overflow) is answered with no bytes: the page then runs the scenario
//! itself, so every message the user sees is worded in one place.
//!
//! An analysis runs as the engine's resumable jobs ([`Job`]), exactly as the page would run
//! them: [`analysis_start`] sets up the `wire`-encoded [`Request`] on a scenario,
//! [`analysis_step`] runs a few simulations at a time (so the worker can read a newer
//! message between steps: a cancellation, a projection), and the answers are `wire` bytes.

use std::cell::RefCell;

use delever_model::analysis::{Analysis, Job};
use delever_model::output::Detail;
use delever_model::{Lang, Simulator, parse_scenario, wire};

thread_local! {
    /// The worker's engine, kept across messages.
    static ENGINE: RefCell<Simulator> = RefCell::new(Simulator::new());
    /// The analysis being run, if any.
    static ANALYSIS: RefCell<Option<Running>> = const { RefCell::new(None) };
}

/// An analysis request being run: its jobs, the answers of those finished, or why it stopped.
struct Running {
    jobs: Vec<Job>,
    answers: Vec<Analysis>,
    failed: Option<(String, String)>,
}

/// Sets up the analysis `request` (`wire::encode_request`) on `scenario_json`, replacing any
/// other. `Err((zh, en))`: the engine refuses it, in its words.
pub fn analysis_start(scenario_json: &str, request: &[u8]) -> Result<(), (String, String)> {
    ANALYSIS.with(|a| a.borrow_mut().take());
    let request =
        wire::decode_request(request).map_err(|e| (format!("分析请求无法读取：{e}"), e.to_string()))?;
    let scenario = parse_scenario(scenario_json).map_err(|issues| {
        let first = issues.first();
        let words = |lang| first.map(|i| i.message(lang)).unwrap_or_default();
        (words(Lang::Zh), words(Lang::En))
    })?;
    let jobs = request.jobs(&scenario).map_err(|err| (err.message(Lang::Zh), err.message(Lang::En)))?;
    ANALYSIS.with(|a| *a.borrow_mut() = Some(Running { jobs, answers: Vec::new(), failed: None }));
    Ok(())
}

/// Runs up to `max_runs` simulations of the analysis; `true` once it has finished (or failed).
pub fn analysis_step(max_runs: usize) -> bool {
    ANALYSIS.with(|a| {
        let mut slot = a.borrow_mut();
        let Some(running) = slot.as_mut() else { return true };
        if running.failed.is_some() {
            return true;
        }
        let index = running.answers.len();
        let Some(job) = running.jobs.get_mut(index) else { return true };
        match job.step(max_runs.max(1)) {
            Ok(Some(answer)) => running.answers.push(answer),
            Ok(None) => {}
            Err(err) => running.failed = Some((err.message(Lang::Zh), err.message(Lang::En))),
        }
        running.failed.is_some() || running.answers.len() == running.jobs.len()
    })
}

/// Simulations done and expected in total, over every job of the analysis.
pub fn analysis_progress() -> (usize, usize) {
    ANALYSIS.with(|a| {
        a.borrow().as_ref().map_or((0usize, 0usize), |running| {
            running.jobs.iter().fold((0usize, 0usize), |(d, t), job| {
                let (done, total) = job.progress();
                (d.saturating_add(done), t.saturating_add(total))
            })
        })
    })
}

/// The finished analysis: its answers as `wire` bytes, or why it stopped (`(zh, en)`).
pub fn analysis_result() -> Result<Vec<u8>, (String, String)> {
    ANALYSIS.with(|a| match a.borrow_mut().take() {
        Some(Running { failed: Some(why), .. }) => Err(why),
        Some(Running { answers, jobs, .. }) if answers.len() == jobs.len() => {
            Ok(wire::encode_answers(&answers))
        }
        _ => Err(("分析尚未完成".into(), "the analysis has not finished".into())),
    })
}

/// The projection of `scenario_json` as `wire` bytes, or no bytes when it has none.
pub fn project_bytes(scenario_json: &str) -> Vec<u8> {
    let Ok(scenario) = parse_scenario(scenario_json) else { return Vec::new() };
    ENGINE.with(|engine| match engine.borrow_mut().simulate(&scenario, Detail::RegionMonthly) {
        Ok(projection) => wire::encode(&projection),
        Err(_) => Vec::new(),
    })
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::wasm_bindgen;

    /// `project(scenarioJson)`: a `Uint8Array` of `wire` bytes, empty when the page must run it.
    #[wasm_bindgen]
    pub fn project(scenario_json: &str) -> Vec<u8> {
        super::project_bytes(scenario_json)
    }

    /// `analysisStart(scenarioJson, requestBytes)`: `[]` when started, else `[zh, en]`, the refusal.
    #[wasm_bindgen(js_name = analysisStart)]
    pub fn analysis_start(scenario_json: &str, request: &[u8]) -> Vec<String> {
        match super::analysis_start(scenario_json, request) {
            Ok(()) => Vec::new(),
            Err((zh, en)) => vec![zh, en],
        }
    }

    /// `analysisStep(maxRuns)`: `true` once the analysis has finished or failed.
    #[wasm_bindgen(js_name = analysisStep)]
    pub fn analysis_step(max_runs: usize) -> bool {
        super::analysis_step(max_runs)
    }

    /// `analysisProgress()`: `[done, total]` simulations.
    #[wasm_bindgen(js_name = analysisProgress)]
    pub fn analysis_progress() -> Vec<u32> {
        let (done, total) = super::analysis_progress();
        vec![u32::try_from(done).unwrap_or(u32::MAX), u32::try_from(total).unwrap_or(u32::MAX)]
    }

    /// `analysisAnswers()`: the answers' `wire` bytes, empty when it failed (then `analysisRefusal()`).
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
    use rust_decimal::Decimal;

    use super::{analysis_progress, analysis_result, analysis_start, analysis_step, project_bytes};

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
        let requests = [
            Request::GoalSeek { lever: Lever::WriteOffShare, targets: Vec::new(), each: Vec::new() },
            Request::Sensitivity { metric: "npl_ratio".into(), year: None },
            Request::Map {
                x: Lever::Disposal,
                y: Lever::WriteOffShare,
                metric: "npl_ratio".into(),
                steps: 5,
            },
            Request::MonteCarlo { paths: 40, seed: 42, cv: Decimal::new(25, 2) },
        ];
        for request in requests {
            analysis_start(json, &wire::encode_request(&request)).expect("starts");
            let mut steps = 0;
            while !analysis_step(3) {
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
}

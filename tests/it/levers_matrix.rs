//! The lever matrix (SDEverywhere style): every slider of the page's lever panel at its
//! minimum and at its maximum, every pair of sliders at their four corners, and all
//! sliders together at their minima and at their maxima, for each preset.
//!
//! The ranges are the page's own: the panel (`components::Levers`) is rendered natively
//! and every `<input type="range" data-field min max>` is read back, then sent exactly as
//! the slider sends it (`SetField` with the slider's text in display units, `SetChannel`
//! for the channel mix). After each case the result shown satisfies the engine's
//! identities, or the engine's refusal is on the page with its message and the last good
//! result is kept (`check::verdict`). The counts are pinned per preset (`EXPECTED`: cases
//! that ran, were refused, left the document or the projection shown unchanged), with the
//! one slider end refused alone and the slider ends that change nothing shown, so a case
//! that stops running, or a lever that stops moving the result, fails the test. Run with
//! `-- --nocapture` to see the table.

use std::rc::Rc;

use delever::components::Levers;
use delever::components::levers::LeversProps;
use delever::state::{Action, PageState, UiState};
use delever_model::Lang;
use delever_model::scenario::CHANNELS;

use crate::check::{Verdict, verdict};

const PRESETS: [&str; 3] = ["licheng-2019", "yangjiang-2016-2018", "chongqing-2016-2020"];

/// One slider of the panel: its path and its ends, as the page writes them.
#[derive(Clone, Debug)]
struct Slider {
    path: String,
    min: String,
    max: String,
}

/// The value of `name="…"` in one tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

/// Every range input the rendered lever panel shows for `state`.
fn sliders(state: &UiState) -> Vec<Slider> {
    let props = LeversProps { state: PageState(Rc::new(state.clone())), dispatch: yew::Callback::noop() };
    let html = futures::executor::block_on(
        yew::LocalServerRenderer::<Levers>::with_props(props).hydratable(false).render(),
    );
    html.split("<input")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .filter(|tag| tag.contains("type=\"range\""))
        .map(|tag| Slider {
            path: attribute(tag, "data-field").expect("a slider without data-field"),
            min: attribute(tag, "min").expect("a slider without min"),
            max: attribute(tag, "max").expect("a slider without max"),
        })
        .collect()
}

/// What moving `slider` to `text` dispatches, as the page's slider does.
fn action(slider: &Slider, text: &str) -> Action {
    match slider.path.strip_prefix("defaults.channels.") {
        Some(name) => Action::SetChannel {
            prefix: "defaults".into(),
            channel: CHANNELS.iter().position(|c| *c == name).expect("a known channel"),
            text: text.into(),
        },
        None => Action::SetField { path: slider.path.clone(), text: text.into() },
    }
}

/// What happened to one case: how the page took it, and what it changed against the preset.
struct Outcome {
    verdict: Verdict,
    /// The document differs from the preset's.
    doc_changed: bool,
    /// The projection shown (region, zones, institutions' year-ends, targets, warnings) differs
    /// from the preset's (for a refused case, the last good result is kept: the preset's, or
    /// that of the moves before the refused one).
    result_changed: bool,
}

/// Counts of a group of cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    ran: usize,
    refused: usize,
    /// Cases that left the document as it was (every slider already at that end).
    doc_unchanged: usize,
    /// Cases that ran and showed the preset's projection again (a lever that moves nothing
    /// the page shows, such as the recovery rate of a channel the preset does not use).
    result_unchanged: usize,
}

impl Tally {
    fn add(&mut self, outcome: &Outcome) {
        match outcome.verdict {
            Verdict::Ran => self.ran += 1,
            Verdict::Refused => self.refused += 1,
        }
        if !outcome.doc_changed {
            self.doc_unchanged += 1;
        }
        if outcome.verdict == Verdict::Ran && !outcome.result_changed {
            self.result_unchanged += 1;
        }
    }

    const fn of(ran: usize, refused: usize, doc_unchanged: usize, result_unchanged: usize) -> Tally {
        Tally { ran, refused, doc_unchanged, result_unchanged }
    }
}

/// Applies `moves` to a copy of `base` and checks the outcome.
fn run_case(base: &UiState, moves: &[(&Slider, &str)], case: &str) -> (Outcome, UiState) {
    let mut state = base.clone();
    let mut before_last = base.clone();
    for (slider, text) in moves {
        before_last = state.clone();
        state.apply(action(slider, text));
    }
    let verdict = verdict(&state, case);
    let shown = |s: &UiState| s.current.as_ref().map(|c| c.projection.clone());
    if verdict == Verdict::Refused {
        // The last good result stays: the one shown before the refused move.
        assert!(shown(&state) == shown(&before_last), "{case}: refused, yet the result shown moved");
    }
    let outcome =
        Outcome { verdict, doc_changed: state.doc != base.doc, result_changed: shown(&state) != shown(base) };
    (outcome, state)
}

/// Per preset: sliders on the panel, then (ran, refused, document unchanged, result
/// unchanged) for one slider at an end, for all at their minima and all at their maxima, and
/// for every pair at its four corners. A lever that stops moving the result, a slider that
/// stops reaching the document, or a refusal that comes or goes changes a count here.
const EXPECTED: [(&str, usize, Tally, Tally, Tally); 3] = [
    ("licheng-2019", 22, Tally::of(44, 0, 0, 14), Tally::of(2, 0, 0, 0), Tally::of(924, 0, 0, 86)),
    ("yangjiang-2016-2018", 19, Tally::of(38, 0, 0, 8), Tally::of(2, 0, 0, 0), Tally::of(684, 0, 0, 26)),
    ("chongqing-2016-2020", 35, Tally::of(69, 1, 0, 12), Tally::of(2, 0, 0, 0), Tally::of(2313, 67, 0, 62)),
];

/// The slider ends that run but change nothing shown, each for a reason of its preset: a
/// channel the preset does not use, at its minimum 0 (it is 0 already); the recovery rate of
/// a channel the preset does not use; capital drivers where no institution models capital
/// (Licheng, Chongqing); a provisioning floor that another floor or the provisions exceed.
const INERT_ALONE: [&str; 34] = [
    "licheng-2019: defaults.channels.securitization at its min",
    "licheng-2019: defaults.channels.debt_equity at its min",
    "licheng-2019: defaults.channels.foreclosure at its min",
    "licheng-2019: defaults.channels.upgrade at its min",
    "licheng-2019: defaults.recovery.securitization at its min",
    "licheng-2019: defaults.recovery.securitization at its max",
    "licheng-2019: defaults.recovery.debt_equity at its min",
    "licheng-2019: defaults.recovery.debt_equity at its max",
    "licheng-2019: defaults.recovery.foreclosure at its min",
    "licheng-2019: defaults.recovery.foreclosure at its max",
    "licheng-2019: defaults.capital.pre_provision_return at its min",
    "licheng-2019: defaults.capital.pre_provision_return at its max",
    "licheng-2019: defaults.capital.retention at its min",
    "licheng-2019: defaults.capital.retention at its max",
    "yangjiang-2016-2018: defaults.channels.securitization at its min",
    "yangjiang-2016-2018: defaults.channels.debt_equity at its min",
    "yangjiang-2016-2018: defaults.channels.upgrade at its min",
    "yangjiang-2016-2018: defaults.recovery.securitization at its min",
    "yangjiang-2016-2018: defaults.recovery.securitization at its max",
    "yangjiang-2016-2018: defaults.recovery.debt_equity at its min",
    "yangjiang-2016-2018: defaults.recovery.debt_equity at its max",
    "yangjiang-2016-2018: defaults.provisioning.allowance_floor at its min",
    "chongqing-2016-2020: defaults.channels.debt_equity at its min",
    "chongqing-2016-2020: defaults.channels.foreclosure at its min",
    "chongqing-2016-2020: defaults.channels.upgrade at its min",
    "chongqing-2016-2020: defaults.recovery.debt_equity at its min",
    "chongqing-2016-2020: defaults.recovery.debt_equity at its max",
    "chongqing-2016-2020: defaults.recovery.foreclosure at its min",
    "chongqing-2016-2020: defaults.recovery.foreclosure at its max",
    "chongqing-2016-2020: defaults.provisioning.coverage_floor at its min",
    "chongqing-2016-2020: defaults.capital.pre_provision_return at its min",
    "chongqing-2016-2020: defaults.capital.pre_provision_return at its max",
    "chongqing-2016-2020: defaults.capital.retention at its min",
    "chongqing-2016-2020: defaults.capital.retention at its max",
];

/// The one slider end that is refused on its own, and why (an opening NPL above loans of 0).
const REFUSED_ALONE: [&str; 1] = ["chongqing-2016-2020: institutions[0].opening.loans at its min 0: \
     institutions[0].opening.npl: NPL 198 exceeds loans 0; NPL must be at most the loan balance"];

#[test]
fn every_lever_at_its_ends_keeps_the_identities() {
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    let mut inert = Vec::new();
    for preset in PRESETS {
        let mut base = UiState::new(Lang::En);
        base.apply(Action::LoadPreset(preset.into()));
        assert_eq!(verdict(&base, preset), Verdict::Ran, "{preset} itself runs");
        let sliders = sliders(&base);
        assert!(sliders.len() >= 10, "{preset}: only {} sliders on the panel", sliders.len());
        let ends = |s: &Slider| [s.min.clone(), s.max.clone()];

        let mut singles = Tally::default();
        for s in &sliders {
            for (end, text) in ["min", "max"].iter().zip(ends(s)) {
                let case = format!("{preset}: {} at its {end} {text}", s.path);
                let (outcome, state) = run_case(&base, &[(s, text.as_str())], &case);
                // A slider moved to a value other than the one shown changes the document.
                if base.field_text(&s.path) != text {
                    assert!(outcome.doc_changed, "{case}: the move did not reach the document");
                }
                if outcome.verdict == Verdict::Refused {
                    let why = state
                        .sim_error
                        .map(|e| e.message(Lang::En))
                        .or_else(|| state.issues.first().map(|i| i.message(Lang::En)));
                    refused.push(format!("{case}: {}", why.unwrap_or_default()));
                }
                if outcome.verdict == Verdict::Ran && !outcome.result_changed {
                    inert.push(format!("{preset}: {} at its {end}", s.path));
                }
                singles.add(&outcome);
            }
        }
        let mut together = Tally::default();
        let all_min: Vec<(&Slider, &str)> = sliders.iter().map(|s| (s, s.min.as_str())).collect();
        let all_max: Vec<(&Slider, &str)> = sliders.iter().map(|s| (s, s.max.as_str())).collect();
        together.add(&run_case(&base, &all_min, &format!("{preset}: every lever at its minimum")).0);
        together.add(&run_case(&base, &all_max, &format!("{preset}: every lever at its maximum")).0);
        let mut pairs = Tally::default();
        for (i, a) in sliders.iter().enumerate() {
            for b in &sliders[i + 1..] {
                for (ea, eb) in [(&a.min, &b.min), (&a.min, &b.max), (&a.max, &b.min), (&a.max, &b.max)] {
                    let case = format!("{preset}: {} = {ea}, {} = {eb}", a.path, b.path);
                    pairs.add(&run_case(&base, &[(a, ea.as_str()), (b, eb.as_str())], &case).0);
                }
            }
        }
        rows.push((preset, sliders.len(), singles, together, pairs));
    }
    println!(
        "| preset | sliders | one at an end | all at min, all at max | pairs at corners |\n\
         |---|---|---|---|---|\n\
         (each: ran / refused / document unchanged / result unchanged)"
    );
    let show =
        |t: &Tally| format!("{} / {} / {} / {}", t.ran, t.refused, t.doc_unchanged, t.result_unchanged);
    for (preset, count, singles, together, pairs) in &rows {
        println!("| {preset} | {count} | {} | {} | {} |", show(singles), show(together), show(pairs));
    }
    for case in &refused {
        println!("refused alone: {case}");
    }
    for case in &inert {
        println!("inert alone: {case}");
    }
    assert_eq!(rows, EXPECTED, "the lever matrix's counts moved (run with -- --nocapture for the table)");
    assert_eq!(refused, REFUSED_ALONE);
    assert_eq!(inert, INERT_ALONE, "the slider ends that change nothing shown");
    let total: usize =
        rows.iter().map(|(_, _, a, b, c)| a.ran + a.refused + b.ran + b.refused + c.ran + c.refused).sum();
    // 22 + 19 + 35 sliders: 2 ends each, 2 all-at-once cases, 4 corners of each pair.
    assert_eq!(total, 2 * 76 + 3 * 2 + 4 * (231 + 171 + 595));
    println!("{total} cases, every identity held or the refusal was shown with the last good result kept");
}

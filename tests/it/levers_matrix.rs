//! The lever matrix (SDEverywhere style): every slider of the page's lever panel at its
//! minimum and at its maximum, every pair of sliders at their four corners, and all
//! sliders together at their minima and at their maxima, for each preset.
//!
//! The ranges are the page's own: the panel (`components::Levers`) is rendered natively
//! and every `<input type="range" data-field min max>` is read back, then sent exactly as
//! the slider sends it (`SetField` with the slider's text in display units, `SetChannel`
//! for the channel mix). After each case the result shown satisfies the engine's
//! identities, or the engine's refusal is on the page with its message and the last good
//! result is kept (`check::verdict`). Run with `-- --nocapture` to see the table.

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

#[derive(Default)]
struct Tally {
    ran: usize,
    refused: usize,
}

impl Tally {
    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Ran => self.ran += 1,
            Verdict::Refused => self.refused += 1,
        }
    }
}

/// Applies `moves` to a copy of `base` and checks the outcome.
fn run_case(base: &UiState, moves: &[(&Slider, &str)], case: &str) -> Verdict {
    let mut state = base.clone();
    for (slider, text) in moves {
        state.apply(action(slider, text));
    }
    verdict(&state, case)
}

#[test]
fn every_lever_at_its_ends_keeps_the_identities() {
    let mut rows = Vec::new();
    let mut refused = Vec::new();
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
                if run_case(&base, &[(s, text.as_str())], &case) == Verdict::Refused {
                    let mut state = base.clone();
                    state.apply(action(s, &text));
                    let why = state
                        .sim_error
                        .map(|e| e.message(Lang::En))
                        .or_else(|| state.issues.first().map(|i| i.message(Lang::En)));
                    refused.push(format!("{case}: {}", why.unwrap_or_default()));
                    singles.add(Verdict::Refused);
                } else {
                    singles.add(Verdict::Ran);
                }
            }
        }
        let mut together = Tally::default();
        let all_min: Vec<(&Slider, &str)> = sliders.iter().map(|s| (s, s.min.as_str())).collect();
        let all_max: Vec<(&Slider, &str)> = sliders.iter().map(|s| (s, s.max.as_str())).collect();
        together.add(run_case(&base, &all_min, &format!("{preset}: every lever at its minimum")));
        together.add(run_case(&base, &all_max, &format!("{preset}: every lever at its maximum")));
        let mut pairs = Tally::default();
        for (i, a) in sliders.iter().enumerate() {
            for b in &sliders[i + 1..] {
                for (ea, eb) in [(&a.min, &b.min), (&a.min, &b.max), (&a.max, &b.min), (&a.max, &b.max)] {
                    let case = format!("{preset}: {} = {ea}, {} = {eb}", a.path, b.path);
                    pairs.add(run_case(&base, &[(a, ea.as_str()), (b, eb.as_str())], &case));
                }
            }
        }
        rows.push((preset, sliders.len(), singles, together, pairs));
    }
    println!(
        "| preset | sliders | one at an end: ran / refused | all at min, all at max: ran / refused | pairs at corners: ran / refused |"
    );
    println!("|---|---|---|---|---|");
    let mut total = 0;
    for (preset, count, singles, together, pairs) in &rows {
        println!(
            "| {preset} | {count} | {} / {} | {} / {} | {} / {} |",
            singles.ran, singles.refused, together.ran, together.refused, pairs.ran, pairs.refused
        );
        total += singles.ran + singles.refused + together.ran + together.refused + pairs.ran + pairs.refused;
    }
    for case in &refused {
        println!("refused alone: {case}");
    }
    println!("{total} cases, every identity held or the refusal was shown with the last good result kept");
}

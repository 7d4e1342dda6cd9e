//! The engine in a Web Worker: a scenario's projection run off the page's main thread and handed back as `wire` bytes.
//!
//! The page validates a large scenario itself (it needs every issue by field at once) and
//! sends this module the scenario's canonical JSON; [`project`] runs it through a
//! [`Simulator`] kept between calls (so a lever move refreshes the plan in place, exactly as
//! on the page) at [`Detail::RegionMonthly`], the page's own detail, and encodes the result
//! with `delever_model::wire`. Anything but a projection (a scenario this module refuses, a
//! negative stock, an overflow) is answered with no bytes: the page then runs the scenario
//! itself, so every message the user sees is worded in one place.

use std::cell::RefCell;

use delever_model::output::Detail;
use delever_model::{Simulator, parse_scenario, wire};

thread_local! {
    /// The worker's engine, kept across messages.
    static ENGINE: RefCell<Simulator> = RefCell::new(Simulator::new());
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
}

#[cfg(test)]
mod tests {
    use delever_model::output::Detail;
    use delever_model::{Simulator, parse_scenario, presets, wire};

    use super::project_bytes;

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

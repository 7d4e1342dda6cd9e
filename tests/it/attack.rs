//! Property tests of what arrives from outside: any `#scenario=` address and any postMessage
//! text, and presets with random values replaced by random JSON, through the same paths as
//! the page (`codec::scenario_from_fragment` → `LoadText { source: Link }`, and
//! `embed::parse_message` → its action, with `embed::check_loaded` for the answer). Nothing
//! panics; the result shown satisfies the engine's identities (`check::verdict`); and the
//! page shows a fresh result exactly when `check_loaded` finds nothing to refuse. The
//! cargo-fuzz targets `fuzz/fuzz_targets/{address,message}.rs` run the same paths on nightly.

use delever::codec::{encode, scenario_from_fragment};
use delever::embed::{Incoming, check_loaded, mode_from_query, parse_message};
use delever::state::{Action, Source, UiState};
use delever_model::Lang;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::check::{Verdict, verdict};

fn presets() -> Vec<Value> {
    delever_model::presets::all()
        .iter()
        .map(|p| serde_json::from_str(p.json).expect("a preset is JSON"))
        .collect()
}

/// JSON pointers of every value in `doc` (the root excluded).
fn pointers(doc: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match doc {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), v))
            .collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (format!("{at}/{i}"), v)).collect(),
        _ => Vec::new(),
    };
    for (pointer, child) in children {
        out.push(pointer.clone());
        pointers(child, pointer, out);
    }
}

/// Any JSON, leaning to what a scenario's numbers and strings look like.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1_000_000i64..1_000_000, 0u32..10)
            .prop_map(|(n, s)| json!(rust_decimal::Decimal::new(n, s).to_string())),
        (-1_000_000i64..1_000_000, 0u32..10).prop_map(|(n, s)| {
            serde_json::from_str::<Value>(&rust_decimal::Decimal::new(n, s).to_string())
                .unwrap_or(Value::Null)
        }),
        prop_oneof![Just("1e400"), Just("-0"), Just("1e-30"), Just("99999999999999999999999999999999")]
            .prop_map(|t| serde_json::from_str::<Value>(t).unwrap_or(Value::Null)),
        "\\PC{0,12}".prop_map(Value::String),
        prop_oneof![Just("even"), Just("rate"), Just("amount"), Just("balance"), Just("national_average")]
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("\\PC{0,8}", inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A preset with 1–4 of its values (anywhere, whole objects included) replaced by random JSON.
fn mutated_preset() -> impl Strategy<Value = String> {
    let count = presets().len();
    (0..count, prop::collection::vec((any::<prop::sample::Index>(), any_json()), 1..5)).prop_map(
        |(p, edits)| {
            let mut doc = presets().swap_remove(p);
            for (index, value) in edits {
                let mut all = Vec::new();
                pointers(&doc, String::new(), &mut all);
                if all.is_empty() {
                    break;
                }
                if let Some(slot) = doc.pointer_mut(&all[index.index(all.len())]) {
                    *slot = value;
                }
            }
            doc.to_string()
        },
    )
}

/// Loads `text` as the page would from `source`, checks what the page shows against
/// `check_loaded`'s verdict on the same text, and returns the page after the load.
fn load_and_check(text: &str, source: Source, case: &str) -> UiState {
    let mut state = UiState::new(Lang::Zh);
    state.apply(Action::LoadText { text: text.to_string(), source });
    let shown = verdict(&state, case);
    let refusals = check_loaded(text);
    assert!(
        refusals.iter().all(|r| !r.en.trim().is_empty() && !r.zh.trim().is_empty()),
        "{case}: an empty refusal"
    );
    let fresh = shown == Verdict::Ran && state.load_problem.is_none();
    assert_eq!(fresh, refusals.is_empty(), "{case}: the page and check_loaded disagree: {refusals:?}");
    state
}

/// Everything the address path does with `hash` (and the query path with the same text);
/// the page after the load, when the address held a scenario to load.
fn address(hash: &str) -> Option<UiState> {
    let _ = mode_from_query(hash);
    match scenario_from_fragment(hash) {
        Some(Ok(text)) => Some(load_and_check(&text, Source::Link, "address")),
        _ => None,
    }
}

/// Everything the message path does with `text`; the page after a `delever:load`.
fn message(text: &str) -> Option<UiState> {
    match parse_message(text) {
        Incoming::Act(Action::LoadText { text, source }) => Some(load_and_check(&text, source, "message")),
        Incoming::Act(action) => {
            let mut state = UiState::new(Lang::En);
            state.apply(action);
            verdict(&state, "message");
            None
        }
        _ => None,
    }
}

#[test]
fn any_address_text_is_survived() {
    crate::cases::run(file!(), 256, "\\PC{0,64}", |text| {
        address(&text);
        address(&format!("#scenario={text}"));
        let _ = mode_from_query(&format!("?{text}"));
        Ok(())
    });
}

#[test]
fn any_base64url_after_scenario_is_survived() {
    crate::cases::run(file!(), 256, "[A-Za-z0-9_=%-]{0,200}", |text| {
        address(&format!("#scenario={text}&lang=en"));
        Ok(())
    });
}

#[test]
fn any_message_text_is_survived() {
    crate::cases::run(file!(), 256, "\\PC{0,64}", |text| {
        message(&text);
        message(&json!({"type": "delever:load", "scenario": text}).to_string());
        Ok(())
    });
}

#[test]
fn mutated_presets_by_address() {
    crate::cases::run(file!(), 256, mutated_preset(), |text| {
        let hash = format!("#{}", delever::codec::scenario_to_fragment(&text));
        prop_assert_eq!(scenario_from_fragment(&hash), Some(Ok(text.clone())));
        address(&hash);
        // Bytes lost in transit: the link cut in half.
        let encoded = encode(text.as_bytes());
        address(&format!("#scenario={}", &encoded[..encoded.len() / 2]));
        Ok(())
    });
}

#[test]
fn mutated_presets_by_message() {
    crate::cases::run(file!(), 256, (mutated_preset(), any::<bool>()), |(text, wrap)| {
        let doc: Value = serde_json::from_str(&text).expect("a mutated preset is still JSON");
        // The scenario as an object, or as its text.
        let scenario = if wrap { Value::String(text.clone()) } else { doc };
        message(&json!({"type": "delever:load", "scenario": scenario}).to_string());
        Ok(())
    });
}

#[test]
fn random_json_messages_are_survived() {
    crate::cases::run(
        file!(),
        256,
        (prop_oneof![Just("delever:load"), Just("delever:other"), Just("x")], any_json()),
        |(kind, scenario)| {
            message(&json!({"type": kind, "scenario": scenario}).to_string());
            Ok(())
        },
    );
}

#[test]
fn the_presets_by_address_and_by_message_run() {
    let presets = delever_model::presets::all();
    let ids: Vec<&str> = presets.iter().map(|p| p.id).collect();
    assert_eq!(ids, ["licheng-2019", "licheng-2019-may", "yangjiang-2016-2018", "chongqing-2016-2020"]);
    let mut loaded = 0;
    for preset in presets {
        let doc: Value = serde_json::from_str(preset.json).expect("JSON");
        let expected = delever_model::parse_scenario(preset.json).expect("a valid preset");
        let by_address = address(&format!("#{}", delever::codec::scenario_to_fragment(preset.json)));
        let as_text = message(&json!({"type": "delever:load", "scenario": preset.json}).to_string());
        let as_object = message(&json!({"type": "delever:load", "scenario": doc}).to_string());
        for (way, state) in
            [("address", by_address), ("message text", as_text), ("message object", as_object)]
        {
            // Each way loads the preset and shows its own fresh result, with nothing refused.
            let state = state.unwrap_or_else(|| panic!("{}: {way} loaded nothing", preset.id));
            assert_eq!(verdict(&state, preset.id), Verdict::Ran, "{}: {way}", preset.id);
            assert!(state.load_problem.is_none() && state.issues.is_empty(), "{}: {way} refused", preset.id);
            let shown = state.current.as_ref().expect("a result");
            assert!(shown.scenario == expected, "{}: {way} shows another scenario", preset.id);
            loaded += 1;
        }
    }
    assert_eq!(loaded, 12, "four presets, three ways each");
}

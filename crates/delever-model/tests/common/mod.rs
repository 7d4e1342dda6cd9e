//! Shared test fixtures: a small hand-checkable scenario and helpers to edit its JSON.

#![allow(dead_code)]

pub mod cases;
pub mod generate;

use delever_model::engine::{MonthRecord, Plan, Run};
use delever_model::{Scenario, parse_scenario_value};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// Decimal from text, for expectations written as in a hand calculation.
#[track_caller]
pub fn d(text: &str) -> Decimal {
    text.parse().unwrap_or_else(|_| panic!("bad decimal in test: {text}"))
}

/// One institution, numbers chosen so month 1 can be computed by hand
/// (deposits 120, loans 1200, NPL 12, provisions 10, all rates 12% a year, 60% of a 12 plan in H1).
pub fn base() -> Value {
    json!({
        "schema": 1,
        "name": "hand",
        "start": "2018-12",
        "years": 1,
        "defaults": {
            "deposit_growth": "0.12",
            "loan_growth": "0.12",
            "loan_growth_basis": "lending",
            "npl_formation_rate": "0.12",
            "disposal": {"plan": "amount", "amount": "12"},
            "channels": {"collection": "0.25", "write_off": "0.5", "transfer": "0.25"},
            "pacing": {"h1_share": "0.6"},
            "recovery": {"transfer": "0.4", "securitization": "0.3", "debt_equity": "0.5", "foreclosure": "0.6"},
            "provisioning": {"coverage_floor": "1.5", "allowance_floor": "0.01"},
            "capital": {"pre_provision_return": "0.12", "retention": "0.5"}
        },
        "institutions": [{
            "id": "a", "name": "A", "kind": "rural", "zone": "z1",
            "opening": {"deposits": "120", "loans": "1200", "npl": "12", "provisions": "10",
                        "tier1_capital": "100", "leverage_exposure": "1500"}
        }],
        "amc": null,
        "events": [],
        "targets": []
    })
}

/// Sets `value` at a `/`-separated pointer inside `doc` (creating object keys as needed).
#[track_caller]
pub fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
    let target = doc.pointer_mut(parent).unwrap_or_else(|| panic!("no parent at {parent}"));
    match target {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(items) => {
            let index: usize = key.parse().expect("array index");
            items[index] = value;
        }
        _ => panic!("parent of {pointer} is not a container"),
    }
}

#[track_caller]
pub fn scenario(doc: &Value) -> Scenario {
    parse_scenario_value(doc).unwrap_or_else(|issues| {
        panic!(
            "scenario should be valid: {:?}",
            issues.iter().map(|i| i.message(delever_model::Lang::En)).collect::<Vec<_>>()
        )
    })
}

/// Runs the engine and returns the raw records of institution 0.
#[track_caller]
pub fn records(doc: &Value) -> Vec<MonthRecord> {
    let s = scenario(doc);
    let plan = Plan::compile(&s);
    let mut run = Run::new(&plan);
    run.execute(&plan).expect("run succeeds");
    run.institution(0).to_vec()
}

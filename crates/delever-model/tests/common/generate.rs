//! Generators of valid scenarios for the property tests (1–20 institutions, 1–10 years, rates at and between the ends of their ranges, events, per-year values, overrides, an AMC).

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

pub fn dec(units: i64, scale: u32) -> String {
    Decimal::new(units, scale).normalize().to_string()
}

/// A decimal in `[lo, hi] / 10^scale`, often exactly at an end.
pub fn ranged(lo: i64, hi: i64, scale: u32) -> impl Strategy<Value = String> {
    prop_oneof![1 => Just(lo), 1 => Just(hi), 4 => lo..=hi].prop_map(move |k| dec(k, scale))
}

/// `parts` non-negative thousandths summing to exactly 1.
pub fn partition(parts: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(0i64..=1000, parts.saturating_sub(1)).prop_map(move |mut cuts| {
        cuts.sort();
        let mut out = Vec::with_capacity(parts);
        let mut prev = 0;
        for c in cuts.iter().copied().chain(std::iter::once(1000)) {
            out.push(dec(c - prev, 3));
            prev = c;
        }
        out
    })
}

pub fn per_year(years: usize, lo: i64, hi: i64, scale: u32) -> BoxedStrategy<Value> {
    prop_oneof![
        ranged(lo, hi, scale).prop_map(Value::String),
        proptest::collection::vec(ranged(lo, hi, scale), years).prop_map(|v| json!(v)),
    ]
    .boxed()
}

pub fn channels() -> impl Strategy<Value = Value> {
    partition(7).prop_map(|shares| {
        let names = delever_model::scenario::CHANNELS;
        let mut map = serde_json::Map::new();
        for (name, share) in names.iter().zip(shares) {
            if share != "0" {
                map.insert((*name).to_string(), Value::String(share));
            }
        }
        if map.is_empty() {
            map.insert("write_off".into(), json!("1"));
        }
        Value::Object(map)
    })
}

pub fn pacing() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("even")),
        ranged(0, 100, 2).prop_map(|s| json!({"h1_share": s})),
        partition(12).prop_map(|w| json!({"weights": w})),
    ]
}

pub fn disposal(years: usize) -> impl Strategy<Value = Value> {
    prop_oneof![
        per_year(years, 0, 5_000_000, 2).prop_map(|a| json!({"plan": "amount", "amount": a})),
        per_year(years, 0, 1000, 3).prop_map(|r| json!({"plan": "rate", "rate": r})),
    ]
}

pub fn drivers(years: usize) -> impl Strategy<Value = Value> {
    (
        per_year(years, -500, 1000, 3),
        per_year(years, -500, 1000, 3),
        prop_oneof![Just("lending"), Just("balance")],
        per_year(years, 0, 1000, 3),
        disposal(years),
        channels(),
        pacing(),
        (ranged(0, 100, 2), ranged(0, 100, 2), ranged(0, 100, 2), ranged(0, 100, 2)),
        (proptest::option::of(ranged(0, 300, 2)), proptest::option::of(ranged(0, 50, 3))),
        (ranged(-100, 200, 3), ranged(0, 100, 2)),
    )
        .prop_map(
            |(dg, lg, basis, f, disposal, channels, pacing, (rt, rs, rx, rk), (kappa, lambda), (pi, rho))| {
                json!({
                    "deposit_growth": dg, "loan_growth": lg, "loan_growth_basis": basis,
                    "npl_formation_rate": f, "disposal": disposal, "channels": channels, "pacing": pacing,
                    "recovery": {"transfer": rt, "securitization": rs, "debt_equity": rx, "foreclosure": rk},
                    "provisioning": {"coverage_floor": kappa, "allowance_floor": lambda},
                    "capital": {"pre_provision_return": pi, "retention": rho},
                })
            },
        )
}

/// A subset of the drivers as institution overrides.
pub fn overrides(years: usize) -> impl Strategy<Value = Value> {
    (drivers(years), proptest::collection::vec(any::<bool>(), 10)).prop_map(|(all, keep)| {
        let mut map = serde_json::Map::new();
        if let Value::Object(fields) = all {
            for ((key, value), keep) in fields.into_iter().zip(keep) {
                if keep {
                    map.insert(key, value);
                }
            }
        }
        Value::Object(map)
    })
}

pub fn institution(years: usize, index: usize) -> impl Strategy<Value = Value> {
    (
        0i64..=100_000_000,
        0i64..=1000,
        0i64..=100_000_000,
        0i64..=1_000_000,
        proptest::option::of((-10_000i64..=100_000, 0i64..=10_000_000)),
        proptest::option::of(prop_oneof![Just("z1"), Just("z2"), Just("z3")]),
        prop_oneof![2 => Just(None), 1 => overrides(years).prop_map(Some)],
    )
        .prop_map(move |(loans, npl_per_mille, deposits, provisions, capital, zone, drivers)| {
            let npl = loans * npl_per_mille / 1000;
            json!({
                "id": format!("i{index}"),
                "kind": "rural",
                "zone": zone,
                "opening": {
                    "deposits": dec(deposits, 2), "loans": dec(loans, 2), "npl": dec(npl, 2),
                    "provisions": dec(provisions, 2),
                    "tier1_capital": capital.map(|(k, _)| dec(k, 2)),
                    "leverage_exposure": capital.map(|(_, e)| dec(e, 2)),
                },
                "drivers": drivers.unwrap_or_else(|| json!({})),
            })
        })
}

pub fn scenario_doc() -> impl Strategy<Value = Value> {
    (1usize..=10, 1usize..=20)
        .prop_flat_map(|(years, n)| {
            let institutions: Vec<_> = (0..n).map(|i| institution(years, i)).collect();
            let events = proptest::collection::vec((0..years * 12, 0..n, 0i64..=1_000_000), 0..6);
            let amc = proptest::option::of((0i64..=1_000_000, ranged(0, 100, 2), ranged(0, 100, 2)));
            (Just(years), drivers(years), institutions, events, amc)
        })
        .prop_map(|(years, defaults, institutions, events, amc)| {
            let events: Vec<Value> = events
                .into_iter()
                .map(|(m, i, amount)| {
                    json!({"month": format!("{:04}-{:02}", 2019 + m / 12, m % 12 + 1),
                           "institution": format!("i{i}"), "amount": dec(amount, 2)})
                })
                .collect();
            json!({
                "schema": 1, "name": "generated", "start": "2018-12", "years": years,
                "defaults": defaults, "institutions": institutions,
                "amc": amc.map(|(s, phi, alpha)| json!({"opening_stock": dec(s, 2), "inflow_share": phi, "disposal_rate": alpha})),
                "events": events,
                "targets": [
                    {"id": "npl", "metric": "npl", "op": "le", "value": "100", "year": 2019, "scope": "region"},
                    {"id": "ratio", "metric": "npl_ratio", "op": "le", "value": "national_average", "year": 2019, "scope": "i0"},
                ],
            })
        })
}

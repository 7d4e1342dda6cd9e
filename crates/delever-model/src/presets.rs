//! The presets built from the seeds (MODEL.md section 7), embedded from `www/presets/`.

/// One embedded preset scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    /// The scenario file, exactly as in `www/presets/ID.json`.
    pub json: &'static str,
}

const PRESETS: [Preset; 4] = [
    Preset {
        id: "licheng-2019",
        name: "鲤城区 2019 年信贷风险防控化解",
        name_en: "Licheng District 2019 credit-risk plan",
        json: include_str!("../../../www/presets/licheng-2019.json"),
    },
    Preset {
        id: "licheng-2019-may",
        name: "鲤城区 2019 年信贷风险防控化解（截至 5 月，示意实际数）",
        name_en: "Licheng District 2019, as of May (illustrative actuals)",
        json: include_str!("../../../www/presets/licheng-2019-may.json"),
    },
    Preset {
        id: "yangjiang-2016-2018",
        name: "阳江市 2016–2018 年去杠杆行动",
        name_en: "Yangjiang 2016–2018 deleveraging plan",
        json: include_str!("../../../www/presets/yangjiang-2016-2018.json"),
    },
    Preset {
        id: "chongqing-2016-2020",
        name: "重庆市 2016–2020 年防范化解金融风险",
        name_en: "Chongqing 2016–2020 financial-risk plan",
        json: include_str!("../../../www/presets/chongqing-2016-2020.json"),
    },
];

/// Every preset, the first user's (Licheng) first.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The Licheng plan with its region as one aggregate institution (the preset before it had
/// illustrative banks): a fixture for tests and benchmarks written for one institution, not a
/// listed preset (`tests/fixtures/licheng-2019-aggregate.json`).
pub const LICHENG_AGGREGATE: &str = include_str!("../../../tests/fixtures/licheng-2019-aggregate.json");

/// The preset with this id.
pub fn get(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// A synthetic scenario of `institutions` × `years` for benchmarks and stress tests:
/// Licheng's drivers, balances varied deterministically, institutions spread over eight zones.
pub fn synthetic(institutions: usize, years: u32) -> Result<crate::Scenario, Vec<crate::Issue>> {
    use serde_json::json;
    let kinds = crate::scenario::Kind::NAMES;
    let list: Vec<serde_json::Value> = (0..institutions)
        .map(|i| {
            let step = u32::try_from(i % 97).unwrap_or(0);
            let loans = rust_decimal::Decimal::from(step.saturating_mul(3).saturating_add(20));
            let npl = loans.checked_mul(rust_decimal::Decimal::new(15, 3)).unwrap_or_default();
            json!({
                "id": format!("bank{i:03}"),
                "name": format!("机构 {i}"),
                "kind": i.checked_rem(kinds.len()).and_then(|k| kinds.get(k)).copied().unwrap_or("other"),
                "zone": format!("街道{}", i % 8),
                "opening": {
                    "deposits": loans.checked_mul(rust_decimal::Decimal::new(11, 1)).unwrap_or(loans).to_string(),
                    "loans": loans.to_string(),
                    "npl": npl.to_string(),
                    "provisions": npl.checked_mul(rust_decimal::Decimal::TWO).unwrap_or(npl).to_string(),
                    "tier1_capital": if i % 2 == 0 { json!(loans.checked_div(rust_decimal::Decimal::TEN).unwrap_or(loans).to_string()) } else { json!(null) },
                    "leverage_exposure": if i % 2 == 0 { json!(loans.checked_mul(rust_decimal::Decimal::new(15, 1)).unwrap_or(loans).to_string()) } else { json!(null) },
                },
                "drivers": if i % 5 == 0 { json!({"npl_formation_rate": "0.02"}) } else { json!({}) },
            })
        })
        .collect();
    let doc = json!({
        "schema": 1,
        "name": format!("synthetic {institutions} × {years}"),
        "start": "2018-12",
        "years": years,
        "defaults": {
            "deposit_growth": "0.052", "loan_growth": "0.085", "loan_growth_basis": "lending",
            "npl_formation_rate": "0.014",
            "disposal": {"plan": "rate", "rate": "0.6"},
            "channels": {"collection": "0.2", "write_off": "0.5", "transfer": "0.3"},
            "pacing": {"h1_share": "0.6"},
            "recovery": {"transfer": "0.3", "securitization": "0.35", "debt_equity": "0.6", "foreclosure": "0.5"},
            "provisioning": {"coverage_floor": "1.5", "allowance_floor": "0.015"},
            "capital": {"pre_provision_return": "0.02", "retention": "0.7"}
        },
        "institutions": list,
        "amc": {"name": "AMC", "opening_stock": "3", "inflow_share": "0.5", "disposal_rate": "0.34"},
        "events": [],
        "targets": [
            {"id": "npl_ratio_cap", "metric": "npl_ratio", "op": "le", "value": "0.015", "year": 2019, "scope": "region"}
        ]
    });
    // Valid by construction (checked by the tests); a `Result` all the same, as for any document.
    crate::parse_scenario_value(&doc)
}

//! A generator of valid scenario files covering every field: pacing forms, channels, per-year
//! arrays, overrides, amount and rate plans, events, the AMC, capital, actuals, zones, the
//! assessment; 1–3 institutions, 1–3 years, decimals with few digits.
//!
//! Each scenario is built from one `u64` drawn by proptest (so a failure persists as that
//! seed); the choices inside use a small SplitMix64 stream of our own.

use serde_json::{Value, json};

/// The choices of one scenario.
pub struct Gen(u64);

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0 .. n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    /// An integer in `lo ..= hi`, at an end one time in three.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        match self.below(6) {
            0 => lo,
            1 => hi,
            _ => lo + self.below((hi - lo + 1) as u64) as i64,
        }
    }

    /// A decimal `k / 10^scale` with `k` in `lo ..= hi`, as text.
    pub fn dec(&mut self, lo: i64, hi: i64, scale: u32) -> String {
        text(self.int(lo, hi), scale)
    }

    /// `parts` non-negative decimals of `scale` places summing to exactly 1.
    pub fn partition(&mut self, parts: usize, scale: u32) -> Vec<String> {
        let unit = 10i64.pow(scale);
        let mut cuts: Vec<i64> = (1..parts).map(|_| self.below(unit as u64 + 1) as i64).collect();
        // Often leave some parts empty.
        if self.chance(1, 2) {
            for c in cuts.iter_mut() {
                if self.chance(1, 2) {
                    *c = 0;
                }
            }
        }
        cuts.sort();
        let mut out = Vec::new();
        let mut prev = 0;
        for c in cuts.into_iter().chain(std::iter::once(unit)) {
            out.push(text(c - prev, scale));
            prev = c;
        }
        out
    }
}

/// `k / 10^scale` as decimal text.
pub fn text(k: i64, scale: u32) -> String {
    let negative = k < 0;
    let digits = format!("{:0>width$}", k.unsigned_abs(), width = scale as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
    let fraction = fraction.trim_end_matches('0');
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{fraction}") }
}

/// What shape of scenario to draw.
#[derive(Clone, Copy)]
pub struct Shape {
    pub max_institutions: u64,
    pub max_years: u64,
    /// One time in this many with actuals (0: never).
    pub actuals_one_in: u64,
}

pub const SHAPE: Shape = Shape { max_institutions: 3, max_years: 3, actuals_one_in: 4 };

fn per_year(g: &mut Gen, years: usize, lo: i64, hi: i64, scale: u32) -> Value {
    if g.chance(1, 3) {
        json!((0..years).map(|_| g.dec(lo, hi, scale)).collect::<Vec<_>>())
    } else if g.chance(1, 4) {
        // A JSON number, not a string: the reader must take its digits exactly.
        let t = g.dec(lo, hi, scale);
        serde_json::from_str(&t).unwrap_or(json!(t))
    } else {
        json!(g.dec(lo, hi, scale))
    }
}

fn channels(g: &mut Gen) -> Value {
    let names =
        ["collection", "write_off", "transfer", "securitization", "debt_equity", "foreclosure", "upgrade"];
    let shares = g.partition(7, 2);
    let mut map = serde_json::Map::new();
    for (name, share) in names.iter().zip(shares) {
        if share != "0" || g.chance(1, 4) {
            map.insert((*name).to_string(), json!(share));
        }
    }
    Value::Object(map)
}

fn pacing(g: &mut Gen) -> Value {
    match g.below(3) {
        0 => json!("even"),
        1 => json!({"h1_share": g.dec(0, 100, 2)}),
        _ => json!({"weights": g.partition(12, 2)}),
    }
}

fn disposal(g: &mut Gen, years: usize, scale_of_npl: i64) -> Value {
    if g.chance(1, 2) {
        json!({"plan": "amount", "amount": per_year(g, years, 0, scale_of_npl, 2)})
    } else {
        json!({"plan": "rate", "rate": per_year(g, years, 0, 100, 2)})
    }
}

fn drivers(g: &mut Gen, years: usize, scale_of_npl: i64) -> serde_json::Map<String, Value> {
    let mut d = serde_json::Map::new();
    d.insert("deposit_growth".into(), per_year(g, years, -500, 1000, 3));
    // Mostly moderate loan growth; sometimes deep contraction (a negative-stock stop).
    let lg =
        if g.chance(1, 10) { per_year(g, years, -500, 1000, 3) } else { per_year(g, years, -100, 300, 3) };
    d.insert("loan_growth".into(), lg);
    d.insert("loan_growth_basis".into(), json!(if g.chance(1, 2) { "lending" } else { "balance" }));
    let top = if g.chance(1, 8) { 1000 } else { 60 };
    d.insert("npl_formation_rate".into(), per_year(g, years, 0, top, 3));
    d.insert("disposal".into(), disposal(g, years, scale_of_npl));
    d.insert("channels".into(), channels(g));
    d.insert("pacing".into(), pacing(g));
    d.insert(
        "recovery".into(),
        json!({"transfer": g.dec(0, 100, 2), "securitization": g.dec(0, 100, 2),
               "debt_equity": g.dec(0, 100, 2), "foreclosure": g.dec(0, 100, 2)}),
    );
    let kappa = if g.chance(1, 4) { Value::Null } else { json!(g.dec(0, 300, 2)) };
    let lambda = if g.chance(1, 4) { Value::Null } else { json!(g.dec(0, 50, 3)) };
    d.insert("provisioning".into(), json!({"coverage_floor": kappa, "allowance_floor": lambda}));
    d.insert(
        "capital".into(),
        json!({"pre_provision_return": g.dec(-100, 200, 3), "retention": g.dec(0, 100, 2)}),
    );
    d
}

const YEAR_END: [&str; 27] = [
    "deposits",
    "loans",
    "performing",
    "npl",
    "provisions",
    "npl_ratio",
    "coverage",
    "allowance_ratio",
    "ldr",
    "formation",
    "disposal",
    "disposal_plan",
    "disposal_shortfall",
    "disposal_h1",
    "h1_share",
    "write_off_share",
    "cash_recovered",
    "assets_received",
    "losses",
    "provision_charge",
    "npl_change",
    "adjusted_npl_ratio",
    "tier1_capital",
    "leverage_ratio",
    "amc_stock",
    "amc_disposal",
    "amc_disposal_share",
];

/// A scenario file.
pub fn scenario(seed: u64, shape: Shape) -> Value {
    let g = &mut Gen::new(seed);
    let years = 1 + g.below(shape.max_years) as usize;
    let n = 1 + g.below(shape.max_institutions) as usize;
    let months = 12 * years;
    // Amounts: mostly hundreds, with 2 decimals.
    let size = [1_000i64, 100_000, 1_000_000][g.below(3) as usize];
    let zones = ["z1", "z2"];
    let mut institutions = Vec::new();
    let mut models_capital = Vec::new();
    for i in 0..n {
        let low = if g.chance(1, 20) { 0 } else { size / 10 };
        let loans = g.int(low, size);
        let npl = loans * g.int(0, 100) / 1000;
        let capital = g.chance(1, 2);
        models_capital.push(capital);
        let mut opening = json!({
            "deposits": text(g.int(0, size), 2), "loans": text(loans, 2), "npl": text(npl, 2),
        });
        if g.chance(3, 4) {
            opening["provisions"] = json!(text(g.int(0, loans / 20 + 1), 2));
        }
        if capital {
            opening["tier1_capital"] = json!(text(g.int(-loans / 100, loans / 10 + 1), 2));
            opening["leverage_exposure"] = json!(text(g.int(loans / 2, 2 * loans + 100), 2));
        } else if g.chance(1, 2) {
            opening["tier1_capital"] = Value::Null;
            opening["leverage_exposure"] = Value::Null;
        }
        let mut inst =
            json!({"id": format!("b{i}"), "name": format!("bank {i}"), "kind": "rural", "opening": opening});
        match g.below(4) {
            0 => {}
            1 => inst["zone"] = Value::Null,
            _ => inst["zone"] = json!(zones[g.below(2) as usize]),
        }
        if g.chance(1, 2) {
            let all = drivers(g, years, npl.max(100) / 50);
            let mut keep = serde_json::Map::new();
            for (k, v) in all {
                if g.chance(1, 3) {
                    keep.insert(k, v);
                }
            }
            inst["drivers"] = Value::Object(keep);
        }
        institutions.push(inst);
    }
    let mut doc = json!({
        "schema": 1, "name": "generated", "unit": "亿元", "start": "2018-12", "years": years,
        "defaults": Value::Object(drivers(g, years, n as i64 * size / 2000)),
        "institutions": institutions,
    });
    if g.chance(1, 2) {
        doc["amc"] = json!({"name": "amc", "opening_stock": text(g.int(0, size / 10), 2),
                            "inflow_share": g.dec(0, 100, 2), "disposal_rate": g.dec(0, 100, 2)});
    } else if g.chance(1, 2) {
        doc["amc"] = Value::Null;
    }
    let events: Vec<Value> = (0..g.below(4))
        .map(|_| {
            let m = g.below(months as u64) as usize;
            json!({"month": format!("{:04}-{:02}", 2019 + m / 12, m % 12 + 1),
                   "institution": format!("b{}", g.below(n as u64)), "amount": text(g.int(0, size / 50), 2), "label": "e"})
        })
        .collect();
    doc["events"] = json!(events);
    let used_zones: Vec<String> = doc["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["zone"].as_str().map(str::to_string))
        .collect();
    let mut targets = Vec::new();
    for t in 0..g.below(5) {
        let metric = YEAR_END[g.below(YEAR_END.len() as u64) as usize];
        let scope = match g.below(4) {
            0 if !used_zones.is_empty() => {
                format!("zone:{}", used_zones[g.below(used_zones.len() as u64) as usize])
            }
            1 => format!("b{}", g.below(n as u64)),
            _ => "region".to_string(),
        };
        let value = if metric == "npl_ratio" && g.chance(1, 2) {
            json!("national_average")
        } else if RATIO.contains(&metric) {
            json!(g.dec(0, 2000, 4))
        } else {
            json!(text(g.int(-size / 10, size), 2))
        };
        let scope = if metric.starts_with("amc_") { "region".to_string() } else { scope };
        targets.push(
            json!({"id": format!("t{t}"), "metric": metric, "op": if g.chance(1, 2) { "ge" } else { "le" },
                            "value": value, "year": 2019 + g.below(years as u64) as i64, "scope": scope}),
        );
    }
    doc["targets"] = json!(targets);
    if g.chance(1, 10) {
        doc["reference"] = json!({"national_npl_ratio": {"2019": g.dec(0, 300, 4)}, "source": "generated"});
    }
    if shape.actuals_one_in > 0 && g.chance(1, shape.actuals_one_in) {
        let span = if g.chance(3, 4) { 12.min(months as u64) } else { months as u64 };
        let as_of = 1 + g.below(span) as usize;
        let mut actuals = Vec::new();
        for m in 1..=as_of {
            for (i, &capital) in models_capital.iter().enumerate() {
                let open = &doc["institutions"][i]["opening"];
                let loans0: i64 =
                    (open["loans"].as_str().unwrap().parse::<f64>().unwrap() * 100.0).round() as i64;
                let loans = (loans0 * g.int(95, 110) / 100).max(0);
                let npl = loans * g.int(0, 60) / 1000;
                let mut a = json!({"month": format!("{:04}-{:02}", 2019 + (m - 1) / 12, (m - 1) % 12 + 1),
                                   "institution": format!("b{i}"),
                                   "deposits": text(g.int(0, size), 2), "loans": text(loans, 2), "npl": text(npl, 2)});
                a["disposal"] = if g.chance(1, 2) {
                    json!(text(g.int(0, npl / 20 + 1), 2))
                } else {
                    let mut map = serde_json::Map::new();
                    for c in [
                        "collection",
                        "write_off",
                        "transfer",
                        "securitization",
                        "debt_equity",
                        "foreclosure",
                        "upgrade",
                    ] {
                        if g.chance(1, 3) {
                            map.insert(c.into(), json!(text(g.int(0, npl / 50 + 1), 2)));
                        }
                    }
                    Value::Object(map)
                };
                if g.chance(1, 2) {
                    a["provisions"] = json!(text(g.int(0, loans / 20 + 1), 2));
                }
                if g.chance(1, 2) {
                    a["formation"] = json!(text(g.int(-npl / 20, npl / 10 + 1), 2));
                }
                if capital && g.chance(1, 3) {
                    a["tier1_capital"] = json!(text(g.int(0, loans / 10 + 1), 2));
                    a["leverage_exposure"] = json!(text(g.int(loans / 2, 2 * loans + 100), 2));
                }
                actuals.push(a);
            }
        }
        doc["actuals"] = json!(actuals);
    }
    if g.chance(1, 3) {
        let level = if g.chance(1, 2) && !used_zones.is_empty() { "zone" } else { "institution" };
        let pool: Vec<&str> = YEAR_END
            .iter()
            .copied()
            .filter(|m| !m.starts_with("amc_"))
            .chain(["loan_growth", "disposal_completion"])
            .collect();
        let criteria: Vec<Value> = (0..1 + g.below(3))
            .map(|_| {
                json!({"metric": pool[g.below(pool.len() as u64) as usize],
                       "better": if g.chance(1, 2) { "lower" } else { "higher" },
                       "weight": text(g.int(1, 10_000), 2)})
            })
            .collect();
        doc["assessment"] =
            json!({"year": 2019 + g.below(years as u64) as i64, "level": level, "criteria": criteria});
    }
    doc
}

const RATIO: [&str; 9] = [
    "npl_ratio",
    "coverage",
    "allowance_ratio",
    "ldr",
    "h1_share",
    "write_off_share",
    "adjusted_npl_ratio",
    "leverage_ratio",
    "amc_disposal_share",
];

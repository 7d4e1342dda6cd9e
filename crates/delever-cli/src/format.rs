//! Output formats other than JSON: shared number formatting, bilingual labels and an aligned text table.
//!
//! The CSV writers are in `format/csv.rs`, the human-readable tables in `format/table.rs`.
//! JSON is the engine's own `to_json()`, printed as is.

pub mod csv;
pub mod table;

use delever_model::Lever;
use delever_model::scenario::{Disposal, Scenario};
use rust_decimal::{Decimal, RoundingStrategy};

/// The Chinese name of a metric, as on a supervisor's report.
pub fn metric_zh(metric: &str) -> &'static str {
    match metric {
        "deposits" => "各项存款",
        "loans" => "各项贷款",
        "performing" => "正常贷款",
        "npl" => "不良贷款",
        "provisions" => "贷款损失准备",
        "npl_ratio" => "不良贷款率",
        "coverage" => "拨备覆盖率",
        "allowance_ratio" => "拨贷比",
        "ldr" => "存贷比",
        "formation" => "不良生成",
        "disposal" => "不良处置",
        "disposal_plan" => "处置计划",
        "disposal_shortfall" => "处置缺口",
        "disposal_h1" => "上半年处置",
        "h1_share" => "上半年完成比例",
        "write_off_share" => "核销占比",
        "cash_recovered" => "现金回收",
        "assets_received" => "以物抵债资产",
        "losses" => "处置损失",
        "provision_charge" => "拨备计提",
        "npl_change" => "不良余额变动",
        "adjusted_npl_ratio" => "还原后不良率",
        "tier1_capital" => "一级资本",
        "leverage_ratio" => "杠杆率",
        "amc_stock" => "接包平台存量",
        "amc_disposal" => "接包平台处置",
        "amc_disposal_share" => "接包平台处置比例",
        "new_lending" => "新增贷款投放",
        _ => "",
    }
}

/// `不良贷款率 npl_ratio`: the Chinese name, then the machine name.
pub fn metric_label(metric: &str) -> String {
    bilingual(metric_zh(metric), metric)
}

/// The Chinese name of a disposal channel.
pub fn channel_zh(channel: &str) -> &'static str {
    match channel {
        "collection" => "清收",
        "write_off" => "核销",
        "transfer" => "转让",
        "securitization" => "证券化",
        "debt_equity" => "债转股",
        "foreclosure" => "以物抵债",
        "upgrade" => "重组上调",
        _ => "",
    }
}

/// `核销占比 write_off_share`: a lever's Chinese and machine names.
pub fn lever_label(lever: Lever, scenario: &Scenario) -> String {
    let zh = match lever {
        Lever::Disposal => match scenario.defaults.disposal {
            Disposal::Amount(_) => "处置计划",
            Disposal::Rate(_) => "处置比例",
        },
        Lever::WriteOffShare => "核销占比",
        Lever::LoanGrowth => "贷款增速",
        Lever::DepositGrowth => "存款增速",
        Lever::NplFormationRate => "不良生成率",
    };
    bilingual(zh, lever.name())
}

/// Is the lever's value a rate (shown as a percentage) rather than an amount?
pub fn lever_is_ratio(lever: Lever, scenario: &Scenario) -> bool {
    !matches!((lever, &scenario.defaults.disposal), (Lever::Disposal, Disposal::Amount(_)))
}

fn bilingual(zh: &str, en: &str) -> String {
    if zh.is_empty() { en.to_string() } else { format!("{zh} {en}") }
}

/// Rounds for display with `places` decimals, half away from zero (how people round
/// printed figures; the engine's own numbers are never rounded), never showing `-0`.
fn rounded(value: Decimal, places: u32) -> Decimal {
    let mut r = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.rescale(places);
    r
}

/// `1,234.56`: `places` decimals, thousands separated by commas.
pub fn amount_dp(value: Decimal, places: u32) -> String {
    let text = rounded(value, places).to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len().saturating_add(int.len() / 3));
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len().saturating_sub(i)) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount with 2 decimals and thousands separators.
pub fn amount(value: Decimal) -> String {
    amount_dp(value, 2)
}

/// A ratio as a percentage with `places` decimals: `0.0101` → `1.01%`.
pub fn percent_dp(value: Decimal, places: u32) -> String {
    match value.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", amount_dp(p, places)),
        None => format!("{}", value.normalize()),
    }
}

/// A ratio as a percentage with 2 decimals.
pub fn percent(value: Decimal) -> String {
    percent_dp(value, 2)
}

/// Shown for a null value.
pub const NULL: &str = "—";

/// A metric's value: a percentage for ratios, an amount otherwise, `—` for null.
pub fn metric_value(metric: &str, value: Option<Decimal>) -> String {
    match value {
        None => NULL.to_string(),
        Some(v) if delever_model::metrics::is_ratio(metric) => percent(v),
        Some(v) => amount(v),
    }
}

/// A difference of a metric: percentage points for ratios (`0.12 pp`), an amount otherwise.
pub fn metric_delta(metric: &str, value: Option<Decimal>) -> String {
    match value {
        None => NULL.to_string(),
        Some(v) if delever_model::metrics::is_ratio(metric) => match v.checked_mul(Decimal::ONE_HUNDRED) {
            Some(p) => format!("{} pp", amount(p)),
            None => amount(v),
        },
        Some(v) => amount(v),
    }
}

/// A lever's value, with `places` decimals (a percentage for rates).
pub fn lever_value(lever: Lever, scenario: &Scenario, value: Decimal, places: u32) -> String {
    if lever_is_ratio(lever, scenario) { percent_dp(value, places) } else { amount_dp(value, places) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(actual: String, expected: &str) {
        assert_eq!(actual, expected);
    }

    #[test]
    fn amounts_round_half_away_and_group_thousands() {
        check(amount(Decimal::new(1234567891, 3)), "1,234,567.89");
        check(amount(Decimal::new(5255, 1)), "525.50");
        check(amount(Decimal::new(-1005, 3)), "-1.01");
        check(amount(Decimal::new(-4, 3)), "0.00");
        check(amount(Decimal::new(999995, 3)), "1,000.00");
        check(amount(Decimal::ZERO), "0.00");
    }

    #[test]
    fn ratios_are_percentages() {
        check(percent(Decimal::new(101, 4)), "1.01%");
        check(percent(Decimal::new(44, 1)), "440.00%");
        check(metric_value("npl_ratio", None), "—");
        check(metric_delta("npl_ratio", Some(Decimal::new(12, 4))), "0.12 pp");
    }
}

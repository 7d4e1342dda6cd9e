//! The names of the output metrics (MODEL.md section 4), shared by outputs, targets and analyses, and what people call them.

use crate::error::Lang;

/// Scalar year-end metrics, in output order: the ones a target or an analysis can use.
pub const YEAR_END_SCALARS: [&str; 27] = [
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

/// Metrics that exist only for the region.
pub const REGION_ONLY: [&str; 3] = ["amc_stock", "amc_disposal", "amc_disposal_share"];

/// Metrics of each `monthly` entry: the stocks and ratios, then the month's flows.
pub const MONTHLY: [&str; 21] = [
    "deposits",
    "loans",
    "performing",
    "npl",
    "provisions",
    "npl_ratio",
    "coverage",
    "allowance_ratio",
    "ldr",
    "tier1_capital",
    "leverage_ratio",
    "amc_stock",
    "formation",
    "disposal_plan",
    "disposal",
    "disposal_shortfall",
    "cash_recovered",
    "assets_received",
    "losses",
    "provision_charge",
    "new_lending",
];

/// Is `name` a scalar year-end metric?
pub fn is_year_end_scalar(name: &str) -> bool {
    YEAR_END_SCALARS.contains(&name)
}

/// Is `name` a monthly metric?
pub fn is_monthly(name: &str) -> bool {
    MONTHLY.contains(&name)
}

/// The year-end metrics that are ratios (shown as percentages; every other metric is an amount).
pub const RATIO_METRICS: [&str; 9] = [
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

/// Is `name` a ratio metric?
pub fn is_ratio(name: &str) -> bool {
    RATIO_METRICS.contains(&name)
}

/// What metric `id` is called in `lang` (the page's and the workbook's headers), or the id
/// itself for a name this table does not know.
pub fn name(lang: Lang, id: &str) -> &str {
    let (zh, en) = match id {
        "deposits" => ("存款", "Deposits"),
        "loans" => ("贷款", "Loans"),
        "performing" => ("正常贷款", "Performing loans"),
        "npl" => ("不良贷款", "NPL"),
        "provisions" => ("贷款损失准备", "Provisions"),
        "npl_ratio" => ("不良贷款率", "NPL ratio"),
        "coverage" => ("拨备覆盖率", "Provision coverage"),
        "allowance_ratio" => ("拨贷比", "Allowance ratio"),
        "ldr" => ("存贷比", "Loan-to-deposit ratio"),
        "formation" => ("不良生成", "NPL formation"),
        "disposal" => ("处置", "Disposal"),
        "disposal_plan" => ("处置计划", "Disposal plan"),
        "disposal_shortfall" => ("处置缺口", "Disposal shortfall"),
        "disposal_h1" => ("上半年处置", "Disposal, first half"),
        "h1_share" => ("上半年处置进度", "First-half share of plan"),
        "write_off_share" => ("核销占比", "Write-off share"),
        "cash_recovered" => ("现金回收", "Cash recovered"),
        "assets_received" => ("以物抵债资产", "Assets received"),
        "losses" => ("损失", "Losses"),
        "provision_charge" => ("拨备计提", "Provision charge"),
        "npl_change" => ("不良余额变化", "Change in NPL"),
        "adjusted_npl_ratio" => ("还原处置后不良率", "NPL ratio before disposals"),
        "tier1_capital" => ("一级资本", "Tier-1 capital"),
        "leverage_ratio" => ("杠杆率", "Leverage ratio"),
        "amc_stock" => ("AMC 资产包存量", "AMC package stock"),
        "amc_disposal" => ("AMC 处置", "AMC disposal"),
        "amc_disposal_share" => ("AMC 处置比例", "AMC disposal share"),
        "new_lending" => ("新增贷款", "New lending"),
        // The assessment's own ratios (MODEL.md section 10).
        "loan_growth" => ("贷款增长率", "Loan growth"),
        "disposal_completion" => ("处置计划完成率", "Disposal plan completed"),
        _ => return id,
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::{Lang, MONTHLY, YEAR_END_SCALARS, name};

    #[test]
    fn every_metric_has_a_name_in_both_languages() {
        for metric in YEAR_END_SCALARS.iter().chain(MONTHLY.iter()) {
            for lang in [Lang::Zh, Lang::En] {
                assert_ne!(name(lang, metric), *metric, "{metric} has no {lang:?} name");
            }
        }
    }
}

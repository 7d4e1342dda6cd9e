//! The names of the output metrics (MODEL.md section 4), shared by outputs, targets and analyses.

/// Scalar year-end metrics, in output order: the ones a target or an analysis can use.
pub const YEAR_END_SCALARS: [&str; 26] = [
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
pub const MONTHLY: [&str; 20] = [
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

//! The page's words in Chinese (the default) and English: metric names and interface text.
//!
//! Metric ids are the engine's (MODEL.md section 4); this module only names them.
//! Messages about a scenario come from the engine itself (`Issue::message`).

pub use delever_model::Lang;

/// A piece of interface text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    AppTitle,
    IllustrativeOpenings,
    YearEnds,
    Metric,
    Targets,
    Target,
    Year,
    Scope,
    Region,
    Actual,
    Result,
    Margin,
    Met,
    NotMet,
    NotApplicable,
    PercentagePoints,
    Warnings,
    LoadFailed,
}

/// `text` in `lang`.
pub fn text(lang: Lang, text: Text) -> &'static str {
    let (zh, en) = match text {
        Text::AppTitle => ("Delever 去杠杆模拟", "Delever deleveraging simulator"),
        Text::IllustrativeOpenings => (
            "说明：原规划未公布期初余额，本情景的期初余额为示意数据，并非实际统计数。",
            "Note: the plan publishes no opening balances; this scenario's opening balances are \
             illustrative, not actual statistics.",
        ),
        Text::YearEnds => ("全辖年末数据", "Region, year-end"),
        Text::Metric => ("指标", "Metric"),
        Text::Targets => ("目标检查", "Target checks"),
        Text::Target => ("目标", "Target"),
        Text::Year => ("年份", "Year"),
        Text::Scope => ("范围", "Scope"),
        Text::Region => ("全辖", "region"),
        Text::Actual => ("实际", "Actual"),
        Text::Result => ("结果", "Result"),
        Text::Margin => ("余量", "Margin"),
        Text::Met => ("达标", "met"),
        Text::NotMet => ("未达标", "not met"),
        Text::NotApplicable => ("无", "n/a"),
        Text::PercentagePoints => ("个百分点", "pp"),
        Text::Warnings => ("提示", "Warnings"),
        Text::LoadFailed => ("无法计算该情景", "The scenario could not be computed"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The name of metric `id` in `lang`, or the id itself for a metric this page does not know.
pub fn metric_name(lang: Lang, id: &str) -> &str {
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
        "losses" => ("损失", "Losses"),
        "provision_charge" => ("拨备计提", "Provision charge"),
        "npl_change" => ("不良余额变化", "Change in NPL"),
        "adjusted_npl_ratio" => ("还原处置后不良率", "NPL ratio before disposals"),
        "tier1_capital" => ("一级资本", "Tier-1 capital"),
        "leverage_ratio" => ("杠杆率", "Leverage ratio"),
        "amc_stock" => ("AMC 资产包存量", "AMC package stock"),
        "amc_disposal" => ("AMC 处置", "AMC disposal"),
        "amc_disposal_share" => ("AMC 处置比例", "AMC disposal share"),
        _ => return id,
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A phrase in `lang`, written inline where it is used: `tr(lang, "贷款增速", "Loan growth")`.
pub fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::{Lang, metric_name};

    #[test]
    fn every_engine_metric_has_a_name_in_both_languages() {
        for metric in delever_model::metrics::YEAR_END_SCALARS {
            for lang in [Lang::Zh, Lang::En] {
                assert_ne!(metric_name(lang, metric), metric, "{metric} has no {lang:?} name");
            }
        }
    }
}

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

/// The name of a metric in `lang`: the engine's table, shared with the workbook export.
pub use delever_model::metrics::name as metric_name;

/// A phrase in `lang`, written inline where it is used: `tr(lang, "贷款增速", "Loan growth")`.
pub fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

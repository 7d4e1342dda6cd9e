//! Typed errors: scenario issues (with their JSON path), simulation failures and analysis misuse, in Chinese and English.

use std::fmt;

use rust_decimal::Decimal;

use crate::num::fmt_decimal;

/// The language a message is written in. Chinese is the product's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Parses `zh` / `en` (and `zh-CN`, `en-US`…); anything else is `None`.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// One violation of the scenario rules, located by its JSON path (`institutions[2].opening.npl`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// JSON path of the offending field; empty for the document itself.
    pub path: String,
    pub problem: Problem,
}

impl Issue {
    pub fn new(path: impl Into<String>, problem: Problem) -> Issue {
        Issue { path: path.into(), problem }
    }

    /// `path: what is wrong; what is allowed`, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let where_ = if self.path.is_empty() {
            match lang {
                Lang::Zh => "文件".to_string(),
                Lang::En => "file".to_string(),
            }
        } else {
            self.path.clone()
        };
        format!("{where_}: {}", self.problem.message(lang))
    }
}

/// What is wrong with a field, with enough data to say what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The text is not JSON.
    Syntax { line: usize, column: usize, detail: String },
    /// The input is larger than the engine accepts.
    TooLarge { bytes: usize, max: usize },
    /// The input is empty (or only whitespace).
    Empty,
    /// A required field is absent (or null where null is not allowed).
    Missing,
    /// The field has the wrong JSON type; `expected` names what is allowed.
    WrongType { expected: Expected },
    /// A string or number that is not a decimal.
    NotDecimal { got: String },
    /// A number outside its allowed range (bounds inclusive).
    OutOfRange { value: Decimal, min: Option<Decimal>, max: Option<Decimal> },
    /// A string that is not one of the allowed words.
    NotOneOf { got: String, allowed: Vec<&'static str> },
    /// A field the schema does not know (often a typo).
    UnknownField { allowed: Vec<&'static str> },
    /// Shares or weights that must sum to exactly 1 do not.
    SumNotOne { sum: Decimal },
    /// An array of the wrong length.
    WrongLength { got: usize, expected: usize },
    /// A count (of institutions) outside its range.
    Count { got: usize, min: usize, max: usize },
    /// A month that is not written `YYYY-MM`.
    BadMonth { got: String },
    /// A year that is not written as four digits (`"2025"`).
    BadYear { got: String },
    /// A number that must be greater than zero.
    NotPositive { value: Decimal },
    /// Two reported entries for one institution and month.
    DuplicateActual { institution: String, month: String },
    /// An institution without a report for a month that another institution reports (or
    /// before the last reported month).
    ActualsMissingMonth { institution: String, month: String },
    /// Reported capital for an institution that does not model capital.
    CapitalNotModelled { institution: String },
    /// `start` must be a December.
    StartNotDecember { got: String },
    /// A month outside the projection.
    MonthOutsideHorizon { got: String, first: String, last: String },
    /// A year outside the projection.
    YearOutsideHorizon { got: i64, first: i32, last: i32 },
    /// An id used twice.
    DuplicateId { id: String },
    /// An id that names no institution.
    UnknownInstitution { id: String },
    /// A `zone:NAME` scope that names no institution's zone.
    UnknownZone { zone: String },
    /// Opening NPL larger than opening loans.
    NplAboveLoans { npl: Decimal, loans: Decimal },
    /// `tier1_capital` and `leverage_exposure` must be given together.
    CapitalPair,
    /// `"national_average"` is defined only for the `npl_ratio` metric.
    NationalAverageMetric { metric: String },
    /// The reference table has no national average for that year.
    NoNationalAverage { year: i32 },
    /// A region-only metric used with an institution scope.
    RegionOnlyMetric { metric: String },
    /// Only `"schema": 1` exists.
    UnsupportedSchema { got: String },
    /// An empty string where a name or id is required.
    EmptyString,
}

/// The JSON type a field should have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Object,
    Array,
    String,
    Integer,
    Decimal,
    DecimalOrArray,
    DecimalOrNull,
    StringOrNull,
    ObjectOrNull,
    TargetValue,
    Pacing,
}

impl Expected {
    fn describe(self, lang: Lang) -> &'static str {
        use Expected::*;
        match (self, lang) {
            (Object, Lang::En) => "an object",
            (Object, Lang::Zh) => "对象",
            (Array, Lang::En) => "an array",
            (Array, Lang::Zh) => "数组",
            (String, Lang::En) => "a string",
            (String, Lang::Zh) => "字符串",
            (Integer, Lang::En) => "a whole number",
            (Integer, Lang::Zh) => "整数",
            (Decimal, Lang::En) => "a decimal, as a string (\"1.01\") or a number",
            (Decimal, Lang::Zh) => "小数（字符串 \"1.01\" 或数字）",
            (DecimalOrArray, Lang::En) => "a decimal or an array with one decimal per year",
            (DecimalOrArray, Lang::Zh) => "一个小数，或每年一个小数的数组",
            (DecimalOrNull, Lang::En) => "a decimal or null",
            (DecimalOrNull, Lang::Zh) => "小数或 null",
            (StringOrNull, Lang::En) => "a string or null",
            (StringOrNull, Lang::Zh) => "字符串或 null",
            (ObjectOrNull, Lang::En) => "an object or null",
            (ObjectOrNull, Lang::Zh) => "对象或 null",
            (TargetValue, Lang::En) => "a decimal or the string \"national_average\"",
            (TargetValue, Lang::Zh) => "小数，或字符串 \"national_average\"（全国平均）",
            (Pacing, Lang::En) => "\"even\", {\"h1_share\": s} or {\"weights\": [12 values]}",
            (Pacing, Lang::Zh) => "\"even\"、{\"h1_share\": s} 或 {\"weights\": [12 个值]}",
        }
    }
}

fn bound(value: Option<Decimal>) -> String {
    value.map(fmt_decimal).unwrap_or_default()
}

impl Problem {
    /// What is wrong and what is allowed, in `lang` (no path, no trailing period).
    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        let en = lang == Lang::En;
        match self {
            Syntax { line, column, detail } => {
                if en {
                    format!(
                        "not valid JSON at line {line}, column {column} ({detail}); a scenario file is one JSON object"
                    )
                } else {
                    format!(
                        "第 {line} 行第 {column} 列不是合法的 JSON（{detail}）；情景文件应为一个 JSON 对象"
                    )
                }
            }
            TooLarge { bytes, max } => {
                if en {
                    format!("the input is {bytes} bytes; at most {max} bytes are accepted")
                } else {
                    format!("输入共 {bytes} 字节，超过上限 {max} 字节")
                }
            }
            Empty => {
                if en {
                    "the input is empty; a scenario file is one JSON object".into()
                } else {
                    "输入为空；情景文件应为一个 JSON 对象".into()
                }
            }
            Missing => {
                if en {
                    "is required but missing".into()
                } else {
                    "缺少此必填字段".into()
                }
            }
            WrongType { expected } => {
                if en {
                    format!("has the wrong type; expected {}", expected.describe(lang))
                } else {
                    format!("类型不对；应为{}", expected.describe(lang))
                }
            }
            NotDecimal { got } => {
                if en {
                    format!("\"{got}\" is not a decimal number; write e.g. \"1.01\" or 0.0101")
                } else {
                    format!("\"{got}\" 不是小数；应写作 \"1.01\" 或 0.0101 这样的数")
                }
            }
            OutOfRange { value, min, max } => {
                let v = fmt_decimal(*value);
                match (min, max) {
                    (Some(_), Some(_)) => {
                        if en {
                            format!("{v} is out of range; allowed {} … {}", bound(*min), bound(*max))
                        } else {
                            format!("{v} 超出范围；允许 {} … {}", bound(*min), bound(*max))
                        }
                    }
                    (Some(_), None) => {
                        if en {
                            format!("{v} is too small; it must be at least {}", bound(*min))
                        } else {
                            format!("{v} 过小；不得小于 {}", bound(*min))
                        }
                    }
                    (None, _) => {
                        if en {
                            format!("{v} is too large; it must be at most {}", bound(*max))
                        } else {
                            format!("{v} 过大；不得大于 {}", bound(*max))
                        }
                    }
                }
            }
            NotOneOf { got, allowed } => {
                if en {
                    format!("\"{got}\" is not allowed; use one of {}", allowed.join(", "))
                } else {
                    format!("不允许 \"{got}\"；可选值为 {}", allowed.join("、"))
                }
            }
            UnknownField { allowed } => {
                if en {
                    format!("is not a known field (a typo?); known fields here: {}", allowed.join(", "))
                } else {
                    format!("不是已知字段（拼写错误？）；此处可用字段：{}", allowed.join("、"))
                }
            }
            SumNotOne { sum } => {
                if en {
                    format!("the shares sum to {}; they must sum to exactly 1", fmt_decimal(*sum))
                } else {
                    format!("各项占比合计为 {}，必须恰好等于 1", fmt_decimal(*sum))
                }
            }
            WrongLength { got, expected } => {
                if en {
                    format!("has {got} values; it must have exactly {expected}")
                } else {
                    format!("有 {got} 个值，必须恰好 {expected} 个")
                }
            }
            Count { got, min, max } => {
                if en {
                    format!("has {got} entries; allowed {min} to {max}")
                } else {
                    format!("共 {got} 项；允许 {min} 至 {max} 项")
                }
            }
            BadMonth { got } => {
                if en {
                    format!("\"{got}\" is not a month; write YYYY-MM, e.g. \"2019-07\"")
                } else {
                    format!("\"{got}\" 不是月份；应写作 YYYY-MM，如 \"2019-07\"")
                }
            }
            DuplicateActual { institution, month } => {
                if en {
                    format!(
                        "\"{institution}\" reports {month} twice; give one entry per institution and month"
                    )
                } else {
                    format!("\"{institution}\" 的 {month} 报送了两次；每家机构每月只能有一条")
                }
            }
            ActualsMissingMonth { institution, month } => {
                if en {
                    format!(
                        "\"{institution}\" has no report for {month}; every institution must report the same months, without a gap from the first month of the projection"
                    )
                } else {
                    format!(
                        "\"{institution}\" 缺少 {month} 的报送；所有机构须报送相同的月份，且自测算首月起不得间断"
                    )
                }
            }
            CapitalNotModelled { institution } => {
                if en {
                    format!(
                        "\"{institution}\" does not model capital (no opening tier1_capital); leave out tier1_capital and leverage_exposure"
                    )
                } else {
                    format!(
                        "\"{institution}\" 未设资本（期初无一级资本）；请删去 tier1_capital 与 leverage_exposure"
                    )
                }
            }
            NotPositive { value } => {
                if en {
                    format!("{value} is not allowed; it must be greater than 0")
                } else {
                    format!("{value} 不可用；必须大于 0")
                }
            }
            BadYear { got } => {
                if en {
                    format!("\"{got}\" is not a year; write four digits between 1900 and 2200, e.g. \"2025\"")
                } else {
                    format!("\"{got}\" 不是年份；应写作 1900 至 2200 之间的四位数字，如 \"2025\"")
                }
            }
            StartNotDecember { got } => {
                if en {
                    format!(
                        "\"{got}\" is not a December; the opening balances are a year-end, e.g. \"2018-12\""
                    )
                } else {
                    format!("\"{got}\" 不是 12 月；期初余额须为年末数，如 \"2018-12\"")
                }
            }
            MonthOutsideHorizon { got, first, last } => {
                if en {
                    format!("{got} is outside the projection; allowed {first} … {last}")
                } else {
                    format!("{got} 不在预测期内；允许 {first} … {last}")
                }
            }
            YearOutsideHorizon { got, first, last } => {
                if en {
                    format!("{got} is outside the projection; allowed {first} … {last}")
                } else {
                    format!("{got} 年不在预测期内；允许 {first} … {last}")
                }
            }
            DuplicateId { id } => {
                if en {
                    format!("id \"{id}\" is used more than once; ids must be unique")
                } else {
                    format!("编号 \"{id}\" 重复；编号必须唯一")
                }
            }
            UnknownInstitution { id } => {
                if en {
                    format!("\"{id}\" is not the id of any institution in this scenario")
                } else {
                    format!("\"{id}\" 不是本情景中任何机构的编号")
                }
            }
            UnknownZone { zone } => {
                if en {
                    format!(
                        "no institution is in zone \"{zone}\"; a zone scope is \"zone:\" followed by the zone of at least one institution"
                    )
                } else {
                    format!("没有机构属于片区 \"{zone}\"；片区口径写作 \"zone:\" 加至少一家机构所属的片区名")
                }
            }
            NplAboveLoans { npl, loans } => {
                if en {
                    format!(
                        "NPL {} exceeds loans {}; NPL must be at most the loan balance",
                        fmt_decimal(*npl),
                        fmt_decimal(*loans)
                    )
                } else {
                    format!(
                        "不良贷款 {} 大于各项贷款 {}；不良贷款不得超过贷款余额",
                        fmt_decimal(*npl),
                        fmt_decimal(*loans)
                    )
                }
            }
            CapitalPair => {
                if en {
                    "tier1_capital and leverage_exposure must be given together (both, or both null)".into()
                } else {
                    "一级资本（tier1_capital）与杠杆率敞口（leverage_exposure）须同时给出或同时为 null".into()
                }
            }
            NationalAverageMetric { metric } => {
                if en {
                    format!("\"national_average\" is defined only for npl_ratio, not for {metric}")
                } else {
                    format!("\"national_average\"（全国平均）只适用于不良贷款率 npl_ratio，不适用于 {metric}")
                }
            }
            NoNationalAverage { year } => {
                if en {
                    format!(
                        "the reference table has no national commercial-bank NPL ratio for {year} (it covers 2014 … 2024); \
                         supply your assumption in the scenario: \"reference\": {{\"national_npl_ratio\": {{\"{year}\": \"0.015\"}}, \"source\": \"…\"}}"
                    )
                } else {
                    format!(
                        "参考表中没有 {year} 年的全国商业银行不良贷款率（可用年份为 2014 … 2024）；\
                         请在情景中写明假设值：\"reference\": {{\"national_npl_ratio\": {{\"{year}\": \"0.015\"}}, \"source\": \"…\"}}"
                    )
                }
            }
            RegionOnlyMetric { metric } => {
                if en {
                    format!("{metric} exists only for the region; use \"scope\": \"region\"")
                } else {
                    format!("{metric} 只有全辖口径；请使用 \"scope\": \"region\"")
                }
            }
            UnsupportedSchema { got } => {
                if en {
                    format!("schema {got} is not supported; this engine reads \"schema\": 1")
                } else {
                    format!("不支持 schema {got}；本引擎读取 \"schema\": 1")
                }
            }
            EmptyString => {
                if en {
                    "is empty; a non-empty string is required".into()
                } else {
                    "为空；须为非空字符串".into()
                }
            }
        }
    }
}

/// A simulation that cannot continue: an answer to show the user, never a panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// A stock that must stay ≥ 0 would turn negative.
    NegativeStock { institution: String, month: String, stock: &'static str, value: Decimal },
    /// A decimal overflowed (amounts beyond about 7.9e28).
    Overflow { institution: String, month: String, step: &'static str },
}

impl SimError {
    /// The error in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SimError::NegativeStock { institution, month, stock, value }, Lang::En) => format!(
                "infeasible: {stock} of institution \"{institution}\" would turn negative ({}) in {month}; \
                 lower the loan contraction or the disposal plan",
                fmt_decimal(*value)
            ),
            (SimError::NegativeStock { institution, month, stock, value }, Lang::Zh) => format!(
                "情景不可行：机构 \"{institution}\" 的{}在 {month} 将变为负数（{}）；请减小贷款收缩幅度或处置计划",
                stock_zh(stock),
                fmt_decimal(*value)
            ),
            (SimError::Overflow { institution, month, step }, Lang::En) => format!(
                "arithmetic overflow in {step} for institution \"{institution}\" in {month}; the amounts are too large"
            ),
            (SimError::Overflow { institution, month, step }, Lang::Zh) => {
                format!("机构 \"{institution}\" 在 {month} 的 {step} 计算溢出；金额过大")
            }
        }
    }
}

fn stock_zh(stock: &str) -> &'static str {
    match stock {
        "performing" => "正常贷款（performing）",
        "npl" => "不良贷款（npl）",
        "deposits" => "存款（deposits）",
        "provisions" => "拨备（provisions）",
        _ => "余额",
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for SimError {}

/// Misuse of an analysis (unknown target, bad step count…), checked before any run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnalysisProblem {
    /// The analysis needs targets and the scenario (or the selection) has none.
    NoTargets,
    /// `--target ID` names no target of the scenario.
    UnknownTarget { id: String, known: Vec<String> },
    /// Not a scalar year-end metric.
    UnknownMetric { metric: String },
    /// Not a monthly metric (Monte Carlo percentiles).
    UnknownMonthlyMetric { metric: String },
    /// The year is not in the projection.
    YearOutsideHorizon { got: i32, first: i32, last: i32 },
    /// Not a lever name.
    UnknownLever { lever: String },
    /// The feasibility map needs two different levers.
    SameLever,
    /// An integer option out of range (`steps`, `paths`).
    OptionOutOfRange { option: &'static str, got: String, min: String, max: String },
    /// The base scenario itself cannot run.
    BaseInfeasible(SimError),
    /// The analysis would run longer than anyone should wait (it would look like a hang).
    TooMuchWork { institution_months: u128, max: u128 },
}

impl AnalysisProblem {
    /// The problem in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use AnalysisProblem::*;
        let en = lang == Lang::En;
        match self {
            NoTargets => {
                if en {
                    "the scenario has no targets; add one under \"targets\"".into()
                } else {
                    "情景中没有目标；请在 \"targets\" 中添加".into()
                }
            }
            UnknownTarget { id, known } => {
                if en {
                    format!(
                        "target \"{id}\" does not exist; the scenario's targets are: {}",
                        known.join(", ")
                    )
                } else {
                    format!("目标 \"{id}\" 不存在；本情景的目标有：{}", known.join("、"))
                }
            }
            UnknownMetric { metric } => {
                if en {
                    format!(
                        "\"{metric}\" is not a year-end metric; use one of {}",
                        crate::metrics::YEAR_END_SCALARS.join(", ")
                    )
                } else {
                    format!("\"{metric}\" 不是年末指标；可选 {}", crate::metrics::YEAR_END_SCALARS.join("、"))
                }
            }
            UnknownMonthlyMetric { metric } => {
                if en {
                    format!(
                        "\"{metric}\" is not a monthly metric; use one of {}",
                        crate::metrics::MONTHLY.join(", ")
                    )
                } else {
                    format!("\"{metric}\" 不是月度指标；可选 {}", crate::metrics::MONTHLY.join("、"))
                }
            }
            YearOutsideHorizon { got, first, last } => {
                if en {
                    format!("year {got} is outside the projection; allowed {first} … {last}")
                } else {
                    format!("{got} 年不在预测期内；允许 {first} … {last}")
                }
            }
            UnknownLever { lever } => {
                if en {
                    format!(
                        "\"{lever}\" is not a lever; use one of {}",
                        crate::analysis::Lever::NAMES.join(", ")
                    )
                } else {
                    format!("\"{lever}\" 不是可调参数；可选 {}", crate::analysis::Lever::NAMES.join("、"))
                }
            }
            SameLever => {
                if en {
                    "the two axes use the same lever; choose two different levers".into()
                } else {
                    "两个坐标轴使用了同一参数；请选择两个不同的参数".into()
                }
            }
            OptionOutOfRange { option, got, min, max } => {
                if en {
                    format!("{option} {got} is out of range; allowed {min} … {max}")
                } else {
                    format!("{option} 为 {got}，超出范围；允许 {min} … {max}")
                }
            }
            BaseInfeasible(err) => err.message(lang),
            TooMuchWork { institution_months, max } => {
                if en {
                    format!(
                        "this analysis would simulate {institution_months} institution-months; at most {max} are allowed: \
                         use fewer paths or steps, or fewer institutions or years"
                    )
                } else {
                    format!(
                        "该分析需模拟 {institution_months} 个机构·月，上限为 {max}；请减少路径数、网格步数，或减少机构数、年数"
                    )
                }
            }
        }
    }
}

/// Any error the engine reports, for callers that handle them alike (the command line, JavaScript).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The scenario breaks the rules; every issue found is listed.
    Invalid(Vec<Issue>),
    /// The simulation stopped.
    Sim(SimError),
    /// An analysis was asked something it cannot answer.
    Analysis(AnalysisProblem),
}

impl Error {
    /// One line per problem, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Invalid(issues) => {
                let lines: Vec<String> = issues.iter().map(|issue| issue.message(lang)).collect();
                lines.join("\n")
            }
            Error::Sim(err) => err.message(lang),
            Error::Analysis(problem) => problem.message(lang),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Error {}

impl From<SimError> for Error {
    fn from(err: SimError) -> Error {
        Error::Sim(err)
    }
}

impl From<AnalysisProblem> for Error {
    fn from(problem: AnalysisProblem) -> Error {
        Error::Analysis(problem)
    }
}

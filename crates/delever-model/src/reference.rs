//! Reference data (MODEL.md section 6): the national commercial-bank NPL ratio by year, each figure with its source.

use rust_decimal::Decimal;

/// One year's national figure with where it comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NationalAverage {
    pub year: i32,
    /// As a fraction (`0.0183` is 1.83%).
    pub npl_ratio: Decimal,
    pub source: &'static str,
    pub source_zh: &'static str,
}

const SOURCE: &str =
    "CBIRC/NFRA year-end release of the commercial-bank NPL ratio, as reported by Xinhua and China Daily";
const SOURCE_ZH: &str =
    "原银保监会／国家金融监督管理总局年末发布的商业银行不良贷款率（新华社、中国日报等报道）";
const SOURCE_2018: &str = "CBIRC release for end-2018 as first published (1.83%), as reported by Xinhua; \
later restated as 1.89%. The engine uses 1.83%, the figure local plans written in 2019 could see";
const SOURCE_2018_ZH: &str = "原银保监会 2018 年末首次发布数 1.83%（新华社报道）；后修订为 1.89%。本模型采用 1.83%，即 2019 年编制的地方方案所见数字";

const fn pct(hundredths: i64) -> Decimal {
    // hundredths of a percent: 183 → 0.0183
    Decimal::from_parts(hundredths as u32, 0, 0, false, 4)
}

/// The table, 2014 … 2024.
pub const NATIONAL_NPL_RATIO: [NationalAverage; 11] = [
    NationalAverage { year: 2014, npl_ratio: pct(125), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2015, npl_ratio: pct(167), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2016, npl_ratio: pct(174), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2017, npl_ratio: pct(174), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2018, npl_ratio: pct(183), source: SOURCE_2018, source_zh: SOURCE_2018_ZH },
    NationalAverage { year: 2019, npl_ratio: pct(186), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2020, npl_ratio: pct(184), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2021, npl_ratio: pct(173), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2022, npl_ratio: pct(163), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2023, npl_ratio: pct(159), source: SOURCE, source_zh: SOURCE_ZH },
    NationalAverage { year: 2024, npl_ratio: pct(150), source: SOURCE, source_zh: SOURCE_ZH },
];

/// The restated end-2018 figure, for display beside the one used.
pub const RESTATED_2018: Decimal = pct(189);

/// A national figure for one year, and what it rests on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NationalFigure<'a> {
    /// The published table (section 6).
    Published(&'static NationalAverage),
    /// The scenario's own assumption (section 11), with its source as written.
    Assumed { year: i32, ratio: Decimal, source: &'a str },
}

impl NationalFigure<'_> {
    pub fn ratio(&self) -> Decimal {
        match self {
            NationalFigure::Published(row) => row.npl_ratio,
            NationalFigure::Assumed { ratio, .. } => *ratio,
        }
    }

    /// Whether the figure is the scenario's assumption rather than a published one.
    pub fn is_assumed(&self) -> bool {
        matches!(self, NationalFigure::Assumed { .. })
    }

    /// Where the figure comes from, naming its basis (commercial banks, 商业银行).
    pub fn source(&self, lang: crate::Lang) -> String {
        let en = lang == crate::Lang::En;
        match self {
            NationalFigure::Published(row) => if en { row.source } else { row.source_zh }.to_string(),
            NationalFigure::Assumed { year, source, .. } => {
                let source = if source.trim().is_empty() {
                    if en { "source not given" } else { "未注明来源" }
                } else {
                    source
                };
                if en {
                    format!(
                        "scenario assumption for the {year} commercial-bank NPL ratio, not a published figure ({source})"
                    )
                } else {
                    format!("情景假设的 {year} 年商业银行不良贷款率，非公布数（{source}）")
                }
            }
        }
    }
}

/// The national commercial-bank NPL ratio at the end of `year`, if the table has it.
pub fn national_npl_ratio(year: i32) -> Option<&'static NationalAverage> {
    NATIONAL_NPL_RATIO.iter().find(|row| row.year == year)
}

/// Regulatory floors used by presets and warnings (拨备覆盖率 120–150%, 拨贷比 1.5–2.5%, 杠杆率 4%).
pub mod floors {
    use rust_decimal::Decimal;

    /// 拨备覆盖率 lower end, 120%.
    pub const COVERAGE_LOW: Decimal = Decimal::from_parts(120, 0, 0, false, 2);
    /// 拨贷比 lower end, 1.5%.
    pub const ALLOWANCE_LOW: Decimal = Decimal::from_parts(15, 0, 0, false, 3);
    /// Leverage ratio minimum, 4% (商业银行杠杆率管理办法).
    pub const LEVERAGE_MIN: Decimal = Decimal::from_parts(4, 0, 0, false, 2);
}

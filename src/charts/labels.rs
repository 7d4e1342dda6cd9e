//! The charts' words in Chinese (the default) and English: titles, axis names, series and channel names.

use delever_model::Lang;

/// Every fixed piece of text the charts write, in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Labels {
    pub npl_ratio_title: &'static str,
    pub balances_title: &'static str,
    pub waterfall_title: &'static str,
    pub disposal_title: &'static str,
    pub ranking_title: &'static str,
    pub current: &'static str,
    pub baseline: &'static str,
    pub target: &'static str,
    pub national_average: &'static str,
    pub deposits: &'static str,
    pub loans: &'static str,
    pub opening: &'static str,
    pub formation: &'static str,
    pub closing: &'static str,
    pub first_half: &'static str,
    pub second_half: &'static str,
    pub zones: &'static str,
    pub institutions: &'static str,
    /// The ranking's value axis, before the unit.
    pub npl_change: &'static str,
    pub no_data: &'static str,
    /// Channel names in `CHANNELS` order.
    pub channels: [&'static str; 7],
    /// Short month names, January first.
    pub months: [&'static str; 12],
}

/// Chinese.
pub const ZH: Labels = Labels {
    npl_ratio_title: "不良贷款率",
    balances_title: "各项存款与贷款余额",
    waterfall_title: "不良贷款余额变动",
    disposal_title: "不良贷款处置（按月、按渠道）",
    ranking_title: "不良贷款余额变化排名",
    current: "当前情景",
    baseline: "基准（预设）",
    target: "目标",
    national_average: "全国平均",
    deposits: "各项存款",
    loans: "各项贷款",
    opening: "期初",
    formation: "新增不良",
    closing: "期末",
    first_half: "上半年",
    second_half: "下半年",
    zones: "街道/园区",
    institutions: "机构",
    npl_change: "不良贷款余额变化",
    no_data: "暂无数据",
    channels: ["清收", "核销", "转让", "证券化", "债转股", "以物抵债", "重组上调"],
    months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
};

/// English.
pub const EN: Labels = Labels {
    npl_ratio_title: "NPL ratio",
    balances_title: "Deposits and loans",
    waterfall_title: "NPL movement",
    disposal_title: "NPL disposal by month and channel",
    ranking_title: "Change in NPL by zone and institution",
    current: "Current scenario",
    baseline: "Baseline (preset)",
    target: "Target",
    national_average: "National average",
    deposits: "Deposits",
    loans: "Loans",
    opening: "Opening",
    formation: "Formation",
    closing: "Closing",
    first_half: "H1",
    second_half: "H2",
    zones: "Zones",
    institutions: "Institutions",
    npl_change: "Change in NPL",
    no_data: "No data",
    channels: [
        "Collection",
        "Write-off",
        "Transfer",
        "Securitization",
        "Debt-to-equity",
        "Foreclosure",
        "Upgrade",
    ],
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

impl Labels {
    /// The labels of `lang`.
    pub fn of(lang: Lang) -> &'static Labels {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The name of channel `index` (in `CHANNELS` order); empty if out of range.
    pub fn channel(&self, index: usize) -> &'static str {
        self.channels.get(index).copied().unwrap_or("")
    }

    /// "N more" for rows left out of a long list.
    pub fn more(&self, lang: Lang, count: usize) -> String {
        match lang {
            Lang::Zh => format!("另有 {count} 家机构未列出"),
            Lang::En => format!("{count} more institutions not shown"),
        }
    }

    /// A title with its calendar year: `2019 年不良贷款余额变动` / `NPL movement, 2019`.
    pub fn with_year(&self, lang: Lang, title: &str, year: Option<i32>) -> String {
        match (lang, year) {
            (_, None) => title.to_string(),
            (Lang::Zh, Some(year)) => format!("{year} 年{title}"),
            (Lang::En, Some(year)) => format!("{title}, {year}"),
        }
    }

    /// An amount axis: `亿元` alone, or `不良贷款余额变化（亿元）` / `Change in NPL (亿元)`.
    pub fn with_unit(&self, lang: Lang, name: &str, unit: &str) -> String {
        match (lang, name.is_empty()) {
            (_, true) => unit.to_string(),
            (Lang::Zh, false) => format!("{name}（{unit}）"),
            (Lang::En, false) => format!("{name} ({unit})"),
        }
    }
}

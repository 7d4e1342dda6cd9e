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
    /// The ranking when the scenario's assessment scores the year (MODEL.md section 10), and its axis.
    pub score_title: &'static str,
    pub score_axis: &'static str,
    pub current: &'static str,
    pub baseline: &'static str,
    /// With actuals: the reported months (solid), the re-forecast after them (dashed), and
    /// the plan without actuals beside them.
    pub reported: &'static str,
    pub reforecast: &'static str,
    pub plan: &'static str,
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

    /// Lever names in `Lever::ALL` order, the disposal lever as an amount plan's.
    pub levers: [&'static str; 5],
    /// The disposal lever of a rate plan.
    pub disposal_rate: &'static str,
    /// Tornado legend: every lever moved down, and up, by 20%.
    pub lever_down: &'static str,
    pub lever_up: &'static str,
    /// The scenario as it is, where an analysis moves away from it.
    pub base: &'static str,
    /// A run that stops (a negative stock) or a null metric.
    pub infeasible: &'static str,
    /// Feasibility map legend.
    pub all_met: &'static str,
    /// One cell meets every target (a tooltip).
    pub cell_met: &'static str,
    pub none_met: &'static str,
    pub target_line: &'static str,
    /// Monte Carlo legend.
    pub band_outer: &'static str,
    pub band_inner: &'static str,
    pub median: &'static str,
    pub deterministic: &'static str,
}

/// Chinese.
pub const ZH: Labels = Labels {
    npl_ratio_title: "不良贷款率",
    balances_title: "各项存款与贷款余额",
    waterfall_title: "不良贷款余额变动",
    disposal_title: "不良贷款处置（按月、按渠道）",
    ranking_title: "不良贷款余额变化排名",
    score_title: "考核得分排名",
    score_axis: "考核总分（分）",
    current: "当前情景",
    baseline: "基准（预设）",
    reported: "实际",
    reforecast: "重新预测",
    plan: "原计划",
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
    levers: ["处置金额", "核销占比", "贷款增速", "存款增速", "不良生成率"],
    disposal_rate: "处置率",
    lever_down: "参数下调 20%",
    lever_up: "参数上调 20%",
    base: "基准",
    infeasible: "无法计算",
    all_met: "全部目标达成区域",
    cell_met: "全部目标达成",
    none_met: "没有一处能同时达成全部目标",
    target_line: "目标线",
    band_outer: "5%–95% 分位",
    band_inner: "25%–75% 分位",
    median: "中位数",
    deterministic: "确定性预测",
};

/// English.
pub const EN: Labels = Labels {
    npl_ratio_title: "NPL ratio",
    balances_title: "Deposits and loans",
    waterfall_title: "NPL movement",
    disposal_title: "NPL disposal by month and channel",
    ranking_title: "Change in NPL by zone and institution",
    score_title: "Assessment scores",
    score_axis: "Total points",
    current: "Current scenario",
    baseline: "Baseline (preset)",
    reported: "Reported",
    reforecast: "Re-forecast",
    plan: "Plan",
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
    levers: ["Disposal amount", "Write-off share", "Loan growth", "Deposit growth", "NPL formation rate"],
    disposal_rate: "Disposal rate",
    lever_down: "Lever −20%",
    lever_up: "Lever +20%",
    base: "Base",
    infeasible: "not computable",
    all_met: "All targets met",
    cell_met: "all targets met",
    none_met: "No point meets every target",
    target_line: "Target line",
    band_outer: "5th–95th percentile",
    band_inner: "25th–75th percentile",
    median: "Median",
    deterministic: "Deterministic projection",
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

    /// The gap marker for rows left out of the middle of a long list: "…N more…".
    pub fn more(&self, lang: Lang, count: usize) -> String {
        match lang {
            Lang::Zh => format!("…另有 {count} 家机构未列出…"),
            Lang::En => format!("…{count} more institutions not shown…"),
        }
    }

    /// The same for zones.
    pub fn more_zones(&self, lang: Lang, count: usize) -> String {
        match lang {
            Lang::Zh => format!("…另有 {count} 个街道/园区未列出…"),
            Lang::En => format!("…{count} more zones not shown…"),
        }
    }

    /// The ranking's caption when it leaves institutions out: how many it shows of how
    /// many, and where the rest are.
    pub fn shown_of(&self, lang: Lang, shown: usize, total: usize) -> String {
        match lang {
            Lang::Zh => format!("显示 {total} 家机构中的 {shown} 家 · 全部见下方表格"),
            Lang::En => format!("Showing {shown} of {total} institutions · all in the table below"),
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

    /// The name of `lever`; `rate_plan` names the disposal lever of a rate plan.
    pub fn lever(&self, lever: delever_model::Lever, rate_plan: bool) -> &'static str {
        if rate_plan && lever == delever_model::Lever::Disposal {
            return self.disposal_rate;
        }
        let index = delever_model::Lever::ALL.iter().position(|l| *l == lever).unwrap_or(0);
        self.levers.get(index).copied().unwrap_or("")
    }

    /// The tornado's title: `2019 年不良贷款率敏感性` / `Sensitivity of NPL ratio, 2019`.
    pub fn tornado_title(&self, lang: Lang, metric: &str, year: i32) -> String {
        match lang {
            Lang::Zh => format!("{year} 年{metric}敏感性"),
            Lang::En => format!("Sensitivity of {metric}, {year}"),
        }
    }

    /// The feasibility map's title: `2019 年目标可行域（不良贷款率）` / `Where targets are met, 2019: NPL ratio`.
    pub fn map_title(&self, lang: Lang, metric: &str, year: i32) -> String {
        match lang {
            Lang::Zh => format!("{year} 年目标可行域（{metric}）"),
            Lang::En => format!("Where targets are met, {year}: {metric}"),
        }
    }

    /// The Monte Carlo fan's title: `不良贷款率：1,000 条路径的不确定区间` / `NPL ratio: range over 1,000 paths`.
    pub fn fan_title(&self, lang: Lang, metric: &str, paths: &str) -> String {
        match lang {
            Lang::Zh => format!("{metric}：{paths} 条路径的不确定区间"),
            Lang::En => format!("{metric}: range over {paths} paths"),
        }
    }

    /// Paths that stopped and are left out of the percentiles.
    pub fn failed_paths(&self, lang: Lang, count: usize) -> String {
        match lang {
            Lang::Zh => format!("{count} 条路径无法计算，未计入"),
            Lang::En => format!("{count} paths could not be computed and are left out"),
        }
    }

    /// A target's Monte Carlo probability, written after the target: `，达成概率 97%` / `, met in 97% of paths`.
    pub fn probability(&self, lang: Lang, percent: &str) -> String {
        match lang {
            Lang::Zh => format!("，达成概率 {percent}"),
            Lang::En => format!(", met in {percent} of paths"),
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

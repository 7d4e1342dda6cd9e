//! The institutions template: one row per institution, one column per field, each with its Chinese, English and code name.
//!
//! The same table drives the template, the import (header matching, cell parsing, mapping
//! the engine's JSON paths back to columns) and the institutions sheet of the export, so the
//! three cannot drift apart. `README.md` documents it for people.

use delever_model::Lang;

/// What a column holds, which decides how its cells are read and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text that must not be empty (the id).
    Id,
    /// Free text (name, zone).
    Text,
    /// An institution kind: a code (`rural`) or its Chinese or English name.
    Kind,
    /// An amount in the scenario's unit (亿元), ≥ 0 unless the engine allows otherwise.
    Amount,
    /// An amount per year: one value, or one per year separated by `;`.
    AmountPerYear,
    /// A rate, as a fraction (0.085) or a percentage (8.5%).
    Rate,
    /// A rate per year: one value, or one per year separated by `;`.
    RatePerYear,
    /// A floor that is a rate, or `无` / `none` for no floor.
    Floor,
    /// `lending` or `balance` (also 新增投放 / 余额).
    Basis,
    /// `even` (均匀), one value (the first-half share) or twelve monthly weights separated by `;`.
    Pacing,
    /// Opening fields whose values are illustrative, separated by `;`.
    Illustrative,
}

impl ColumnKind {
    /// Is the column read as a rate (so `8.5%` is accepted and a hint about percentages helps)?
    pub fn is_rate(self) -> bool {
        matches!(self, ColumnKind::Rate | ColumnKind::RatePerYear | ColumnKind::Floor | ColumnKind::Pacing)
    }
}

/// Which driver group a column belongs to: a group is one JSON field of `drivers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Not a grouped driver.
    None,
    /// `drivers.disposal`: the amount or the rate column, not both.
    Disposal,
    /// `drivers.channels`: when any share is filled, blank shares are 0 and all must sum to 100%.
    Channels,
    /// `drivers.recovery`: a blank rate takes the scenario default's.
    Recovery,
    /// `drivers.provisioning`: a blank floor takes the scenario default's.
    Provisioning,
    /// `drivers.capital`: a blank value takes the scenario default's.
    Capital,
}

/// One column of the institutions template.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The code name, also accepted as a header (`deposits`, `channel_write_off`).
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub kind: ColumnKind,
    pub required: bool,
    pub group: Group,
    /// The JSON path of the field inside one institution (`opening.deposits`).
    pub path: &'static str,
    /// The unit, for the notes: (zh, en).
    pub unit: (&'static str, &'static str),
    /// What the column means and allows, for the notes: (zh, en).
    pub note: (&'static str, &'static str),
}

impl Column {
    /// The header in `lang`, as written in the template.
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

const AMOUNT: (&str, &str) = ("亿元（情景单位）", "the scenario's unit (亿元)");
const RATE: (&str, &str) = ("小数或百分数：0.085 或 8.5%", "fraction or percent: 0.085 or 8.5%");
const RATE_PER_YEAR: (&str, &str) =
    ("小数或百分数；可每年一个值，用 ; 分隔", "fraction or percent; or one value per year separated by ;");
const NONE: (&str, &str) = ("—", "—");

const fn col(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: ColumnKind,
    path: &'static str,
) -> Column {
    Column { code, zh, en, kind, required: false, group: Group::None, path, unit: NONE, note: ("", "") }
}

const fn required(mut column: Column) -> Column {
    column.required = true;
    column
}

const fn grouped(mut column: Column, group: Group) -> Column {
    column.group = group;
    column
}

const fn described(
    mut column: Column,
    unit: (&'static str, &'static str),
    note: (&'static str, &'static str),
) -> Column {
    column.unit = unit;
    column.note = note;
    column
}

use ColumnKind as K;

/// Every column of the template, in template order.
pub const COLUMNS: [Column; 33] = [
    described(
        required(col("id", "编号", "ID", K::Id, "id")),
        NONE,
        (
            "必填；机构的唯一编号（字母、数字或中文均可），目标与风险事件用它指代机构；不得为 region",
            "required; the institution's unique id (letters, digits or Chinese), used by targets and events; not \"region\"",
        ),
    ),
    described(
        col("name", "名称", "Name", K::Text, "name"),
        NONE,
        ("机构名称；留空则用编号", "the institution's name; blank means the id"),
    ),
    described(
        col("kind", "类型", "Kind", K::Kind, "kind"),
        NONE,
        (
            "大型国有银行、股份制银行、城市商业银行、农村金融机构、村镇银行、外资银行、政策性银行、其他（或代码 large_state、joint_stock、city_commercial、rural、village、foreign、policy、other）；留空为“其他”",
            "Large state-owned bank, Joint-stock bank, City commercial bank, Rural financial institution, Village bank, Foreign bank, Policy bank, Other (or the codes large_state, joint_stock, city_commercial, rural, village, foreign, policy, other); blank means Other",
        ),
    ),
    described(
        col("zone", "街道/园区", "Zone", K::Text, "zone"),
        NONE,
        ("分组标签（街道、园区、县区）；可留空", "grouping label (sub-district, park, county); may be blank"),
    ),
    described(
        required(col("deposits", "期初存款", "Opening deposits", K::Amount, "opening.deposits")),
        AMOUNT,
        ("必填；期初（情景起始月末）各项存款，≥ 0", "required; deposits at the opening month, ≥ 0"),
    ),
    described(
        required(col("loans", "期初贷款", "Opening loans", K::Amount, "opening.loans")),
        AMOUNT,
        ("必填；期初各项贷款，≥ 0", "required; loans at the opening month, ≥ 0"),
    ),
    described(
        required(col("npl", "期初不良贷款", "Opening NPL", K::Amount, "opening.npl")),
        AMOUNT,
        (
            "必填；期初不良贷款，0 … 期初贷款",
            "required; non-performing loans at the opening month, 0 … opening loans",
        ),
    ),
    described(
        col("provisions", "期初贷款损失准备", "Opening provisions", K::Amount, "opening.provisions"),
        AMOUNT,
        ("期初贷款损失准备，≥ 0；留空为 0", "loan-loss provisions at the opening month, ≥ 0; blank means 0"),
    ),
    described(
        col("tier1_capital", "期初一级资本", "Opening tier-1 capital", K::Amount, "opening.tier1_capital"),
        AMOUNT,
        (
            "与期初杠杆率敞口同时填写或同时留空；填写后模型推算资本与杠杆率",
            "give together with the leverage exposure, or leave both blank; when given, capital and the leverage ratio are projected",
        ),
    ),
    described(
        col(
            "leverage_exposure",
            "期初杠杆率敞口",
            "Opening leverage exposure",
            K::Amount,
            "opening.leverage_exposure",
        ),
        AMOUNT,
        ("与期初一级资本同时填写，≥ 0", "give together with tier-1 capital, ≥ 0"),
    ),
    described(
        col("illustrative", "示意数据", "Illustrative fields", K::Illustrative, "opening.illustrative"),
        NONE,
        (
            "哪些期初数为示意数（非实际数据），用 ; 分隔，写列名或代码，如“期初存款; 期初贷款”或 deposits;loans；页面会标注“示意”；实际数据留空",
            "which opening values are illustrative (not real data), separated by ;, as column names or codes, e.g. \"Opening deposits; Opening loans\" or deposits;loans; the page labels them; blank for real data",
        ),
    ),
    described(
        col("deposit_growth", "存款增速", "Deposit growth", K::RatePerYear, "drivers.deposit_growth"),
        RATE_PER_YEAR,
        (
            "年增速，-50% … 100%；留空用情景默认值",
            "annual growth, -50% … 100%; blank uses the scenario default",
        ),
    ),
    described(
        col("loan_growth", "贷款增速", "Loan growth", K::RatePerYear, "drivers.loan_growth"),
        RATE_PER_YEAR,
        (
            "年增速，-50% … 100%；留空用情景默认值",
            "annual growth, -50% … 100%; blank uses the scenario default",
        ),
    ),
    described(
        col("loan_growth_basis", "贷款增速口径", "Loan growth basis", K::Basis, "drivers.loan_growth_basis"),
        NONE,
        (
            "新增投放（lending：处置核销会减少贷款余额）或 余额（balance：报告余额按增速增长）；留空用情景默认值",
            "lending (disposals then remove loans) or balance (the reported balance grows at the rate); blank uses the scenario default",
        ),
    ),
    described(
        col(
            "npl_formation_rate",
            "不良生成率",
            "NPL formation rate",
            K::RatePerYear,
            "drivers.npl_formation_rate",
        ),
        RATE_PER_YEAR,
        (
            "正常贷款每年转为不良的比例，0 … 100%；留空用情景默认值",
            "annual share of performing loans turning NPL, 0 … 100%; blank uses the scenario default",
        ),
    ),
    described(
        grouped(
            col(
                "disposal_amount",
                "处置计划金额",
                "Disposal plan amount",
                K::AmountPerYear,
                "drivers.disposal.amount",
            ),
            Group::Disposal,
        ),
        (
            "亿元/年；可每年一个值，用 ; 分隔",
            "per year in the scenario's unit; or one value per year separated by ;",
        ),
        (
            "本机构自己的年度处置计划（金额）；与处置比例二选一；两者都留空则分摊全辖计划或用默认比例",
            "this institution's own annual disposal plan (amount); either this or the rate; both blank: its share of the region's plan, or the default rate",
        ),
    ),
    described(
        grouped(
            col("disposal_rate", "处置比例", "Disposal plan rate", K::RatePerYear, "drivers.disposal.rate"),
            Group::Disposal,
        ),
        RATE_PER_YEAR,
        (
            "年度处置计划为（年初不良 + 预计新生成）的比例，0 … 100%；与处置计划金额二选一",
            "the annual plan as a share of (opening NPL + expected formation), 0 … 100%; either this or the amount",
        ),
    ),
    channel("channel_collection", "清收占比", "Collection share", "drivers.channels.collection"),
    channel("channel_write_off", "核销占比", "Write-off share", "drivers.channels.write_off"),
    channel("channel_transfer", "转让占比", "Transfer share", "drivers.channels.transfer"),
    channel(
        "channel_securitization",
        "证券化占比",
        "Securitization share",
        "drivers.channels.securitization",
    ),
    channel("channel_debt_equity", "债转股占比", "Debt-to-equity share", "drivers.channels.debt_equity"),
    channel("channel_foreclosure", "以物抵债占比", "Foreclosure share", "drivers.channels.foreclosure"),
    channel("channel_upgrade", "重组上调占比", "Upgrade share", "drivers.channels.upgrade"),
    described(
        col("pacing", "处置节奏", "Pacing", K::Pacing, "drivers.pacing"),
        (
            "均匀 / even，或一个比例，或 12 个权重用 ; 分隔",
            "even, or one share, or 12 weights separated by ;",
        ),
        (
            "年度处置计划在各月的分布：均匀（even）；一个值为上半年完成比例（如 60%）；12 个值为各月权重，合计 100%；留空用情景默认值",
            "how the year's plan is spread over months: even; one value is the first-half share (e.g. 60%); 12 values are monthly weights summing to 100%; blank uses the scenario default",
        ),
    ),
    recovery("recovery_transfer", "转让回收率", "Transfer recovery", "drivers.recovery.transfer"),
    recovery(
        "recovery_securitization",
        "证券化回收率",
        "Securitization recovery",
        "drivers.recovery.securitization",
    ),
    recovery(
        "recovery_debt_equity",
        "债转股回收率",
        "Debt-to-equity recovery",
        "drivers.recovery.debt_equity",
    ),
    recovery(
        "recovery_foreclosure",
        "以物抵债回收率",
        "Foreclosure recovery",
        "drivers.recovery.foreclosure",
    ),
    described(
        grouped(
            col(
                "coverage_floor",
                "拨备覆盖率下限",
                "Coverage floor",
                K::Floor,
                "drivers.provisioning.coverage_floor",
            ),
            Group::Provisioning,
        ),
        RATE,
        (
            "拨备覆盖率下限，如 150%（或 1.5），0 … 1000%；“无”表示不设下限；留空用情景默认值",
            "provision coverage floor, e.g. 150% (or 1.5), 0 … 1000%; \"none\" for no floor; blank uses the scenario default",
        ),
    ),
    described(
        grouped(
            col(
                "allowance_floor",
                "拨贷比下限",
                "Allowance floor",
                K::Floor,
                "drivers.provisioning.allowance_floor",
            ),
            Group::Provisioning,
        ),
        RATE,
        (
            "拨贷比下限，如 2.5%（或 0.025），0 … 100%；“无”表示不设下限；留空用情景默认值",
            "allowance (provisions / loans) floor, e.g. 2.5% (or 0.025), 0 … 100%; \"none\" for no floor; blank uses the scenario default",
        ),
    ),
    described(
        grouped(
            col(
                "pre_provision_return",
                "拨备前利润率",
                "Pre-provision return",
                K::Rate,
                "drivers.capital.pre_provision_return",
            ),
            Group::Capital,
        ),
        RATE,
        (
            "年拨备前利润 / 贷款，-10% … 20%；留空用情景默认值（只在推算资本时起作用）",
            "annual pre-provision profit / loans, -10% … 20%; blank uses the scenario default (matters only when capital is projected)",
        ),
    ),
    described(
        grouped(
            col("retention", "利润留存比例", "Retention", K::Rate, "drivers.capital.retention"),
            Group::Capital,
        ),
        RATE,
        (
            "盈利中留作资本的比例，0 … 100%；留空用情景默认值",
            "share of a profit kept as capital, 0 … 100%; blank uses the scenario default",
        ),
    ),
];

const fn channel(code: &'static str, zh: &'static str, en: &'static str, path: &'static str) -> Column {
    described(
        grouped(col(code, zh, en, K::Rate, path), Group::Channels),
        RATE,
        (
            "处置渠道占比，0 … 100%；任一渠道填写时，本行留空的渠道为 0，七项合计须为 100%；全部留空用情景默认值",
            "share of disposal through this channel, 0 … 100%; when any channel is filled, blank channels of the row are 0 and the seven must sum to 100%; all blank uses the scenario default",
        ),
    )
}

const fn recovery(code: &'static str, zh: &'static str, en: &'static str, path: &'static str) -> Column {
    described(
        grouped(col(code, zh, en, K::Rate, path), Group::Recovery),
        RATE,
        (
            "每单位账面价值的回收，0 … 100%；留空用情景默认值",
            "proceeds per unit of book value, 0 … 100%; blank uses the scenario default",
        ),
    )
}

/// A header as compared: lower case, without spaces, `_`, `-`, `.`, and without a trailing
/// note in parentheses, so `期初存款（亿元）`, `Opening Deposits` and `opening_deposits` all match.
pub fn normalize_header(text: &str) -> String {
    let mut text = text.trim();
    // A trailing "(…)" or "（…）" is a note for people (a unit, say), not part of the name.
    for (open, close) in [('(', ')'), ('（', '）')] {
        if text.ends_with(close)
            && let Some(start) = text.rfind(open)
            && start > 0
        {
            text = text[..start].trim_end();
        }
    }
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column a header names (its Chinese, English or code name), if any.
pub fn find_column(header: &str) -> Option<usize> {
    let wanted = normalize_header(header);
    if wanted.is_empty() {
        return None;
    }
    COLUMNS.iter().position(|column| {
        [column.zh, column.en, column.code].iter().any(|name| normalize_header(name) == wanted)
    })
}

/// The index of the column with code `code`.
pub fn by_code(code: &str) -> Option<usize> {
    COLUMNS.iter().position(|column| column.code == code)
}

/// The spreadsheet letters of a zero-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letters(index: u32) -> String {
    let mut n = u64::from(index).saturating_add(1);
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n.saturating_sub(1)) % 26;
        letters.push(char::from(b'A'.saturating_add(u8::try_from(rem).unwrap_or(0))));
        n = (n.saturating_sub(1)) / 26;
    }
    letters.iter().rev().collect()
}

/// Institution kinds: code, Chinese and English names (as the page shows them).
pub const KINDS: [(&str, &str, &str); 8] = [
    ("large_state", "大型国有银行", "Large state-owned bank"),
    ("joint_stock", "股份制银行", "Joint-stock bank"),
    ("city_commercial", "城市商业银行", "City commercial bank"),
    ("rural", "农村金融机构", "Rural financial institution"),
    ("village", "村镇银行", "Village bank"),
    ("foreign", "外资银行", "Foreign bank"),
    ("policy", "政策性银行", "Policy bank"),
    ("other", "其他", "Other"),
];

/// The kind code a cell names (code, Chinese or English name; case and spaces ignored).
pub fn parse_kind(text: &str) -> Option<&'static str> {
    let wanted = normalize_header(text);
    KINDS
        .iter()
        .find(|(code, zh, en)| [*code, *zh, *en].iter().any(|name| normalize_header(name) == wanted))
        .map(|(code, _, _)| *code)
}

/// The name of kind `code` in `lang`.
pub fn kind_name(code: &str, lang: Lang) -> &str {
    KINDS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => *zh,
            Lang::En => *en,
        })
        .unwrap_or(code)
}

/// Loan growth bases: code, Chinese, English.
pub const BASES: [(&str, &str, &str); 2] =
    [("lending", "新增投放", "lending"), ("balance", "余额", "balance")];

/// The basis code a cell names (`lending`/`balance`, 新增投放/投放/余额).
pub fn parse_basis(text: &str) -> Option<&'static str> {
    let wanted = normalize_header(text);
    match wanted.as_str() {
        "lending" | "新增投放" | "投放" => Some("lending"),
        "balance" | "余额" => Some("balance"),
        _ => None,
    }
}

/// Words accepted for even pacing.
pub fn is_even_word(text: &str) -> bool {
    matches!(normalize_header(text).as_str(), "even" | "均匀" | "平均")
}

/// Words accepted for "no floor".
pub fn is_none_word(text: &str) -> bool {
    matches!(normalize_header(text).as_str(), "none" | "无" | "不设" | "null")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_name_is_unique_after_normalizing() {
        let mut seen = std::collections::HashMap::new();
        for (i, column) in COLUMNS.iter().enumerate() {
            for name in [column.zh, column.en, column.code] {
                let key = normalize_header(name);
                if let Some(other) = seen.insert(key.clone(), i) {
                    assert_eq!(other, i, "{name} ({key}) names two columns");
                }
            }
        }
    }

    #[test]
    fn headers_match_in_any_language_case_and_spacing() {
        let deposits = by_code("deposits");
        assert_eq!(find_column("期初存款"), deposits);
        assert_eq!(find_column(" Opening  DEPOSITS "), deposits);
        assert_eq!(find_column("opening_deposits"), deposits);
        assert_eq!(find_column("deposits"), deposits);
        assert_eq!(find_column("期初存款（亿元）"), deposits);
        assert_eq!(find_column("Opening deposits (100m CNY)"), deposits);
        assert_eq!(find_column("channel_write_off"), by_code("channel_write_off"));
        assert_eq!(find_column("Write-off share"), by_code("channel_write_off"));
        assert_eq!(find_column("街道/园区"), by_code("zone"));
        assert_eq!(find_column("存款"), None);
        assert_eq!(find_column(""), None);
    }

    #[test]
    fn every_path_is_distinct_and_every_column_documented() {
        for (i, a) in COLUMNS.iter().enumerate() {
            assert!(!a.note.0.is_empty() && !a.note.1.is_empty(), "{} has no note", a.code);
            for b in COLUMNS.iter().skip(i + 1) {
                assert_ne!(a.path, b.path);
            }
        }
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16383), "XFD");
    }

    #[test]
    fn kinds_and_words() {
        assert_eq!(parse_kind("农村金融机构"), Some("rural"));
        assert_eq!(parse_kind("Rural financial institution"), Some("rural"));
        assert_eq!(parse_kind("RURAL"), Some("rural"));
        assert_eq!(parse_kind("city_commercial"), Some("city_commercial"));
        assert_eq!(parse_kind("bank"), None);
        for (code, _, _) in KINDS {
            assert!(delever_model::scenario::Kind::parse(code).is_some());
        }
        assert_eq!(parse_basis("余额"), Some("balance"));
        assert_eq!(parse_basis("Lending"), Some("lending"));
        assert!(is_even_word("均匀") && is_even_word("Even"));
        assert!(is_none_word("无") && is_none_word("None"));
    }
}

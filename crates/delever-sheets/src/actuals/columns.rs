//! The actuals template's columns: one row per institution and month (月报), each column with its Chinese, English and code names.
//!
//! The same table drives the actuals template, the import (header matching, mapping the
//! engine's `actuals[i].…` paths back to columns) and the notes; `README.md` documents it.

use delever_model::Lang;
use delever_model::scenario::CHANNELS;

use crate::columns::normalize_header;

/// Which field of an `actuals` entry a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActualField {
    /// `month`: `YYYY-MM`, also read from `2019/1`, `2019年1月` or a date cell.
    Month,
    /// `institution`: the institution's id.
    Institution,
    Deposits,
    Loans,
    Npl,
    /// `disposal` as one total.
    DisposalTotal,
    /// `disposal.<channel>`: the index in [`CHANNELS`].
    Channel(usize),
    Provisions,
    Formation,
    Tier1Capital,
    LeverageExposure,
}

/// One column of the actuals template.
#[derive(Clone, Copy, Debug)]
pub struct ActualColumn {
    pub field: ActualField,
    /// The code name, also accepted as a header: the field's JSON key (for a channel, its key
    /// under `disposal`).
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Other headers accepted for the column (common names in banks' monthly reports).
    pub aliases: &'static [&'static str],
    /// Must every row fill it? (Disposal is required too, as the total or the channels.)
    pub required: bool,
    /// What the column means and allows, for the notes: (zh, en).
    pub note: (&'static str, &'static str),
}

impl ActualColumn {
    /// The header in `lang`, as written in the template.
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// The JSON path of the column's field inside one `actuals` entry (`npl`, `disposal.write_off`).
    pub fn path(&self) -> String {
        match self.field {
            ActualField::Channel(_) => format!("disposal.{}", self.code),
            _ => self.code.to_string(),
        }
    }
}

const fn column(
    field: ActualField,
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
    note: (&'static str, &'static str),
) -> ActualColumn {
    ActualColumn { field, code, zh, en, aliases, required: false, note }
}

const fn required(mut column: ActualColumn) -> ActualColumn {
    column.required = true;
    column
}

const CHANNEL_NOTE: (&str, &str) = (
    "本月经此渠道处置的不良贷款，≥ 0；与处置合计二选一：填写任一渠道时，留空的渠道为 0",
    "NPL disposed of through this channel in the month, ≥ 0; either the channels or the total: when any channel is filled, blank channels are 0",
);

const fn channel(
    index: usize,
    zh: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
) -> ActualColumn {
    column(ActualField::Channel(index), CHANNELS[index], zh, en, aliases, CHANNEL_NOTE)
}

use ActualField as F;

/// Every column of the actuals template, in template order (the channels in [`CHANNELS`] order).
pub const ACTUAL_COLUMNS: [ActualColumn; 17] = [
    required(column(
        F::Month,
        "month",
        "月份",
        "Month",
        &["报送月份", "报告期"],
        (
            "必填；报送的月份，如 2019-01、2019/1 或 2019年1月（日期单元格取其年月）；自预测首月起连续，各机构相同",
            "required; the reported month, e.g. 2019-01, 2019/1 or 2019年1月 (a date cell gives its year and month); from the first month of the projection without a gap, the same months for every institution",
        ),
    )),
    required(column(
        F::Institution,
        "institution",
        "机构代码",
        "Institution",
        &["机构编号", "编号", "ID", "institution_id"],
        (
            "必填；机构编号，须为情景中已有的机构（机构表的“编号”）",
            "required; the institution's id, one of the scenario's institutions (the institutions sheet's ID)",
        ),
    )),
    required(column(
        F::Deposits,
        "deposits",
        "各项存款",
        "Deposits",
        &["存款余额"],
        ("必填；月末各项存款余额，≥ 0", "required; deposits at the month's end, ≥ 0"),
    )),
    required(column(
        F::Loans,
        "loans",
        "各项贷款",
        "Loans",
        &["贷款余额"],
        ("必填；月末各项贷款余额，≥ 0", "required; loans at the month's end, ≥ 0"),
    )),
    required(column(
        F::Npl,
        "npl",
        "不良贷款",
        "NPL",
        &["不良贷款余额"],
        (
            "必填；月末不良贷款余额，0 … 各项贷款",
            "required; non-performing loans at the month's end, 0 … loans",
        ),
    )),
    column(
        F::DisposalTotal,
        "disposal",
        "处置合计",
        "Disposal total",
        &["处置金额", "不良处置", "disposal_total"],
        (
            "本月处置不良贷款合计，≥ 0，按机构的渠道占比分摊；与各渠道金额二选一（必填其一）；当月没有处置请填 0",
            "NPL disposed of in the month, in total, ≥ 0, split over the institution's channel shares; either this or the channel amounts (one is required); write 0 for a month without disposals",
        ),
    ),
    channel(0, "清收", "Collection", &["现金清收", "清收处置"]),
    channel(1, "核销", "Write-off", &["核销处置"]),
    channel(2, "转让", "Transfer", &["转让处置", "批量转让"]),
    channel(3, "证券化", "Securitization", &["资产证券化"]),
    channel(4, "债转股", "Debt-to-equity", &[]),
    channel(5, "以物抵债", "Foreclosure", &[]),
    channel(6, "重组上调", "Upgrade", &["上迁", "重组上迁"]),
    column(
        F::Provisions,
        "provisions",
        "拨备余额",
        "Provisions",
        &["贷款损失准备"],
        (
            "月末贷款损失准备余额，≥ 0；留空则按拨备规则推算",
            "loan-loss provisions at the month's end, ≥ 0; blank: worked out by the provisioning rule",
        ),
    ),
    column(
        F::Formation,
        "formation",
        "不良生成",
        "NPL formation",
        &["新增不良", "不良生成额"],
        (
            "本月新生成的不良贷款（报送数，可为负）；留空则由余额倒推：本月不良 − 上月不良 + 处置",
            "NPL formed in the month (a reported figure, may be negative); blank: the roll-forward residual, NPL − last month's NPL + disposal",
        ),
    ),
    column(
        F::Tier1Capital,
        "tier1_capital",
        "一级资本",
        "Tier-1 capital",
        &["一级资本净额"],
        (
            "月末一级资本；与杠杆率敞口同时填写或同时留空，只用于设有期初资本的机构",
            "tier-1 capital at the month's end; give together with the leverage exposure, or leave both blank; only for an institution that models capital",
        ),
    ),
    column(
        F::LeverageExposure,
        "leverage_exposure",
        "杠杆率敞口",
        "Leverage exposure",
        &["杠杆率暴露", "调整后表内外资产余额"],
        (
            "月末杠杆率敞口（调整后表内外资产余额）；与一级资本同时填写",
            "the leverage exposure at the month's end; give together with tier-1 capital",
        ),
    ),
];

/// The actuals sheet's name: (Chinese, English). Import looks for either, else reads the first sheet.
pub const ACTUALS_SHEET: (&str, &str) = ("实际数据", "Actuals");

/// The "sheet" of text pasted from a spreadsheet, in issues: (Chinese, English).
pub const PASTE_SHEET: (&str, &str) = ("粘贴内容", "Pasted text");

/// The column a header names (its Chinese, English, code or another accepted name), if any.
pub fn find_actual_column(header: &str) -> Option<usize> {
    let wanted = normalize_header(header);
    if wanted.is_empty() {
        return None;
    }
    ACTUAL_COLUMNS.iter().position(|column| {
        [column.zh, column.en, column.code]
            .iter()
            .chain(column.aliases)
            .any(|name| normalize_header(name) == wanted)
    })
}

/// The index of the column holding `field`.
pub fn actual_column(field: ActualField) -> Option<usize> {
    ACTUAL_COLUMNS.iter().position(|column| column.field == field)
}

/// The indices of the seven channel columns, in [`CHANNELS`] order.
pub fn channel_columns() -> impl Iterator<Item = usize> {
    (0..ACTUAL_COLUMNS.len()).filter(|&i| matches!(ACTUAL_COLUMNS[i].field, ActualField::Channel(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_name_is_unique_after_normalizing() {
        let mut seen = std::collections::HashMap::new();
        for (i, column) in ACTUAL_COLUMNS.iter().enumerate() {
            for name in [column.zh, column.en, column.code].iter().chain(column.aliases) {
                let key = normalize_header(name);
                if let Some(other) = seen.insert(key.clone(), i) {
                    assert_eq!(other, i, "{name} ({key}) names two columns");
                }
            }
        }
    }

    #[test]
    fn the_channels_are_the_engines_in_its_order() {
        let codes: Vec<&str> = channel_columns().map(|i| ACTUAL_COLUMNS[i].code).collect();
        assert_eq!(codes, CHANNELS);
        for (k, i) in channel_columns().enumerate() {
            assert_eq!(ACTUAL_COLUMNS[i].field, ActualField::Channel(k));
            assert_eq!(ACTUAL_COLUMNS[i].path(), format!("disposal.{}", CHANNELS[k]));
        }
    }

    #[test]
    fn headers_match_in_any_language_case_spacing_and_alias() {
        #[track_caller]
        fn check(header: &str, code: Option<&str>) {
            assert_eq!(find_actual_column(header).map(|i| ACTUAL_COLUMNS[i].code), code, "{header}");
        }
        check("月份", Some("month"));
        check(" MONTH ", Some("month"));
        check("机构代码", Some("institution"));
        check("编号", Some("institution"));
        check("各项存款（亿元）", Some("deposits"));
        check("Deposits (100m CNY)", Some("deposits"));
        check("处置合计", Some("disposal"));
        check("Disposal total", Some("disposal"));
        check("现金清收", Some("collection"));
        check("Write-off", Some("write_off"));
        check("write_off", Some("write_off"));
        check("上迁", Some("upgrade"));
        check("杠杆率暴露", Some("leverage_exposure"));
        check("tier1_capital", Some("tier1_capital"));
        check("期初存款", None);
        check("", None);
    }

    #[test]
    fn every_column_is_documented() {
        for column in &ACTUAL_COLUMNS {
            assert!(!column.note.0.is_empty() && !column.note.1.is_empty(), "{} has no note", column.code);
        }
    }
}

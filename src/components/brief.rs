//! `<Brief/>`: the one-page A4 brief the print button (and the browser's own print) puts on paper: scenario, assumptions, year-end table, target checks, changed levers and the stamp.
//!
//! It is part of the page but shown only in print (`@media print` in `www/style.css`),
//! where the rest of the page is hidden except the two main charts, which print beside
//! it. Its numbers carry no `data-kpi`: those name what the screen shows.

use std::rc::Rc;

use delever_model::scenario::CHANNELS;
use serde_json::Value;
use yew::prelude::*;

use crate::components::channels::CHANNEL_NAMES;
use crate::components::results::{margin_text, op_symbol, shown, status};
use crate::export::Stamp;
use crate::fields::{self, FieldKind};
use crate::i18n::{metric_name, tr};
use crate::path;
use crate::state::PageState;

#[derive(Properties, PartialEq)]
pub struct BriefProps {
    pub state: PageState,
    /// What the exports carry; the page computes it once per result.
    pub stamp: Rc<Stamp>,
}

/// The year-end columns of the brief's table.
const COLUMNS: [&str; 7] =
    ["deposits", "loans", "npl", "npl_ratio", "disposal", "write_off_share", "coverage"];

/// A stored value as the lever shows it (percent for rates), one per year joined.
fn assumption(doc: &Value, path: &str) -> String {
    let kind = FieldKind::of(path, doc);
    match path::get(doc, path) {
        Some(Value::Array(items)) => {
            items.iter().map(|v| fields::display(kind, Some(v))).collect::<Vec<_>>().join(" / ")
        }
        other => fields::display(kind, other),
    }
}

/// The region's main assumptions, as `(label, value with unit)`.
fn assumptions(doc: &Value, lang: delever_model::Lang) -> Vec<(String, String)> {
    let percent = |path: &str| {
        let text = assumption(doc, path);
        if text.is_empty() { "—".to_string() } else { format!("{}%", text.replace(" / ", "% / ")) }
    };
    let mut rows = vec![
        (tr(lang, "存款增速", "Deposit growth").to_string(), percent("defaults.deposit_growth")),
        (tr(lang, "贷款增速", "Loan growth").to_string(), percent("defaults.loan_growth")),
        (
            tr(lang, "不良生成率（年）", "NPL formation rate (a year)").to_string(),
            percent("defaults.npl_formation_rate"),
        ),
    ];
    let disposal = match path::get(doc, "defaults.disposal.plan").and_then(Value::as_str) {
        Some("rate") => format!("{} {}", tr(lang, "按比例", "rate"), percent("defaults.disposal.rate")),
        _ => format!("{} {}", assumption(doc, "defaults.disposal.amount"), tr(lang, "亿元", "(100m yuan)")),
    };
    rows.push((tr(lang, "全年处置计划", "Disposal plan a year").to_string(), disposal));
    let pacing = match path::get(doc, "defaults.pacing") {
        Some(Value::Object(map)) if map.contains_key("h1_share") => {
            format!("{} {}", tr(lang, "上半年完成", "first half"), percent("defaults.pacing.h1_share"))
        }
        Some(Value::Object(map)) if map.contains_key("weights") => {
            tr(lang, "逐月权重", "monthly weights").to_string()
        }
        _ => tr(lang, "按月平均", "even").to_string(),
    };
    rows.push((tr(lang, "处置节奏", "Pacing").to_string(), pacing));
    let mix: Vec<String> = CHANNELS
        .iter()
        .zip(CHANNEL_NAMES)
        .filter_map(|(channel, (zh, en))| {
            let text = assumption(doc, &format!("defaults.channels.{channel}"));
            (!text.is_empty() && text != "0").then(|| format!("{} {text}%", tr(lang, zh, en)))
        })
        .collect();
    rows.push((tr(lang, "处置结构", "Channels").to_string(), mix.join("，")));
    let institutions = doc.get("institutions").and_then(Value::as_array).map_or(0, Vec::len);
    rows.push((tr(lang, "机构数", "Institutions").to_string(), institutions.to_string()));
    rows
}

/// One step of a path, borrowed, so that the labels below can match on slices of them.
#[derive(Clone, Copy)]
enum Part<'a> {
    Key(&'a str),
    Index(usize),
}

/// An opening balance's name as the institutions table's column says it (`tables.rs`), in
/// lower case in English, for the middle of a sentence ("Institution “X” opening NPL").
fn opening_name(field: &str, lang: delever_model::Lang) -> Option<String> {
    let (_, zh, en) = crate::components::tables::OPENING_COLUMNS.iter().find(|(key, ..)| *key == field)?;
    Some(match lang {
        delever_model::Lang::Zh => (*zh).to_string(),
        delever_model::Lang::En => {
            let mut chars = en.chars();
            chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
        }
    })
}

/// The words the scenario context gives a label: the scenario's unit, the first projected
/// year, and the document the institutions, events and targets are named from.
struct Context<'a> {
    doc: &'a Value,
    lang: delever_model::Lang,
    unit: &'a str,
    /// The first projected year (`start` `2018-12` → 2019), `None` without a readable start.
    first_year: Option<i32>,
}

impl Context<'_> {
    fn of(doc: &Value, lang: delever_model::Lang) -> Context<'_> {
        // `start` is the December before the first year (`2018-12` → 2019).
        let first_year = doc
            .get("start")
            .and_then(Value::as_str)
            .and_then(|start| start.get(..4))
            .and_then(|year| year.parse::<i32>().ok())
            .map(|year| year.saturating_add(1));
        let unit = doc.get("unit").and_then(Value::as_str).filter(|u| !u.is_empty()).unwrap_or("亿元");
        Context { doc, lang, unit, first_year }
    }

    fn tr(&self, zh: &'static str, en: &'static str) -> &'static str {
        tr(self.lang, zh, en)
    }

    fn en(&self) -> bool {
        self.lang == delever_model::Lang::En
    }

    /// ` 2020` for year index 1 of a per-year value (` 第 2 年`, ` year 2` without a readable start).
    fn year(&self, index: usize) -> String {
        let offset = i32::try_from(index).unwrap_or(i32::MAX);
        let place = index.saturating_add(1);
        match self.first_year {
            Some(first) => format!(" {}", first.saturating_add(offset)),
            None if self.en() => format!(" year {place}"),
            None => format!(" 第 {place} 年"),
        }
    }

    /// `（亿元）` / ` (亿元)`.
    fn unit(&self) -> String {
        if self.en() { format!(" ({})", self.unit) } else { format!("（{}）", self.unit) }
    }

    /// How a label names item `index` of the list `list` (`institutions`, `events`, `targets`):
    /// `机构「鲤城农商行」`, `Event “a default”`, `目标「npl_cap」`, by their name, label or id,
    /// else by their place (`第 2 项事件`, `Event 2`).
    fn item(&self, list: &str, index: usize) -> String {
        let item = self.doc.get(list).and_then(|l| l.get(index));
        let text =
            |key: &str| item.and_then(|i| i.get(key)).and_then(Value::as_str).filter(|s| !s.is_empty());
        let (zh, en, name) = match list {
            "institutions" => ("机构", "Institution", text("name").or_else(|| text("id"))),
            "events" => ("事件", "Event", text("label")),
            _ => ("目标", "Target", text("id")),
        };
        let place = index.saturating_add(1);
        match (name, self.en()) {
            // A target's id is a code (`npl_cap`), not a name: no quotation marks in English.
            (Some(id), true) if list == "targets" => format!("{en} {id}"),
            (Some(name), true) => format!("{en} “{name}”"),
            (Some(name), false) => format!("{zh}「{name}」"),
            (None, true) => format!("{en} {place}"),
            (None, false) => format!("第 {place} 项{zh}"),
        }
    }

    /// An institution's name from its id (events and targets refer to institutions by id).
    fn institution_name(&self, id: &str) -> String {
        let list = self.doc.get("institutions").and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .find(|i| i.get("id").and_then(Value::as_str) == Some(id))
            .and_then(|i| i.get("name").and_then(Value::as_str))
            .unwrap_or(id)
            .to_string()
    }
}

/// Upper-cases the first letter (English labels start lower-case so they can follow a name).
/// ASCII only: the English labels are, and Unicode case tables cost the page's wasm size.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}", first.to_ascii_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// What people call a field of a drivers object (`defaults` or an institution's `drivers`),
/// given as the path's steps after it; English in lower case. `None` outside the schema.
fn driver_label(context: &Context, rest: &[Part]) -> Option<String> {
    let tr = |zh, en| context.tr(zh, en).to_string();
    let channel = |name: &str| {
        let (zh, en) = CHANNELS.iter().position(|c| *c == name).and_then(|i| CHANNEL_NAMES.get(i))?;
        Some(if context.en() { en.to_ascii_lowercase() } else { zh.to_string() })
    };
    let amount = |zh, en| format!("{}{}", context.tr(zh, en), context.unit());
    let label = match rest {
        [] => tr("参数", "drivers"),
        [Part::Key("deposit_growth")] => tr("存款增速", "deposit growth"),
        [Part::Key("loan_growth")] => tr("贷款增速", "loan growth"),
        [Part::Key("loan_growth_basis")] => tr("贷款增速口径", "loan growth basis"),
        [Part::Key("npl_formation_rate")] => tr("不良生成率", "NPL formation rate"),
        [Part::Key("disposal")] => tr("处置计划", "disposal plan"),
        [Part::Key("disposal"), Part::Key("plan")] => tr("处置计划方式", "disposal plan kind"),
        [Part::Key("disposal"), Part::Key("amount")] => amount("全年处置计划", "disposal plan a year"),
        [Part::Key("disposal"), Part::Key("rate")] => tr("处置率", "disposal rate"),
        [Part::Key("channels")] => tr("处置结构", "disposal channels"),
        [Part::Key("channels"), Part::Key(name)] => {
            format!("{}{}", channel(name)?, context.tr("占比", " share"))
        }
        [Part::Key("pacing")] => tr("处置节奏", "pacing"),
        [Part::Key("pacing"), Part::Key("h1_share")] => tr("上半年完成比例", "share in the first half"),
        [Part::Key("pacing"), Part::Key("weights")] => tr("逐月权重", "monthly weights"),
        [Part::Key("pacing"), Part::Key("weights"), Part::Index(month)] => {
            let month = month.saturating_add(1);
            if context.en() { format!("weight of month {month}") } else { format!("{month} 月权重") }
        }
        [Part::Key("recovery")] => tr("回收率", "recovery"),
        [Part::Key("recovery"), Part::Key(name)] => {
            if context.en() {
                format!("recovery on {}", channel(name)?)
            } else {
                format!("{}回收率", channel(name)?)
            }
        }
        [Part::Key("provisioning")] => tr("拨备", "provisioning"),
        [Part::Key("provisioning"), Part::Key("coverage_floor")] => tr("拨备覆盖率下限", "coverage floor"),
        [Part::Key("provisioning"), Part::Key("allowance_floor")] => {
            tr("拨贷比下限", "allowance-ratio floor")
        }
        [Part::Key("capital")] => tr("资本", "capital"),
        [Part::Key("capital"), Part::Key("pre_provision_return")] => {
            tr("拨备前利润率", "pre-provision return on loans")
        }
        [Part::Key("capital"), Part::Key("retention")] => tr("利润留存比例", "retention"),
        // A per-year value: the year's label.
        [head @ .., Part::Index(year)] if !head.is_empty() => {
            format!("{}{}", driver_label(context, head)?, context.year(*year))
        }
        _ => return None,
    };
    Some(label)
}

/// What people call the field at `path` of a scenario document, with its unit where it has
/// one: `贷款增速 2020`, `机构「鲤城农商行」期初不良贷款（亿元）`, `Target npl_cap value`.
/// Institutions, events and targets are named from `doc`; per-year values with their year,
/// counted from `doc`'s `start`. `None` for a path outside the scenario schema (MODEL.md section 2).
pub fn lever_label(doc: &Value, path: &str, lang: delever_model::Lang) -> Option<String> {
    let steps = path::parse(path)?;
    let parts: Vec<Part> = steps
        .iter()
        .map(|step| match step {
            path::Step::Key(key) => Part::Key(key.as_str()),
            path::Step::Index(index) => Part::Index(*index),
        })
        .collect();
    let context = Context::of(doc, lang);
    let en = context.en();
    let tr = |zh, en| context.tr(zh, en).to_string();
    // `机构「X」` + `期初存款` in Chinese, `Institution “X”` + ` opening deposits` in English.
    let joined =
        |head: String, tail: String| if en { format!("{head} {tail}") } else { format!("{head}{tail}") };
    let label = match parts.as_slice() {
        [Part::Key("schema")] => tr("文件格式版本", "Schema version"),
        [Part::Key("name")] => tr("情景名称", "Scenario name"),
        [Part::Key("notes")] => tr("情景说明", "Notes"),
        [Part::Key("unit")] => tr("金额单位", "Amount unit"),
        [Part::Key("start")] => tr("期初月份", "Opening month"),
        [Part::Key("years")] => tr("预测年数", "Years projected"),
        [Part::Key("defaults"), rest @ ..] => capitalised(&driver_label(&context, rest)?),
        [Part::Key("institutions")] => tr("机构", "Institutions"),
        [Part::Key("events")] => tr("风险暴露事件", "Events"),
        [Part::Key("targets")] => tr("目标", "Targets"),
        [Part::Key("institutions"), Part::Index(i), rest @ ..] => {
            let institution = context.item("institutions", *i);
            // A renamed institution is named by its place, not by the new name being shown.
            let place = || {
                let place = i.saturating_add(1);
                if en { format!("Institution {place}") } else { format!("第 {place} 家机构") }
            };
            match rest {
                [] => institution,
                [Part::Key("id")] => joined(institution, tr("编号", "id")),
                [Part::Key("name")] => joined(place(), tr("名称", "name")),
                [Part::Key("kind")] => joined(institution, tr("类型", "kind")),
                [Part::Key("zone")] => joined(institution, tr("街道/园区", "zone")),
                [Part::Key("opening")] => joined(institution, tr("期初余额", "opening balances")),
                [Part::Key("opening"), Part::Key("illustrative"), ..] => {
                    joined(institution, tr("示意数据项", "illustrative openings"))
                }
                [Part::Key("opening"), Part::Key(field)] => {
                    let name = opening_name(field, context.lang)?;
                    joined(institution, format!("{name}{}", context.unit()))
                }
                [Part::Key("drivers"), rest @ ..] => joined(institution, driver_label(&context, rest)?),
                _ => return None,
            }
        }
        [Part::Key("events"), Part::Index(i), rest @ ..] => {
            let event = context.item("events", *i);
            let place = || {
                let place = i.saturating_add(1);
                if en { format!("Event {place}") } else { format!("第 {place} 项事件") }
            };
            match rest {
                [] => event,
                [Part::Key("month")] => joined(event, tr("月份", "month")),
                [Part::Key("institution")] => joined(event, tr("机构", "institution")),
                [Part::Key("amount")] => joined(event, format!("{}{}", tr("金额", "amount"), context.unit())),
                [Part::Key("label")] => joined(place(), tr("说明", "label")),
                _ => return None,
            }
        }
        [Part::Key("targets"), Part::Index(i), rest @ ..] => {
            let target = context.item("targets", *i);
            let place = || {
                let place = i.saturating_add(1);
                if en { format!("Target {place}") } else { format!("第 {place} 项目标") }
            };
            match rest {
                [] => target,
                [Part::Key("id")] => joined(place(), tr("编号", "id")),
                [Part::Key("metric")] => joined(target, tr("指标", "metric")),
                [Part::Key("op")] => joined(target, tr("条件", "condition")),
                [Part::Key("value")] => {
                    let unit = match FieldKind::of(path, doc) {
                        FieldKind::Amount => context.unit(),
                        _ => String::new(),
                    };
                    joined(target, format!("{}{unit}", tr("数值", "value")))
                }
                [Part::Key("year")] => joined(target, tr("年份", "year")),
                [Part::Key("scope")] => joined(target, tr("范围", "scope")),
                _ => return None,
            }
        }
        [Part::Key("actuals")] => tr("实际数据", "Actuals"),
        [Part::Key("actuals"), Part::Index(i), rest @ ..] => {
            let place = i.saturating_add(1);
            let entry = if en { format!("Actual {place}") } else { format!("第 {place} 条实际数据") };
            let field = match rest {
                [] => return Some(entry),
                [Part::Key("month")] => tr("月份", "month"),
                [Part::Key("institution")] => tr("机构", "institution"),
                [Part::Key("deposits")] => format!("{}{}", tr("存款", "deposits"), context.unit()),
                [Part::Key("loans")] => format!("{}{}", tr("贷款", "loans"), context.unit()),
                [Part::Key("npl")] => format!("{}{}", tr("不良贷款", "NPL"), context.unit()),
                [Part::Key("provisions")] => format!("{}{}", tr("拨备", "provisions"), context.unit()),
                [Part::Key("formation")] => format!("{}{}", tr("不良生成", "formation"), context.unit()),
                [Part::Key("disposal")] => format!("{}{}", tr("处置", "disposal"), context.unit()),
                [Part::Key("disposal"), Part::Key(name)] => {
                    let (zh, en_name) =
                        CHANNELS.iter().position(|c| c == name).and_then(|c| CHANNEL_NAMES.get(c))?;
                    let channel = if en { en_name.to_ascii_lowercase() } else { (*zh).to_string() };
                    format!("{}{channel}{}", tr("处置·", "disposal by "), context.unit())
                }
                [Part::Key("tier1_capital")] => {
                    format!("{}{}", tr("一级资本", "tier-1 capital"), context.unit())
                }
                [Part::Key("leverage_exposure")] => {
                    format!("{}{}", tr("杠杆率敞口", "leverage exposure"), context.unit())
                }
                _ => return None,
            };
            joined(entry, field)
        }
        [Part::Key("reference")] => tr("参考数据假设", "Reference assumptions"),
        [Part::Key("reference"), Part::Key("source")] => {
            tr("参考数据假设的来源", "Source of the reference assumptions")
        }
        [Part::Key("reference"), Part::Key("national_npl_ratio")] => {
            tr("全国商业银行不良贷款率假设", "Assumed national commercial-bank NPL ratio")
        }
        [Part::Key("reference"), Part::Key("national_npl_ratio"), Part::Key(year)] => {
            if en {
                format!("Assumed national commercial-bank NPL ratio, {year}")
            } else {
                format!("{year} 年全国商业银行不良贷款率假设")
            }
        }
        [Part::Key("assessment"), rest @ ..] => {
            let head = tr("考核计分", "Assessment");
            match rest {
                [] => head,
                [Part::Key("year")] => joined(head, tr("年份", "year")),
                [Part::Key("level")] => joined(head, tr("对象", "level")),
                [Part::Key("criteria")] => joined(head, tr("指标", "criteria")),
                [Part::Key("criteria"), Part::Index(i), tail @ ..] => {
                    let place = i.saturating_add(1);
                    let criterion =
                        if en { format!("criterion {place}") } else { format!("第 {place} 项指标") };
                    let field = match tail {
                        [] => return Some(joined(head, criterion)),
                        [Part::Key("metric")] => tr("名称", "metric"),
                        [Part::Key("better")] => tr("方向", "direction"),
                        [Part::Key("weight")] => tr("权重", "weight"),
                        _ => return None,
                    };
                    joined(joined(head, criterion), field)
                }
                _ => return None,
            }
        }
        [Part::Key("amc"), rest @ ..] => {
            let amc = tr("地方资产管理公司", "Local AMC");
            match rest {
                [] => amc,
                [Part::Key("name")] => joined(amc, tr("名称", "name")),
                [Part::Key("opening_stock")] => {
                    joined(amc, format!("{}{}", tr("期初存量", "opening stock"), context.unit()))
                }
                [Part::Key("inflow_share")] => joined(amc, tr("承接转让比例", "share of transfers received")),
                [Part::Key("disposal_rate")] => joined(amc, tr("年处置比例", "yearly disposal rate")),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(label)
}

/// The lists of the schema whose items are objects: a change in their length is told as
/// a count (`事件：2 → 3 项`).
const LISTS: [&str; 3] = ["institutions", "events", "targets"];

/// A value of the field at `path` in words and display units: `8.5%`, `城市商业银行`, `≤`,
/// `全国平均`, `8% / 9%` (per year), `上半年完成 60%`; `—` (or `默认`, `无`) for none.
fn value_words(context: &Context, path: &str, text: &str) -> String {
    let key = path::last_key(path).unwrap_or_default();
    if text == "—" {
        return if path.contains(".drivers") {
            context.tr("默认", "default").to_string()
        } else if path.starts_with("amc") || key.ends_with("_floor") {
            context.tr("无", "none").to_string()
        } else {
            text.to_string()
        };
    }
    let parsed = (text.starts_with('[') || text.starts_with('{'))
        .then(|| serde_json::from_str::<Value>(text).ok())
        .flatten();
    match parsed {
        Some(Value::Array(items)) => {
            let words: Vec<String> = items.iter().map(|item| scalar_words(context, path, item)).collect();
            words.join(if key == "illustrative" { context.tr("、", ", ") } else { " / " })
        }
        Some(Value::Object(map)) => object_words(context, path, &map),
        _ => scalar_words(context, path, &Value::String(text.to_string())),
    }
}

/// A whole object that appeared where there was none or a word (`"even"` → `{"h1_share": …}`).
fn object_words(context: &Context, path: &str, map: &serde_json::Map<String, Value>) -> String {
    let key = path::last_key(path).unwrap_or_default();
    let field = |name: &str| format!("{path}.{name}");
    let words =
        |name: &str| map.get(name).map(|v| scalar_words(context, &field(name), v)).unwrap_or_default();
    match key.as_str() {
        "pacing" if map.contains_key("h1_share") => {
            format!("{} {}", context.tr("上半年完成", "first half"), words("h1_share"))
        }
        "pacing" => context.tr("逐月权重", "monthly weights").to_string(),
        "disposal" => match map.get("plan").and_then(Value::as_str) {
            Some("rate") => format!("{} {}", context.tr("按比例", "rate"), words("rate")),
            _ => format!("{} {} {}", context.tr("按金额", "amount"), words("amount"), context.unit),
        },
        "amc" => {
            let name = map.get("name").and_then(Value::as_str).unwrap_or_default();
            format!("{}{name}", context.tr("已设置：", "set: "))
        }
        // channels, recovery, provisioning, capital, an institution's opening: each field.
        _ => {
            let parts: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(name, v)| {
                    let label = lever_label(context.doc, &format!("defaults.{key}.{name}"), context.lang)
                        .or_else(|| opening_name(name, context.lang).map(|n| capitalised(&n)))
                        .unwrap_or_else(|| name.clone());
                    format!("{label} {}", scalar_words(context, &field(name), v))
                })
                .collect();
            parts.join(context.tr("，", ", "))
        }
    }
}

/// One stored value of the field at `path` in words and display units.
fn scalar_words(context: &Context, path: &str, value: &Value) -> String {
    let key = path::last_key(path).unwrap_or_default();
    let text = match value {
        Value::String(s) => s.as_str(),
        Value::Null => return "—".to_string(),
        _ => "",
    };
    let word = |zh, en| context.tr(zh, en).to_string();
    match (key.as_str(), text) {
        ("kind", kind) if path.starts_with("institutions") => {
            crate::components::tables::kind_name(context.lang, kind).to_string()
        }
        ("loan_growth_basis", "lending") => word("投放口径", "new lending"),
        ("loan_growth_basis", "balance") => word("余额口径", "balance"),
        ("plan", "amount") => word("按金额", "amount"),
        ("plan", "rate") => word("按比例", "rate"),
        ("pacing", "even") => word("按月平均", "even"),
        ("op", "ge") => "≥".to_string(),
        ("op", "le") => "≤".to_string(),
        ("metric", metric) if !metric.is_empty() => metric_name(context.lang, metric).to_string(),
        ("scope", "region") => word("全辖", "region"),
        ("scope", scope) if !scope.is_empty() => match scope.strip_prefix("zone:") {
            Some(zone) => format!("{}{zone}", context.tr("街道/园区 ", "zone ")),
            None => context.institution_name(scope),
        },
        ("institution", id) if path.starts_with("events") && !id.is_empty() => context.institution_name(id),
        ("illustrative", field) => opening_name(field, context.lang).unwrap_or_else(|| field.to_string()),
        ("value", "national_average") => word("全国平均", "national average"),
        _ => {
            let kind = FieldKind::of(path, context.doc);
            let shown = fields::display(kind, Some(value));
            if kind == FieldKind::Percent && !shown.is_empty() && decimal_text(&shown) {
                format!("{shown}%")
            } else if shown.is_empty() {
                "—".to_string()
            } else {
                shown
            }
        }
    }
}

/// Whether `text` reads as a number (a percent sign goes only after one, not after `abc`).
fn decimal_text(text: &str) -> bool {
    delever_model::validate::parse_decimal_text(text).is_some()
}

/// One changed field in words and display units, for presets, links and imported files
/// alike: `贷款增速：8.5% → 9%`, `机构「鲤城农商行」期初不良贷款（亿元）：1.2 → 1.5`,
/// `Events: 2 → 3 items` (a list that grew). Only a path outside the scenario schema is
/// shown as itself.
pub fn describe_change(
    doc: &Value,
    (path, before, after): &(String, String, String),
    lang: delever_model::Lang,
) -> String {
    let context = Context::of(doc, lang);
    let separator = context.tr("：", ": ");
    let label = lever_label(doc, path, lang).unwrap_or_else(|| path.clone());
    if LISTS.contains(&path.as_str()) {
        let count = |text: &str| match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => items.len(),
            _ => 0,
        };
        let items = context.tr(" 项", " items");
        return format!("{label}{separator}{} → {}{items}", count(before), count(after));
    }
    format!(
        "{label}{separator}{} → {}",
        value_words(&context, path, before),
        value_words(&context, path, after)
    )
}

#[function_component(Brief)]
pub fn brief(props: &BriefProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let Some(current) = state.current.as_ref() else { return html! {} };
    let projection = &current.projection;
    let doc = current.json();
    let changes = &state.changes;
    let stale = state.is_stale().then(|| html! {
        <p class="brief-stale">{ tr(lang, "注意：当前修改无效，以下为最近一次有效情景。", "Note: the current edit is invalid; this is the last valid scenario.") }</p>
    });
    html! {
        <section class="brief" aria-hidden="true" data-brief="true">
            <header class="brief-head">
                <p class="brief-kind">{ tr(lang, "Delever 去杠杆情景简报", "Delever deleveraging scenario brief") }</p>
                <h1 class="brief-name">{ &current.scenario.name }</h1>
                { stale }
            </header>
            <div class="brief-columns">
                <section class="brief-block">
                    <h2>{ tr(lang, "主要假设（全辖默认）", "Assumptions (region defaults)") }</h2>
                    <table class="brief-assumptions">
                        { for assumptions(doc, lang).into_iter().map(|(label, value)| html! {
                            <tr><th scope="row">{ label }</th><td>{ value }</td></tr>
                        }) }
                    </table>
                </section>
                <section class="brief-block">
                    <h2>{ tr(lang, "与基准相比调整的参数", "Levers changed from the baseline") }</h2>
                    if changes.is_empty() {
                        <p>{ tr(lang, "无（与载入时的情景相同）。", "None (the scenario as loaded).") }</p>
                    } else {
                        <ul class="brief-changes">
                            { for changes.iter().take(12).map(|change| html! {
                                <li data-brief-change={change.0.clone()}>{ describe_change(doc, change, lang) }</li>
                            }) }
                            if changes.len() > 12 {
                                <li>{ format!("{} {}", tr(lang, "……另有", "… and"), changes.len() - 12) }</li>
                            }
                        </ul>
                    }
                </section>
            </div>
            <section class="brief-block">
                <h2>{ tr(lang, "年末结果（全辖）", "Year-end results (region)") }</h2>
                <table class="brief-table">
                    <thead><tr>
                        <th>{ tr(lang, "年份", "Year") }</th>
                        { for COLUMNS.iter().map(|m| html! { <th>{ metric_name(lang, m) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for projection.region.year_ends.iter().map(|y| html! {
                            <tr>
                                <th scope="row">{ y.year }</th>
                                { for COLUMNS.iter().map(|m| html! { <td class="num">{ shown(m, y.get(m)) }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <section class="brief-block">
                <h2>{ format!("{}（{}/{}）", tr(lang, "目标检查", "Target checks"),
                    projection.targets.iter().filter(|t| t.met).count(), projection.targets.len()) }</h2>
                <table class="brief-table">
                    <thead><tr>
                        <th>{ tr(lang, "年份", "Year") }</th><th>{ tr(lang, "指标", "Metric") }</th>
                        <th>{ tr(lang, "范围", "Scope") }</th><th>{ tr(lang, "目标", "Target") }</th>
                        <th>{ tr(lang, "实际", "Actual") }</th><th>{ tr(lang, "结果", "Result") }</th>
                        <th>{ tr(lang, "余量", "Margin") }</th>
                    </tr></thead>
                    <tbody>
                        { for projection.targets.iter().map(|t| html! {
                            <tr>
                                <td>{ t.target.year }</td>
                                <td>{ metric_name(lang, &t.target.metric) }</td>
                                <td>{ t.target.scope.label(lang) }</td>
                                <td class="num">{ format!("{} {}", op_symbol(t), shown(&t.target.metric, Some(t.value))) }</td>
                                <td class="num">{ shown(&t.target.metric, t.actual) }</td>
                                <td>{ status(lang, t) }</td>
                                <td class="num">{ margin_text(lang, &t.target.metric, t.margin) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <footer class="brief-stamp" data-stamp="true">{ props.stamp.short_text(lang, 160) }</footer>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::{Brief, BriefProps};
    use crate::export::Stamp;
    use crate::state::{Action, PageState, UiState};

    fn render(state: UiState) -> String {
        let doc = state.doc.to_string();
        let stamp = Rc::new(Stamp::new(&doc, "2018-12", "http://intranet.example/delever/"));
        let props = BriefProps { state: PageState(Rc::new(state)), stamp };
        futures::executor::block_on(
            yew::LocalServerRenderer::<Brief>::with_props(props).hydratable(false).render(),
        )
    }

    #[test]
    fn the_brief_has_every_part_of_the_page() {
        let mut state = UiState::new(delever_model::Lang::Zh);
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        let html = render(state);
        for part in [
            "鲤城区 2019 年信贷风险防控化解",
            "主要假设",
            "贷款增速</th><td>9%",
            "上半年完成 60%",
            "核销 50%",
            "data-brief-change=\"defaults.loan_growth\"",
            "贷款增速：8.5% → 9%",
            "年末结果",
            "目标检查",
            "达标",
            "Delever 模型",
            "期初数据截至 2018-12 末",
            "http://intranet.example/delever/#scenario=",
        ] {
            assert!(html.contains(part), "the brief lacks {part}: {html}");
        }
        assert!(!html.contains("data-kpi"), "the brief's numbers are not the screen's");
    }

    /// A document with one of everything a change can name.
    fn labelled_doc() -> serde_json::Value {
        serde_json::json!({
            "start": "2015-12",
            "unit": "亿元",
            "institutions": [{"id": "lc", "name": "鲤城农商行", "kind": "rural", "zone": null,
                "opening": {"npl": "1.5"}, "drivers": {}}],
            "events": [{"month": "2016-07", "institution": "lc", "amount": "2", "label": "某企业违约"}],
            "targets": [
                {"id": "npl_cap", "metric": "npl", "op": "le", "value": "1.5", "year": 2016, "scope": "region"},
                {"id": "ratio", "metric": "npl_ratio", "op": "le", "value": "national_average", "year": 2016, "scope": "lc"}
            ],
        })
    }

    #[track_caller]
    fn check(lang: delever_model::Lang, path: &str, before: &str, after: &str, words: &str) {
        let change = (path.to_string(), before.to_string(), after.to_string());
        assert_eq!(super::describe_change(&labelled_doc(), &change, lang), words, "{path}");
    }

    /// Issue 10, item 7: every kind of path of the scenario schema is told in words and
    /// display units, never as its JSON path.
    #[test]
    fn changes_are_named_in_words() {
        use delever_model::Lang::{En, Zh};
        let table = [
            // The region's levers, per year and in percent.
            (Zh, "defaults.loan_growth[0]", "0.12", "0.09", "贷款增速 2016：12% → 9%"),
            (Zh, "defaults.loan_growth", "0.085", r#"["0.08","0.09"]"#, "贷款增速：8.5% → 8% / 9%"),
            (Zh, "defaults.disposal.amount", "10", "12", "全年处置计划（亿元）：10 → 12"),
            (Zh, "defaults.disposal.plan", "amount", "rate", "处置计划方式：按金额 → 按比例"),
            (Zh, "defaults.disposal.rate", "—", "0.3", "处置率：— → 30%"),
            (Zh, "defaults.channels.write_off", "0.5", "0.6", "核销占比：50% → 60%"),
            (Zh, "defaults.loan_growth_basis", "lending", "balance", "贷款增速口径：投放口径 → 余额口径"),
            (Zh, "defaults.pacing", "even", r#"{"h1_share":"0.6"}"#, "处置节奏：按月平均 → 上半年完成 60%"),
            (Zh, "defaults.pacing.h1_share", "0.6", "0.5", "上半年完成比例：60% → 50%"),
            (Zh, "defaults.pacing.weights[2]", "0.1", "0.2", "3 月权重：10% → 20%"),
            (Zh, "defaults.recovery.transfer", "0.3", "0.4", "转让/打包回收率：30% → 40%"),
            (Zh, "defaults.provisioning.coverage_floor", "1.5", "—", "拨备覆盖率下限：150% → 无"),
            (Zh, "defaults.capital.pre_provision_return", "0.01", "0.012", "拨备前利润率：1% → 1.2%"),
            (Zh, "defaults.capital.retention", "0.5", "0.6", "利润留存比例：50% → 60%"),
            // The scenario itself.
            (Zh, "schema", "1", "2", "文件格式版本：1 → 2"),
            (Zh, "name", "甲", "乙", "情景名称：甲 → 乙"),
            (Zh, "notes", "", "说明", "情景说明：— → 说明"),
            (Zh, "unit", "亿元", "万元", "金额单位：亿元 → 万元"),
            (Zh, "start", "2014-12", "2015-12", "期初月份：2014-12 → 2015-12"),
            (Zh, "years", "1", "2", "预测年数：1 → 2"),
            // Institutions: added and removed, renamed, their openings and own drivers.
            (Zh, "institutions", r#"[{"id":"lc"}]"#, r#"[{"id":"lc"},{"id":"b"}]"#, "机构：1 → 2 项"),
            (Zh, "institutions[0].id", "all", "lc", "机构「鲤城农商行」编号：all → lc"),
            (Zh, "institutions[0].name", "全辖", "鲤城农商行", "第 1 家机构名称：全辖 → 鲤城农商行"),
            (
                Zh,
                "institutions[0].kind",
                "rural",
                "city_commercial",
                "机构「鲤城农商行」类型：农村金融机构 → 城市商业银行",
            ),
            (Zh, "institutions[0].zone", "—", "江南", "机构「鲤城农商行」街道/园区：— → 江南"),
            (
                Zh,
                "institutions[0].opening.npl",
                "1.2",
                "1.5",
                "机构「鲤城农商行」期初不良贷款（亿元）：1.2 → 1.5",
            ),
            (
                Zh,
                "institutions[0].opening.tier1_capital",
                "—",
                "40",
                "机构「鲤城农商行」一级资本（亿元）：— → 40",
            ),
            (
                Zh,
                "institutions[0].opening.illustrative",
                r#"["npl"]"#,
                r#"["npl","loans"]"#,
                "机构「鲤城农商行」示意数据项：期初不良贷款 → 期初不良贷款、期初贷款",
            ),
            (
                Zh,
                "institutions[0].drivers.loan_growth[1]",
                "0.1",
                "0.2",
                "机构「鲤城农商行」贷款增速 2017：10% → 20%",
            ),
            (Zh, "institutions[0].drivers.loan_growth", "—", "0.1", "机构「鲤城农商行」贷款增速：默认 → 10%"),
            (
                Zh,
                "institutions[0].drivers.disposal",
                "—",
                r#"{"plan":"amount","amount":"2"}"#,
                "机构「鲤城农商行」处置计划：默认 → 按金额 2 亿元",
            ),
            (
                Zh,
                "institutions[0].drivers.channels",
                "—",
                r#"{"collection":"0.4","write_off":"0.6"}"#,
                "机构「鲤城农商行」处置结构：默认 → 清收占比 40%，核销占比 60%",
            ),
            // Events, targets, the AMC.
            (Zh, "events", "[]", r#"[{"month":"2016-07"}]"#, "风险暴露事件：0 → 1 项"),
            (Zh, "events[0].month", "2016-07", "2016-08", "事件「某企业违约」月份：2016-07 → 2016-08"),
            (Zh, "events[0].institution", "all", "lc", "事件「某企业违约」机构：all → 鲤城农商行"),
            (Zh, "events[0].amount", "1.2", "2", "事件「某企业违约」金额（亿元）：1.2 → 2"),
            (Zh, "events[0].label", "", "某企业违约", "第 1 项事件说明：— → 某企业违约"),
            (Zh, "targets", "[{}]", "[{},{}]", "目标：1 → 2 项"),
            (Zh, "targets[0].id", "cap", "npl_cap", "第 1 项目标编号：cap → npl_cap"),
            (Zh, "targets[0].metric", "loans", "npl", "目标「npl_cap」指标：贷款 → 不良贷款"),
            (Zh, "targets[0].op", "ge", "le", "目标「npl_cap」条件：≥ → ≤"),
            (Zh, "targets[0].value", "1.7", "1.5", "目标「npl_cap」数值（亿元）：1.7 → 1.5"),
            (Zh, "targets[1].value", "0.02", "national_average", "目标「ratio」数值：2% → 全国平均"),
            (Zh, "targets[0].year", "2017", "2016", "目标「npl_cap」年份：2017 → 2016"),
            (Zh, "targets[1].scope", "region", "lc", "目标「ratio」范围：全辖 → 鲤城农商行"),
            (Zh, "targets[0].scope", "region", "zone:江南", "目标「npl_cap」范围：全辖 → 街道/园区 江南"),
            (
                Zh,
                "amc",
                "—",
                r#"{"name":"某资管","opening_stock":"5"}"#,
                "地方资产管理公司：无 → 已设置：某资管",
            ),
            (Zh, "amc.name", "甲", "乙", "地方资产管理公司名称：甲 → 乙"),
            (Zh, "amc.opening_stock", "5", "6", "地方资产管理公司期初存量（亿元）：5 → 6"),
            (Zh, "amc.inflow_share", "0.5", "0.6", "地方资产管理公司承接转让比例：50% → 60%"),
            (Zh, "amc.disposal_rate", "0.2", "0.3", "地方资产管理公司年处置比例：20% → 30%"),
            // The same in English.
            (En, "defaults.loan_growth", "0.08", "0.29", "Loan growth: 8% → 29%"),
            (En, "defaults.disposal.amount", "10", "12", "Disposal plan a year (亿元): 10 → 12"),
            (En, "defaults.channels.write_off", "0.5", "0.6", "Write-off share: 50% → 60%"),
            (En, "defaults.recovery.transfer", "0.3", "0.4", "Recovery on transfer: 30% → 40%"),
            (En, "defaults.pacing.weights[2]", "0.1", "0.2", "Weight of month 3: 10% → 20%"),
            (En, "years", "1", "2", "Years projected: 1 → 2"),
            (
                En,
                "institutions[0].opening.npl",
                "1.2",
                "1.5",
                "Institution “鲤城农商行” opening NPL (亿元): 1.2 → 1.5",
            ),
            (
                En,
                "institutions[0].drivers.loan_growth[1]",
                "0.1",
                "0.2",
                "Institution “鲤城农商行” loan growth 2017: 10% → 20%",
            ),
            (
                En,
                "institutions[0].kind",
                "rural",
                "village",
                "Institution “鲤城农商行” kind: Rural financial institution → Village bank",
            ),
            (En, "events", "[{},{}]", "[{},{},{}]", "Events: 2 → 3 items"),
            (En, "events[0].amount", "1.2", "2", "Event “某企业违约” amount (亿元): 1.2 → 2"),
            (En, "targets[0].value", "1.7", "1.5", "Target npl_cap value (亿元): 1.7 → 1.5"),
            (En, "targets[1].value", "0.02", "national_average", "Target ratio value: 2% → national average"),
            (En, "targets[0].op", "ge", "le", "Target npl_cap condition: ≥ → ≤"),
            (En, "amc", "—", r#"{"name":"AMC"}"#, "Local AMC: none → set: AMC"),
            (En, "amc.inflow_share", "0.5", "0.6", "Local AMC share of transfers received: 50% → 60%"),
        ];
        for (lang, path, before, after, words) in table {
            check(lang, path, before, after, words);
        }
    }

    /// Every path of every preset, and of a document with an AMC, events and an
    /// institution's own drivers, has a label in both languages: none falls back to its path.
    #[test]
    fn every_path_of_the_schema_has_a_label() {
        fn paths(at: &str, value: &serde_json::Value, out: &mut Vec<String>) {
            if !at.is_empty() {
                out.push(at.to_string());
            }
            match value {
                serde_json::Value::Object(map) => {
                    for (key, v) in map {
                        let next = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                        paths(&next, v, out);
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        paths(&format!("{at}[{i}]"), v, out);
                    }
                }
                _ => {}
            }
        }
        let mut docs: Vec<serde_json::Value> = delever_model::presets::all()
            .iter()
            .map(|p| serde_json::from_str(p.json).expect("a preset"))
            .collect();
        let mut rich = docs[0].clone();
        rich["amc"] = serde_json::json!({"name": "AMC", "opening_stock": "5", "inflow_share": "0.5", "disposal_rate": "0.2"});
        rich["events"] =
            serde_json::json!([{"month": "2019-07", "institution": "all", "amount": "1", "label": "x"}]);
        rich["institutions"][0]["drivers"] = rich["defaults"].clone();
        rich["defaults"]["pacing"] =
            serde_json::json!({"weights": ["0.5", "0.5", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]});
        rich["defaults"]["loan_growth"] = serde_json::json!(["0.1"]);
        rich["reference"] = serde_json::json!({"national_npl_ratio": {"2019": "0.015"}, "source": "x"});
        rich["assessment"] = serde_json::json!({"year": 2019, "level": "zone",
            "criteria": [{"metric": "npl_change", "better": "lower", "weight": "1"}]});
        docs.push(rich);
        for doc in &docs {
            let mut all = Vec::new();
            paths("", doc, &mut all);
            for path in all {
                for lang in [delever_model::Lang::Zh, delever_model::Lang::En] {
                    let label = super::lever_label(doc, &path, lang);
                    let words =
                        label.as_ref().is_some_and(|l| *l != path && !l.contains('.') && !l.contains('['));
                    assert!(words, "{path}: {label:?}");
                }
            }
        }
    }

    #[test]
    fn the_brief_speaks_english() {
        let mut state = UiState::new(delever_model::Lang::En);
        state.apply(Action::LoadPreset("chongqing-2016-2020".into()));
        let html = render(state);
        for part in [
            "Assumptions",
            "Year-end results",
            "Target checks",
            "data as of end-2018-12",
            "None (the scenario as loaded)",
        ] {
            assert!(html.contains(part), "the brief lacks {part}");
        }
    }
}

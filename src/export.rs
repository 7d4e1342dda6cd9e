//! Exports: the stamp every export carries, and the monthly results as CSV with Chinese (or English) headers.

use delever_model::metrics::MONTHLY;
use delever_model::num::fmt_decimal;
use delever_model::output::Series;
use delever_model::scenario::CHANNELS;
use delever_model::{Lang, Projection};

use crate::components::channels::CHANNEL_NAMES;
use crate::i18n::{metric_name, tr};

/// What every export (CSV, workbook, PNG) and the printed brief carry, to say where the
/// figures came from: the model's version, the date of the opening data, and the link
/// that reopens exactly this scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub version: String,
    /// The month of the opening balances (the scenario's `start`), e.g. `2018-12`.
    pub data_as_of: String,
    /// The page's address with `#scenario=` and the scenario shown.
    pub link: String,
}

impl Stamp {
    /// The stamp of `scenario_json` (the canonical scenario file shown) opened at `page`
    /// (the page's address; its own fragment is replaced by the scenario's).
    pub fn new(scenario_json: &str, data_as_of: &str, page: &str) -> Stamp {
        Stamp::with_fragment(&crate::codec::scenario_to_fragment(scenario_json), data_as_of, page)
    }

    /// The stamp of the scenario whose `#scenario=` fragment is `fragment` (already encoded,
    /// see `Loaded::fragment`).
    pub fn with_fragment(fragment: &str, data_as_of: &str, page: &str) -> Stamp {
        let base = page.split('#').next().unwrap_or(page);
        Stamp {
            version: delever_model::MODEL_VERSION.to_string(),
            data_as_of: data_as_of.to_string(),
            link: format!("{base}#{fragment}"),
        }
    }

    /// One line: `Delever 模型 0.3.0 · 期初数据截至 2018-12 末 · https://…`.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => {
                format!("Delever 模型 {} · 期初数据截至 {} 末 · {}", self.version, self.data_as_of, self.link)
            }
            Lang::En => {
                format!("Delever model {} · data as of end-{} · {}", self.version, self.data_as_of, self.link)
            }
        }
    }

    /// [`text`](Self::text) with the link cut after `keep` characters (it encodes the whole
    /// scenario, often thousands of characters): for paper, where nobody types a link in
    /// and the full one travels with every exported file.
    pub fn short_text(&self, lang: Lang, keep: usize) -> String {
        let length = self.link.chars().count();
        if length <= keep {
            return self.text(lang);
        }
        let head: String = self.link.chars().take(keep).collect();
        let short = Stamp {
            link: match lang {
                Lang::Zh => format!("{head}…（链接共 {length} 个字符，完整链接见导出的 CSV、工作簿和图片）"),
                Lang::En => {
                    format!(
                        "{head}… (the link has {length} characters; exported CSV, workbook and PNG files carry it whole)"
                    )
                }
            },
            ..self.clone()
        };
        short.text(lang)
    }

    /// `{"version":"…","data_as_of":"…","link":"…"}`, as the spreadsheet module reads it.
    pub fn to_json(&self) -> String {
        serde_json::json!({"version": self.version, "data_as_of": self.data_as_of, "link": self.link})
            .to_string()
    }
}

/// The page's own address, which stamps link to (in a browser; none natively).
pub fn page_address() -> String {
    if cfg!(target_arch = "wasm32") { crate::web::location_href() } else { String::new() }
}

/// The stamp of `scenario` as shown on this page, for a one-off export (a shown result has
/// its own, derived once: `Loaded::stamp`).
pub fn stamp_of(scenario: &delever_model::Scenario) -> Stamp {
    Stamp::new(&scenario.to_json().to_string(), &scenario.start.to_string(), &page_address())
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Every month of the region, each zone and each institution, exact decimals, one row each.
///
/// Starts with a UTF-8 byte-order mark so that Excel opens the Chinese headers correctly.
pub fn monthly_csv(projection: &Projection, lang: Lang, stamp: &Stamp) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&quote(&stamp.text(lang)));
    out.push_str("\r\n");
    let mut header = vec![
        tr(lang, "范围", "scope").to_string(),
        tr(lang, "编号", "id").to_string(),
        tr(lang, "月份", "month").to_string(),
    ];
    header.extend(MONTHLY.iter().map(|m| format!("{} {m}", metric_name(lang, m))));
    header.extend(
        CHANNELS.iter().zip(CHANNEL_NAMES).map(|(c, (zh, en))| format!("{} disposal_{c}", tr(lang, zh, en))),
    );
    out.push_str(&header.iter().map(|h| quote(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    let mut rows = |scope: &str, id: &str, series: &Series| {
        for month in &series.monthly {
            let mut row = vec![quote(scope), quote(id), month.month.clone()];
            row.extend(MONTHLY.iter().map(|m| month.get(m).map(fmt_decimal).unwrap_or_default()));
            row.extend(month.disposal_by_channel.iter().map(|d| fmt_decimal(*d)));
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    };
    rows(tr(lang, "全辖", "region"), "", &projection.region);
    for (zone, series) in &projection.zones {
        rows(tr(lang, "街道/园区", "zone"), zone, series);
    }
    for (id, series) in &projection.institutions {
        rows(tr(lang, "机构", "institution"), id, series);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_entity_month_with_exact_values() {
        let s =
            delever_model::parse_scenario(delever_model::presets::get("yangjiang-2016-2018").unwrap().json)
                .unwrap();
        let p = delever_model::simulate(&s).unwrap();
        let stamp = Stamp::new(&s.to_json().to_string(), "2015-12", "http://intranet/delever/#old");
        let csv = monthly_csv(&p, Lang::Zh, &stamp);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("\u{feff}Delever 模型 "), "{}", lines[0]);
        assert!(lines[0].contains("期初数据截至 2015-12 末 · http://intranet/delever/#scenario="));
        // stamp + header + (region + 4 zones + 6 institutions) × 36 months
        assert_eq!(lines.len(), 2 + 11 * 36);
        assert!(lines[1].contains("不良贷款率 npl_ratio"));
        let columns = lines[1].split(',').count();
        assert!(lines[2..].iter().all(|l| l.split(',').count() == columns));
        assert!(lines[2].contains(&fmt_decimal(p.region.monthly[0].npl)));
    }

    #[test]
    fn the_stamp_links_to_the_scenario_shown() {
        let json = delever_model::presets::get("licheng-2019").unwrap().json;
        let stamp = Stamp::new(json, "2018-12", "file:///media/usb/delever.html#scenario=abc");
        let fragment = stamp.link.strip_prefix("file:///media/usb/delever.html#").unwrap();
        assert_eq!(crate::codec::scenario_from_fragment(fragment), Some(Ok(json.to_string())));
        assert_eq!(stamp.version, delever_model::MODEL_VERSION);
        assert!(
            stamp
                .text(Lang::En)
                .starts_with(&format!("Delever model {} · data as of end-2018-12 · file:", stamp.version))
        );
        let short = stamp.short_text(Lang::Zh, 80);
        assert!(
            short.contains(&format!("{}…（链接共 {} 个字符", &stamp.link[..80], stamp.link.len())),
            "{short}"
        );
        assert_eq!(stamp.short_text(Lang::En, 100_000), stamp.text(Lang::En));
        let back: serde_json::Value = serde_json::from_str(&stamp.to_json()).unwrap();
        assert_eq!(back["link"], stamp.link.as_str());
    }
}

//! Exports: the monthly results as CSV with Chinese (or English) headers, and the scenario file itself.

use delever_model::metrics::MONTHLY;
use delever_model::num::fmt_decimal;
use delever_model::output::Series;
use delever_model::scenario::CHANNELS;
use delever_model::{Lang, Projection};

use crate::components::channels::CHANNEL_NAMES;
use crate::i18n::{metric_name, tr};

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
pub fn monthly_csv(projection: &Projection, lang: Lang, stamp: &str) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&quote(stamp));
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
        let csv = monthly_csv(&p, Lang::Zh, "stamp");
        let lines: Vec<&str> = csv.lines().collect();
        // stamp + header + (region + 4 zones + 6 institutions) × 36 months
        assert_eq!(lines.len(), 2 + 11 * 36);
        assert!(lines[1].contains("不良贷款率 npl_ratio"));
        let columns = lines[1].split(',').count();
        assert!(lines[2..].iter().all(|l| l.split(',').count() == columns));
        assert!(lines[2].contains(&fmt_decimal(p.region.monthly[0].npl)));
    }
}

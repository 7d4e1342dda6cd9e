//! Reported months in the scenario document (MODEL.md section 9): which months are reported, a next month's entries to type into, and taking the last month back.
//!
//! These work on the document as edited (it may be invalid), so the actuals grid shows
//! exactly what is typed; the engine validates the result like every other edit.

use serde_json::{Map, Value, json};

/// The distinct reported months of `doc`'s `actuals`, in calendar order (`YYYY-MM` sorts as text).
pub fn months(doc: &Value) -> Vec<String> {
    let mut months: Vec<String> = entries(doc)
        .iter()
        .filter_map(|a| a.get("month").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    months.sort();
    months.dedup();
    months
}

fn entries(doc: &Value) -> &[Value] {
    doc.get("actuals").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// The index in `actuals` of `institution`'s entry for `month`.
pub fn index_of(doc: &Value, month: &str, institution: &str) -> Option<usize> {
    entries(doc).iter().position(|a| {
        a.get("month").and_then(Value::as_str) == Some(month)
            && a.get("institution").and_then(Value::as_str) == Some(institution)
    })
}

/// The month after the last reported one among `horizon` (the projection's month labels),
/// or the horizon's first month when nothing is reported; `None` when the horizon is reported to its end.
pub fn next_month(doc: &Value, horizon: &[String]) -> Option<String> {
    match months(doc).last() {
        Some(last) => horizon.iter().find(|m| m.as_str() > last.as_str()).cloned(),
        None => horizon.first().cloned(),
    }
}

/// `doc` with one entry for `month` per institution, each carrying the institution's last
/// reported stocks (or its opening balances) and a disposal of 0, to be overwritten with
/// the month's report. Formation is left out (the roll-forward residual, section 9).
pub fn with_month(doc: &Value, month: &str) -> Value {
    let mut next = doc.clone();
    let institutions: Vec<Value> =
        doc.get("institutions").and_then(Value::as_array).cloned().unwrap_or_default();
    let last_month = months(doc).last().cloned();
    let mut added = Vec::new();
    for inst in &institutions {
        let Some(id) = inst.get("id").and_then(Value::as_str) else { continue };
        let previous =
            last_month.as_deref().and_then(|m| index_of(doc, m, id)).and_then(|i| entries(doc).get(i));
        let mut entry = Map::new();
        entry.insert("month".into(), json!(month));
        entry.insert("institution".into(), json!(id));
        let source = previous.or_else(|| inst.get("opening"));
        for key in ["deposits", "loans", "npl"] {
            entry.insert(key.into(), source.and_then(|s| s.get(key)).cloned().unwrap_or_else(|| json!("0")));
        }
        if let Some(provisions) = previous.and_then(|p| p.get("provisions")).filter(|v| !v.is_null()) {
            entry.insert("provisions".into(), provisions.clone());
        }
        entry.insert("disposal".into(), json!("0"));
        added.push(Value::Object(entry));
    }
    if !next.get("actuals").is_some_and(Value::is_array)
        && let Some(map) = next.as_object_mut()
    {
        map.insert("actuals".into(), Value::Array(Vec::new()));
    }
    if let Some(list) = next.get_mut("actuals").and_then(Value::as_array_mut) {
        list.extend(added);
    }
    next
}

/// `doc` without the entries of its last reported month (and without `actuals` when none are left).
pub fn without_last_month(doc: &Value) -> Value {
    let mut next = doc.clone();
    let Some(last) = months(doc).last().cloned() else { return next };
    if let Some(map) = next.as_object_mut() {
        let kept: Vec<Value> = entries(doc)
            .iter()
            .filter(|a| a.get("month").and_then(Value::as_str) != Some(last.as_str()))
            .cloned()
            .collect();
        if kept.is_empty() {
            map.remove("actuals");
        } else {
            map.insert("actuals".into(), Value::Array(kept));
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({
            "institutions": [
                {"id": "a", "opening": {"deposits": "10", "loans": "8", "npl": "0.2", "provisions": "0.4"}},
                {"id": "b", "opening": {"deposits": "5", "loans": "4", "npl": "0.1", "provisions": "0.2"}}
            ]
        })
    }

    fn horizon() -> Vec<String> {
        (1..=12).map(|m| format!("2019-{m:02}")).collect()
    }

    #[test]
    fn the_first_month_starts_from_the_openings() {
        let d = doc();
        assert_eq!(next_month(&d, &horizon()).as_deref(), Some("2019-01"));
        let d = with_month(&d, "2019-01");
        assert_eq!(months(&d), ["2019-01"]);
        assert_eq!(
            d["actuals"][0],
            json!({"month": "2019-01", "institution": "a", "deposits": "10", "loans": "8", "npl": "0.2", "disposal": "0"})
        );
        assert_eq!(index_of(&d, "2019-01", "b"), Some(1));
    }

    #[test]
    fn a_next_month_carries_the_last_report_and_removing_takes_it_back() {
        let mut d = with_month(&doc(), "2019-01");
        d["actuals"][0]["loans"] = json!("8.3");
        d["actuals"][0]["provisions"] = json!("0.45");
        d["actuals"][0]["formation"] = json!("0.02");
        d["actuals"][0]["disposal"] = json!({"write_off": "0.01"});
        let next = next_month(&d, &horizon()).expect("February");
        assert_eq!(next, "2019-02");
        let two = with_month(&d, &next);
        assert_eq!(months(&two), ["2019-01", "2019-02"]);
        let feb = &two["actuals"][2];
        assert_eq!((feb["loans"].as_str(), feb["provisions"].as_str()), (Some("8.3"), Some("0.45")));
        assert_eq!((feb["disposal"].as_str(), feb.get("formation")), (Some("0"), None));
        assert_eq!(without_last_month(&two), d);
        assert!(without_last_month(&without_last_month(&two)).get("actuals").is_none());
    }

    #[test]
    fn a_fully_reported_horizon_has_no_next_month() {
        let mut d = doc();
        for m in horizon() {
            d = with_month(&d, &m);
        }
        assert_eq!(next_month(&d, &horizon()), None);
        assert_eq!(entries(&d).len(), 24);
    }
}

//! JSON paths as the page writes them (`institutions[0].opening.npl`): parse, read and write a `serde_json::Value`.
//!
//! The same strings are the engine's issue paths and the inputs' `data-field` attributes,
//! so an engine message lands on the input that caused it.

use serde_json::{Map, Value};

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Splits `a.b[2].c` into steps; `None` for a malformed path.
pub fn parse(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if key.is_empty() && steps.is_empty() {
            return None;
        }
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let close = stripped.find(']')?;
            steps.push(Step::Index(stripped[..close].parse().ok()?));
            rest = &stripped[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    (!steps.is_empty()).then_some(steps)
}

/// The value at `path`, if present.
///
/// Walks the path as [`parse`] reads it, without building its steps: every field of the
/// page reads its value (and compares it when the page changes) through this, dozens of
/// times a lever move. Any failure, a malformed path or a missing step, is `None`, so the
/// answer is exactly that of walking `parse(path)`.
pub fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = doc;
    let mut first = true;
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(index) => (&part[..index], &part[index..]),
            None => (part, ""),
        };
        if key.is_empty() && first {
            return None;
        }
        if !key.is_empty() {
            at = at.get(key)?;
            first = false;
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let close = stripped.find(']')?;
            at = at.get(stripped[..close].parse::<usize>().ok()?)?;
            first = false;
            rest = &stripped[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    (!first).then_some(at)
}

/// Writes `value` at `path`, creating objects for missing keys; `false` if the path
/// crosses a non-container or an index past the end of an array, and then `doc` is
/// unchanged (no object is created on the way to a step that fails).
pub fn set(doc: &mut Value, path: &str, value: Value) -> bool {
    let Some(steps) = parse(path) else { return false };
    if !settable(doc, &steps) {
        return false;
    }
    let mut at = doc;
    let last = steps.len().saturating_sub(1);
    for (n, step) in steps.into_iter().enumerate() {
        let is_last = n == last;
        at = match step {
            Step::Key(key) => {
                if !at.is_object() {
                    if at.is_null() {
                        *at = Value::Object(Map::new());
                    } else {
                        return false;
                    }
                }
                let Some(map) = at.as_object_mut() else { return false };
                if is_last {
                    map.insert(key, value);
                    return true;
                }
                map.entry(key).or_insert(Value::Null)
            }
            Step::Index(i) => {
                let Some(items) = at.as_array_mut() else { return false };
                let Some(slot) = items.get_mut(i) else { return false };
                if is_last {
                    *slot = value;
                    return true;
                }
                slot
            }
        };
    }
    false
}

/// Removes the object key at the end of `path`; `false` when there is no such key.
pub fn remove(doc: &mut Value, path: &str) -> bool {
    let Some(mut steps) = parse(path) else { return false };
    let Some(Step::Key(key)) = steps.pop() else { return false };
    let mut at = Some(doc);
    for step in steps {
        at = match (step, at) {
            (Step::Key(k), Some(Value::Object(map))) => map.get_mut(&k),
            (Step::Index(i), Some(Value::Array(items))) => items.get_mut(i),
            _ => None,
        };
    }
    at.and_then(Value::as_object_mut).is_some_and(|map| map.remove(&key).is_some())
}

/// Whether [`set`] can follow `steps` in `doc`: a key into an object or a missing (or null)
/// value, which becomes an object; an index only into an existing element of an array.
fn settable(doc: &Value, steps: &[Step]) -> bool {
    let mut at = Some(doc);
    for step in steps {
        at = match (step, at) {
            // Missing or null: `set` creates an object here, so every later step must be a key.
            (Step::Key(_), None | Some(Value::Null)) => None,
            (Step::Key(key), Some(Value::Object(map))) => map.get(key),
            (Step::Index(i), Some(Value::Array(items))) if *i < items.len() => items.get(*i),
            _ => return false,
        };
    }
    true
}

/// The last key of a path (`defaults.loan_growth[1]` → `loan_growth`).
pub fn last_key(path: &str) -> Option<String> {
    parse(path)?.into_iter().rev().find_map(|s| match s {
        Step::Key(k) => Some(k),
        Step::Index(_) => None,
    })
}

/// The key before the last key (`defaults.channels.write_off` → `channels`).
pub fn parent_key(path: &str) -> Option<String> {
    let keys: Vec<String> = parse(path)?
        .into_iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k),
            Step::Index(_) => None,
        })
        .collect();
    keys.len().checked_sub(2).and_then(|i| keys.get(i).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_keys_and_indices() {
        let cases: [(&str, Option<Vec<Step>>); 5] = [
            (
                "defaults.loan_growth",
                Some(vec![Step::Key("defaults".into()), Step::Key("loan_growth".into())]),
            ),
            (
                "institutions[2].opening.npl",
                Some(vec![
                    Step::Key("institutions".into()),
                    Step::Index(2),
                    Step::Key("opening".into()),
                    Step::Key("npl".into()),
                ]),
            ),
            (
                "defaults.pacing.weights[11]",
                Some(vec![
                    Step::Key("defaults".into()),
                    Step::Key("pacing".into()),
                    Step::Key("weights".into()),
                    Step::Index(11),
                ]),
            ),
            ("a[x]", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(parse(path), want, "{path}");
        }
    }

    #[test]
    fn a_write_that_fails_changes_nothing() {
        let doc = json!({"defaults": {"pacing": {"kind": "h1_share"}, "x": 1}, "institutions": []});
        for path in [
            "defaults.pacing.weights[3]",
            "defaults.new.deeper[0]",
            "defaults.x.y",
            "institutions[0].id",
            "defaults.pacing.kind.z",
        ] {
            let mut edited = doc.clone();
            assert!(!set(&mut edited, path, json!("5")), "{path} was written");
            assert_eq!(edited, doc, "{path} changed the document");
        }
        let mut edited = doc.clone();
        assert!(set(&mut edited, "defaults.new.deeper", json!("5")), "missing keys are created");
        assert_eq!(get(&edited, "defaults.new.deeper"), Some(&json!("5")));
    }

    #[test]
    fn reads_and_writes() {
        let mut doc = json!({"defaults": {"loan_growth": ["0.1", "0.2"]}, "institutions": [{"opening": {}}]});
        assert_eq!(get(&doc, "defaults.loan_growth[1]"), Some(&json!("0.2")));
        assert!(set(&mut doc, "defaults.loan_growth[1]", json!("0.3")));
        assert!(set(&mut doc, "institutions[0].opening.npl", json!("5")));
        assert!(set(&mut doc, "defaults.channels.write_off", json!("1")));
        assert!(!set(&mut doc, "institutions[3].opening.npl", json!("5")));
        assert_eq!(doc["defaults"]["loan_growth"][1], json!("0.3"));
        assert_eq!(doc["institutions"][0]["opening"]["npl"], json!("5"));
        assert_eq!(doc["defaults"]["channels"]["write_off"], json!("1"));
        assert_eq!(last_key("defaults.loan_growth[1]").as_deref(), Some("loan_growth"));
        assert_eq!(parent_key("defaults.channels.write_off").as_deref(), Some("channels"));
    }

    #[test]
    fn reading_walks_exactly_the_parsed_path() {
        // `get` walks without parsing first; it must agree with walking `parse`'s steps.
        fn walked<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
            let mut at = doc;
            for step in parse(path)? {
                at = match step {
                    Step::Key(key) => at.get(&key)?,
                    Step::Index(i) => at.get(i)?,
                };
            }
            Some(at)
        }
        let doc = json!({"a": {"b": [{"c": "1"}, ["x", "y"]], "": {"d": "2"}}, "e": "3"});
        let paths = [
            "a",
            "a.b",
            "a.b[0].c",
            "a.b[1][1]",
            "a.b[2]",
            "a.b[x]",
            "a.b[0",
            "a.b[0]c",
            "a..b",
            ".a",
            "",
            "[0]",
            "a.b[0].c.d",
            "e",
            "e[0]",
            "a.d",
            "a.b[00].c",
            "a.b[-1]",
            "a[0]",
        ];
        for path in paths {
            assert_eq!(get(&doc, path), walked(&doc, path), "{path}");
        }
    }
}

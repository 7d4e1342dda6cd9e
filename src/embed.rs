//! Where the page runs and how it talks to a host page: the address's `?embed=1` / `?present=1` / `levers=` / `lang=`, and the postMessage protocol of MODEL.md section 8.
//!
//! Plain Rust, no browser: `web.rs` hands the query string and every message's text
//! here, and sends what comes back. Everything here is tested (and fuzzed) natively.
//!
//! Messages the page accepts, from the window that frames it only:
//! - `{"type":"delever:load","scenario":{…}}` (or the scenario as a JSON string): load it.
//!
//! Messages the page sends to that window:
//! - `{"type":"delever:ready","version":"…"}` once, when it can take a scenario;
//! - `{"type":"delever:result","scenario":"…","year_ends":[…],"targets":[…]}` after every
//!   change of the result (`year_ends`: the region's year-ends under the names of
//!   MODEL.md section 4; `targets`: the target checks, as `delever-cli simulate` prints them);
//! - `{"type":"delever:error","errors":[{"path":"…","message":"…","message_zh":"…"}]}` when a
//!   `delever:load` (or any other `delever:` message) cannot be used; the page keeps its
//!   last good result.
//!
//! Any other message (another library's, or not JSON) is ignored.

use delever_model::{Lang, Projection};
use serde_json::{Value, json};

use crate::state::{Action, LoadProblem, Source};

/// How much of the page shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// The whole page.
    #[default]
    Full,
    /// In a host's frame (`?embed=1`): the results and the chosen levers, no page chrome.
    Embed,
    /// On a projector (`?present=1`, or the present button): large type, thick lines, the
    /// chosen levers, keyboard control.
    Present,
}

/// A lever the compact panels (embedded, presentation) can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuickLever {
    /// The yearly disposal plan (amount, or rate for a rate plan).
    Disposal,
    WriteOffShare,
    TransferShare,
    LoanGrowth,
    DepositGrowth,
    NplFormationRate,
    /// The share of the year's disposal done in the first half.
    H1Share,
}

impl QuickLever {
    pub const ALL: [QuickLever; 7] = [
        QuickLever::Disposal,
        QuickLever::WriteOffShare,
        QuickLever::TransferShare,
        QuickLever::LoanGrowth,
        QuickLever::DepositGrowth,
        QuickLever::NplFormationRate,
        QuickLever::H1Share,
    ];
    /// The names in the address (`levers=disposal,write_off_share`), in the order of [`ALL`](Self::ALL).
    pub const NAMES: [&'static str; 7] = [
        "disposal",
        "write_off_share",
        "transfer_share",
        "loan_growth",
        "deposit_growth",
        "npl_formation_rate",
        "h1_share",
    ];
    /// What the compact panels show when the address names none: the plan's main levers.
    pub const DEFAULT: [QuickLever; 4] =
        [QuickLever::Disposal, QuickLever::WriteOffShare, QuickLever::LoanGrowth, QuickLever::DepositGrowth];

    pub fn parse(text: &str) -> Option<QuickLever> {
        QuickLever::NAMES.iter().position(|n| *n == text).and_then(|i| QuickLever::ALL.get(i).copied())
    }

    pub fn name(self) -> &'static str {
        let index = QuickLever::ALL.iter().position(|l| *l == self).unwrap_or(0);
        QuickLever::NAMES.get(index).copied().unwrap_or("disposal")
    }
}

/// The page's mode, as the address asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mode {
    pub view: View,
    /// The levers the compact panels show, in the order given.
    pub levers: Vec<QuickLever>,
    /// `lang=zh|en`: the language to open in (over the one remembered).
    pub lang: Option<Lang>,
}

impl Default for Mode {
    fn default() -> Mode {
        Mode { view: View::Full, levers: QuickLever::DEFAULT.to_vec(), lang: None }
    }
}

/// The longest query string read; anything longer is refused whole (an address is not a file).
const MAX_QUERY: usize = 2048;

/// Reads the address's query (`?embed=1&levers=disposal,loan_growth&lang=en`, with or
/// without the `?`). Unknown parameters are ignored, as web addresses go; a bad value of a
/// known one is named in the problem, and the rest of the address still applies.
pub fn mode_from_query(query: &str) -> (Mode, Option<LoadProblem>) {
    let mut mode = Mode::default();
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > MAX_QUERY {
        let problem = LoadProblem {
            zh: format!("地址参数过长（{} 个字符，最多 {MAX_QUERY} 个），已忽略", query.len()),
            en: format!(
                "the address's parameters are too long ({} characters, at most {MAX_QUERY}); ignored",
                query.len()
            ),
        };
        return (mode, Some(problem));
    }
    let mut problems: Vec<LoadProblem> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(raw);
        let on = || matches!(value.as_str(), "" | "1" | "true" | "yes");
        match key {
            "embed" if on() => mode.view = View::Embed,
            // In a frame there is no room for a presentation: embedding wins.
            "present" if on() && mode.view == View::Embed => {}
            "present" if on() => mode.view = View::Present,
            "embed" | "present" if matches!(value.as_str(), "0" | "false" | "no") => {}
            "embed" | "present" => problems.push(LoadProblem {
                zh: format!("地址参数 {key}={value} 无效：应为 1 或 0"),
                en: format!("the address parameter {key}={value} is invalid: use 1 or 0"),
            }),
            "lang" => match Lang::parse(&value) {
                Some(lang) => mode.lang = Some(lang),
                None => problems.push(LoadProblem {
                    zh: format!("地址参数 lang={value} 无效：应为 zh 或 en"),
                    en: format!("the address parameter lang={value} is invalid: use zh or en"),
                }),
            },
            // The analyses' pool of workers (read by boot.js): checked here so a wrong value is said.
            "workers" if value.parse::<u8>().is_ok_and(|n| (1..=8).contains(&n)) => {}
            "workers" => problems.push(LoadProblem {
                zh: format!("地址参数 workers={value} 无效：应为 1 到 8 的整数（分析所用的后台线程数）"),
                en: format!(
                    "the address parameter workers={value} is invalid: use a whole number from 1 to 8 (the analyses' background workers)"
                ),
            }),
            "levers" => {
                let mut levers = Vec::new();
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    match QuickLever::parse(name) {
                        Some(lever) if !levers.contains(&lever) => levers.push(lever),
                        Some(_) => {}
                        None => problems.push(LoadProblem {
                            zh: format!(
                                "地址参数 levers 中的 “{name}” 不是可选参数；可选：{}",
                                QuickLever::NAMES.join("、")
                            ),
                            en: format!(
                                "the address parameter levers names \"{name}\", which is no lever; choose from {}",
                                QuickLever::NAMES.join(", ")
                            ),
                        }),
                    }
                }
                if !levers.is_empty() {
                    mode.levers = levers;
                }
            }
            _ => {}
        }
    }
    let problem = (!problems.is_empty()).then(|| LoadProblem {
        zh: problems.iter().map(|p| p.zh.as_str()).collect::<Vec<_>>().join("；"),
        en: problems.iter().map(|p| p.en.as_str()).collect::<Vec<_>>().join("; "),
    });
    (mode, problem)
}

/// `%XX` escapes and `+` as a space, as forms write queries; a malformed escape stays as typed.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(i.saturating_add(1)..i.saturating_add(3)))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (escaped, byte) {
            (Some(decoded), _) => {
                out.push(decoded);
                i = i.saturating_add(3);
            }
            (None, b'+') => {
                out.push(b' ');
                i = i.saturating_add(1);
            }
            (None, other) => {
                out.push(other);
                i = i.saturating_add(1);
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a host's message asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// A `delever:` message the page acts on.
    Act(Action),
    /// A `delever:` message the page cannot use: answer with [`error_message`].
    Refuse(LoadProblem),
    /// Not for the page (another library's message, our own echo, not JSON): ignore it.
    Ignore,
}

/// The largest message read, as JSON text: the engine's own input limit.
pub const MAX_MESSAGE_BYTES: usize = delever_model::MAX_INPUT_BYTES;

/// Reads a host's message (its data as JSON text).
pub fn parse_message(text: &str) -> Incoming {
    if text.len() > MAX_MESSAGE_BYTES {
        // Only a `delever:` message would be worth an answer; too large to tell, say why anyway.
        return if text.contains("\"delever:") {
            Incoming::Refuse(LoadProblem {
                zh: format!("消息过大（{} 字节，最多 {MAX_MESSAGE_BYTES} 字节）", text.len()),
                en: format!("the message is too large ({} bytes, at most {MAX_MESSAGE_BYTES})", text.len()),
            })
        } else {
            Incoming::Ignore
        };
    }
    let Ok(message) = serde_json::from_str::<Value>(text) else { return Incoming::Ignore };
    let Some(kind) = message.get("type").and_then(Value::as_str) else { return Incoming::Ignore };
    match kind {
        "delever:load" => match message.get("scenario") {
            Some(Value::String(text)) => Incoming::Act(Action::LoadText { text: text.clone(), source: Source::Embedded }),
            Some(scenario @ Value::Object(_)) => {
                Incoming::Act(Action::LoadText { text: scenario.to_string(), source: Source::Embedded })
            }
            Some(_) | None => Incoming::Refuse(LoadProblem {
                zh: "delever:load 消息的 scenario 缺失或不是对象：应为情景文件的 JSON 对象（或其文本）".into(),
                en: "the delever:load message has no scenario object: send the scenario file as a JSON object (or its text)"
                    .into(),
            }),
        },
        // What the page itself sends (a host may echo it back): not a request.
        "delever:ready" | "delever:result" | "delever:error" => Incoming::Ignore,
        other if other.starts_with("delever:") => Incoming::Refuse(LoadProblem {
            zh: format!("不认识的消息类型 {other}：页面接受 delever:load"),
            en: format!("unknown message type {other}: the page accepts delever:load"),
        }),
        _ => Incoming::Ignore,
    }
}

/// `{"type":"delever:ready","version":"…"}`.
pub fn ready_message() -> String {
    json!({"type": "delever:ready", "version": delever_model::MODEL_VERSION}).to_string()
}

/// `{"type":"delever:result",…}`: the region's year-ends and the target checks.
pub fn result_message(projection: &Projection) -> String {
    json!({
        "type": "delever:result",
        "scenario": projection.scenario,
        "year_ends": projection.region.year_ends.iter().map(|y| y.to_json()).collect::<Vec<_>>(),
        "targets": projection.targets.iter().map(|t| t.to_json()).collect::<Vec<_>>(),
    })
    .to_string()
}

/// One problem for `delever:error`: where (a JSON path of the scenario, or empty), and why in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub path: String,
    pub en: String,
    pub zh: String,
}

impl Refusal {
    pub fn from_problem(problem: &LoadProblem) -> Refusal {
        Refusal { path: String::new(), en: problem.en.clone(), zh: problem.zh.clone() }
    }

    pub fn from_issue(issue: &delever_model::Issue) -> Refusal {
        Refusal { path: issue.path.clone(), en: issue.message(Lang::En), zh: issue.message(Lang::Zh) }
    }
}

/// `{"type":"delever:error","errors":[{"path":"…","message":"…","message_zh":"…"}]}`.
pub fn error_message(refusals: &[Refusal]) -> String {
    let errors: Vec<Value> =
        refusals.iter().map(|r| json!({"path": r.path, "message": r.en, "message_zh": r.zh})).collect();
    json!({"type": "delever:error", "errors": errors}).to_string()
}

/// Why a scenario a host sent cannot be shown: every problem, or none when it runs.
pub fn check_loaded(text: &str) -> Vec<Refusal> {
    match delever_model::parse_scenario(text) {
        Err(issues) => issues.iter().map(Refusal::from_issue).collect(),
        Ok(scenario) => match delever_model::simulate(&scenario) {
            Ok(_) => Vec::new(),
            Err(error) => {
                vec![Refusal {
                    path: String::new(),
                    en: error.message(Lang::En),
                    zh: error.message(Lang::Zh),
                }]
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_chooses_the_mode() {
        // (query, view, levers, language, whether a problem is reported)
        type Row<'a> = (&'a str, View, &'a [QuickLever], Option<Lang>, bool);
        let table: [Row; 14] = [
            ("", View::Full, &QuickLever::DEFAULT, None, false),
            ("?embed=1", View::Embed, &QuickLever::DEFAULT, None, false),
            ("embed", View::Embed, &QuickLever::DEFAULT, None, false),
            ("?present=1&lang=en", View::Present, &QuickLever::DEFAULT, Some(Lang::En), false),
            ("?embed=1&present=1", View::Embed, &QuickLever::DEFAULT, None, false),
            (
                "?embed=1&levers=loan_growth,disposal",
                View::Embed,
                &[QuickLever::LoanGrowth, QuickLever::Disposal],
                None,
                false,
            ),
            (
                "?embed=1&levers=h1_share%2Cdisposal",
                View::Embed,
                &[QuickLever::H1Share, QuickLever::Disposal],
                None,
                false,
            ),
            ("?embed=1&levers=disposal,nope", View::Embed, &[QuickLever::Disposal], None, true),
            ("?embed=2", View::Full, &QuickLever::DEFAULT, None, true),
            ("?lang=fr&utm_source=portal", View::Full, &QuickLever::DEFAULT, None, true),
            ("?embed=0&x=%E4%B8%AD%", View::Full, &QuickLever::DEFAULT, None, false),
            ("?workers=2", View::Full, &QuickLever::DEFAULT, None, false),
            ("?workers=9", View::Full, &QuickLever::DEFAULT, None, true),
            ("?workers=x&lang=en", View::Full, &QuickLever::DEFAULT, Some(Lang::En), true),
        ];
        for (query, view, levers, lang, problem) in table {
            let (mode, found) = mode_from_query(query);
            assert_eq!(mode.view, view, "{query}");
            assert_eq!(mode.levers, levers, "{query}");
            assert_eq!(mode.lang, lang, "{query}");
            assert_eq!(found.is_some(), problem, "{query}: {found:?}");
        }
        let (_, problem) = mode_from_query("?levers=nope");
        let problem = problem.unwrap();
        assert!(
            problem.zh.contains("levers")
                && problem.zh.contains("nope")
                && problem.zh.contains("write_off_share")
        );
        assert!(problem.en.contains("choose from disposal, write_off_share"));
        assert!(mode_from_query(&"a".repeat(5000)).1.is_some());
    }

    #[test]
    fn lever_names_round_trip() {
        for lever in QuickLever::ALL {
            assert_eq!(QuickLever::parse(lever.name()), Some(lever));
        }
    }

    #[test]
    fn percent_decoding_keeps_what_it_cannot_read() {
        for (raw, decoded) in [
            ("a%2Cb", "a,b"),
            ("a+b", "a b"),
            ("%", "%"),
            ("%zz", "%zz"),
            ("%E4%B8%AD", "中"),
            ("%FF", "\u{fffd}"),
        ] {
            assert_eq!(percent_decode(raw), decoded);
        }
    }

    #[test]
    fn host_messages() {
        let preset = delever_model::presets::get("chongqing-2016-2020").unwrap().json;
        match parse_message(&format!("{{\"type\":\"delever:load\",\"scenario\":{preset}}}")) {
            Incoming::Act(Action::LoadText { source: Source::Embedded, text }) => {
                assert!(text.contains("重庆"))
            }
            other => panic!("{other:?}"),
        }
        let as_text = json!({"type": "delever:load", "scenario": preset}).to_string();
        assert!(matches!(parse_message(&as_text), Incoming::Act(Action::LoadText { .. })));
        for ignored in
            ["not json", "{\"type\":\"other\"}", "{}", "[1]", "{\"type\":\"delever:result\"}", "{\"type\":7}"]
        {
            assert_eq!(parse_message(ignored), Incoming::Ignore, "{ignored}");
        }
        for refused in [
            "{\"type\":\"delever:load\"}",
            "{\"type\":\"delever:load\",\"scenario\":3}",
            "{\"type\":\"delever:go\"}",
        ] {
            assert!(matches!(parse_message(refused), Incoming::Refuse(_)), "{refused}");
        }
        let huge =
            format!("{{\"type\":\"delever:load\",\"scenario\":\"{}\"}}", "x".repeat(MAX_MESSAGE_BYTES));
        assert!(matches!(parse_message(&huge), Incoming::Refuse(_)));
    }

    #[test]
    fn answers_to_the_host() {
        let licheng = delever_model::presets::get("licheng-2019").unwrap().json;
        let scenario = delever_model::parse_scenario(licheng).unwrap();
        let projection = delever_model::simulate(&scenario).unwrap();
        let result: Value = serde_json::from_str(&result_message(&projection)).unwrap();
        assert_eq!(result["type"], "delever:result");
        assert_eq!(result["year_ends"], projection.to_json()["region"]["year_ends"]);
        assert_eq!(result["targets"], projection.to_json()["targets"]);
        assert!(check_loaded(licheng).is_empty());
        let refusals = check_loaded("{\"schema\":1}");
        assert!(!refusals.is_empty());
        let error: Value = serde_json::from_str(&error_message(&refusals)).unwrap();
        assert_eq!(error["type"], "delever:error");
        assert!(error["errors"][0]["message_zh"].as_str().is_some_and(|m| !m.is_empty()));
        let ready: Value = serde_json::from_str(&ready_message()).unwrap();
        assert_eq!(ready["version"], delever_model::MODEL_VERSION);
    }
}

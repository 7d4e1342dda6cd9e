//! The page's state and its one place of change, [`UiState::apply`]: plain Rust, tested natively.
//!
//! The scenario lives as the JSON document the user edits (`doc`), which may be invalid
//! at any moment. Every change re-validates the whole document with the engine: when it
//! is valid it is simulated and becomes the new *current* result; when it is not, the
//! engine's issues are kept by JSON path (the inputs' `data-field`) and the last valid
//! result stays on screen, marked stale. Nothing the user typed is thrown away: text that
//! does not parse is stored in the document as typed.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use delever_model::Lever;
use delever_model::analysis::{with_share, with_write_off};
use delever_model::output::Detail;
use delever_model::scenario::{CHANNELS, channel};
use delever_model::validate::decimal_of;
use delever_model::{
    Issue, Lang, Problem, Projection, Scenario, SimError, Simulator, parse_scenario_value, simulate,
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::analyses::{Analyses, Outcome, Request, Setting};
use crate::embed::{Mode, View};
use crate::fields::{self, FieldKind};
use crate::path;

/// A valid scenario, its projection, and what is derived from them: built once when the
/// engine accepts a document, shared by `Rc`, never changed.
///
/// The projection is the page's: the region month by month and every entity's year-ends
/// (`Detail::RegionMonthly`; an export that needs the institutions' months runs
/// [`Loaded::full_projection`]). The canonical JSON, its text and the `#scenario=` fragment
/// are computed the first time something reads them, and then kept: a lever move that
/// nothing serialises costs no serialisation, and nothing serialises the same result twice.
pub struct Loaded {
    pub scenario: Scenario,
    pub projection: Projection,
    json: OnceCell<Value>,
    text: OnceCell<String>,
    fragment: OnceCell<String>,
}

impl Loaded {
    pub fn new(scenario: Scenario, projection: Projection) -> Loaded {
        Loaded {
            scenario,
            projection,
            json: OnceCell::new(),
            text: OnceCell::new(),
            fragment: OnceCell::new(),
        }
    }

    /// The scenario's canonical JSON (`Scenario::to_json`).
    pub fn json(&self) -> &Value {
        self.json.get_or_init(|| self.scenario.to_json())
    }

    /// [`Loaded::json`] as text: what exports, links and stamps carry.
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.json().to_string())
    }

    /// `scenario=` and the base64url of [`Loaded::text`]: the address that reopens it.
    pub fn fragment(&self) -> &str {
        self.fragment.get_or_init(|| crate::codec::scenario_to_fragment(self.text()))
    }

    /// The stamp of this scenario opened at `page` (the page's address).
    pub fn stamp(&self, page: &str) -> crate::export::Stamp {
        crate::export::Stamp::with_fragment(self.fragment(), self.scenario.start.to_string().as_str(), page)
    }

    /// Every series month by month, as `simulate` prints it (for exports).
    pub fn full_projection(&self) -> Result<Projection, SimError> {
        simulate(&self.scenario)
    }

    /// Holds the shown result to the engine, for tests and fuzzing: `simulate` answers this
    /// very projection (plus the members' months), and that answer keeps every identity of
    /// MODEL.md section 3 (`delever_model::invariants::check_projection`).
    pub fn check(&self) -> Result<(), String> {
        let full = self.full_projection().map_err(|e| format!("the shown scenario does not run: {e}"))?;
        delever_model::invariants::check_projection(&self.scenario, &full)?;
        if full.without_member_months() == self.projection {
            Ok(())
        } else {
            Err("the page's result differs from simulate's".to_string())
        }
    }
}

impl PartialEq for Loaded {
    /// By what it is (the derived caches follow from it).
    fn eq(&self, other: &Loaded) -> bool {
        self.scenario == other.scenario && self.projection == other.projection
    }
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded").field("scenario", &self.scenario.name).finish_non_exhaustive()
    }
}

/// One lever changed from the baseline: `(JSON path, before, after)` as stored text.
pub type Change = (String, String, String);

/// From this many institution-months on, a scenario is projected in the engine's Web Worker
/// when the page has one (`crates/delever-worker`), so the page stays responsive while it
/// runs. Chosen by `cargo xtask bench --browser` (README, "Benchmarks"): at 100 institutions
/// × 5 years the engine alone takes a frame (16 ms) and, on the page's thread, 11 of 20
/// moves blocked it for over 50 ms (up to 69 ms); with the worker 2 did (up to 56 ms), for
/// an answer about 16 ms later. Smaller scenarios are quicker where they are shown.
pub const OFF_THREAD_FROM: usize = 6_000;

/// Whether `scenario` is large enough to be projected off the main thread.
pub fn is_large(scenario: &Scenario) -> bool {
    institution_months(scenario) >= OFF_THREAD_FROM
}

fn institution_months(scenario: &Scenario) -> usize {
    let years = usize::try_from(scenario.years).unwrap_or(usize::MAX);
    scenario.institutions.len().saturating_mul(years).saturating_mul(12)
}

/// A valid scenario handed to the engine's worker, waiting for its projection. Meanwhile the
/// previous result stays on screen, marked as updating.
#[derive(Debug, PartialEq)]
pub struct Pending {
    /// Which request this is: an answer for any other is stale and dropped.
    pub id: u64,
    pub scenario: Scenario,
    /// Whether the answer becomes the baseline too (a load, not an edit).
    pub baseline: bool,
}

impl Pending {
    /// The scenario's canonical JSON, as the worker reads it.
    pub fn text(&self) -> String {
        self.scenario.to_json().to_string()
    }
}

/// The engine's plan and run, kept across the page's changes (`Simulator`): not page state
/// but a cache of work, shared by every copy of the state and equal to any other.
#[derive(Clone, Default)]
pub struct EngineCache(Rc<RefCell<Simulator>>);

impl EngineCache {
    /// Runs `scenario` the page's way: the region by month, every entity's year-ends.
    pub fn simulate(&self, scenario: &Scenario) -> Result<Projection, SimError> {
        match self.0.try_borrow_mut() {
            Ok(mut simulator) => simulator.simulate(scenario, Detail::RegionMonthly),
            // Never borrowed twice (the page is single-threaded and this does not re-enter),
            // but if it were, a fresh simulator gives the same answer.
            Err(_) => Simulator::new().simulate(scenario, Detail::RegionMonthly),
        }
    }
}

impl PartialEq for EngineCache {
    fn eq(&self, _: &EngineCache) -> bool {
        true
    }
}

impl std::fmt::Debug for EngineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EngineCache")
    }
}

/// Where the scenario on screen came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Preset(String),
    Blank,
    Saved(String),
    /// A `#scenario=` link.
    Link,
    /// An imported file, by name.
    Imported(String),
    /// A `delever:load` message from an embedding page.
    Embedded,
    /// The draft saved before a reload.
    Restored,
}

/// A scenario the user saved by name (kept in the browser's storage).
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    pub name: String,
    pub doc: Value,
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct UiState {
    pub lang: Lang,
    pub source: Source,
    /// The scenario document as edited; may be invalid. Shared (copy-on-write): copying the
    /// state for Yew's reducer copies a pointer, and an edit copies the document only while
    /// the previous state still holds it.
    pub doc: Rc<Value>,
    /// Text as typed, by field path, for fields being edited. A `HashMap`: nothing reads it
    /// in order, and with no B-tree of our own left (see also `results.rs` and the engine's
    /// `validate.rs`) the wasm is about 4 KB gzipped smaller (measured).
    pub texts: HashMap<String, String>,
    /// The engine's issues with `doc` (empty when it is valid).
    pub issues: Vec<Issue>,
    /// The valid `doc` that cannot run (a negative stock).
    pub sim_error: Option<SimError>,
    /// A problem with something loaded whole (a file that is not JSON, a broken link).
    pub load_problem: Option<LoadProblem>,
    /// The last valid scenario and its projection.
    pub current: Option<Rc<Loaded>>,
    /// The scenario as loaded (preset, file, link), for comparison.
    pub baseline: Option<Rc<Loaded>>,
    /// Index of the year whose year-end is shown.
    pub year_index: usize,
    pub saved: Rc<Vec<Saved>>,
    /// The levers `current` changes from `baseline`, derived once per pair.
    pub changes: Rc<Vec<Change>>,
    /// The pair `changes` was derived from.
    changes_of: (Option<Rc<Loaded>>, Option<Rc<Loaded>>),
    /// The engine's plan and run, reused while only drivers change.
    pub engine: EngineCache,
    /// Whether large scenarios are projected in the engine's Web Worker (the page sets it
    /// when the browser can run one; native tests set it to test the worker's path).
    /// Analyses always run in the engine's module, in its worker or in the page's slices.
    pub off_thread: bool,
    /// From how many institution-months a scenario goes to the worker: [`OFF_THREAD_FROM`]
    /// (tests lower it, to send every scenario there).
    pub off_thread_from: usize,
    /// The large scenario the worker is projecting (`off_thread`), if any.
    pub pending: Option<Rc<Pending>>,
    /// The last request id handed out.
    requests: u64,
    /// Bumped every time `current` changes.
    pub version: u64,
    /// Bumped by every action (the page saves the draft when it moves).
    pub edits: u64,
    /// Bumped by every action except the analyses' bookkeeping (settings, progress,
    /// answers): what every part of the page but the analysis panels shows is a function
    /// of it. See [`PageState`].
    pub revision: u64,
    /// The analysis panels.
    pub analyses: Analyses,
    /// The saved scenarios picked for comparison, simulated (or why they cannot be).
    pub comparison: Vec<Compared>,
    /// Why the last spreadsheet could not be imported, cell by cell (nothing was imported).
    pub sheet_issues: Vec<SheetIssue>,
    /// Why the last actuals paste or file could not be taken, cell by cell (nothing was).
    pub actuals_issues: Vec<SheetIssue>,
    /// Whole page, embedded or presenting, and the levers the compact panels show.
    pub mode: Mode,
}

/// One problem in an imported spreadsheet, as the spreadsheet module words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetIssue {
    pub sheet: String,
    /// 1-based, as the spreadsheet shows it (0: the file as a whole).
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// The page's state as its components (all but the analysis panels) receive it: equal
/// when the [`UiState::revision`] is, so an analysis reporting progress or an answer
/// re-renders only the analysis panels, and comparing never walks the document.
#[derive(Clone, Debug)]
pub struct PageState(pub Rc<UiState>);

impl std::ops::Deref for PageState {
    type Target = UiState;

    fn deref(&self) -> &UiState {
        &self.0
    }
}

impl PartialEq for PageState {
    fn eq(&self, other: &PageState) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0.revision == other.0.revision
    }
}

/// A saved scenario in the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    pub name: String,
    pub result: Result<Rc<Loaded>, LoadProblem>,
}

/// Why something could not be loaded, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadProblem {
    pub zh: String,
    pub en: String,
}

impl LoadProblem {
    pub fn from_issue(issue: &Issue) -> LoadProblem {
        LoadProblem { zh: issue.message(Lang::Zh), en: issue.message(Lang::En) }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Everything a user (or an embedding page) can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SetLang(Lang),
    LoadPreset(String),
    /// A blank scenario opening at the end of `start_year`.
    LoadBlank {
        start_year: i32,
    },
    /// A scenario file's text (import, link, restored draft, postMessage).
    LoadText {
        text: String,
        source: Source,
    },
    /// Text typed into the field at `path`, in display units.
    SetField {
        path: String,
        text: String,
    },
    /// One channel share typed (percent) under `prefix` (`defaults` or `institutions[i].drivers`);
    /// the other channels rescale in proportion so the shares keep summing to 100%.
    SetChannel {
        prefix: String,
        channel: usize,
        text: String,
    },
    /// Switch a per-year field between one value and one value per year.
    SetPerYear {
        path: String,
        by_year: bool,
    },
    /// Switch the disposal plan under `prefix` between `amount` and `rate`.
    SetDisposalPlan {
        prefix: String,
        plan: String,
    },
    /// Switch the pacing under `prefix` to `even`, `h1_share` or `weights`.
    SetPacing {
        prefix: String,
        kind: String,
    },
    /// Set a field to a value chosen from a list (kind, basis, op, metric, scope).
    SetChoice {
        path: String,
        value: Value,
    },
    SelectYear(usize),
    AddInstitution,
    RemoveInstitution(usize),
    AddEvent,
    RemoveEvent(usize),
    AddTarget,
    RemoveTarget(usize),
    SaveAs(String),
    LoadSaved(String),
    DeleteSaved(String),
    /// Back to the scenario as loaded.
    ResetToBaseline,
    /// Replace the document as an edit, keeping the baseline (a restored draft).
    EditDocument(Value),
    /// The saved scenarios, as read from storage.
    SetSavedList(Vec<Saved>),
    /// Say why something could not be loaded (a broken link), changing nothing else.
    ReportLoadProblem(LoadProblem),
    /// An analysis panel setting.
    Analysis(Setting),
    /// A running analysis reports how far it is.
    AnalysisProgress {
        request: Request,
        version: u64,
        done: usize,
        total: usize,
    },
    /// A running analysis finished (or could not start).
    AnalysisDone(Outcome),
    /// The engine's worker answered request `id` with `wire` bytes (empty: it has no
    /// projection, so the page runs the scenario itself and words why).
    Projected {
        id: u64,
        bytes: Vec<u8>,
    },
    /// Set levers of the region defaults to values (one value for every year), as an edit:
    /// a goal-seek boundary or a feasibility-map cell applied.
    ApplyLevers(Vec<(Lever, Decimal)>),
    /// Pick or unpick a saved scenario for comparison.
    ToggleCompared(String),
    /// A spreadsheet could not be imported: every problem found (an empty list clears them).
    ReportSheetIssues(Vec<SheetIssue>),
    /// Reported months (MODEL.md section 9): add the next month's entries, one per
    /// institution, from the last report (or the openings), to be typed over.
    AddActualsMonth,
    /// Take back the last reported month's entries.
    RemoveActualsMonth,
    /// An assessment (MODEL.md section 10) as the Licheng plan scores: zones (institutions
    /// when there are none) by NPL change, disposal completion and loan growth.
    AddAssessment,
    RemoveAssessment,
    /// A criterion appended to the assessment, and one removed.
    AddCriterion,
    RemoveCriterion(usize),
    /// Pasted or imported actuals could not be taken: every problem found (empty clears them).
    ReportActualsIssues(Vec<SheetIssue>),
    /// Show the whole page, the embedded panel, or the presentation.
    SetView(View),
    /// Presentation: load the next (`true`) or previous saved scenario of the sequence.
    StepSaved(bool),
}

/// Where a scenario's assumed national NPL ratios are, one key per year (MODEL.md section 11).
pub const REFERENCE_YEARS: &str = "reference.national_npl_ratio.";

/// The preset the page opens with.
pub const START_PRESET: &str = "licheng-2019";

impl UiState {
    /// The page as it first opens: the Licheng 2019 preset.
    pub fn new(lang: Lang) -> UiState {
        let mut state = UiState {
            lang,
            source: Source::Blank,
            doc: Rc::new(Value::Null),
            texts: HashMap::new(),
            issues: Vec::new(),
            sim_error: None,
            load_problem: None,
            current: None,
            baseline: None,
            year_index: 0,
            saved: Rc::new(Vec::new()),
            changes: Rc::new(Vec::new()),
            changes_of: (None, None),
            engine: EngineCache::default(),
            off_thread: false,
            off_thread_from: OFF_THREAD_FROM,
            pending: None,
            requests: 0,
            version: 0,
            edits: 0,
            revision: 0,
            analyses: Analyses::default(),
            comparison: Vec::new(),
            sheet_issues: Vec::new(),
            actuals_issues: Vec::new(),
            mode: Mode::default(),
        };
        state.apply(Action::LoadPreset(START_PRESET.to_string()));
        state
    }

    /// The saved scenario after (or before) the one shown, in the order saved: the
    /// presentation's sequence. From a scenario that is not saved, forward starts at the
    /// first and backward at the last; past either end there is none.
    pub fn next_saved(&self, forward: bool) -> Option<String> {
        let at = match &self.source {
            Source::Saved(name) => self.saved.iter().position(|s| &s.name == name),
            _ => None,
        };
        let next = match (at, forward) {
            (None, true) => Some(0),
            (None, false) => self.saved.len().checked_sub(1),
            (Some(i), true) => i.checked_add(1),
            (Some(i), false) => i.checked_sub(1),
        };
        next.and_then(|i| self.saved.get(i)).map(|s| s.name.clone())
    }

    /// Where the shown scenario is in the presentation's sequence: `(position from 1, count)`.
    pub fn saved_position(&self) -> Option<(usize, usize)> {
        match &self.source {
            Source::Saved(name) => self
                .saved
                .iter()
                .position(|s| &s.name == name)
                .map(|i| (i.saturating_add(1), self.saved.len())),
            _ => None,
        }
    }

    /// Whether what is on screen does not reflect the document (it is invalid or cannot run).
    pub fn is_stale(&self) -> bool {
        !self.issues.is_empty() || self.sim_error.is_some()
    }

    /// Whether the engine's worker is projecting the document: what is on screen is the
    /// previous result until it answers.
    pub fn is_updating(&self) -> bool {
        self.pending.is_some()
    }

    /// The issues at exactly `path`.
    pub fn issues_at(&self, path: &str) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(move |i| i.path == path)
    }

    /// The issues at `path` in the current language and the field's display units.
    pub fn messages_at(&self, path: &str) -> Vec<String> {
        let kind = FieldKind::of(path, &self.doc);
        self.issues_at(path).map(|issue| fields::message(issue, kind, self.lang)).collect()
    }

    /// The text an input at `path` shows: as typed, else the stored value in display units.
    pub fn field_text(&self, path: &str) -> String {
        match self.texts.get(path) {
            Some(text) => text.clone(),
            None => fields::display(FieldKind::of(path, &self.doc), path::get(&self.doc, path)),
        }
    }

    /// The scenario's years as a count (from the document, falling back to the current result).
    pub fn years(&self) -> usize {
        self.doc
            .get("years")
            .and_then(Value::as_u64)
            .and_then(|y| usize::try_from(y).ok())
            .filter(|y| (1..=10).contains(y))
            .or_else(|| self.current.as_ref().map(|c| c.projection.region.year_ends.len()))
            .unwrap_or(1)
    }

    /// Applies one action. This is the only place the state changes.
    pub fn apply(&mut self, action: Action) {
        self.act(action);
        self.refresh_changes();
    }

    /// The document, to edit: copied first if a previous state still shares it.
    fn doc_mut(&mut self) -> &mut Value {
        Rc::make_mut(&mut self.doc)
    }

    /// Derives the levers changed from the baseline when the result or the baseline is new
    /// (each one's canonical JSON is computed once, by [`Loaded::json`]).
    fn refresh_changes(&mut self) {
        let same = |a: &Option<Rc<Loaded>>, b: &Option<Rc<Loaded>>| match (a, b) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if same(&self.changes_of.0, &self.current) && same(&self.changes_of.1, &self.baseline) {
            return;
        }
        self.changes = Rc::new(match (&self.current, &self.baseline) {
            (Some(current), Some(baseline)) => crate::timing::span("changes", || {
                crate::components::results::changed_fields(baseline.json(), current.json())
            }),
            _ => Vec::new(),
        });
        self.changes_of = (self.current.clone(), self.baseline.clone());
    }

    fn act(&mut self, action: Action) {
        self.edits = self.edits.wrapping_add(1);
        if !matches!(action, Action::Analysis(_) | Action::AnalysisProgress { .. } | Action::AnalysisDone(_))
        {
            self.revision = self.revision.wrapping_add(1);
        }
        match action {
            Action::SetLang(lang) => self.lang = lang,
            Action::LoadPreset(id) => match delever_model::presets::get(&id) {
                Some(preset) => self.load_text(preset.json, Source::Preset(id)),
                None => {
                    self.load_problem = Some(LoadProblem::from_issue(&Issue::new(
                        "",
                        Problem::NotOneOf {
                            got: id,
                            allowed: delever_model::presets::all().iter().map(|p| p.id).collect(),
                        },
                    )))
                }
            },
            Action::LoadBlank { start_year } => {
                self.load_doc(blank(start_year), Source::Blank);
            }
            Action::LoadText { text, source } => self.load_text(&text, source),
            Action::Projected { id, bytes } => self.projected(id, &bytes),
            Action::SetField { path, text }
                if path.starts_with(REFERENCE_YEARS) && text.trim().is_empty() =>
            {
                // An emptied assumption: the year falls back to the published figure.
                path::remove(self.doc_mut(), &path);
                let empty = |doc: &Value, key: &str| {
                    path::get(doc, key)
                        .is_none_or(|v| v.as_object().is_some_and(|m| m.is_empty()) || v.as_str() == Some(""))
                };
                if empty(&self.doc, "reference.national_npl_ratio") && empty(&self.doc, "reference.source") {
                    path::remove(self.doc_mut(), "reference");
                }
                self.texts.remove(&path);
                self.recompute();
            }
            Action::SetField { path, text } => {
                let kind = FieldKind::of(&path, &self.doc);
                let value = fields::to_json(kind, &path, &text);
                if path::set(self.doc_mut(), &path, value) {
                    self.texts.insert(path, text);
                    self.recompute();
                }
            }
            Action::SetChannel { prefix, channel, text } => self.set_channel(&prefix, channel, &text),
            Action::SetPerYear { path, by_year } => {
                let years = self.years();
                let next = match path::get(&self.doc, &path) {
                    Some(Value::Array(items)) if !by_year => items.first().cloned(),
                    Some(v) if by_year && !v.is_array() => Some(Value::Array(vec![v.clone(); years])),
                    _ => None,
                };
                if let Some(value) = next {
                    path::set(self.doc_mut(), &path, value);
                    self.forget_texts_under(&path);
                    self.recompute();
                }
            }
            Action::SetDisposalPlan { prefix, plan } => {
                let value = match plan.as_str() {
                    "rate" => json!({"plan": "rate", "rate": "0.5"}),
                    _ => {
                        // Start from what the current result plans for year 1, so the switch is seamless.
                        let amount = self
                            .current
                            .as_ref()
                            .and_then(|c| c.projection.region.year_ends.first())
                            .map(|y| y.disposal_plan.round_dp(2).normalize().to_string())
                            .unwrap_or_else(|| "0".into());
                        json!({"plan": "amount", "amount": amount})
                    }
                };
                let path = format!("{prefix}.disposal");
                path::set(self.doc_mut(), &path, value);
                self.forget_texts_under(&path);
                self.recompute();
            }
            Action::SetPacing { prefix, kind } => {
                let path = format!("{prefix}.pacing");
                let value = match kind.as_str() {
                    "h1_share" => json!({"h1_share": "0.6"}),
                    "weights" => {
                        let weights = self
                            .current
                            .as_ref()
                            .map(|c| c.scenario.defaults.pacing.weights())
                            .unwrap_or([Decimal::ZERO; 12]);
                        // Derived weights need not sum to exactly 1 in decimal (1/12, 0.4/6): round to
                        // 0.01 percentage points and let the last month take the remainder.
                        let mut rounded: Vec<Decimal> = weights.iter().map(|w| w.round_dp(4)).collect();
                        let head: Decimal = rounded.iter().take(11).copied().sum();
                        if let Some(last) = rounded.last_mut() {
                            *last = (Decimal::ONE - head).max(Decimal::ZERO);
                        }
                        let exact: Vec<String> = rounded.iter().map(|w| w.normalize().to_string()).collect();
                        json!({"weights": exact})
                    }
                    _ => json!("even"),
                };
                path::set(self.doc_mut(), &path, value);
                self.forget_texts_under(&path);
                self.recompute();
            }
            Action::SetChoice { path, value } => {
                if path::set(self.doc_mut(), &path, value) {
                    self.texts.remove(&path);
                    self.recompute();
                }
            }
            Action::SelectYear(index) => self.year_index = index.min(self.years().saturating_sub(1)),
            Action::AddInstitution => {
                let n = self.doc.get("institutions").and_then(Value::as_array).map_or(0, Vec::len);
                let id = self.unused_id("institutions", "bank", n.saturating_add(1));
                let (name, zone) = match self.lang {
                    Lang::Zh => (format!("新机构 {}", n.saturating_add(1)), Value::Null),
                    Lang::En => (format!("New institution {}", n.saturating_add(1)), Value::Null),
                };
                self.push(
                    "institutions",
                    json!({
                        "id": id, "name": name, "kind": "other", "zone": zone,
                        "opening": {"deposits": "0", "loans": "0", "npl": "0", "provisions": "0",
                                    "tier1_capital": null, "leverage_exposure": null},
                        "drivers": {}
                    }),
                );
            }
            Action::RemoveInstitution(i) => self.remove("institutions", i),
            Action::AddEvent => {
                let first_month = self.first_month();
                let institution = self
                    .doc
                    .pointer("/institutions/0/id")
                    .cloned()
                    .unwrap_or_else(|| Value::String(String::new()));
                self.push(
                    "events",
                    json!({"month": first_month, "institution": institution, "amount": "0", "label": ""}),
                );
            }
            Action::RemoveEvent(i) => self.remove("events", i),
            Action::AddTarget => {
                let n = self.doc.get("targets").and_then(Value::as_array).map_or(0, Vec::len);
                let id = self.unused_id("targets", "target", n.saturating_add(1));
                let year = self.first_year();
                self.push("targets", json!({"id": id, "metric": "npl", "op": "le", "value": "0", "year": year, "scope": "region"}));
            }
            Action::RemoveTarget(i) => self.remove("targets", i),
            Action::SaveAs(name) => {
                let name = name.trim().to_string();
                if name.is_empty() {
                    return;
                }
                let doc = Value::clone(&self.doc);
                match Rc::make_mut(&mut self.saved).iter_mut().find(|s| s.name == name) {
                    Some(existing) => existing.doc = doc,
                    None => Rc::make_mut(&mut self.saved).push(Saved { name: name.clone(), doc }),
                }
                self.source = Source::Saved(name);
                self.recompare();
            }
            Action::SetView(view) => self.mode.view = view,
            Action::StepSaved(forward) => {
                // A sequence departs from one baseline (usually the preset): each step keeps
                // it, so each caption says what that scenario changes, unless the step lands
                // on a scenario of another plan (another name), which becomes its own baseline.
                if let Some(name) = self.next_saved(forward) {
                    let baseline = self.baseline.clone();
                    self.apply(Action::LoadSaved(name));
                    if let (Some(before), Some(now)) = (baseline, &self.current)
                        && before.scenario.name == now.scenario.name
                    {
                        self.baseline = Some(before);
                    }
                }
            }
            Action::LoadSaved(name) => {
                if let Some(saved) = self.saved.iter().find(|s| s.name == name).cloned() {
                    self.load_doc(saved.doc, Source::Saved(name));
                }
            }
            Action::DeleteSaved(name) => {
                Rc::make_mut(&mut self.saved).retain(|s| s.name != name);
                self.analyses.compared.retain(|n| *n != name);
                self.recompare();
            }
            Action::EditDocument(doc) => {
                self.doc = Rc::new(doc);
                self.texts.clear();
                self.actuals_issues.clear();
                self.recompute();
            }
            Action::SetSavedList(saved) => {
                self.saved = Rc::new(saved);
                let known: Vec<String> = self.saved.iter().map(|s| s.name.clone()).collect();
                self.analyses.compared.retain(|n| known.contains(n));
                self.recompare();
            }
            Action::ReportLoadProblem(problem) => self.load_problem = Some(problem),
            Action::Analysis(setting) => self.analyses.set(setting),
            Action::AnalysisProgress { request, version, done, total } => {
                self.analyses.progress(request, version, done, total)
            }
            Action::AnalysisDone(outcome) => self.analyses.finish(outcome),
            Action::ApplyLevers(levers) => {
                for (lever, value) in levers {
                    self.set_lever(lever, value);
                }
                self.recompute();
            }
            Action::ReportSheetIssues(issues) => self.sheet_issues = issues,
            Action::ReportActualsIssues(issues) => self.actuals_issues = issues,
            Action::AddActualsMonth => {
                let horizon = self.current.as_ref().map(|c| c.projection.months.clone()).unwrap_or_default();
                if let Some(month) = crate::actuals::next_month(&self.doc, &horizon) {
                    self.doc = Rc::new(crate::actuals::with_month(&self.doc, &month));
                    self.recompute();
                }
            }
            Action::AddAssessment => {
                let zoned = self.doc.get("institutions").and_then(Value::as_array).is_some_and(|list| {
                    list.iter()
                        .any(|i| i.get("zone").and_then(Value::as_str).is_some_and(|z| !z.trim().is_empty()))
                });
                let assessment = json!({
                    "year": self.first_year(),
                    "level": if zoned { "zone" } else { "institution" },
                    "criteria": [
                        {"metric": "npl_change", "better": "lower", "weight": "50"},
                        {"metric": "disposal_completion", "better": "higher", "weight": "30"},
                        {"metric": "loan_growth", "better": "higher", "weight": "20"}
                    ]
                });
                path::set(self.doc_mut(), "assessment", assessment);
                self.forget_texts_under("assessment");
                self.recompute();
            }
            Action::RemoveAssessment => {
                if let Some(map) = Rc::make_mut(&mut self.doc).as_object_mut() {
                    map.remove("assessment");
                }
                self.forget_texts_under("assessment");
                self.recompute();
            }
            Action::AddCriterion => {
                if let Some(list) =
                    self.doc_mut().pointer_mut("/assessment/criteria").and_then(Value::as_array_mut)
                {
                    list.push(json!({"metric": "npl", "better": "lower", "weight": "10"}));
                    self.recompute();
                }
            }
            Action::RemoveCriterion(i) => {
                if let Some(list) =
                    self.doc_mut().pointer_mut("/assessment/criteria").and_then(Value::as_array_mut)
                    && i < list.len()
                {
                    list.remove(i);
                    self.forget_texts_under("assessment.criteria");
                    self.recompute();
                }
            }
            Action::RemoveActualsMonth => {
                if !crate::actuals::months(&self.doc).is_empty() {
                    self.doc = Rc::new(crate::actuals::without_last_month(&self.doc));
                    self.forget_texts_under("actuals");
                    self.recompute();
                }
            }
            Action::ToggleCompared(name) => {
                if self.saved.iter().any(|s| s.name == name) || self.analyses.compared.contains(&name) {
                    self.analyses.toggle_compared(name);
                    self.recompare();
                }
            }
            Action::ResetToBaseline => {
                if let Some(baseline) = self.baseline.clone() {
                    self.doc = Rc::new(baseline.json().clone());
                    self.texts.clear();
                    self.recompute();
                }
            }
        }
    }

    fn load_text(&mut self, text: &str, source: Source) {
        let parsed = (text.len() <= delever_model::MAX_INPUT_BYTES)
            .then(|| serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')).ok())
            .flatten();
        match parsed {
            Some(doc) => self.load_doc(doc, source),
            // Not JSON (or too large, or empty): keep everything as it is and say why, in the
            // engine's words (line and column of a syntax error, the size limit…).
            None => {
                self.load_problem = delever_model::parse_scenario(text)
                    .err()
                    .and_then(|issues| issues.first().map(LoadProblem::from_issue))
            }
        }
    }

    fn load_doc(&mut self, doc: Value, source: Source) {
        self.doc = Rc::new(doc);
        self.source = source;
        self.texts.clear();
        self.load_problem = None;
        self.sheet_issues.clear();
        self.actuals_issues.clear();
        self.recompute();
        if let Some(pending) = &mut self.pending {
            // The baseline is set when the worker answers.
            if let Some(pending) = Rc::get_mut(pending) {
                pending.baseline = true;
            }
        } else if self.issues.is_empty() && self.sim_error.is_none() {
            self.baseline = self.current.clone();
            self.year_index = 0;
        }
    }

    /// Re-validates and, when valid, re-simulates the document.
    fn recompute(&mut self) {
        let parsed = crate::timing::span("validate", || parse_scenario_value(&self.doc));
        match parsed {
            Err(issues) => {
                self.issues = issues;
                self.sim_error = None;
            }
            Ok(scenario) => {
                self.issues.clear();
                if self.off_thread && institution_months(&scenario) >= self.off_thread_from {
                    // The worker runs it; until it answers, the last result stays, updating.
                    self.sim_error = None;
                    self.requests = self.requests.wrapping_add(1);
                    self.pending = Some(Rc::new(Pending { id: self.requests, scenario, baseline: false }));
                    return;
                }
                self.pending = None;
                let engine = &self.engine;
                let result = crate::timing::span("engine", || engine.simulate(&scenario));
                self.show(scenario, result, false);
            }
        }
        // An invalid document leaves nothing for the worker to answer.
        if !self.issues.is_empty() {
            self.pending = None;
        }
    }

    /// Shows a run's result: a new `current` (and `baseline` for a load), or why it cannot run.
    fn show(&mut self, scenario: Scenario, result: Result<Projection, SimError>, baseline: bool) {
        match result {
            Ok(projection) => {
                self.sim_error = None;
                self.current = Some(Rc::new(Loaded::new(scenario, projection)));
                self.version = self.version.wrapping_add(1);
                self.year_index = self.year_index.min(self.years().saturating_sub(1));
                if baseline {
                    self.baseline = self.current.clone();
                    self.year_index = 0;
                }
            }
            Err(err) => self.sim_error = Some(err),
        }
    }

    /// The worker's answer to request `id`: shown if it answers the pending request, dropped if
    /// a newer one superseded it. Bytes that are not a projection (the worker found it cannot
    /// run, or failed) make the page run the scenario itself, so the result, or the words of
    /// why there is none, are exactly the page's own.
    fn projected(&mut self, id: u64, bytes: &[u8]) {
        if self.pending.as_ref().is_none_or(|p| p.id != id) {
            return;
        }
        let Some(pending) = self.pending.take() else { return };
        let Pending { scenario, baseline, .. } = Rc::try_unwrap(pending).unwrap_or_else(|shared| Pending {
            id: shared.id,
            scenario: shared.scenario.clone(),
            baseline: shared.baseline,
        });
        let decoded = crate::timing::span("decode", || delever_model::wire::decode(bytes, &scenario));
        let result = match decoded {
            Ok(projection) => Ok(projection),
            Err(_) => {
                let engine = &self.engine;
                crate::timing::span("engine", || engine.simulate(&scenario))
            }
        };
        self.show(scenario, result, baseline);
    }

    /// The channel shares at `path` when they are all valid and sum to 1.
    fn channel_shares(&self, path: &str) -> Option<[Decimal; 7]> {
        path::get(&self.doc, path).and_then(Value::as_object).and_then(|map| {
            let mut shares = [Decimal::ZERO; 7];
            for (slot, name) in shares.iter_mut().zip(CHANNELS) {
                if let Some(v) = map.get(name).filter(|v| !v.is_null()) {
                    *slot = decimal_of(v).ok()?;
                }
            }
            (shares.iter().copied().sum::<Decimal>() == Decimal::ONE).then_some(shares)
        })
    }

    /// Writes channel shares at `path`, keeping `keep` even when it is zero.
    fn put_channels(&mut self, path: &str, shares: [Decimal; 7], keep: usize) {
        let mut map = serde_json::Map::new();
        for (k, (name, share)) in CHANNELS.iter().zip(shares).enumerate() {
            if !share.is_zero() || k == keep {
                map.insert((*name).to_string(), Value::String(share.normalize().to_string()));
            }
        }
        path::set(self.doc_mut(), path, Value::Object(map));
        self.forget_texts_under(path);
    }

    /// Sets one lever of the region defaults in the document, as MODEL.md's analyses move it
    /// (one value for every year); the caller recomputes. Other fields, typed text included,
    /// are left as they are.
    fn set_lever(&mut self, lever: Lever, value: Decimal) {
        let text = Value::String(value.normalize().to_string());
        let path = match lever {
            Lever::Disposal => {
                let plan = path::get(&self.doc, "defaults.disposal.plan").and_then(Value::as_str);
                if plan == Some("rate") { "defaults.disposal.rate" } else { "defaults.disposal.amount" }
            }
            Lever::WriteOffShare => {
                let path = "defaults.channels";
                let shares = self.channel_shares(path).unwrap_or_else(|| {
                    let mut only = [Decimal::ZERO; 7];
                    only[channel::COLLECTION] = Decimal::ONE;
                    only
                });
                self.put_channels(path, with_write_off(shares, value), channel::WRITE_OFF);
                return;
            }
            Lever::LoanGrowth => "defaults.loan_growth",
            Lever::DepositGrowth => "defaults.deposit_growth",
            Lever::NplFormationRate => "defaults.npl_formation_rate",
        };
        if path::set(self.doc_mut(), path, text) {
            self.forget_texts_under(path);
        }
    }

    /// Re-simulates the saved scenarios picked for comparison.
    fn recompare(&mut self) {
        self.comparison = self
            .analyses
            .compared
            .iter()
            .filter_map(|name| {
                let saved = self.saved.iter().find(|s| s.name == *name)?;
                let result = match parse_scenario_value(&saved.doc) {
                    Err(issues) => Err(issues.first().map(LoadProblem::from_issue).unwrap_or(LoadProblem {
                        zh: "情景无效".into(),
                        en: "the scenario is not valid".into(),
                    })),
                    Ok(scenario) => match Simulator::new().simulate(&scenario, Detail::RegionMonthly) {
                        Ok(projection) => Ok(Rc::new(Loaded::new(scenario, projection))),
                        Err(err) => Err(LoadProblem { zh: err.message(Lang::Zh), en: err.message(Lang::En) }),
                    },
                };
                Some(Compared { name: name.clone(), result })
            })
            .collect();
    }

    fn set_channel(&mut self, prefix: &str, channel: usize, text: &str) {
        let Some(name) = CHANNELS.get(channel) else { return };
        let path = format!("{prefix}.channels");
        let channel_path = format!("{path}.{name}");
        let value = fields::to_json(FieldKind::Percent, &channel_path, text);
        match (self.channel_shares(&path), decimal_of(&value)) {
            (Some(shares), Ok(share)) if (Decimal::ZERO..=Decimal::ONE).contains(&share) => {
                self.put_channels(&path, with_share(shares, channel, share), channel);
            }
            // The mix is already broken, or the text is not a share: store it as typed and let
            // the engine say what is wrong.
            _ => {
                path::set(self.doc_mut(), &channel_path, value);
            }
        }
        self.texts.insert(channel_path, text.to_string());
        self.recompute();
    }

    fn forget_texts_under(&mut self, prefix: &str) {
        self.texts.retain(|path, _| {
            !(path == prefix
                || path.starts_with(&format!("{prefix}."))
                || path.starts_with(&format!("{prefix}[")))
        });
    }

    fn push(&mut self, list: &str, item: Value) {
        if !self.doc.get(list).is_some_and(Value::is_array) {
            path::set(self.doc_mut(), list, Value::Array(Vec::new()));
        }
        if let Some(items) = self.doc_mut().get_mut(list).and_then(Value::as_array_mut) {
            items.push(item);
        }
        self.recompute();
    }

    fn remove(&mut self, list: &str, index: usize) {
        if let Some(items) = self.doc_mut().get_mut(list).and_then(Value::as_array_mut)
            && index < items.len()
        {
            items.remove(index);
            // Paths after the removed entry shift by one: drop typed text under the list.
            self.forget_texts_under(list);
            self.recompute();
        }
    }

    fn unused_id(&self, list: &str, stem: &str, mut n: usize) -> String {
        let taken: Vec<&str> = self
            .doc
            .get(list)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(|i| i.get("id").and_then(Value::as_str)).collect())
            .unwrap_or_default();
        loop {
            let id = format!("{stem}{n}");
            if !taken.contains(&id.as_str()) {
                return id;
            }
            n = n.saturating_add(1);
        }
    }

    fn first_year(&self) -> i32 {
        self.current.as_ref().map(|c| c.scenario.first_year()).unwrap_or(2019)
    }

    fn first_month(&self) -> String {
        format!("{:04}-01", self.first_year())
    }
}

/// A blank scenario: one institution, neutral drivers, no targets; balances are placeholders.
pub fn blank(start_year: i32) -> Value {
    json!({
        "schema": 1,
        "name": "新情景",
        "notes": "",
        "unit": "亿元",
        "start": format!("{:04}-12", start_year),
        "years": 1,
        "defaults": {
            "deposit_growth": "0",
            "loan_growth": "0",
            "loan_growth_basis": "lending",
            "npl_formation_rate": "0.01",
            "disposal": {"plan": "amount", "amount": "0"},
            "channels": {"collection": "0.5", "write_off": "0.5"},
            "pacing": "even",
            "recovery": {"transfer": "0.3", "securitization": "0.35", "debt_equity": "0.6", "foreclosure": "0.5"},
            "provisioning": {"coverage_floor": "1.5", "allowance_floor": "0.025"},
            "capital": {"pre_provision_return": "0.02", "retention": "0.7"}
        },
        "institutions": [{
            "id": "all", "name": "全辖银行业机构", "kind": "other", "zone": null,
            "opening": {"deposits": "100", "loans": "100", "npl": "1", "provisions": "2.5",
                        "tier1_capital": null, "leverage_exposure": null,
                        "illustrative": ["deposits", "loans", "npl", "provisions"]},
            "drivers": {}
        }],
        "amc": null,
        "events": [],
        "targets": []
    })
}

/// The page opened on the Licheng plan as one aggregate institution
/// ([`delever_model::presets::LICHENG_AGGREGATE`]), for tests written for one institution.
#[cfg(test)]
pub(crate) fn aggregate(lang: Lang) -> UiState {
    let mut state = UiState::new(lang);
    state.apply(Action::LoadText {
        text: delever_model::presets::LICHENG_AGGREGATE.into(),
        source: Source::Imported("licheng-2019-aggregate.json".into()),
    });
    assert!(!state.is_stale(), "{:?}", state.issues);
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page with the Licheng plan as one aggregate institution: these tests were written
    /// for one institution.
    fn licheng() -> UiState {
        aggregate(Lang::Zh)
    }

    fn year_end(state: &UiState, metric: &str) -> Decimal {
        state.current.as_ref().unwrap().projection.region.year_ends[0].get(metric).unwrap()
    }

    #[test]
    fn opens_on_licheng_with_a_result_and_a_baseline() {
        let state = UiState::new(Lang::Zh);
        assert_eq!(state.source, Source::Preset(START_PRESET.into()));
        assert!(!state.is_stale());
        assert!(state.current.is_some());
        assert_eq!(state.current, state.baseline);
        assert_eq!(state.field_text("defaults.loan_growth"), "8.5");
        assert_eq!(state.field_text("defaults.disposal.amount"), "10");
    }

    #[test]
    fn a_valid_edit_recomputes() {
        let mut state = licheng();
        let before = year_end(&state, "loans");
        let version = state.version;
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "10".into() });
        assert!(!state.is_stale());
        assert_eq!(state.version, version + 1);
        assert_eq!(state.doc["defaults"]["loan_growth"], json!("0.1"));
        assert!(year_end(&state, "loans") > before);
        // The baseline stays as loaded.
        assert_eq!(state.baseline.as_ref().unwrap().projection.region.year_ends[0].loans, before);
    }

    #[test]
    fn an_invalid_edit_keeps_the_last_result_and_the_text() {
        let mut state = licheng();
        let before = state.current.clone();
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "150".into() });
        assert!(state.is_stale());
        assert_eq!(state.current, before, "the last valid result stays");
        assert_eq!(state.field_text("defaults.loan_growth"), "150");
        assert_eq!(
            state.messages_at("defaults.loan_growth"),
            vec!["150% 超出范围；允许 -50% … 100%".to_string()]
        );
        state.apply(Action::SetLang(Lang::En));
        assert!(state.messages_at("defaults.loan_growth")[0].contains("out of range"));
        // Text that is not a number is kept as typed, and named in the message.
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "abc".into() });
        assert_eq!(state.field_text("defaults.loan_growth"), "abc");
        assert!(state.messages_at("defaults.loan_growth")[0].contains("abc"));
        // Fixing it brings the page back to life.
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        assert!(!state.is_stale());
        assert_ne!(state.current, before);
    }

    #[test]
    fn an_infeasible_scenario_is_an_error_not_a_result() {
        let mut state = licheng();
        state.apply(Action::SetField { path: "institutions[0].opening.npl".into(), text: "450".into() });
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "-50".into() });
        assert!(state.sim_error.is_some(), "{:?}", state.issues);
        assert!(state.is_stale());
    }

    #[test]
    fn moving_one_channel_rescales_the_others() {
        let mut state = licheng();
        // 20 / 50 / 30 → write-off 70: the other 30 points split 2:3.
        state.apply(Action::SetChannel { prefix: "defaults".into(), channel: 1, text: "70".into() });
        assert_eq!(state.field_text("defaults.channels.write_off"), "70");
        assert_eq!(state.field_text("defaults.channels.collection"), "12");
        assert_eq!(state.field_text("defaults.channels.transfer"), "18");
        assert!(!state.is_stale());
        assert_eq!(year_end(&state, "write_off_share"), Decimal::new(7, 1));
        // A share that is not a number is kept and reported, the mix untouched.
        state.apply(Action::SetChannel { prefix: "defaults".into(), channel: 1, text: "x".into() });
        assert!(state.is_stale());
        assert_eq!(state.field_text("defaults.channels.write_off"), "x");
    }

    #[test]
    fn per_year_values_split_and_join() {
        let mut state = licheng();
        state.apply(Action::LoadPreset("yangjiang-2016-2018".into()));
        state.apply(Action::SetPerYear { path: "defaults.loan_growth".into(), by_year: true });
        assert_eq!(state.doc["defaults"]["loan_growth"], json!(["0.12", "0.12", "0.12"]));
        state.apply(Action::SetField { path: "defaults.loan_growth[2]".into(), text: "5".into() });
        assert!(!state.is_stale());
        state.apply(Action::SetPerYear { path: "defaults.loan_growth".into(), by_year: false });
        assert_eq!(state.doc["defaults"]["loan_growth"], json!("0.12"));
    }

    #[test]
    fn plan_and_pacing_switches_stay_valid() {
        let mut state = licheng();
        state.apply(Action::SetDisposalPlan { prefix: "defaults".into(), plan: "rate".into() });
        assert!(!state.is_stale(), "{:?}", state.issues);
        state.apply(Action::SetDisposalPlan { prefix: "defaults".into(), plan: "amount".into() });
        assert!(!state.is_stale());
        for kind in ["weights", "even", "h1_share"] {
            state.apply(Action::SetPacing { prefix: "defaults".into(), kind: kind.into() });
            assert!(!state.is_stale(), "{kind}: {:?}", state.issues);
        }
    }

    #[test]
    fn institutions_events_and_targets_can_be_added_and_removed() {
        let mut state = licheng();
        state.apply(Action::AddInstitution);
        assert!(!state.is_stale(), "{:?}", state.issues);
        assert_eq!(state.current.as_ref().unwrap().scenario.institutions.len(), 2);
        state.apply(Action::SetField { path: "institutions[1].zone".into(), text: "开元街道".into() });
        assert_eq!(state.current.as_ref().unwrap().projection.zones.len(), 1);
        state.apply(Action::AddEvent);
        state.apply(Action::AddTarget);
        assert!(!state.is_stale(), "{:?}", state.issues);
        state.apply(Action::RemoveTarget(8));
        state.apply(Action::RemoveEvent(1));
        state.apply(Action::RemoveInstitution(1));
        assert!(!state.is_stale());
        assert_eq!(state.doc["institutions"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn loading_text_that_is_not_json_changes_nothing() {
        let mut state = licheng();
        let before = state.clone();
        state
            .apply(Action::LoadText { text: "{ not json".into(), source: Source::Imported("x.json".into()) });
        assert!(state.load_problem.is_some());
        assert_eq!(state.doc, before.doc);
        assert_eq!(state.current, before.current);
    }

    #[test]
    fn an_invalid_file_is_loaded_for_fixing() {
        let mut state = licheng();
        let mut doc: Value =
            serde_json::from_str(delever_model::presets::get("licheng-2019").unwrap().json).unwrap();
        doc["years"] = json!(11);
        state.apply(Action::LoadText { text: doc.to_string(), source: Source::Link });
        assert!(state.is_stale());
        assert_eq!(state.issues[0].path, "years");
        assert_eq!(state.field_text("years"), "11");
    }

    #[test]
    fn saved_scenarios_round_trip() {
        let mut state = licheng();
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        state.apply(Action::SaveAs("方案甲".into()));
        state.apply(Action::LoadPreset("chongqing-2016-2020".into()));
        state.apply(Action::LoadSaved("方案甲".into()));
        assert_eq!(state.doc["defaults"]["loan_growth"], json!("0.09"));
        assert_eq!(state.source, Source::Saved("方案甲".into()));
        state.apply(Action::DeleteSaved("方案甲".into()));
        assert!(state.saved.is_empty());
    }

    #[test]
    fn the_presentation_steps_through_the_saved_scenarios() {
        let mut state = licheng();
        assert_eq!(state.next_saved(true), None);
        for (name, growth) in [("甲", "9"), ("乙", "10"), ("丙", "11")] {
            state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: growth.into() });
            state.apply(Action::SaveAs(name.into()));
        }
        state.apply(Action::LoadPreset("licheng-2019".into()));
        assert_eq!(state.saved_position(), None);
        // (action, then shown, then position)
        let table = [
            (true, "甲", (1, 3)),
            (true, "乙", (2, 3)),
            (true, "丙", (3, 3)),
            (true, "丙", (3, 3)),
            (false, "乙", (2, 3)),
            (false, "甲", (1, 3)),
            (false, "甲", (1, 3)),
        ];
        for (forward, shown, position) in table {
            state.apply(Action::StepSaved(forward));
            assert_eq!(state.source, Source::Saved(shown.into()));
            assert_eq!(state.saved_position(), Some(position));
        }
        assert_eq!(state.doc["defaults"]["loan_growth"], json!("0.09"));
        // The preset stays the baseline all along the sequence.
        assert_eq!(
            state.baseline.as_ref().unwrap().scenario.to_json()["defaults"]["loan_growth"],
            json!("0.085")
        );
        state.apply(Action::LoadPreset("licheng-2019".into()));
        state.apply(Action::StepSaved(false));
        assert_eq!(state.source, Source::Saved("丙".into()));
        state.apply(Action::SetView(View::Present));
        assert_eq!(state.mode.view, View::Present);
    }

    #[test]
    fn blank_and_reset() {
        let mut state = licheng();
        state.apply(Action::LoadBlank { start_year: 2025 });
        assert!(!state.is_stale(), "{:?}", state.issues);
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "5".into() });
        state.apply(Action::ResetToBaseline);
        assert_eq!(state.doc["defaults"]["loan_growth"], json!("0"));
        state.apply(Action::SelectYear(5));
        assert_eq!(state.year_index, 0, "clamped to the scenario's years");
    }

    #[test]
    fn applied_levers_edit_only_their_paths_and_match_the_engine() {
        let mut state = licheng();
        // Text being typed elsewhere (invalid) is kept while a lever is applied.
        state.apply(Action::SetField { path: "defaults.deposit_growth".into(), text: "abc".into() });
        state.apply(Action::ApplyLevers(vec![(Lever::WriteOffShare, Decimal::new(6, 1))]));
        assert_eq!(state.field_text("defaults.deposit_growth"), "abc");
        assert!(state.is_stale());
        state.apply(Action::SetField { path: "defaults.deposit_growth".into(), text: "5".into() });
        assert!(!state.is_stale());
        let scenario = &state.current.as_ref().unwrap().scenario;
        assert_eq!(Lever::WriteOffShare.current(scenario), Decimal::new(6, 1));
        let shares: Decimal = scenario.defaults.channels.0.iter().copied().sum();
        assert_eq!(shares, Decimal::ONE);
        // The engine's own lever move gives the same scenario.
        let mut expected = state.baseline.as_ref().unwrap().scenario.clone();
        Lever::WriteOffShare.apply(&mut expected, Decimal::new(6, 1));
        assert_eq!(scenario.defaults.channels, expected.defaults.channels);

        for (lever, value) in [
            (Lever::Disposal, Decimal::new(125, 1)),
            (Lever::LoanGrowth, Decimal::new(8, 2)),
            (Lever::NplFormationRate, Decimal::new(3, 3)),
        ] {
            state.apply(Action::ApplyLevers(vec![(lever, value)]));
            assert_eq!(lever.current(&state.current.as_ref().unwrap().scenario), value, "{lever:?}");
        }
        assert_eq!(year_end(&state, "disposal_plan"), Decimal::new(125, 1));
    }

    #[test]
    fn analysis_answers_are_kept_only_for_their_version() {
        let mut state = licheng();
        let scenario = state.current.as_ref().unwrap().scenario.clone();
        let request = state.analyses.request(&scenario).unwrap();
        let version = state.version;
        state.apply(Action::AnalysisProgress { request: request.clone(), version, done: 1, total: 9 });
        assert!(state.analyses.running.is_some());
        let result = delever_model::goal_seek(&scenario, Lever::WriteOffShare, &[]).unwrap();
        state.apply(Action::AnalysisDone(Outcome {
            request: request.clone(),
            version,
            result: Ok(Rc::new(crate::analyses::Answers::new(vec![
                delever_model::analysis::Analysis::GoalSeek(result),
            ]))),
        }));
        assert!(state.analyses.fresh(Some(&request), state.version).is_some());
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "3".into() });
        assert!(state.analyses.fresh(Some(&request), state.version).is_none());
    }

    #[test]
    fn compared_scenarios_are_simulated_and_follow_the_saved_list() {
        let mut state = licheng();
        state.apply(Action::SaveAs("A".into()));
        state.apply(Action::SetField { path: "defaults.loan_growth".into(), text: "9".into() });
        state.apply(Action::SaveAs("B".into()));
        state.apply(Action::ToggleCompared("A".into()));
        state.apply(Action::ToggleCompared("B".into()));
        state.apply(Action::ToggleCompared("nobody".into()));
        let names: Vec<&str> = state.comparison.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        let loans = |c: &Compared| c.result.as_ref().unwrap().projection.region.year_ends[0].get("loans");
        assert!(loans(&state.comparison[1]) > loans(&state.comparison[0]));
        state.apply(Action::DeleteSaved("A".into()));
        assert_eq!(state.comparison.len(), 1);
        assert_eq!(state.analyses.compared, ["B"]);
    }
}

//! Actuals import: a sheet (or pasted text) of reported months → the scenario with its `actuals` replaced, or every problem by sheet, row and column.
//!
//! The same three passes as the institutions import, reported together: the header row,
//! each row's cells (months, ids, exact amounts, the disposal as a total or by channel),
//! then the engine's validation of the whole new scenario, whose issues at `actuals[i].…`
//! are mapped back to row and column (a row map keeps which sheet row made entry `i`). A
//! structural problem (a missing or unknown column, too many rows) stops before the rows.

use std::collections::{HashMap, HashSet};

use delever_model::scenario::{Actual, YearMonth};
use delever_model::{Issue, Lang, Problem, parse_scenario};
use serde_json::{Map, Value};

use crate::actuals::columns::{
    ACTUAL_COLUMNS, ACTUALS_SHEET, ActualField, PASTE_SHEET, actual_column, channel_columns,
    find_actual_column,
};
use crate::columns::{ColumnKind, column_letters, normalize_header};
use crate::grid::{self, Cell, Grid, Wanted, cell_ref};
use crate::import::{cap, decimal_of_f64, read_cell, scenario_document, shown, title_lines_of};
use crate::issue::{ActualsProblem, SheetIssue, SheetProblem};
use crate::limits::{MAX_ACTUAL_ROWS, MAX_COLUMNS};

/// The sheet an actuals workbook is read from, and how many rows it may have.
const WANTED: Wanted = Wanted { sheet: ACTUALS_SHEET, max_rows: MAX_ACTUAL_ROWS };

/// Replaces the `actuals` of `scenario_json` by the rows of the file, or lists every problem.
///
/// `file_name` decides the format (`.xlsx`/`.xlsm` or `.csv`). An .xlsx is read from its sheet
/// named 实际数据 or Actuals, else its first visible sheet. The file is the whole set of
/// reports: every row of it, and nothing else, becomes the scenario's `actuals` (in the
/// engine's canonical form, in the file's order); the rest of the scenario is kept as it is.
/// The result (pretty JSON) is returned only when the engine accepts the new scenario;
/// otherwise every problem is returned, those of the file by sheet, row and column (an
/// unknown institution, a duplicate row, a month missing from the run included), those of
/// the rest of the scenario with their JSON path.
pub fn import_actuals(scenario_json: &str, bytes: &[u8], file_name: &str) -> Result<String, Vec<SheetIssue>> {
    let doc = scenario_document(scenario_json)?;
    let grid = grid::read_wanted(bytes, file_name, WANTED).map_err(|issue| vec![reworded(issue)])?;
    import_grid(doc, &grid)
}

/// [`import_actuals`] for text pasted from a spreadsheet: tab-separated rows as Excel copies
/// them (comma-separated when the first line has no tab), the first row the header. Issues
/// name the "sheet" 粘贴内容 ([`PASTE_SHEET`]); rows are the text's lines, 1-based.
pub fn import_actuals_text(scenario_json: &str, text: &str) -> Result<String, Vec<SheetIssue>> {
    let doc = scenario_document(scenario_json)?;
    let grid = grid::read_pasted(text, PASTE_SHEET.0, MAX_ACTUAL_ROWS).map_err(|issue| {
        // Nothing pasted is an empty "sheet", not an empty file.
        let issue = match issue.problem {
            SheetProblem::EmptyFile => SheetIssue {
                sheet: PASTE_SHEET.0.to_string(),
                problem: SheetProblem::Actuals(ActualsProblem::EmptySheet),
                ..issue
            },
            _ => reworded(issue),
        };
        vec![issue]
    })?;
    import_grid(doc, &grid)
}

/// A reading problem said for an actuals file where the institutions' words would mislead.
fn reworded(mut issue: SheetIssue) -> SheetIssue {
    issue.problem = match issue.problem {
        SheetProblem::EmptyFile => SheetProblem::Actuals(ActualsProblem::EmptyFile),
        SheetProblem::NoWorksheet => SheetProblem::Actuals(ActualsProblem::NoWorksheet),
        SheetProblem::UnpackedTooLarge { bytes, max } => {
            SheetProblem::Actuals(ActualsProblem::UnpackedTooLarge { bytes, max })
        }
        other => other,
    };
    issue
}

/// The rows of `grid` as the scenario's `actuals`, validated by the engine.
fn import_grid(mut doc: Value, grid: &Grid) -> Result<String, Vec<SheetIssue>> {
    let mut import = Import::new(grid);
    let Some(table) = import.table() else {
        return Err(cap(import.issues));
    };
    let actuals = import.rows(&table);
    let Some(map) = doc.as_object_mut() else {
        return Err(vec![SheetIssue::file(SheetProblem::Scenario {
            issue: Issue::new("", Problem::WrongType { expected: delever_model::error::Expected::Object }),
        })]);
    };
    map.insert("actuals".into(), Value::Array(actuals));
    // Through the engine's text entry point, so that its size limit holds as for any file.
    match parse_scenario(&doc.to_string()) {
        Ok(scenario) if import.issues.is_empty() => {
            let canonical = scenario.actuals.iter().map(Actual::to_json).collect();
            if let Some(map) = doc.as_object_mut() {
                map.insert("actuals".into(), Value::Array(canonical));
            }
            serde_json::to_string_pretty(&doc)
                .map_err(|err| vec![SheetIssue::file(SheetProblem::NotWorkbook { detail: err.to_string() })])
        }
        Ok(_) => Err(cap(import.issues)),
        Err(engine_issues) => {
            for issue in engine_issues {
                import.engine_issue(issue, &table);
            }
            Err(cap(import.issues))
        }
    }
}

/// Which template column each sheet column is.
struct Table {
    /// Zero-based sheet column → template column index.
    columns: HashMap<u32, usize>,
    /// Template column index → (sheet column, header text as written).
    headers: HashMap<usize, (u32, String)>,
    /// The language most headers are written in, for naming a column the sheet does not have.
    lang: Lang,
}

impl Table {
    /// The sheet column and header of a template column; for a column the sheet lacks, no
    /// sheet column and the template's header.
    fn place(&self, template: usize) -> (Option<u32>, String) {
        match self.headers.get(&template) {
            Some((column, header)) => (Some(*column), header.clone()),
            None => (
                None,
                ACTUAL_COLUMNS.get(template).map(|c| c.header(self.lang).to_string()).unwrap_or_default(),
            ),
        }
    }

    fn has(&self, template: usize) -> bool {
        self.headers.contains_key(&template)
    }
}

/// One data row as read: entry `i` of the new `actuals` came from `rows[i]`.
struct Row {
    /// Zero-based sheet row.
    row: u32,
    /// Template columns whose cells are filled.
    filled: HashSet<usize>,
    /// The row's institution and month, when both could be read.
    institution: Option<String>,
    month: Option<YearMonth>,
}

struct Import<'a> {
    grid: &'a Grid,
    /// Index in `grid.rows` of the header row (title lines above it are skipped).
    header: usize,
    issues: Vec<SheetIssue>,
    rows: Vec<Row>,
    /// (index in `rows`, template column) of cells already reported, so that the engine's
    /// "missing" for a value that could not be read is not said twice.
    flagged: HashSet<(usize, usize)>,
}

impl<'a> Import<'a> {
    fn new(grid: &'a Grid) -> Import<'a> {
        let header = title_lines_of(&grid.rows, |text| find_actual_column(text).is_some());
        Import { grid, header, issues: Vec::new(), rows: Vec::new(), flagged: HashSet::new() }
    }

    /// At zero-based `row`, in a column the sheet may not have (then no cell).
    fn at(&self, row: u32, (column, header): (Option<u32>, String), problem: SheetProblem) -> SheetIssue {
        SheetIssue {
            sheet: self.grid.sheet.clone(),
            row: Some(row.saturating_add(1)),
            column: header,
            cell: column.map(|column| cell_ref(row, column)),
            problem,
        }
    }

    /// The sheet as a whole, or (with `row`) a whole row.
    fn sheet_issue(&self, row: Option<u32>, problem: SheetProblem) -> SheetIssue {
        SheetIssue {
            sheet: self.grid.sheet.clone(),
            row: row.map(|row| row.saturating_add(1)),
            column: String::new(),
            cell: None,
            problem,
        }
    }

    /// Reads the header row and checks the sheet's shape; `None` when the rows cannot be read.
    fn table(&mut self) -> Option<Table> {
        let grid = self.grid;
        for &(first_row, first_column, last_row, last_column) in &grid.merged {
            let range = format!("{}:{}", cell_ref(first_row, first_column), cell_ref(last_row, last_column));
            let issue = self.at(
                first_row,
                (Some(first_column), String::new()),
                SheetProblem::Actuals(ActualsProblem::Merged { range }),
            );
            self.issues.push(issue);
        }
        if let Some((row, column)) = grid.beyond_columns {
            let issue = self.at(
                row,
                (Some(column), String::new()),
                SheetProblem::TooManyColumns { max: MAX_COLUMNS },
            );
            self.issues.push(issue);
        }
        let Some((header_row, header_cells)) = grid.rows.get(self.header) else {
            let issue = self.sheet_issue(None, SheetProblem::Actuals(ActualsProblem::EmptySheet));
            self.issues.push(issue);
            return None;
        };
        let data_rows =
            grid.rows.len().saturating_sub(self.header.saturating_add(1)).saturating_add(grid.more_rows);
        if data_rows > MAX_ACTUAL_ROWS {
            let problem = ActualsProblem::TooManyRows { got: data_rows, max: MAX_ACTUAL_ROWS };
            let issue = self.sheet_issue(None, SheetProblem::Actuals(problem));
            self.issues.push(issue);
            return None;
        }
        let mut table = Table { columns: HashMap::new(), headers: HashMap::new(), lang: Lang::Zh };
        let mut english = 0_usize;
        let mut structural = !self.issues.is_empty();
        for (column, cell) in header_cells {
            let text = shown(cell);
            let Some(index) = find_actual_column(&text) else {
                structural = true;
                let problem = ActualsProblem::UnknownColumn { got: text.clone() };
                let issue = self.at(*header_row, (Some(*column), text), SheetProblem::Actuals(problem));
                self.issues.push(issue);
                continue;
            };
            if normalize_header(&text) != normalize_header(ACTUAL_COLUMNS[index].zh) {
                english = english.saturating_add(1);
            }
            if let Some((first, _)) = table.headers.get(&index) {
                structural = true;
                let first = column_letters(*first);
                let issue =
                    self.at(*header_row, (Some(*column), text), SheetProblem::DuplicateColumn { first });
                self.issues.push(issue);
            } else {
                table.headers.insert(index, (*column, text));
                table.columns.insert(*column, index);
            }
        }
        if english.saturating_mul(2) > table.headers.len() {
            table.lang = Lang::En;
        }
        for (index, spec) in ACTUAL_COLUMNS.iter().enumerate() {
            if spec.required && !table.has(index) {
                structural = true;
                let problem = SheetProblem::MissingColumn { zh: spec.zh, en: spec.en };
                let issue = self.sheet_issue(Some(*header_row), problem);
                self.issues.push(issue);
            }
        }
        let disposal_columns = actual_column(ActualField::DisposalTotal).into_iter().chain(channel_columns());
        if !disposal_columns.into_iter().any(|i| table.has(i)) {
            structural = true;
            let issue =
                self.sheet_issue(Some(*header_row), SheetProblem::Actuals(ActualsProblem::NoDisposalColumn));
            self.issues.push(issue);
        }
        // A value under no header: reported once per column, at its first cell.
        let header_columns: HashSet<u32> = header_cells.iter().map(|(column, _)| *column).collect();
        let mut reported = HashSet::new();
        for (row, cells) in grid.rows.iter().skip(self.header.saturating_add(1)) {
            for (column, _) in cells {
                if !header_columns.contains(column) && reported.insert(*column) {
                    structural = true;
                    let letter = column_letters(*column);
                    let issue = self.at(*row, (Some(*column), letter), SheetProblem::ValueWithoutHeader);
                    self.issues.push(issue);
                }
            }
        }
        if grid.rows.len() < self.header.saturating_add(2) && !structural {
            let issue = self.sheet_issue(Some(*header_row), SheetProblem::Actuals(ActualsProblem::NoRows));
            self.issues.push(issue);
            return None;
        }
        (!structural).then_some(table)
    }

    /// Reads every data row into the `actuals` entry the engine validates.
    fn rows(&mut self, table: &Table) -> Vec<Value> {
        let grid = self.grid;
        let mut out = Vec::with_capacity(grid.rows.len().saturating_sub(self.header.saturating_add(1)));
        // (institution, month) → 1-based row of its first entry.
        let mut seen: HashMap<(String, YearMonth), u32> = HashMap::new();
        for (row, cells) in grid.rows.iter().skip(self.header.saturating_add(1)) {
            let index = self.rows.len();
            let mut by_column: HashMap<usize, &Cell> = HashMap::new();
            for (column, cell) in cells {
                if let Some(&template) = table.columns.get(column) {
                    by_column.insert(template, cell);
                }
            }
            let filled: HashSet<usize> = by_column.keys().copied().collect();
            self.rows.push(Row { row: *row, filled, institution: None, month: None });
            let mut reader = RowReader { import: self, table, index, row: *row, cells: &by_column };
            let (entry, institution, month) = reader.entry();
            if let (Some(institution), Some(month)) = (&institution, month) {
                let key = (institution.clone(), month);
                match seen.get(&key) {
                    Some(&first_row) => {
                        let problem = ActualsProblem::DuplicateRow {
                            institution: institution.clone(),
                            month: month.to_string(),
                            first_row,
                        };
                        let month_column = actual_column(ActualField::Month).unwrap_or(0);
                        let issue = self.at(*row, table.place(month_column), SheetProblem::Actuals(problem));
                        self.issues.push(issue);
                        // The engine says the same; once is enough.
                        self.flagged.insert((index, month_column));
                    }
                    None => {
                        seen.insert(key, row.saturating_add(1));
                    }
                }
            }
            if let Some(slot) = self.rows.get_mut(index) {
                slot.institution = institution;
                slot.month = month;
            }
            out.push(Value::Object(entry));
        }
        out
    }

    /// Maps one of the engine's issues back to the sheet.
    fn engine_issue(&mut self, issue: Issue, table: &Table) {
        let Some(rest) = issue.path.strip_prefix("actuals") else {
            self.issues.push(SheetIssue::file(SheetProblem::Scenario { issue }));
            return;
        };
        let located = rest
            .strip_prefix('[')
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field.trim_start_matches('.'))));
        let Some((i, field)) = located else {
            self.whole_actuals_issue(issue.problem, table);
            return;
        };
        let Some(row) = self.rows.get(i) else {
            self.issues.push(SheetIssue::file(SheetProblem::Scenario { issue }));
            return;
        };
        let row_number = row.row;
        match column_of_path(field, &issue.problem, row, table) {
            Some(template) => {
                if self.flagged.contains(&(i, template)) {
                    return;
                }
                let problem = SheetProblem::Engine { problem: issue.problem, rate: false };
                let located = self.at(row_number, table.place(template), problem);
                self.issues.push(located);
            }
            None => {
                let problem = SheetProblem::Engine { problem: issue.problem, rate: false };
                let located = self.sheet_issue(Some(row_number), problem);
                self.issues.push(located);
            }
        }
    }

    /// An issue of `actuals` as a whole: a month missing from an institution's run is put on
    /// the month cell of the institution's first row after the gap (or its last row, when it
    /// stops early); an institution with no rows at all, on the sheet.
    fn whole_actuals_issue(&mut self, problem: Problem, table: &Table) {
        let place = match &problem {
            Problem::ActualsMissingMonth { institution, month } => {
                let missing = YearMonth::parse(month);
                let own: Vec<(YearMonth, u32)> = self
                    .rows
                    .iter()
                    .filter(|row| row.institution.as_deref() == Some(institution.as_str()))
                    .filter_map(|row| Some((row.month?, row.row)))
                    .collect();
                let after = own.iter().filter(|(m, _)| missing.is_some_and(|missing| *m > missing)).min();
                after.or_else(|| own.iter().max()).map(|(_, row)| *row)
            }
            _ => None,
        };
        let problem = SheetProblem::Engine { problem, rate: false };
        let issue = match place {
            Some(row) => {
                let month_column = actual_column(ActualField::Month).unwrap_or(0);
                self.at(row, table.place(month_column), problem)
            }
            None => self.sheet_issue(None, problem),
        };
        self.issues.push(issue);
    }
}

/// The template column of a JSON path inside one `actuals` entry (`npl`, `disposal`,
/// `disposal.write_off`, or the entry itself for a problem of two fields). `None`: the whole row.
fn column_of_path(field: &str, problem: &Problem, row: &Row, table: &Table) -> Option<usize> {
    let by = |f: ActualField| actual_column(f);
    match field {
        "" => match problem {
            // Capital given without its pair: the one left blank.
            Problem::CapitalPair => {
                let tier1 = by(ActualField::Tier1Capital)?;
                let exposure = by(ActualField::LeverageExposure)?;
                Some(if row.filled.contains(&tier1) { exposure } else { tier1 })
            }
            Problem::DuplicateActual { .. } => by(ActualField::Month),
            _ => None,
        },
        "disposal" => disposal_column(row, table),
        _ => {
            let top = field.split(['.', '[']).next().unwrap_or(field);
            ACTUAL_COLUMNS
                .iter()
                .position(|column| column.path() == field)
                .or_else(|| ACTUAL_COLUMNS.iter().position(|column| column.path() == top))
                .or_else(|| (top == "disposal").then(|| disposal_column(row, table)).flatten())
        }
    }
}

/// Where a row's disposal is: its total when filled, else its first filled channel, else
/// the total column (or the first channel column) the sheet has.
fn disposal_column(row: &Row, table: &Table) -> Option<usize> {
    let total = actual_column(ActualField::DisposalTotal);
    let channels: Vec<usize> = channel_columns().collect();
    let filled = total.iter().chain(&channels).find(|i| row.filled.contains(i));
    let present = || total.iter().chain(&channels).find(|i| table.has(**i));
    filled.or_else(present).copied().or(total)
}

/// Reads the cells of one row.
struct RowReader<'i, 'a> {
    import: &'i mut Import<'a>,
    table: &'i Table,
    index: usize,
    row: u32,
    cells: &'i HashMap<usize, &'a Cell>,
}

impl RowReader<'_, '_> {
    /// The entry's JSON, with its institution and month when they could be read; blank
    /// optional cells are left out, unreadable cells are reported and left out.
    fn entry(&mut self) -> (Map<String, Value>, Option<String>, Option<YearMonth>) {
        let mut entry = Map::new();
        let mut institution = None;
        let mut month = None;
        for (template, spec) in ACTUAL_COLUMNS.iter().enumerate() {
            match spec.field {
                ActualField::DisposalTotal | ActualField::Channel(_) => continue,
                ActualField::Month => {
                    if let Some(read) = self.month(template) {
                        entry.insert(spec.code.into(), Value::String(read.to_string()));
                        month = Some(read);
                    }
                }
                ActualField::Institution => {
                    if let Some(value) = self.value(template, ColumnKind::Id) {
                        institution = value.as_str().map(str::to_string);
                        entry.insert(spec.code.into(), value);
                    }
                }
                _ => {
                    if let Some(value) = self.value(template, ColumnKind::Amount) {
                        entry.insert(spec.code.into(), value);
                    }
                }
            }
            // `disposal` in its place, between the stocks and the optional fields.
            if spec.field == ActualField::Npl
                && let Some(disposal) = self.disposal()
            {
                entry.insert("disposal".into(), disposal);
            }
        }
        (entry, institution, month)
    }

    fn report(&mut self, template: usize, problem: SheetProblem) {
        let issue = self.import.at(self.row, self.table.place(template), problem);
        self.import.issues.push(issue);
        self.import.flagged.insert((self.index, template));
    }

    /// The JSON value of a filled cell; `None` when blank (a required one is reported) or unreadable (reported).
    fn value(&mut self, template: usize, kind: ColumnKind) -> Option<Value> {
        let Some(&cell) = self.cells.get(&template) else {
            if ACTUAL_COLUMNS[template].required {
                self.report(template, SheetProblem::Required);
            }
            return None;
        };
        match read_cell(kind, cell) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.report(template, problem);
                None
            }
        }
    }

    /// The month of the row; `None` when blank or unreadable (reported).
    fn month(&mut self, template: usize) -> Option<YearMonth> {
        let Some(&cell) = self.cells.get(&template) else {
            self.report(template, SheetProblem::Required);
            return None;
        };
        match month_of_cell(cell) {
            Ok(month) => Some(month),
            Err(problem) => {
                self.report(template, problem);
                None
            }
        }
    }

    /// `disposal`: the total, or the filled channels (a blank channel is 0); `None` when the
    /// row has neither or both (reported) or the total is unreadable (reported).
    fn disposal(&mut self) -> Option<Value> {
        let total = actual_column(ActualField::DisposalTotal)?;
        let channels: Vec<usize> = channel_columns().filter(|i| self.cells.contains_key(i)).collect();
        let has_total = self.cells.contains_key(&total);
        if has_total && !channels.is_empty() {
            let problem = ActualsProblem::BothDisposal {
                total: self.table.place(total).1,
                channels: channels.iter().map(|&i| self.table.place(i).1).collect(),
            };
            self.report(total, SheetProblem::Actuals(problem));
            for channel in channels {
                self.import.flagged.insert((self.index, channel));
            }
            return None;
        }
        if has_total {
            return self.value(total, ColumnKind::Amount);
        }
        if channels.is_empty() {
            let row = self.import.rows.get(self.index);
            let place = row.and_then(|row| disposal_column(row, self.table)).unwrap_or(total);
            self.report(place, SheetProblem::Actuals(ActualsProblem::DisposalRequired));
            return None;
        }
        let mut map = Map::new();
        for template in channels {
            if let Some(value) = self.value(template, ColumnKind::Amount) {
                map.insert(ACTUAL_COLUMNS[template].code.into(), value);
            }
        }
        Some(Value::Object(map))
    }
}

/// A month cell: text such as `2019-01`, `2019/1`, `2019.1`, `2019年1月`, `201901`, or a
/// date (`2019-01-31`, `2019/1/31`, `2019年1月31日`, with a time after it, or a date cell):
/// its year and month.
pub fn month_of_cell(cell: &Cell) -> Result<YearMonth, SheetProblem> {
    let not_month = |got: String| SheetProblem::Actuals(ActualsProblem::NotMonth { got });
    match cell {
        Cell::Text(text) | Cell::Date(text) => parse_month(text).ok_or_else(|| not_month(text.trim().into())),
        // A number: only `201901` (YYYYMM) reads as a month; `2019.01` is 2019.1 to Excel.
        Cell::Int(i) => month_of_number(i.to_string()).ok_or_else(|| not_month(i.to_string())),
        Cell::Number(f) => {
            let shown = shown(cell);
            let integral = decimal_of_f64(*f).is_some_and(|d| d.fract().is_zero());
            integral.then(|| month_of_number(shown.clone())).flatten().ok_or_else(|| not_month(shown))
        }
        Cell::Empty => Err(SheetProblem::Required),
        Cell::Bool(b) => Err(SheetProblem::Boolean { got: *b }),
        Cell::Error(code) => Err(SheetProblem::CellError { code: code.clone() }),
        Cell::FormulaWithoutValue(formula) => {
            Err(SheetProblem::FormulaWithoutValue { formula: formula.clone() })
        }
    }
}

fn month_of_number(digits: String) -> Option<YearMonth> {
    (digits.len() == 6).then(|| parse_month(&digits)).flatten()
}

/// The year and month a text names (see [`month_of_cell`]); full-width digits are read too.
pub fn parse_month(text: &str) -> Option<YearMonth> {
    let text: String = text
        .trim()
        .chars()
        .map(|c| match c {
            // Full-width digits and separators (０–９, －, ．, ／) as their ASCII forms.
            '０'..='９' | '－' | '．' | '／' => {
                char::from_u32(u32::from(c).saturating_sub(0xFEE0)).unwrap_or(c)
            }
            other => other,
        })
        .collect();
    let date = if text.contains('年') {
        // `2019年1月`, `2019 年 1 月`, `2019年1月31日` → `2019-1`, `2019-1-31`.
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let compact = match compact.strip_suffix(['日', '号']) {
            Some(day) if day.contains('月') => day.to_string(),
            Some(_) => return None,
            None => compact.strip_suffix('月')?.to_string(),
        };
        compact.replace(['年', '月'], "-")
    } else {
        // A time after a date (`2019-01-31 00:00:00`, `2019-01-31T00:00:00`) says nothing of the month.
        text.split([' ', 'T']).next().unwrap_or("").to_string()
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let (year, month) = if digits(&date) && date.len() == 6 {
        date.split_at(4)
    } else {
        let separator = ['-', '/', '.'].into_iter().find(|s| date.contains(*s))?;
        let parts: Vec<&str> = date.split(separator).collect();
        match parts.as_slice() {
            [year, month] => (*year, *month),
            [year, month, day]
                if digits(day)
                    && day.len() <= 2
                    && day.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)) =>
            {
                (*year, *month)
            }
            _ => return None,
        }
    };
    if year.len() != 4 || !digits(year) || !digits(month) || month.len() > 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    (1..=12).contains(&month).then_some(YearMonth { year, month })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn month(text: &str, expected: Option<&str>) {
        assert_eq!(parse_month(text).map(|m| m.to_string()).as_deref(), expected, "{text}");
    }

    #[test]
    fn months_in_every_common_spelling() {
        month("2019-01", Some("2019-01"));
        month("2019-1", Some("2019-01"));
        month(" 2019/1 ", Some("2019-01"));
        month("2019/12", Some("2019-12"));
        month("2019.3", Some("2019-03"));
        month("2019年1月", Some("2019-01"));
        month("2019 年 11 月", Some("2019-11"));
        month("２０１９年３月", Some("2019-03"));
        month("201905", Some("2019-05"));
        month("2019-01-31", Some("2019-01"));
        month("2019/1/31", Some("2019-01"));
        month("2019-01-31 00:00:00", Some("2019-01"));
        month("2019-01-31T00:00:00", Some("2019-01"));
        month("2019年1月31日", Some("2019-01"));
        month("2019-13", None);
        month("2019-0", None);
        month("19-01", None);
        month("2019", None);
        month("2019-01-32", None);
        month("2019年", None);
        month("一月", None);
        month("", None);
        month("2019-1-1-1", None);
    }

    #[test]
    fn month_cells() {
        let ok = |cell: Cell| month_of_cell(&cell).map(|m| m.to_string()).ok();
        assert_eq!(ok(Cell::Int(201902)).as_deref(), Some("2019-02"));
        assert_eq!(ok(Cell::Number(201902.0)).as_deref(), Some("2019-02"));
        assert_eq!(ok(Cell::Date("2019-02-28".into())).as_deref(), Some("2019-02"));
        assert_eq!(ok(Cell::Number(2019.01)), None);
        assert_eq!(ok(Cell::Int(43496)), None);
        assert!(matches!(
            month_of_cell(&Cell::Number(2019.1)),
            Err(SheetProblem::Actuals(ActualsProblem::NotMonth { got })) if got == "2019.1"
        ));
        assert!(matches!(month_of_cell(&Cell::Date("08:30:00".into())), Err(SheetProblem::Actuals(_))));
        assert!(matches!(month_of_cell(&Cell::Bool(true)), Err(SheetProblem::Boolean { got: true })));
    }
}

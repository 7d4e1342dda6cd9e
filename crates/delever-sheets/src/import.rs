//! Import: a sheet laid out as the template → the scenario with its institutions replaced, or every problem by sheet, row and column.
//!
//! Three passes, all reported together: the header row (which column is which), then
//! each row's cells (types, units, lists), then the engine's own validation of the whole
//! new scenario, whose issues at `institutions[k].…` are mapped back to row and column.
//! A structural problem (a missing or unknown column, too many rows) stops before the
//! rows are read, so that one typo in a header does not bury the sheet in messages.

use std::collections::{HashMap, HashSet};

use delever_model::num::fmt_decimal;
use delever_model::scenario::Institution;
use delever_model::validate::parse_decimal_text;
use delever_model::{Issue, Lang, Problem, parse_scenario, parse_scenario_value};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::columns::{
    BASES, COLUMNS, ColumnKind, Group, KINDS, find_column, is_even_word, is_none_word, parse_basis,
    parse_kind,
};
use crate::grid::{self, Cell, Grid, cell_ref};
use crate::issue::{SheetIssue, SheetProblem};
use crate::limits::{MAX_ISSUES, MAX_ROWS};

/// Replaces the institutions of `scenario_json` by those of the file, or lists every problem.
///
/// `file_name` decides the format (`.xlsx`/`.xlsm` or `.csv`; anything else is an issue).
/// The rest of the scenario is kept as it is; the new institutions are written in the
/// engine's canonical form. The result is the whole new scenario file (pretty JSON), and it
/// is returned only when the engine accepts it; otherwise every problem is returned, those
/// of the file located by sheet, row and column, those of the rest of the scenario (a
/// target naming an institution the file no longer has, say) with their JSON path.
pub fn import_institutions(
    scenario_json: &str,
    bytes: &[u8],
    file_name: &str,
) -> Result<String, Vec<SheetIssue>> {
    let mut doc = scenario_document(scenario_json)?;
    let grid = grid::read(bytes, file_name).map_err(|issue| vec![issue])?;
    let defaults = doc.get("defaults").cloned().unwrap_or(Value::Null);
    let mut import = Import::new(&grid, &defaults);
    let table = import.table();
    let Some(table) = table else {
        return Err(cap(import.issues));
    };
    let institutions = import.rows(&table);
    if !import.issues.is_empty() && import.rows.is_empty() {
        return Err(cap(import.issues));
    }
    let Some(map) = doc.as_object_mut() else {
        return Err(vec![SheetIssue::file(SheetProblem::Scenario {
            issue: Issue::new("", Problem::WrongType { expected: delever_model::error::Expected::Object }),
        })]);
    };
    map.insert("institutions".into(), Value::Array(institutions));
    match parse_scenario_value(&doc) {
        Ok(scenario) if import.issues.is_empty() => {
            let list = scenario.institutions.iter().map(Institution::to_json).collect();
            if let Some(map) = doc.as_object_mut() {
                map.insert("institutions".into(), Value::Array(list));
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

/// The current scenario as a JSON object, or its problems in the engine's words.
pub(crate) fn scenario_document(text: &str) -> Result<Value, Vec<SheetIssue>> {
    let plain = |issues: Vec<Issue>| {
        issues.into_iter().map(|issue| SheetIssue::file(SheetProblem::Scenario { issue })).collect::<Vec<_>>()
    };
    let trimmed = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Value>(trimmed) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(plain(vec![Issue::new(
            "",
            Problem::WrongType { expected: delever_model::error::Expected::Object },
        )])),
        // The engine words syntax errors (line, column) and the size limit.
        Err(_) => Err(plain(parse_scenario(text).err().unwrap_or_default())),
    }
}

/// Puts the problems in reading order (the file's, then row by row and left to right, then
/// the rest of the scenario's), keeps the first [`MAX_ISSUES`] and says how many more there were.
pub(crate) fn cap(mut issues: Vec<SheetIssue>) -> Vec<SheetIssue> {
    issues.sort_by_key(|issue| {
        let scenario = matches!(issue.problem, SheetProblem::Scenario { .. });
        let column = issue.cell.as_deref().map_or(0, column_number);
        (scenario, issue.row.unwrap_or(0), column)
    });
    if issues.len() > MAX_ISSUES {
        let more = issues.len().saturating_sub(MAX_ISSUES);
        issues.truncate(MAX_ISSUES);
        issues.push(SheetIssue::file(SheetProblem::More { count: more }));
    }
    issues
}

/// How many title lines to skip above the header row: up to three leading rows that hold a
/// single cell naming no column (a title such as “鲤城区银行业机构 2018 年末数据”, or a note).
fn title_lines(rows: &[(u32, Vec<(u32, Cell)>)]) -> usize {
    title_lines_of(rows, |header| find_column(header).is_some())
}

/// [`title_lines`] for any set of columns: `names_a_column` tells a header from a title.
pub(crate) fn title_lines_of(
    rows: &[(u32, Vec<(u32, Cell)>)],
    names_a_column: impl Fn(&str) -> bool,
) -> usize {
    let mut skipped = 0_usize;
    while skipped < 3 && skipped.saturating_add(1) < rows.len() {
        let title = match rows.get(skipped) {
            Some((_, cells)) => match cells.as_slice() {
                [(_, cell)] => !names_a_column(&shown(cell)),
                _ => false,
            },
            None => false,
        };
        if !title {
            break;
        }
        skipped = skipped.saturating_add(1);
    }
    skipped
}

/// A cell as text for a header or a message: `TRUE`, `=A1+1`, `#N/A`, a number as Excel shows it.
pub(crate) fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text.trim().to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Number(f) => number_text(*f),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Date(text) | Cell::Error(text) => text.clone(),
        Cell::FormulaWithoutValue(formula) => format!("={formula}"),
    }
}

/// The 1-based column number of a cell reference (`C2` → 3), for sorting.
fn column_number(cell: &str) -> u64 {
    cell.bytes().take_while(u8::is_ascii_uppercase).fold(0_u64, |n, b| {
        n.saturating_mul(26).saturating_add(u64::from(b.saturating_sub(b'A')).saturating_add(1))
    })
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
    /// The sheet column and header of a template column; for a column the sheet lacks
    /// (capital given without its pair, say), no sheet column and the template's header.
    fn place(&self, template: usize) -> (Option<u32>, String) {
        match self.headers.get(&template) {
            Some((column, header)) => (Some(*column), header.clone()),
            None => {
                (None, COLUMNS.get(template).map(|c| c.header(self.lang).to_string()).unwrap_or_default())
            }
        }
    }
}

/// One institution row as read.
struct Row {
    /// Zero-based sheet row.
    row: u32,
    /// Template columns whose cells are filled.
    filled: HashSet<usize>,
}

struct Import<'a> {
    grid: &'a Grid,
    /// Index in `grid.rows` of the header row (title lines above it are skipped).
    header: usize,
    defaults: &'a Value,
    issues: Vec<SheetIssue>,
    rows: Vec<Row>,
    /// (index in `rows`, template column) of cells already reported, so that the engine's
    /// "missing" for a value that could not be read is not said twice.
    flagged: HashSet<(usize, usize)>,
}

impl<'a> Import<'a> {
    fn new(grid: &'a Grid, defaults: &'a Value) -> Import<'a> {
        Import {
            grid,
            header: title_lines(&grid.rows),
            defaults,
            issues: Vec::new(),
            rows: Vec::new(),
            flagged: HashSet::new(),
        }
    }

    fn at(&self, row: u32, column: u32, header: &str, problem: SheetProblem) -> SheetIssue {
        self.at_place(row, (Some(column), header.to_string()), problem)
    }

    /// At `row`, in a column the sheet may not have (then no cell).
    fn at_place(
        &self,
        row: u32,
        (column, header): (Option<u32>, String),
        problem: SheetProblem,
    ) -> SheetIssue {
        SheetIssue {
            sheet: self.grid.sheet.clone(),
            row: Some(row.saturating_add(1)),
            column: header,
            cell: column.map(|column| cell_ref(row, column)),
            problem,
        }
    }

    fn sheet_issue(&self, problem: SheetProblem) -> SheetIssue {
        SheetIssue { sheet: self.grid.sheet.clone(), row: None, column: String::new(), cell: None, problem }
    }

    /// Reads the header row and checks the sheet's shape; `None` when the rows cannot be read.
    fn table(&mut self) -> Option<Table> {
        let grid = self.grid;
        for &(first_row, first_column, last_row, last_column) in &grid.merged {
            let range = format!("{}:{}", cell_ref(first_row, first_column), cell_ref(last_row, last_column));
            let issue = self.at(first_row, first_column, "", SheetProblem::Merged { range });
            self.issues.push(issue);
        }
        if let Some((row, column)) = grid.beyond_columns {
            let issue =
                self.at(row, column, "", SheetProblem::TooManyColumns { max: crate::limits::MAX_COLUMNS });
            self.issues.push(issue);
        }
        let Some((header_row, header_cells)) = grid.rows.get(self.header) else {
            let issue = self.sheet_issue(SheetProblem::EmptySheet);
            self.issues.push(issue);
            return None;
        };
        let data_rows =
            grid.rows.len().saturating_sub(self.header.saturating_add(1)).saturating_add(grid.more_rows);
        if data_rows > MAX_ROWS {
            let issue = self.sheet_issue(SheetProblem::TooManyRows { got: data_rows, max: MAX_ROWS });
            self.issues.push(issue);
            return None;
        }
        let mut table = Table { columns: HashMap::new(), headers: HashMap::new(), lang: Lang::Zh };
        let mut english = 0_usize;
        let mut structural = !self.issues.is_empty();
        for (column, cell) in header_cells {
            let text = shown(cell);
            match find_column(&text) {
                None => {
                    structural = true;
                    let issue = self.at(
                        *header_row,
                        *column,
                        &text,
                        SheetProblem::UnknownColumn { got: text.clone() },
                    );
                    self.issues.push(issue);
                }
                Some(index) => {
                    if crate::columns::normalize_header(&text)
                        != crate::columns::normalize_header(COLUMNS[index].zh)
                    {
                        english = english.saturating_add(1);
                    }
                    if let Some((first, _)) = table.headers.get(&index) {
                        structural = true;
                        let first = crate::columns::column_letters(*first);
                        let issue =
                            self.at(*header_row, *column, &text, SheetProblem::DuplicateColumn { first });
                        self.issues.push(issue);
                    } else {
                        table.headers.insert(index, (*column, text));
                        table.columns.insert(*column, index);
                    }
                }
            }
        }
        if english.saturating_mul(2) > table.headers.len() {
            table.lang = Lang::En;
        }
        for (index, spec) in COLUMNS.iter().enumerate() {
            if spec.required && !table.headers.contains_key(&index) {
                structural = true;
                let mut issue = self.sheet_issue(SheetProblem::MissingColumn { zh: spec.zh, en: spec.en });
                issue.row = Some(header_row.saturating_add(1));
                self.issues.push(issue);
            }
        }
        // A value under no header: reported once per column, at its first cell.
        let header_columns: HashSet<u32> = header_cells.iter().map(|(column, _)| *column).collect();
        let mut reported = HashSet::new();
        for (row, cells) in grid.rows.iter().skip(self.header.saturating_add(1)) {
            for (column, _) in cells {
                if !header_columns.contains(column) && reported.insert(*column) {
                    structural = true;
                    let letter = crate::columns::column_letters(*column);
                    let issue = self.at(*row, *column, &letter, SheetProblem::ValueWithoutHeader);
                    self.issues.push(issue);
                }
            }
        }
        if grid.rows.len() < self.header.saturating_add(2) && !structural {
            let mut issue = self.sheet_issue(SheetProblem::NoRows);
            issue.row = Some(header_row.saturating_add(1));
            self.issues.push(issue);
            return None;
        }
        (!structural).then_some(table)
    }

    /// Reads every institution row into the JSON the engine validates.
    fn rows(&mut self, table: &Table) -> Vec<Value> {
        let grid = self.grid;
        let mut out = Vec::with_capacity(grid.rows.len().saturating_sub(self.header.saturating_add(1)));
        let mut ids: HashMap<String, u32> = HashMap::new();
        for (row, cells) in grid.rows.iter().skip(self.header.saturating_add(1)) {
            let index = self.rows.len();
            let mut by_column: HashMap<usize, (u32, &Cell)> = HashMap::new();
            for (column, cell) in cells {
                if let Some(&template) = table.columns.get(column) {
                    by_column.insert(template, (*column, cell));
                }
            }
            let filled: HashSet<usize> = by_column.keys().copied().collect();
            self.rows.push(Row { row: *row, filled });
            let mut reader = RowReader { import: self, table, index, row: *row, cells: &by_column };
            let institution = reader.institution();
            if let Some(Value::String(id)) = institution.get("id") {
                match ids.get(id) {
                    Some(&first_row) => {
                        let id_column = crate::columns::by_code("id").unwrap_or(0);
                        let problem = SheetProblem::DuplicateId { id: id.clone(), first_row };
                        let issue = self.at_place(*row, table.place(id_column), problem);
                        self.issues.push(issue);
                        // The engine says the same; once is enough.
                        self.flagged.insert((index, id_column));
                    }
                    None => {
                        ids.insert(id.clone(), row.saturating_add(1));
                    }
                }
            }
            out.push(Value::Object(institution));
        }
        out
    }

    /// Maps one of the engine's issues back to the sheet.
    fn engine_issue(&mut self, issue: Issue, table: &Table) {
        let Some(rest) = issue.path.strip_prefix("institutions") else {
            self.issues.push(SheetIssue::file(SheetProblem::Scenario { issue }));
            return;
        };
        let located = rest
            .strip_prefix('[')
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(k, field)| Some((k.parse::<usize>().ok()?, field.trim_start_matches('.'))));
        let Some((k, field)) = located else {
            // `institutions` itself: the count, say.
            let issue = self.sheet_issue(SheetProblem::Engine { problem: issue.problem, rate: false });
            self.issues.push(issue);
            return;
        };
        let Some(row) = self.rows.get(k) else {
            self.issues.push(SheetIssue::file(SheetProblem::Scenario { issue }));
            return;
        };
        let row_number = row.row;
        match column_of_path(field, &row.filled) {
            Some(template) => {
                if self.flagged.contains(&(k, template)) {
                    return;
                }
                let rate = COLUMNS[template].kind.is_rate();
                let problem = SheetProblem::Engine { problem: issue.problem, rate };
                let issue = self.at_place(row_number, table.place(template), problem);
                self.issues.push(issue);
            }
            None => {
                let mut located =
                    self.sheet_issue(SheetProblem::Engine { problem: issue.problem, rate: false });
                located.row = Some(row_number.saturating_add(1));
                self.issues.push(located);
            }
        }
    }
}

/// The template column of a JSON path inside one institution (`opening.npl`,
/// `drivers.loan_growth[2]`, `drivers.channels`): the column whose path is a prefix of it, or
/// for a group (`drivers.channels`) the group's first filled column. `None`: the whole row.
pub fn column_of_path(field: &str, filled: &HashSet<usize>) -> Option<usize> {
    let mut path = field;
    while !path.is_empty() {
        let exact = COLUMNS.iter().position(|column| {
            path == column.path
                || path.strip_prefix(column.path).is_some_and(|rest| rest.starts_with(['.', '[']))
        });
        if exact.is_some() {
            return exact;
        }
        let prefix = format!("{path}.");
        let members: Vec<usize> =
            (0..COLUMNS.len()).filter(|&i| COLUMNS[i].path.starts_with(&prefix)).collect();
        if let Some(first) = members.iter().find(|i| filled.contains(i)).or(members.first()) {
            return Some(*first);
        }
        path = match path.rfind(['.', '[']) {
            Some(end) => &path[..end],
            None => "",
        };
    }
    None
}

/// Reads the cells of one row.
struct RowReader<'i, 'a> {
    import: &'i mut Import<'a>,
    table: &'i Table,
    index: usize,
    row: u32,
    cells: &'i HashMap<usize, (u32, &'a Cell)>,
}

/// The reason a cell could not be read.
pub(crate) type CellResult<T> = Result<T, SheetProblem>;

impl RowReader<'_, '_> {
    /// The institution's JSON; fields whose cells are blank are left out, fields whose
    /// cells could not be read are reported and left out.
    fn institution(&mut self) -> Map<String, Value> {
        let mut institution = Map::new();
        let mut opening = Map::new();
        let mut drivers = Map::new();
        for (template, spec) in COLUMNS.iter().enumerate() {
            if spec.group != Group::None {
                continue;
            }
            let Some(value) = self.value(template) else { continue };
            let (section, key) = match spec.path.split_once('.') {
                Some(("opening", key)) => (&mut opening, key),
                Some(("drivers", key)) => (&mut drivers, key),
                _ => (&mut institution, spec.path),
            };
            section.insert(key.to_string(), value);
        }
        self.disposal(&mut drivers);
        self.channels(&mut drivers);
        for (group, key) in [
            (Group::Recovery, "recovery"),
            (Group::Provisioning, "provisioning"),
            (Group::Capital, "capital"),
        ] {
            self.filled_from_defaults(group, key, &mut drivers);
        }
        institution.insert("opening".into(), Value::Object(opening));
        institution.insert("drivers".into(), Value::Object(drivers));
        institution
    }

    fn report(&mut self, template: usize, problem: SheetProblem) {
        let issue = self.import.at_place(self.row, self.table.place(template), problem);
        self.import.issues.push(issue);
        self.import.flagged.insert((self.index, template));
    }

    /// The JSON value of a filled cell; `None` when blank (a required one is reported) or unreadable (reported).
    fn value(&mut self, template: usize) -> Option<Value> {
        let spec = &COLUMNS[template];
        let Some(&(_, cell)) = self.cells.get(&template) else {
            if spec.required {
                let issue =
                    self.import.at_place(self.row, self.table.place(template), SheetProblem::Required);
                self.import.issues.push(issue);
                self.import.flagged.insert((self.index, template));
            }
            return None;
        };
        match read_cell(spec.kind, cell) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.report(template, problem);
                None
            }
        }
    }

    fn group_members(group: Group) -> impl Iterator<Item = usize> {
        (0..COLUMNS.len()).filter(move |&i| COLUMNS[i].group == group)
    }

    /// `drivers.disposal` from the amount or the rate column.
    fn disposal(&mut self, drivers: &mut Map<String, Value>) {
        let amount = crate::columns::by_code("disposal_amount").unwrap_or(0);
        let rate = crate::columns::by_code("disposal_rate").unwrap_or(0);
        let (has_amount, has_rate) = (self.cells.contains_key(&amount), self.cells.contains_key(&rate));
        if has_amount && has_rate {
            self.report(rate, SheetProblem::BothDisposal);
            self.import.flagged.insert((self.index, amount));
            return;
        }
        let (template, plan) = if has_amount { (amount, "amount") } else { (rate, "rate") };
        if !(has_amount || has_rate) {
            return;
        }
        if let Some(value) = self.value(template) {
            let mut map = Map::new();
            map.insert("plan".into(), Value::String(plan.into()));
            map.insert(plan.into(), value);
            drivers.insert("disposal".into(), Value::Object(map));
        }
    }

    /// `drivers.channels`: when any share is filled, every channel (blank ones are 0).
    fn channels(&mut self, drivers: &mut Map<String, Value>) {
        let members: Vec<usize> = Self::group_members(Group::Channels).collect();
        if !members.iter().any(|i| self.cells.contains_key(i)) {
            return;
        }
        let mut map = Map::new();
        let mut ok = true;
        for template in members {
            let key = COLUMNS[template].path.rsplit('.').next().unwrap_or_default();
            if self.cells.contains_key(&template) {
                match self.value(template) {
                    Some(value) => {
                        map.insert(key.into(), value);
                    }
                    None => ok = false,
                }
            } else {
                map.insert(key.into(), Value::String("0".into()));
            }
        }
        if ok {
            drivers.insert("channels".into(), Value::Object(map));
        }
    }

    /// A group whose blank members take the scenario default's value (recovery, provisioning, capital).
    fn filled_from_defaults(&mut self, group: Group, key: &str, drivers: &mut Map<String, Value>) {
        let members: Vec<usize> = Self::group_members(group).collect();
        if !members.iter().any(|i| self.cells.contains_key(i)) {
            return;
        }
        let mut map = Map::new();
        let mut ok = true;
        for template in members {
            let field = COLUMNS[template].path.rsplit('.').next().unwrap_or_default();
            if self.cells.contains_key(&template) {
                match self.value(template) {
                    Some(value) => {
                        map.insert(field.into(), value);
                    }
                    None => ok = false,
                }
            } else if let Some(default) = self.import.defaults.get(key).and_then(|d| d.get(field)) {
                map.insert(field.into(), default.clone());
            }
        }
        if ok {
            drivers.insert(key.into(), Value::Object(map));
        }
    }
}

/// A cell's JSON value for a column of `kind` (decimals as exact strings), or why it cannot be read.
pub(crate) fn read_cell(kind: ColumnKind, cell: &Cell) -> CellResult<Value> {
    match cell {
        Cell::Empty => Ok(Value::Null),
        Cell::Bool(b) => Err(SheetProblem::Boolean { got: *b }),
        Cell::Date(text) => Err(SheetProblem::Date { got: text.clone() }),
        Cell::Error(code) => Err(SheetProblem::CellError { code: code.clone() }),
        Cell::FormulaWithoutValue(formula) => {
            Err(SheetProblem::FormulaWithoutValue { formula: formula.clone() })
        }
        Cell::Int(i) => read_number(kind, Decimal::from(*i)),
        Cell::Number(f) => match decimal_of_f64(*f) {
            Some(d) => read_number(kind, d),
            None => Err(SheetProblem::NumberTooLarge { got: f.to_string() }),
        },
        Cell::Text(text) => read_text(kind, text.trim()),
    }
}

fn decimal_text(d: Decimal) -> Value {
    Value::String(fmt_decimal(d))
}

/// A number cell in a column of `kind`.
fn read_number(kind: ColumnKind, d: Decimal) -> CellResult<Value> {
    use ColumnKind as K;
    match kind {
        K::Id | K::Text => Ok(Value::String(fmt_decimal(d))),
        K::Amount | K::AmountPerYear | K::Rate | K::RatePerYear | K::Floor => Ok(decimal_text(d)),
        // A single number is the first-half share.
        K::Pacing => Ok(single("h1_share", decimal_text(d))),
        K::Kind => Err(not_one_of(&fmt_decimal(d), kind_choices())),
        K::Basis => Err(not_one_of(&fmt_decimal(d), basis_choices())),
        K::Illustrative => Err(not_one_of(&fmt_decimal(d), illustrative_choices())),
    }
}

fn single(key: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(key.into(), value);
    Value::Object(map)
}

/// A text cell (already trimmed, not empty) in a column of `kind`.
fn read_text(kind: ColumnKind, text: &str) -> CellResult<Value> {
    use ColumnKind as K;
    match kind {
        K::Id | K::Text => Ok(Value::String(text.to_string())),
        K::Kind => parse_kind(text)
            .map(|code| Value::String(code.into()))
            .ok_or_else(|| not_one_of(text, kind_choices())),
        K::Basis => parse_basis(text)
            .map(|code| Value::String(code.into()))
            .ok_or_else(|| not_one_of(text, basis_choices())),
        K::Amount => parse_number_text(text, false).map(decimal_text),
        K::Rate => parse_number_text(text, true).map(decimal_text),
        K::Floor if is_none_word(text) => Ok(Value::Null),
        K::Floor => parse_number_text(text, true).map(decimal_text),
        K::AmountPerYear | K::RatePerYear => {
            let rate = kind == K::RatePerYear;
            let values: Vec<Value> = list(text)
                .map(|item| parse_number_text(item, rate).map(decimal_text))
                .collect::<CellResult<_>>()?;
            match <[Value; 1]>::try_from(values) {
                Ok([one]) => Ok(one),
                Err(values) => Ok(Value::Array(values)),
            }
        }
        K::Pacing => {
            if is_even_word(text) {
                return Ok(Value::String("even".into()));
            }
            let values: Vec<Value> = list(text)
                .map(|item| parse_number_text(item, true).map(decimal_text))
                .collect::<CellResult<_>>()?;
            match values.len() {
                1 => Ok(single("h1_share", values.into_iter().next().unwrap_or(Value::Null))),
                12 => Ok(single("weights", Value::Array(values))),
                got => Err(SheetProblem::PacingCount { got }),
            }
        }
        K::Illustrative => {
            let mut names = Vec::new();
            for item in list(text) {
                let code = find_column(item)
                    .map(|i| COLUMNS[i].code)
                    .filter(|code| delever_model::scenario::OPENING_FIELDS.contains(code))
                    .ok_or_else(|| not_one_of(item, illustrative_choices()))?;
                names.push(Value::String(code.into()));
            }
            Ok(Value::Array(names))
        }
    }
}

/// The items of a `;`-separated list (also the full-width `；`), blanks skipped.
fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '；']).map(str::trim).filter(|item| !item.is_empty())
}

fn not_one_of(got: &str, (zh, en): (String, String)) -> SheetProblem {
    SheetProblem::NotOneOf { got: got.to_string(), allowed_zh: zh, allowed_en: en }
}

fn kind_choices() -> (String, String) {
    let zh: Vec<&str> = KINDS.iter().map(|(_, zh, _)| *zh).collect();
    let en: Vec<&str> = KINDS.iter().map(|(_, _, en)| *en).collect();
    let codes: Vec<&str> = KINDS.iter().map(|(code, _, _)| *code).collect();
    (
        format!("{}（或代码 {}）", zh.join("、"), codes.join("、")),
        format!("{} (or the codes {})", en.join(", "), codes.join(", ")),
    )
}

fn basis_choices() -> (String, String) {
    let zh: Vec<String> = BASES.iter().map(|(code, zh, _)| format!("{zh}（{code}）")).collect();
    let en: Vec<&str> = BASES.iter().map(|(code, _, _)| *code).collect();
    (zh.join("、"), en.join(", "))
}

fn illustrative_choices() -> (String, String) {
    let opening = COLUMNS.iter().filter(|c| delever_model::scenario::OPENING_FIELDS.contains(&c.code));
    let zh: Vec<String> = opening.clone().map(|c| format!("{}（{}）", c.zh, c.code)).collect();
    let en: Vec<String> = opening.map(|c| format!("{} ({})", c.en, c.code)).collect();
    (
        format!("用 ; 分隔的期初列名：{}", zh.join("、")),
        format!("opening column names separated by ;: {}", en.join(", ")),
    )
}

/// A number written as text: `500`, `1,234.5`, `-0.5`, `1e3`, and for rates `8.5%`.
///
/// A comma is read only as a thousands separator in its proper place (`1,234`), never as a
/// decimal comma, so `1,5` is refused rather than read as 15.
pub fn parse_number_text(text: &str, rate: bool) -> CellResult<Decimal> {
    let not_number = || SheetProblem::NotNumber { got: text.to_string(), rate };
    let cleaned = text.trim().replace('％', "%").replace('−', "-");
    let (body, percent) = match cleaned.strip_suffix('%') {
        Some(body) if rate => (body.trim().to_string(), true),
        Some(_) => return Err(not_number()),
        None => (cleaned.clone(), false),
    };
    let body = without_thousands_separators(&body).ok_or_else(not_number)?;
    let value = parse_decimal_text(&body).ok_or_else(not_number)?;
    if percent { value.checked_div(Decimal::ONE_HUNDRED).ok_or_else(not_number) } else { Ok(value) }
}

/// `1,234,567.5` → `1234567.5`; `None` when commas are not thousands separators.
fn without_thousands_separators(text: &str) -> Option<String> {
    if !text.contains(',') {
        return Some(text.to_string());
    }
    let unsigned = text.trim_start_matches(['-', '+']);
    let integer = unsigned.split('.').next().unwrap_or("");
    let mut groups = integer.split(',');
    let first = groups.next().unwrap_or("");
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let rest_ok = groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    let fraction_ok = !unsigned.split('.').skip(1).any(|f| f.contains(','));
    (first_ok && rest_ok && fraction_ok).then(|| text.replace(',', ""))
}

/// An Excel double as the decimal Excel shows: 15 significant digits, so `0.085` stays
/// 0.085 and a formula's `0.30000000000000004` is 0.3. `None` beyond the decimal range.
pub fn decimal_of_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    if value.abs() < 1e-20 {
        return Some(Decimal::ZERO);
    }
    let text = format!("{value:.14e}");
    Decimal::from_scientific(&text).ok().map(|d| d.normalize())
}

/// An Excel double as text (ids typed as numbers, say): `1001`, `2.5`.
fn number_text(value: f64) -> String {
    decimal_of_f64(value).map(fmt_decimal).unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn number(text: &str, rate: bool, expected: Option<&str>) {
        let got = parse_number_text(text, rate).ok().map(fmt_decimal);
        assert_eq!(got.as_deref(), expected, "{text}");
    }

    #[test]
    fn numbers_as_text() {
        number("500", false, Some("500"));
        number(" 1,234.5 ", false, Some("1234.5"));
        number("1,234,567", false, Some("1234567"));
        number("-0.5", true, Some("-0.5"));
        number("8.5%", true, Some("0.085"));
        number("8.5 ％", true, Some("0.085"));
        number("150%", true, Some("1.5"));
        number("8.5%", false, None);
        number("1,5", false, None);
        number("12,34", false, None);
        number("1.2,3", false, None);
        number("abc", false, None);
        number("1e3", false, Some("1000"));
        number("", false, None);
        number("%", true, None);
    }

    #[test]
    fn doubles_as_excel_shows_them() {
        let check = |f: f64, expected: &str| {
            assert_eq!(decimal_of_f64(f).map(fmt_decimal).as_deref(), Some(expected))
        };
        check(0.085, "0.085");
        check(0.1 + 0.2, "0.3");
        check(500.0, "500");
        check(1e15, "1000000000000000");
        check(-0.052, "-0.052");
        check(1.0 / 3.0, "0.333333333333333");
        check(1e-30, "0");
        assert_eq!(decimal_of_f64(1e30), None);
        assert_eq!(decimal_of_f64(f64::NAN), None);
    }

    #[test]
    fn paths_map_to_columns() {
        let none = HashSet::new();
        let code =
            |field: &str, filled: &HashSet<usize>| column_of_path(field, filled).map(|i| COLUMNS[i].code);
        assert_eq!(code("opening.npl", &none), Some("npl"));
        assert_eq!(code("drivers.loan_growth[2]", &none), Some("loan_growth"));
        assert_eq!(code("drivers.pacing.weights[3]", &none), Some("pacing"));
        assert_eq!(code("drivers.channels.write_off", &none), Some("channel_write_off"));
        assert_eq!(code("drivers.channels", &none), Some("channel_collection"));
        let write_off: HashSet<usize> = crate::columns::by_code("channel_write_off").into_iter().collect();
        assert_eq!(code("drivers.channels", &write_off), Some("channel_write_off"));
        assert_eq!(code("drivers.disposal.plan", &none), Some("disposal_amount"));
        assert_eq!(code("opening.illustrative[0]", &none), Some("illustrative"));
        assert_eq!(code("id", &none), Some("id"));
        assert_eq!(code("", &none), None);
        assert_eq!(code("opening", &none), Some("deposits"));
    }

    #[test]
    fn cells_by_kind() {
        use ColumnKind as K;
        let text = |s: &str| Cell::Text(s.into());
        assert_eq!(read_cell(K::RatePerYear, &text("5%; 6%")), Ok(serde_json::json!(["0.05", "0.06"])));
        assert_eq!(read_cell(K::RatePerYear, &text("5%")), Ok(serde_json::json!("0.05")));
        assert_eq!(read_cell(K::Pacing, &text("均匀")), Ok(serde_json::json!("even")));
        assert_eq!(read_cell(K::Pacing, &Cell::Number(0.6)), Ok(serde_json::json!({"h1_share": "0.6"})));
        assert!(matches!(read_cell(K::Pacing, &text("0.5;0.5")), Err(SheetProblem::PacingCount { got: 2 })));
        assert_eq!(read_cell(K::Floor, &text("无")), Ok(Value::Null));
        assert_eq!(read_cell(K::Id, &Cell::Number(1001.0)), Ok(serde_json::json!("1001")));
        assert_eq!(read_cell(K::Kind, &text("村镇银行")), Ok(serde_json::json!("village")));
        assert_eq!(
            read_cell(K::Illustrative, &text("期初存款; loans")),
            Ok(serde_json::json!(["deposits", "loans"]))
        );
        assert!(matches!(read_cell(K::Amount, &Cell::Bool(true)), Err(SheetProblem::Boolean { got: true })));
        assert!(matches!(read_cell(K::Amount, &text("x")), Err(SheetProblem::NotNumber { rate: false, .. })));
    }
}

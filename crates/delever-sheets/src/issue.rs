//! Import problems, located by sheet, row and column as Excel shows them, said in Chinese and English.

use delever_model::{Issue, Lang, Problem};
use serde_json::{Value, json};

/// One problem of an imported file, where a person will look for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetIssue {
    /// The worksheet's name (for a CSV file: the file's name); empty for the file as a whole
    /// and for problems of the rest of the scenario.
    pub sheet: String,
    /// The row, 1-based as Excel shows it; `None` for the file or the sheet as a whole.
    pub row: Option<u32>,
    /// The column's header text, or its letter when it has no header; empty for a whole row.
    pub column: String,
    /// The cell reference (`C3`) when the problem is in one cell.
    pub cell: Option<String>,
    pub problem: SheetProblem,
}

impl SheetIssue {
    /// A problem of the file as a whole.
    pub fn file(problem: SheetProblem) -> SheetIssue {
        SheetIssue { sheet: String::new(), row: None, column: String::new(), cell: None, problem }
    }

    /// What is wrong and what is allowed, in `lang` (the location is in the other fields).
    pub fn message(&self, lang: Lang) -> String {
        self.problem.message(lang)
    }

    /// `sheet!C3 (column): message`: the whole issue on one line, for logs and tests.
    pub fn display(&self, lang: Lang) -> String {
        let mut place = String::new();
        if !self.sheet.is_empty() {
            place.push_str(&self.sheet);
        }
        match (&self.cell, self.row) {
            (Some(cell), _) => {
                place.push('!');
                place.push_str(cell);
            }
            (None, Some(row)) => place.push_str(&match lang {
                Lang::Zh => format!(" 第 {row} 行"),
                Lang::En => format!(" row {row}"),
            }),
            (None, None) => {}
        }
        if !self.column.is_empty() {
            place.push_str(&format!(" [{}]", self.column));
        }
        let place = place.trim();
        if place.is_empty() { self.message(lang) } else { format!("{place}: {}", self.message(lang)) }
    }

    /// `{"sheet":…,"row":3|null,"column":…,"cell":"C3"|null,"message":…}` for JavaScript.
    pub fn to_json(&self, lang: Lang) -> Value {
        json!({
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message(lang),
        })
    }
}

/// What is wrong with an imported file, a sheet, a row or a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetProblem {
    /// The file's extension is neither `.xlsx` nor `.csv`.
    UnknownFormat { file_name: String },
    /// An Excel 97–2003 `.xls` file (or a password-protected workbook, which has the same container).
    OldExcel,
    /// The file is larger than accepted.
    TooLarge { bytes: usize, max: usize },
    /// The file is empty.
    EmptyFile,
    /// A file named `.xlsx` whose content is not an xlsx workbook (`what` says what it looks like).
    NotXlsx { what: Content },
    /// A zip that is not an Excel workbook, or a damaged workbook.
    NotWorkbook { detail: String },
    /// A password-protected workbook.
    Encrypted,
    /// The workbook's contents, unpacked, are larger than accepted.
    UnpackedTooLarge { bytes: u64, max: u64 },
    /// A CSV file that is not text in UTF-8, UTF-16 or GBK.
    NotText,
    /// The workbook has no worksheet.
    NoWorksheet,
    /// The sheet has nothing in it.
    EmptySheet,
    /// A required column is missing from the header row.
    MissingColumn { zh: &'static str, en: &'static str },
    /// A header that names no template column.
    UnknownColumn { got: String },
    /// Two headers name the same column.
    DuplicateColumn { first: String },
    /// A value in a column whose header cell is empty.
    ValueWithoutHeader,
    /// The header row has no institution rows under it.
    NoRows,
    /// More institution rows than the engine accepts.
    TooManyRows { got: usize, max: usize },
    /// Cells beyond the last column a sheet may use.
    TooManyColumns { max: u32 },
    /// A required cell is empty.
    Required,
    /// Text where a number is expected.
    NotNumber { got: String, rate: bool },
    /// A number cell where a percent sign or a list was needed is fine; this is a number that
    /// cannot be held exactly (beyond about 7.9e28).
    NumberTooLarge { got: String },
    /// A date or time where a number or text is expected.
    Date { got: String },
    /// TRUE/FALSE where a number or text is expected.
    Boolean { got: bool },
    /// The cell shows an Excel error value (`#DIV/0!`).
    CellError { code: String },
    /// A formula whose result was never saved in the file.
    FormulaWithoutValue { formula: String },
    /// Merged cells inside the sheet.
    Merged { range: String },
    /// A word that is not one of the allowed ones.
    NotOneOf { got: String, allowed_zh: String, allowed_en: String },
    /// Pacing with a number of values that is neither 1 nor 12.
    PacingCount { got: usize },
    /// An id already used on an earlier row.
    DuplicateId { id: String, first_row: u32 },
    /// Both the disposal amount and the disposal rate are filled.
    BothDisposal,
    /// The engine's problem with a value of this cell or row.
    Engine { problem: Problem, rate: bool },
    /// A problem elsewhere in the scenario, in the engine's words (with its JSON path).
    Scenario { issue: Issue },
    /// Only the first problems are listed.
    More { count: usize },
    /// A problem of an actuals file (月报: one row per institution and month).
    Actuals(ActualsProblem),
}

/// What is wrong with an actuals file, sheet, row or cell, where it differs from an
/// institutions file (the other problems, a number that is not a number say, are shared).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActualsProblem {
    /// The file is empty.
    EmptyFile,
    /// The sheet (or the pasted text) has nothing in it.
    EmptySheet,
    /// The workbook has no worksheet.
    NoWorksheet,
    /// The workbook's contents, unpacked, are larger than accepted.
    UnpackedTooLarge { bytes: u64, max: u64 },
    /// Merged cells inside the sheet.
    Merged { range: String },
    /// A header that names no column of the actuals template.
    UnknownColumn { got: String },
    /// The header row has neither the disposal total nor any channel column.
    NoDisposalColumn,
    /// The header row has no rows under it.
    NoRows,
    /// More rows than institutions × months the engine accepts.
    TooManyRows { got: usize, max: usize },
    /// A month cell that is not a month.
    NotMonth { got: String },
    /// A row with neither the disposal total nor any channel amount.
    DisposalRequired,
    /// A row with both the disposal total and channel amounts: the headers of the columns filled.
    BothDisposal { total: String, channels: Vec<String> },
    /// The institution and month of an earlier row.
    DuplicateRow { institution: String, month: String, first_row: u32 },
}

/// What a file named `.xlsx` turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// Text (a CSV or HTML saved with an .xlsx name, say).
    Text,
    /// Neither a zip nor text.
    Unknown,
}

impl SheetProblem {
    /// What is wrong and what is allowed, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use SheetProblem::*;
        let en = lang == Lang::En;
        match self {
            UnknownFormat { file_name } => {
                if en {
                    format!("\"{file_name}\" is neither an .xlsx nor a .csv file; save the sheet as Excel workbook (.xlsx) or CSV (.csv)")
                } else {
                    format!("“{file_name}”不是 .xlsx 或 .csv 文件；请将表格另存为 Excel 工作簿（.xlsx）或 CSV（.csv）")
                }
            }
            OldExcel => {
                if en {
                    "this is an Excel 97–2003 file (.xls) or a password-protected workbook; remove the password and save it as Excel workbook (.xlsx)".into()
                } else {
                    "这是 Excel 97–2003 格式（.xls）或设有密码的工作簿；请去除密码并另存为 Excel 工作簿（.xlsx）".into()
                }
            }
            TooLarge { bytes, max } => {
                if en {
                    format!("the file is {bytes} bytes; at most {max} bytes (10 MiB) are accepted")
                } else {
                    format!("文件共 {bytes} 字节，超过上限 {max} 字节（10 MiB）")
                }
            }
            EmptyFile => {
                if en {
                    "the file is empty; download the template and fill in one row per institution".into()
                } else {
                    "文件为空；请下载模板，每家机构填写一行".into()
                }
            }
            NotXlsx { what } => match (what, en) {
                (self::Content::Text, true) => "the file is named .xlsx but holds text (a CSV or web page?); rename it to .csv if it is CSV, or save it from Excel as Excel workbook (.xlsx)".into(),
                (self::Content::Text, false) => "文件扩展名为 .xlsx，内容却是文本（CSV 或网页？）；若为 CSV 请改名为 .csv，否则请在 Excel 中另存为 Excel 工作簿（.xlsx）".into(),
                (self::Content::Unknown, true) => "the file is named .xlsx but is not an Excel workbook; save it from Excel as Excel workbook (.xlsx)".into(),
                (self::Content::Unknown, false) => "文件扩展名为 .xlsx，但不是 Excel 工作簿；请在 Excel 中另存为 Excel 工作簿（.xlsx）".into(),
            },
            NotWorkbook { detail } => {
                if en {
                    format!("the file is a zip archive but not a readable Excel workbook ({detail}); save it from Excel as Excel workbook (.xlsx)")
                } else {
                    format!("文件是 zip 压缩包，但不是可读取的 Excel 工作簿（{detail}）；请在 Excel 中另存为 Excel 工作簿（.xlsx）")
                }
            }
            Encrypted => {
                if en {
                    "the workbook is password-protected; remove the password (File › Info › Protect Workbook) and save again".into()
                } else {
                    "工作簿设有密码；请去除密码（文件 › 信息 › 保护工作簿）后重新保存".into()
                }
            }
            UnpackedTooLarge { bytes, max } => {
                if en {
                    format!("the workbook unpacks to {bytes} bytes; at most {max} are accepted: keep only the institutions sheet")
                } else {
                    format!("工作簿解压后共 {bytes} 字节，超过上限 {max} 字节；请只保留机构表")
                }
            }
            NotText => {
                if en {
                    "the CSV file is not text in UTF-8, UTF-16 or GBK; save it from Excel as \"CSV UTF-8\"".into()
                } else {
                    "CSV 文件不是 UTF-8、UTF-16 或 GBK 编码的文本；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”".into()
                }
            }
            NoWorksheet => {
                if en {
                    "the workbook has no worksheet; put the institutions on a sheet named \"Institutions\" (or the first sheet)".into()
                } else {
                    "工作簿中没有工作表；请将机构数据放在名为“机构”的工作表（或第一个工作表）".into()
                }
            }
            EmptySheet => {
                if en {
                    "the sheet is empty; the first row holds the headers, then one row per institution".into()
                } else {
                    "工作表为空；第一行为表头，其下每家机构一行".into()
                }
            }
            MissingColumn { zh, en: en_name } => {
                if en {
                    format!("the required column \"{en_name}\" (or \"{zh}\") is missing from the header row")
                } else {
                    format!("表头缺少必填列“{zh}”（或“{en_name}”）")
                }
            }
            UnknownColumn { got } => {
                let names: Vec<&str> =
                    crate::columns::COLUMNS.iter().map(|column| column.header(lang)).collect();
                if en {
                    format!(
                        "\"{got}\" is not a column of the template (a typo?); the columns are: {}",
                        names.join(", ")
                    )
                } else {
                    format!("“{got}”不是模板中的列（拼写错误？）；可用的列：{}", names.join("、"))
                }
            }
            DuplicateColumn { first } => {
                if en {
                    format!("this column repeats column {first}; each column may appear once")
                } else {
                    format!("此列与第 {first} 列重复；每列只能出现一次")
                }
            }
            ValueWithoutHeader => {
                if en {
                    "this cell has a value but its column has no header; give the column a template header or clear it".into()
                } else {
                    "此单元格有内容，但所在列没有表头；请填写模板中的列名或清空此列".into()
                }
            }
            NoRows => {
                if en {
                    "there are no institution rows under the header row; fill in one row per institution".into()
                } else {
                    "表头下没有机构数据；请每家机构填写一行".into()
                }
            }
            TooManyRows { got, max } => {
                if en {
                    format!("the sheet has {got} institution rows; at most {max} institutions are accepted")
                } else {
                    format!("工作表共 {got} 行机构数据，超过上限 {max} 家机构")
                }
            }
            TooManyColumns { max } => {
                let last = crate::columns::column_letters(max.saturating_sub(1));
                if en {
                    format!("the sheet has values beyond column {last}; the template needs far fewer columns")
                } else {
                    format!("工作表在 {last} 列之后仍有内容；模板所需的列远少于此")
                }
            }
            Required => {
                if en {
                    "is empty; this column is required".into()
                } else {
                    "为空；此列必填".into()
                }
            }
            NotNumber { got, rate } => match (rate, en) {
                (true, true) => format!("\"{got}\" is not a number; write a fraction or a percentage, e.g. 0.085 or 8.5%"),
                (true, false) => format!("“{got}”不是数值；请填写小数或百分数，如 0.085 或 8.5%"),
                (false, true) => format!("\"{got}\" is not a number; write an amount such as 500 or 1,234.5"),
                (false, false) => format!("“{got}”不是数值；请填写金额，如 500 或 1,234.5"),
            },
            NumberTooLarge { got } => {
                if en {
                    format!("{got} is too large to be an amount here")
                } else {
                    format!("{got} 过大，不能作为此处的数值")
                }
            }
            Date { got } => {
                if en {
                    format!("the cell holds a date or time ({got}); write a number or text (format the cell as General or Number)")
                } else {
                    format!("单元格为日期或时间（{got}）；请填写数值或文本（将单元格格式设为“常规”或“数值”）")
                }
            }
            Boolean { got } => {
                let word = if *got { "TRUE" } else { "FALSE" };
                if en {
                    format!("the cell holds {word}; write a number or text")
                } else {
                    format!("单元格为逻辑值 {word}；请填写数值或文本")
                }
            }
            CellError { code } => {
                if en {
                    format!("the cell shows the error {code}; fix the formula or type the value")
                } else {
                    format!("单元格显示错误 {code}；请修正公式或直接填写数值")
                }
            }
            FormulaWithoutValue { formula } => {
                if en {
                    format!("the formula ={formula} has no saved result; open the file in Excel and save it again (or paste values)")
                } else {
                    format!("公式 ={formula} 没有保存计算结果；请在 Excel 中打开后重新保存（或粘贴为数值）")
                }
            }
            Merged { range } => {
                if en {
                    format!("cells {range} are merged; unmerge them: each institution is one row and each value has its own cell")
                } else {
                    format!("单元格 {range} 已合并；请取消合并：每家机构一行，每个值单独一格")
                }
            }
            NotOneOf { got, allowed_zh, allowed_en } => {
                if en {
                    format!("\"{got}\" is not allowed; use one of {allowed_en}")
                } else {
                    format!("不允许“{got}”；可选值为 {allowed_zh}")
                }
            }
            PacingCount { got } => {
                if en {
                    format!("{got} values; write \"even\", one first-half share (e.g. 60%), or 12 monthly weights separated by ;")
                } else {
                    format!("共 {got} 个值；请填写“均匀”、一个上半年完成比例（如 60%），或用 ; 分隔的 12 个月度权重")
                }
            }
            DuplicateId { id, first_row } => {
                if en {
                    format!("id \"{id}\" is already used on row {first_row}; ids must be unique")
                } else {
                    format!("编号“{id}”已在第 {first_row} 行使用；编号必须唯一")
                }
            }
            BothDisposal => {
                if en {
                    "both the disposal plan amount and the disposal plan rate are filled; fill one of them".into()
                } else {
                    "处置计划金额与处置比例同时填写；只能填写其一".into()
                }
            }
            Engine { problem, rate } => {
                let mut text = problem.message(lang);
                if *rate && let Problem::OutOfRange { value, .. } = problem {
                    let hundred = rust_decimal::Decimal::ONE_HUNDRED;
                    if value.abs() > rust_decimal::Decimal::ONE && value.abs() <= hundred * hundred {
                        let shown = delever_model::num::fmt_decimal(*value);
                        text.push_str(&if en {
                            format!(" (rates are fractions: for {shown}% write {shown}% or the fraction)")
                        } else {
                            format!("（比率按小数填写：如指 {shown}%，请写 {shown}% 或相应小数）")
                        });
                    }
                }
                text
            }
            Scenario { issue } => {
                let mut text = issue.message(lang);
                if matches!(issue.problem, Problem::UnknownInstitution { .. }) {
                    text.push_str(if en {
                        " (the imported file has no such institution: add it to the file, or change that event or target first)"
                    } else {
                        "（导入的文件中没有该机构：请在文件中补上，或先修改该风险事件或目标）"
                    });
                }
                text
            }
            More { count } => {
                if en {
                    format!("{count} more problems are not listed; fix the ones above and import again")
                } else {
                    format!("另有 {count} 个问题未列出；请先修正以上问题后重新导入")
                }
            }
            Actuals(problem) => problem.message(lang),
        }
    }
}

impl ActualsProblem {
    /// What is wrong and what is allowed, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use ActualsProblem::*;
        let en = lang == Lang::En;
        match self {
            EmptyFile => {
                if en {
                    "the file is empty; download the actuals template and fill in one row per institution and month".into()
                } else {
                    "文件为空；请下载实际数据模板，每家机构每月填写一行".into()
                }
            }
            EmptySheet => {
                if en {
                    "there is nothing to read; the first row holds the headers (Month, Institution, Deposits, …), then one row per institution and month".into()
                } else {
                    "没有可读取的内容；第一行为表头（月份、机构代码、各项存款……），其下每家机构每月一行"
                        .into()
                }
            }
            NoWorksheet => {
                if en {
                    "the workbook has no worksheet; put the reported months on a sheet named \"Actuals\" (or the first sheet)".into()
                } else {
                    "工作簿中没有工作表；请将报送数据放在名为“实际数据”的工作表（或第一个工作表）".into()
                }
            }
            UnpackedTooLarge { bytes, max } => {
                if en {
                    format!(
                        "the workbook unpacks to {bytes} bytes; at most {max} are accepted: keep only the actuals sheet"
                    )
                } else {
                    format!("工作簿解压后共 {bytes} 字节，超过上限 {max} 字节；请只保留实际数据表")
                }
            }
            Merged { range } => {
                if en {
                    format!(
                        "cells {range} are merged; unmerge them: each institution's month is one row and each value has its own cell"
                    )
                } else {
                    format!("单元格 {range} 已合并；请取消合并：每家机构每月一行，每个值单独一格")
                }
            }
            UnknownColumn { got } => {
                let names: Vec<&str> = crate::actuals::columns::ACTUAL_COLUMNS
                    .iter()
                    .map(|column| column.header(lang))
                    .collect();
                if en {
                    format!(
                        "\"{got}\" is not a column of the actuals template (a typo?); the columns are: {}",
                        names.join(", ")
                    )
                } else {
                    format!("“{got}”不是实际数据模板中的列（拼写错误？）；可用的列：{}", names.join("、"))
                }
            }
            NoDisposalColumn => {
                if en {
                    "the header row has no disposal column; add \"Disposal total\" (the month's total) or the channel columns (Collection, Write-off, …)".into()
                } else {
                    "表头缺少处置列；请加上“处置合计”（当月合计）或各渠道列（清收、核销……）".into()
                }
            }
            NoRows => {
                if en {
                    "there are no rows under the header row; fill in one row per institution and month (the file replaces all reported months)".into()
                } else {
                    "表头下没有数据；请每家机构每月填写一行（导入的文件替换全部已报送月份）".into()
                }
            }
            TooManyRows { got, max } => {
                if en {
                    format!(
                        "there are {got} rows; at most {max} (500 institutions × 120 months) are accepted"
                    )
                } else {
                    format!("共 {got} 行数据，超过上限 {max} 行（500 家机构 × 120 个月）")
                }
            }
            NotMonth { got } => {
                if en {
                    format!("\"{got}\" is not a month; write 2019-01, 2019/1 or 2019年1月")
                } else {
                    format!("“{got}”不是月份；请写作 2019-01、2019/1 或 2019年1月")
                }
            }
            DisposalRequired => {
                if en {
                    "no disposal for this month; fill in the disposal total or the channel amounts, and write 0 for a month without disposals".into()
                } else {
                    "本月没有填写处置；请填写处置合计或各渠道金额，当月没有处置请填 0".into()
                }
            }
            BothDisposal { total, channels } => {
                if en {
                    format!(
                        "both the total \"{total}\" and the channels {} are filled; give the month's total or its channels, not both",
                        channels.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
                    )
                } else {
                    format!(
                        "同时填写了合计“{total}”与渠道{}；请只填写当月合计或各渠道金额之一",
                        channels.iter().map(|c| format!("“{c}”")).collect::<Vec<_>>().join("、")
                    )
                }
            }
            DuplicateRow { institution, month, first_row } => {
                if en {
                    format!(
                        "\"{institution}\" {month} is already on row {first_row}; one row per institution and month"
                    )
                } else {
                    format!("“{institution}”{month} 的数据已在第 {first_row} 行；每家机构每月只能一行")
                }
            }
        }
    }
}

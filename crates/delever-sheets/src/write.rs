//! Writing cells: the shared formats, and an institution (or the default drivers) as the template's cells.
//!
//! The template, the export's institutions sheet and its defaults sheet all go through
//! [`institution_cell`] / [`driver_cell`], so what the export writes the import reads back.

use delever_model::Lang;
use delever_model::num::fmt_decimal;
use delever_model::scenario::{Basis, DriverOverrides, Drivers, Institution, Pacing, PerYear};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::columns::{COLUMNS, Column, ColumnKind, kind_name};
use crate::tr;

/// The most characters Excel holds in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// One cell to write.
#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    Text(String),
    /// An amount in the scenario's unit.
    Amount(Decimal),
    /// A rate, shown as a percentage.
    Rate(Decimal),
}

impl Out {
    /// The cell as CSV text: amounts as exact decimals, rates as exact percentages.
    pub fn csv_text(&self) -> String {
        match self {
            Out::Text(text) => text.clone(),
            Out::Amount(d) => fmt_decimal(*d),
            Out::Rate(d) => percent_text(*d),
        }
    }
}

/// `0.085` → `8.5%` (exact: multiplying by 100 only moves the decimal point).
pub fn percent_text(value: Decimal) -> String {
    match value.checked_mul(Decimal::ONE_HUNDRED) {
        Some(percent) => format!("{}%", fmt_decimal(percent)),
        None => fmt_decimal(value),
    }
}

/// The formats every sheet uses.
pub struct Formats {
    pub header: Format,
    pub title: Format,
    pub bold: Format,
    pub amount: Format,
    pub percent: Format,
    pub wrap: Format,
    pub text: Format,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDD_EB_F7))
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            amount: Format::new().set_num_format("#,##0.00##"),
            percent: Format::new().set_num_format("0.00##%"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            // Text cells stay text even when they look like numbers (ids such as 001).
            text: Format::new().set_num_format("@"),
        }
    }
}

/// Text cut to what one cell holds.
pub fn cell_text(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(MAX_CELL_CHARS.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// A decimal as the double a cell holds (correctly rounded from its exact text).
pub fn to_f64(value: Decimal) -> f64 {
    fmt_decimal(value).parse().unwrap_or(0.0)
}

/// Writes one cell.
pub fn write(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    out: &Out,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match out {
        Out::Text(text) => sheet.write_string_with_format(row, column, cell_text(text), &formats.text)?,
        Out::Amount(d) => sheet.write_number_with_format(row, column, to_f64(*d), &formats.amount)?,
        Out::Rate(d) => sheet.write_number_with_format(row, column, to_f64(*d), &formats.percent)?,
    };
    Ok(())
}

/// Writes a header row.
pub fn header_row<S: AsRef<str>>(
    sheet: &mut Worksheet,
    row: u32,
    headers: &[S],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (column, header) in headers.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.write_string_with_format(row, column, cell_text(header.as_ref()), &formats.header)?;
    }
    Ok(())
}

/// A width, in characters, that fits a header (a Chinese character is about two).
pub fn width_of(text: &str) -> f64 {
    let units: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    f64::from(u32::try_from(units).unwrap_or(40).clamp(8, 40)) + 2.0
}

/// The institutions sheet: the template's header row, then one row per institution.
pub fn institutions_sheet(
    sheet: &mut Worksheet,
    institutions: &[Institution],
    lang: Lang,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let headers: Vec<&str> = COLUMNS.iter().map(|column| column.header(lang)).collect();
    header_row(sheet, 0, &headers, formats)?;
    for (column, header) in headers.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.set_column_width(column, width_of(header).max(10.0))?;
    }
    for (index, institution) in institutions.iter().enumerate() {
        let row = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
        for (column, spec) in COLUMNS.iter().enumerate() {
            if let Some(out) = institution_cell(spec, institution, lang) {
                write(sheet, row, u16::try_from(column).unwrap_or(u16::MAX), &out, formats)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// The cell of `column` for an institution; `None` leaves it blank.
pub fn institution_cell(column: &Column, institution: &Institution, lang: Lang) -> Option<Out> {
    let opening = &institution.opening;
    let capital = opening.capital;
    Some(match column.code {
        "id" => Out::Text(institution.id.clone()),
        "name" => Out::Text(institution.name.clone()),
        "kind" => Out::Text(kind_name(institution.kind.name(), lang).to_string()),
        "zone" => Out::Text(institution.zone.clone()?),
        "deposits" => Out::Amount(opening.deposits),
        "loans" => Out::Amount(opening.loans),
        "npl" => Out::Amount(opening.npl),
        "provisions" => Out::Amount(opening.provisions),
        "tier1_capital" => Out::Amount(capital?.tier1_capital),
        "leverage_exposure" => Out::Amount(capital?.leverage_exposure),
        "illustrative" => {
            if opening.illustrative.is_empty() {
                return None;
            }
            let names: Vec<&str> = opening
                .illustrative
                .iter()
                .map(|code| crate::columns::by_code(code).map_or(code.as_str(), |i| COLUMNS[i].header(lang)))
                .collect();
            Out::Text(names.join("; "))
        }
        _ => return driver_cell(column, &institution.drivers, lang),
    })
}

/// Every driver, as overrides (for writing the defaults with the same code).
pub fn all_drivers(drivers: &Drivers) -> DriverOverrides {
    DriverOverrides {
        deposit_growth: Some(drivers.deposit_growth.clone()),
        loan_growth: Some(drivers.loan_growth.clone()),
        loan_growth_basis: Some(drivers.loan_growth_basis),
        npl_formation_rate: Some(drivers.npl_formation_rate.clone()),
        disposal: Some(drivers.disposal.clone()),
        channels: Some(drivers.channels),
        pacing: Some(drivers.pacing.clone()),
        recovery: Some(drivers.recovery),
        provisioning: Some(drivers.provisioning),
        capital: Some(drivers.capital),
    }
}

/// The cell of a driver column; `None` when the driver is not set (or not of this column).
pub fn driver_cell(column: &Column, drivers: &DriverOverrides, lang: Lang) -> Option<Out> {
    use delever_model::scenario::Disposal;
    let per_year = |value: &PerYear, rate: bool| match value {
        PerYear::Same(d) => {
            if rate {
                Out::Rate(*d)
            } else {
                Out::Amount(*d)
            }
        }
        PerYear::ByYear(values) => {
            let items: Vec<String> =
                values.iter().map(|d| if rate { percent_text(*d) } else { fmt_decimal(*d) }).collect();
            Out::Text(items.join("; "))
        }
    };
    let field = column.path.rsplit('.').next().unwrap_or_default();
    Some(match column.code {
        "deposit_growth" => per_year(drivers.deposit_growth.as_ref()?, true),
        "loan_growth" => per_year(drivers.loan_growth.as_ref()?, true),
        "npl_formation_rate" => per_year(drivers.npl_formation_rate.as_ref()?, true),
        "loan_growth_basis" => Out::Text(
            match drivers.loan_growth_basis? {
                Basis::Lending => tr(lang, "新增投放", "lending"),
                Basis::Balance => tr(lang, "余额", "balance"),
            }
            .to_string(),
        ),
        "disposal_amount" => match drivers.disposal.as_ref()? {
            Disposal::Amount(amount) => per_year(amount, false),
            Disposal::Rate(_) => return None,
        },
        "disposal_rate" => match drivers.disposal.as_ref()? {
            Disposal::Rate(rate) => per_year(rate, true),
            Disposal::Amount(_) => return None,
        },
        "pacing" => match drivers.pacing.as_ref()? {
            Pacing::Even => Out::Text(tr(lang, "均匀", "even").to_string()),
            Pacing::H1Share(share) => Out::Rate(*share),
            Pacing::Weights(weights) => {
                Out::Text(weights.iter().map(|w| percent_text(*w)).collect::<Vec<_>>().join("; "))
            }
        },
        code if code.starts_with("channel_") => {
            let index = delever_model::scenario::CHANNELS.iter().position(|c| *c == field)?;
            Out::Rate(*drivers.channels.as_ref()?.0.get(index)?)
        }
        code if code.starts_with("recovery_") => {
            let recovery = drivers.recovery.as_ref()?;
            Out::Rate(match field {
                "transfer" => recovery.transfer,
                "securitization" => recovery.securitization,
                "debt_equity" => recovery.debt_equity,
                "foreclosure" => recovery.foreclosure,
                _ => return None,
            })
        }
        "coverage_floor" | "allowance_floor" => {
            let provisioning = drivers.provisioning.as_ref()?;
            let floor = if field == "coverage_floor" {
                provisioning.coverage_floor
            } else {
                provisioning.allowance_floor
            };
            match floor {
                Some(value) => Out::Rate(value),
                None => Out::Text(tr(lang, "无", "none").to_string()),
            }
        }
        "pre_provision_return" => Out::Rate(drivers.capital.as_ref()?.pre_provision_return),
        "retention" => Out::Rate(drivers.capital.as_ref()?.retention),
        _ => return None,
    })
}

/// Is `column` one of the drivers (written on the defaults sheet)?
pub fn is_driver(column: &Column) -> bool {
    column.path.starts_with("drivers.") && column.kind != ColumnKind::Illustrative
}

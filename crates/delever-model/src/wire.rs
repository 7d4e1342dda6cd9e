//! A projection, an analysis request and its answers as bytes and back, exactly: how the page and the engine's Web Worker talk.
//!
//! Every decimal travels as its 16 bytes (`Decimal::serialize`), so a decoded projection is
//! bit for bit the one encoded (scale included), and decoding costs a copy, not a parse.
//! Targets are not carried: [`decode`] evaluates them again from the decoded series with the
//! scenario (`targets::evaluate`, the very function `Projection::build_with` calls), so they
//! are the same. Warnings are carried whole. Bytes that are not an encoding of this version
//! are refused with a [`WireError`], never a panic: the page then runs the scenario itself.

use rust_decimal::Decimal;

use crate::analysis::{
    Analysis, Band, Bar, Cell, Feasibility, GoalSeek, Lever, MonteCarlo, Request, Sensitivity,
};
use crate::output::{MonthMetrics, Projection, Series, YearEnd};
use crate::parts::Part;
use crate::scenario::Scenario;
use crate::targets::{self, Warning};

/// The first bytes of every encoding: what it holds, the format and its version.
const MAGIC: &[u8; 8] = b"DLVWIRE3";
const REQUEST_MAGIC: &[u8; 8] = b"DLVASK01";
const ANSWERS_MAGIC: &[u8; 8] = b"DLVANS01";
const PART_MAGIC: &[u8; 8] = b"DLVPART1";

/// The warning codes `targets::warnings` writes (a decoded code must be one of them; a test
/// below reads them off `targets.rs`).
const WARNING_CODES: [&str; 9] = [
    "actuals_roll_forward",
    "allowance_below_floor",
    "capital_negative",
    "coverage_below_floor",
    "disposal_shortfall",
    "formation_capped",
    "leverage_below_minimum",
    "national_average_2018",
    "target_never_binds",
];

/// Why bytes could not be decoded into a projection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    /// Not this format or not this version.
    Magic,
    /// The bytes end inside a value.
    Truncated,
    /// A tag, text or count that no encoding writes.
    Invalid(&'static str),
    /// Bytes left over after the projection.
    Trailing,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::Magic => write!(f, "not a Delever projection of this version"),
            WireError::Truncated => write!(f, "the projection's bytes end early"),
            WireError::Invalid(what) => write!(f, "invalid {what} in the projection's bytes"),
            WireError::Trailing => write!(f, "bytes after the projection"),
        }
    }
}

/// The projection's bytes (targets left out: [`decode`] evaluates them again).
pub fn encode(projection: &Projection) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(estimate(projection)));
    w.0.extend_from_slice(MAGIC);
    w.text(&projection.scenario);
    w.count(projection.months.len());
    for month in &projection.months {
        w.text(month);
    }
    w.series(&projection.region);
    for members in [&projection.zones, &projection.institutions] {
        w.count(members.len());
        for (name, series) in members {
            w.text(name);
            w.series(series);
        }
    }
    w.count(projection.warnings.len());
    for warning in &projection.warnings {
        w.warning(warning);
    }
    // With actuals (section 9): each target's value in the plan, and the tracking block, which
    // `decode` cannot derive from the scenario without running its plan.
    w.count(projection.targets.len());
    for target in &projection.targets {
        match target.planned {
            None => w.0.push(0),
            Some(planned) => {
                w.0.push(1);
                w.option(planned);
            }
        }
    }
    match &projection.tracking {
        None => w.0.push(0),
        Some(tracking) => {
            w.0.push(1);
            w.progress(&tracking.region);
            for members in [&tracking.zones, &tracking.institutions] {
                w.count(members.len());
                for (name, progress) in members {
                    w.text(name);
                    w.progress(progress);
                }
            }
        }
    }
    match &projection.plan {
        None => w.0.push(0),
        Some(plan) => {
            w.0.push(1);
            w.series(plan);
        }
    }
    w.0
}

/// The projection `bytes` encode, with its targets evaluated for `scenario` (the scenario
/// the projection was run for).
pub fn decode(bytes: &[u8], scenario: &Scenario) -> Result<Projection, WireError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(WireError::Magic);
    }
    let name = r.text()?;
    let months = r.list(|r| r.text())?;
    let region = r.series()?;
    let zones = r.list(|r| Ok((r.text()?, r.series()?)))?;
    let institutions = r.list(|r| Ok((r.text()?, r.series()?)))?;
    let warnings = r.list(Reader::warning)?;
    let planned = r.list(|r| if r.tag()? { r.option().map(Some) } else { Ok(None) })?;
    let tracking = if r.tag()? {
        let region = r.progress()?;
        let zones = r.list(|r| Ok((r.text()?, r.progress()?)))?;
        let institutions = r.list(|r| Ok((r.text()?, r.progress()?)))?;
        Some(crate::tracking::Tracking { region, zones, institutions })
    } else {
        None
    };
    let plan = if r.tag()? { Some(r.series()?) } else { None };
    if r.at != bytes.len() {
        return Err(WireError::Trailing);
    }
    let mut projection = Projection {
        scenario: name,
        months,
        region,
        zones,
        institutions,
        targets: Vec::new(),
        warnings,
        assessment: None,
        as_of: None,
        tracking,
        plan,
    };
    let as_of = scenario.as_of();
    if as_of > 0 {
        projection.as_of = Some(scenario.month_label(as_of).to_string());
        let series = std::iter::once(&mut projection.region)
            .chain(projection.zones.iter_mut().map(|(_, s)| s))
            .chain(projection.institutions.iter_mut().map(|(_, s)| s));
        for s in series {
            for month in s.monthly.iter_mut().take(as_of) {
                month.actual = true;
            }
        }
    }
    projection.targets = targets::evaluate(scenario, &projection);
    if planned.len() != projection.targets.len() {
        return Err(WireError::Invalid("planned values"));
    }
    for (target, planned) in projection.targets.iter_mut().zip(planned) {
        target.planned = planned;
    }
    projection.assessment =
        scenario.assessment.as_ref().map(|a| crate::division::assess(scenario, &projection, a));
    Ok(projection)
}

/// An analysis request's bytes (the page asks the worker with them).
pub fn encode_request(request: &Request) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(256));
    w.0.extend_from_slice(REQUEST_MAGIC);
    match request {
        Request::GoalSeek { lever, targets, each } => {
            w.0.push(0);
            w.text(lever.name());
            for ids in [targets, each] {
                w.count(ids.len());
                for id in ids {
                    w.text(id);
                }
            }
        }
        Request::Sensitivity { metric, year } => {
            w.0.push(1);
            w.text(metric);
            w.year(*year);
        }
        Request::Map { x, y, metric, steps } => {
            w.0.push(2);
            w.text(x.name());
            w.text(y.name());
            w.text(metric);
            w.count(*steps);
        }
        Request::MonteCarlo { paths, seed, cv } => {
            w.0.push(3);
            w.count(*paths);
            w.0.extend_from_slice(&seed.to_le_bytes());
            w.decimal(*cv);
        }
    }
    w.0
}

/// The request `bytes` encode.
pub fn decode_request(bytes: &[u8]) -> Result<Request, WireError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(REQUEST_MAGIC.len())? != REQUEST_MAGIC {
        return Err(WireError::Magic);
    }
    let request = match r.array::<1>()? {
        [0] => {
            let lever = r.lever()?;
            let targets = r.list(Reader::text)?;
            let each = r.list(Reader::text)?;
            Request::GoalSeek { lever, targets, each }
        }
        [1] => Request::Sensitivity { metric: r.text()?, year: r.year()? },
        [2] => Request::Map { x: r.lever()?, y: r.lever()?, metric: r.text()?, steps: r.count()? },
        [3] => {
            Request::MonteCarlo { paths: r.count()?, seed: u64::from_le_bytes(r.array()?), cv: r.decimal()? }
        }
        _ => return Err(WireError::Invalid("request")),
    };
    r.end()?;
    Ok(request)
}

/// A finished request's answers, in the request's order.
pub fn encode_answers(answers: &[Analysis]) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(4096));
    w.0.extend_from_slice(ANSWERS_MAGIC);
    w.count(answers.len());
    for answer in answers {
        w.analysis(answer);
    }
    w.0
}

/// The answers `bytes` encode.
pub fn decode_answers(bytes: &[u8]) -> Result<Vec<Analysis>, WireError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(ANSWERS_MAGIC.len())? != ANSWERS_MAGIC {
        return Err(WireError::Magic);
    }
    let answers = r.list(Reader::analysis)?;
    r.end()?;
    Ok(answers)
}

/// A projection's part (`crate::parts`), for the worker that merges the parts.
pub fn encode_part(part: &Part) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(part.sums.len().saturating_add(4096)));
    w.0.extend_from_slice(PART_MAGIC);
    w.count(part.first);
    w.count(part.institutions.len());
    for (id, series) in &part.institutions {
        w.text(id);
        w.series(series);
    }
    for values in [&part.plans, &part.npl_open] {
        w.count(values.len());
        for &d in values {
            w.decimal(d);
        }
    }
    w.count(part.capped.len());
    for capped in &part.capped {
        match *capped {
            None => w.0.push(0),
            Some((months, first)) => {
                w.0.push(1);
                w.count(months);
                w.count(first);
            }
        }
    }
    w.count(part.sums.len());
    w.0.extend_from_slice(&part.sums);
    w.0
}

/// The part `bytes` encode (its sums are checked only as [`crate::parts::merge`] reads them).
pub fn decode_part(bytes: &[u8]) -> Result<Part, WireError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(PART_MAGIC.len())? != PART_MAGIC {
        return Err(WireError::Magic);
    }
    let first = r.count()?;
    let institutions = r.list(|r| Ok((r.text()?, r.series()?)))?;
    let plans = r.list(Reader::decimal)?;
    let npl_open = r.list(Reader::decimal)?;
    let capped = r.list(|r| Ok(if r.tag()? { Some((r.count()?, r.count()?)) } else { None }))?;
    let n = r.count()?;
    let sums = r.take(n)?.to_vec();
    r.end()?;
    Ok(Part { first, institutions, plans, npl_open, capped, sums })
}

/// About how many bytes `projection` encodes to (to allocate once).
fn estimate(projection: &Projection) -> usize {
    let series = |s: &Series| {
        s.monthly.len().saturating_mul(22 * 17).saturating_add(s.year_ends.len().saturating_mul(36 * 17))
    };
    let members: usize =
        projection.zones.iter().chain(&projection.institutions).map(|(_, s)| series(s)).sum();
    series(&projection.region).saturating_add(members).saturating_add(4096)
}

struct Writer(Vec<u8>);

impl Writer {
    fn count(&mut self, n: usize) {
        self.0.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    }

    fn text(&mut self, text: &str) {
        self.count(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }

    fn decimal(&mut self, d: Decimal) {
        self.0.extend_from_slice(&d.serialize());
    }

    fn option(&mut self, d: Option<Decimal>) {
        match d {
            None => self.0.push(0),
            Some(d) => {
                self.0.push(1);
                self.decimal(d);
            }
        }
    }

    fn year(&mut self, year: Option<i32>) {
        match year {
            None => self.0.push(0),
            Some(y) => {
                self.0.push(1);
                self.0.extend_from_slice(&y.to_le_bytes());
            }
        }
    }

    fn progress(&mut self, p: &crate::tracking::Progress) {
        self.0.extend_from_slice(&p.year.to_le_bytes());
        self.text(&p.as_of);
        for d in [p.disposal_plan, p.disposal_to_date, p.scheduled_to_date] {
            self.decimal(d);
        }
        self.option(p.completion);
        self.decimal(p.behind);
        self.option(p.required_monthly);
        for d in [p.npl_vs_plan, p.loans_vs_plan, p.deposits_vs_plan] {
            self.decimal(d);
        }
        self.option(p.npl_ratio_vs_plan);
    }

    fn optional_text(&mut self, text: Option<&str>) {
        match text {
            None => self.0.push(0),
            Some(t) => {
                self.0.push(1);
                self.text(t);
            }
        }
    }

    fn series(&mut self, series: &Series) {
        self.count(series.monthly.len());
        for m in &series.monthly {
            self.month(m);
        }
        self.count(series.year_ends.len());
        for y in &series.year_ends {
            self.year_end(y);
        }
    }

    fn month(&mut self, m: &MonthMetrics) {
        self.text(&m.month);
        for d in [m.deposits, m.loans, m.performing, m.npl, m.provisions] {
            self.decimal(d);
        }
        for d in [m.tier1_capital, m.leverage_exposure, m.amc_stock] {
            self.option(d);
        }
        for d in [m.formation, m.disposal_plan, m.disposal, m.disposal_shortfall] {
            self.decimal(d);
        }
        for d in m.disposal_by_channel {
            self.decimal(d);
        }
        for d in [m.cash_recovered, m.assets_received, m.losses, m.provision_charge, m.new_lending] {
            self.decimal(d);
        }
    }

    fn year_end(&mut self, y: &YearEnd) {
        self.0.extend_from_slice(&y.year.to_le_bytes());
        for d in [y.deposits, y.loans, y.performing, y.npl, y.provisions] {
            self.decimal(d);
        }
        for d in [y.npl_ratio, y.coverage, y.allowance_ratio, y.ldr] {
            self.option(d);
        }
        for d in [y.formation, y.disposal] {
            self.decimal(d);
        }
        for d in y.disposal_by_channel {
            self.decimal(d);
        }
        for d in [y.disposal_plan, y.disposal_shortfall, y.disposal_h1] {
            self.decimal(d);
        }
        for d in [y.h1_share, y.write_off_share] {
            self.option(d);
        }
        for d in [y.cash_recovered, y.assets_received, y.losses, y.provision_charge, y.npl_change] {
            self.decimal(d);
        }
        for d in [
            y.adjusted_npl_ratio,
            y.tier1_capital,
            y.leverage_ratio,
            y.amc_stock,
            y.amc_disposal,
            y.amc_disposal_share,
        ] {
            self.option(d);
        }
    }

    fn analysis(&mut self, answer: &Analysis) {
        match answer {
            Analysis::GoalSeek(g) => {
                self.0.push(0);
                self.text(g.lever.name());
                self.decimal(g.from);
                self.decimal(g.to);
                self.count(g.targets.len());
                for id in &g.targets {
                    self.text(id);
                }
                self.count(g.intervals.len());
                for (from, to) in &g.intervals {
                    self.decimal(*from);
                    self.decimal(*to);
                }
            }
            Analysis::Sensitivity(s) => {
                self.0.push(1);
                self.text(&s.metric);
                self.0.extend_from_slice(&s.year.to_le_bytes());
                self.option(s.base);
                self.count(s.bars.len());
                for bar in &s.bars {
                    self.text(bar.lever.name());
                    self.decimal(bar.low);
                    self.decimal(bar.high);
                    self.option(bar.at_low);
                    self.option(bar.at_high);
                }
            }
            Analysis::Feasibility(f) => {
                self.0.push(2);
                self.text(f.x.name());
                self.text(f.y.name());
                for values in [&f.x_values, &f.y_values] {
                    self.count(values.len());
                    for v in values {
                        self.decimal(*v);
                    }
                }
                self.text(&f.metric);
                self.0.extend_from_slice(&f.year.to_le_bytes());
                self.count(f.cells.len());
                for row in &f.cells {
                    self.count(row.len());
                    for cell in row {
                        self.option(cell.value);
                        self.0.push(u8::from(cell.all_met));
                    }
                }
            }
            Analysis::MonteCarlo(m) => {
                self.0.push(3);
                self.count(m.paths);
                self.0.extend_from_slice(&m.seed.to_le_bytes());
                self.decimal(m.cv);
                self.count(m.failed);
                self.count(m.percentiles.len());
                for (metric, bands) in &m.percentiles {
                    self.text(metric);
                    self.count(bands.len());
                    for band in bands {
                        self.text(&band.month);
                        for v in band.values {
                            self.option(v);
                        }
                    }
                }
                self.count(m.targets.len());
                for (id, probability) in &m.targets {
                    self.text(id);
                    self.decimal(*probability);
                }
            }
        }
    }

    fn warning(&mut self, w: &Warning) {
        self.text(w.code);
        self.text(&w.message);
        self.text(&w.message_zh);
        self.optional_text(w.institution.as_deref());
        self.year(w.year);
        self.optional_text(w.target.as_deref());
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.at.checked_add(n).ok_or(WireError::Truncated)?;
        let taken = self.bytes.get(self.at..end).ok_or(WireError::Truncated)?;
        self.at = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn tag(&mut self) -> Result<bool, WireError> {
        match self.array::<1>()? {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(WireError::Invalid("tag")),
        }
    }

    fn count(&mut self) -> Result<usize, WireError> {
        usize::try_from(u32::from_le_bytes(self.array()?)).map_err(|_| WireError::Invalid("count"))
    }

    /// `count` items, each read by `item`; the count is held to the bytes left, so a corrupt
    /// count cannot ask for a huge allocation.
    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, WireError>,
    ) -> Result<Vec<T>, WireError> {
        let n = self.count()?;
        if n > self.bytes.len().saturating_sub(self.at) {
            return Err(WireError::Truncated);
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Ok(out)
    }

    fn text(&mut self) -> Result<String, WireError> {
        let n = self.count()?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map(str::to_string).map_err(|_| WireError::Invalid("text"))
    }

    fn decimal(&mut self) -> Result<Decimal, WireError> {
        let bytes: [u8; 16] = self.array()?;
        let d = Decimal::deserialize(bytes);
        // Only what `serialize` writes: a scale of at most 28 and no stray flag bits.
        if d.serialize() != bytes {
            return Err(WireError::Invalid("decimal"));
        }
        Ok(d)
    }

    fn option(&mut self) -> Result<Option<Decimal>, WireError> {
        if self.tag()? { self.decimal().map(Some) } else { Ok(None) }
    }

    fn decimals<const N: usize>(&mut self) -> Result<[Decimal; N], WireError> {
        let mut out = [Decimal::ZERO; N];
        for slot in &mut out {
            *slot = self.decimal()?;
        }
        Ok(out)
    }

    fn options<const N: usize>(&mut self) -> Result<[Option<Decimal>; N], WireError> {
        let mut out = [None; N];
        for slot in &mut out {
            *slot = self.option()?;
        }
        Ok(out)
    }

    fn year(&mut self) -> Result<Option<i32>, WireError> {
        if self.tag()? { Ok(Some(i32::from_le_bytes(self.array()?))) } else { Ok(None) }
    }

    fn optional_text(&mut self) -> Result<Option<String>, WireError> {
        if self.tag()? { self.text().map(Some) } else { Ok(None) }
    }

    fn progress(&mut self) -> Result<crate::tracking::Progress, WireError> {
        let year = i32::from_le_bytes(self.array()?);
        let as_of = self.text()?;
        let [disposal_plan, disposal_to_date, scheduled_to_date] = self.decimals()?;
        let completion = self.option()?;
        let behind = self.decimal()?;
        let required_monthly = self.option()?;
        let [npl_vs_plan, loans_vs_plan, deposits_vs_plan] = self.decimals()?;
        let npl_ratio_vs_plan = self.option()?;
        Ok(crate::tracking::Progress {
            year,
            as_of,
            disposal_plan,
            disposal_to_date,
            scheduled_to_date,
            completion,
            behind,
            required_monthly,
            npl_vs_plan,
            loans_vs_plan,
            deposits_vs_plan,
            npl_ratio_vs_plan,
        })
    }

    fn series(&mut self) -> Result<Series, WireError> {
        let monthly = self.list(Reader::month)?;
        let year_ends = self.list(Reader::year_end)?;
        Ok(Series { monthly, year_ends })
    }

    fn month(&mut self) -> Result<MonthMetrics, WireError> {
        let month = self.text()?;
        let [deposits, loans, performing, npl, provisions] = self.decimals()?;
        let [tier1_capital, leverage_exposure, amc_stock] = self.options()?;
        let [formation, disposal_plan, disposal, disposal_shortfall] = self.decimals()?;
        let disposal_by_channel = self.decimals()?;
        let [cash_recovered, assets_received, losses, provision_charge, new_lending] = self.decimals()?;
        Ok(MonthMetrics {
            month,
            deposits,
            loans,
            performing,
            npl,
            provisions,
            tier1_capital,
            leverage_exposure,
            amc_stock,
            formation,
            disposal_plan,
            disposal,
            disposal_shortfall,
            disposal_by_channel,
            cash_recovered,
            assets_received,
            losses,
            provision_charge,
            new_lending,
            // Set from the scenario by `decode` (the as-of month is the scenario's).
            actual: false,
        })
    }

    fn year_end(&mut self) -> Result<YearEnd, WireError> {
        let year = i32::from_le_bytes(self.array()?);
        let [deposits, loans, performing, npl, provisions] = self.decimals()?;
        let [npl_ratio, coverage, allowance_ratio, ldr] = self.options()?;
        let [formation, disposal] = self.decimals()?;
        let disposal_by_channel = self.decimals()?;
        let [disposal_plan, disposal_shortfall, disposal_h1] = self.decimals()?;
        let [h1_share, write_off_share] = self.options()?;
        let [cash_recovered, assets_received, losses, provision_charge, npl_change] = self.decimals()?;
        let [adjusted_npl_ratio, tier1_capital, leverage_ratio, amc_stock, amc_disposal, amc_disposal_share] =
            self.options()?;
        Ok(YearEnd {
            year,
            deposits,
            loans,
            performing,
            npl,
            provisions,
            npl_ratio,
            coverage,
            allowance_ratio,
            ldr,
            formation,
            disposal,
            disposal_by_channel,
            disposal_plan,
            disposal_shortfall,
            disposal_h1,
            h1_share,
            write_off_share,
            cash_recovered,
            assets_received,
            losses,
            provision_charge,
            npl_change,
            adjusted_npl_ratio,
            tier1_capital,
            leverage_ratio,
            amc_stock,
            amc_disposal,
            amc_disposal_share,
        })
    }

    fn end(&self) -> Result<(), WireError> {
        if self.at == self.bytes.len() { Ok(()) } else { Err(WireError::Trailing) }
    }

    fn lever(&mut self) -> Result<Lever, WireError> {
        let name = self.text()?;
        Lever::parse(&name).map_err(|_| WireError::Invalid("lever"))
    }

    fn analysis(&mut self) -> Result<Analysis, WireError> {
        Ok(match self.array::<1>()? {
            [0] => Analysis::GoalSeek(GoalSeek {
                lever: self.lever()?,
                from: self.decimal()?,
                to: self.decimal()?,
                targets: self.list(Reader::text)?,
                intervals: self.list(|r| Ok((r.decimal()?, r.decimal()?)))?,
            }),
            [1] => Analysis::Sensitivity(Sensitivity {
                metric: self.text()?,
                year: i32::from_le_bytes(self.array()?),
                base: self.option()?,
                bars: self.list(|r| {
                    Ok(Bar {
                        lever: r.lever()?,
                        low: r.decimal()?,
                        high: r.decimal()?,
                        at_low: r.option()?,
                        at_high: r.option()?,
                    })
                })?,
            }),
            [2] => Analysis::Feasibility(Feasibility {
                x: self.lever()?,
                y: self.lever()?,
                x_values: self.list(Reader::decimal)?,
                y_values: self.list(Reader::decimal)?,
                metric: self.text()?,
                year: i32::from_le_bytes(self.array()?),
                cells: self.list(|r| r.list(|r| Ok(Cell { value: r.option()?, all_met: r.tag()? })))?,
            }),
            [3] => Analysis::MonteCarlo(MonteCarlo {
                paths: self.count()?,
                seed: u64::from_le_bytes(self.array()?),
                cv: self.decimal()?,
                failed: self.count()?,
                percentiles: self.list(|r| {
                    let metric = r.text()?;
                    let bands = r.list(|r| Ok(Band { month: r.text()?, values: r.options()? }))?;
                    Ok((metric, bands))
                })?,
                targets: self.list(|r| Ok((r.text()?, r.decimal()?)))?,
            }),
            _ => return Err(WireError::Invalid("analysis")),
        })
    }

    fn warning(&mut self) -> Result<Warning, WireError> {
        let code = self.text()?;
        let code =
            WARNING_CODES.iter().find(|c| **c == code).copied().ok_or(WireError::Invalid("warning code"))?;
        Ok(Warning {
            code,
            message: self.text()?,
            message_zh: self.text()?,
            institution: self.optional_text()?,
            year: self.year()?,
            target: self.optional_text()?,
        })
    }
}

#[cfg(test)]
mod tests {
    /// Every code `targets.rs` gives `Warning::new` is one [`super::decode`] accepts.
    #[test]
    fn every_warning_code_is_known() {
        let source = include_str!("targets.rs");
        let mut found = 0;
        for (at, _) in source.match_indices("Warning::new(") {
            let rest = source.get(at..).unwrap_or_default();
            let code = rest.split('"').nth(1).unwrap_or_default();
            if code.is_empty() || rest.starts_with("Warning::new(code") {
                continue;
            }
            found += 1;
            assert!(
                super::WARNING_CODES.contains(&code),
                "warning code {code} is not in wire::WARNING_CODES"
            );
        }
        assert!(found >= super::WARNING_CODES.len(), "found only {found} codes in targets.rs");
    }
}

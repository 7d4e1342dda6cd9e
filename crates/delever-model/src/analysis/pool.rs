//! [`RequestPart`]: an analysis request cut into parts for a pool of Web Workers (Monte Carlo paths, map rows), each finished part as bytes, and the merge of those bytes into the request's one answer.
//!
//! A part is [`MonteCarloPart`] or [`FeasibilityPart`], so it computes exactly what the
//! same paths or rows compute in one run. Its bytes carry only what it collected (each
//! decimal as its 16 bytes, so nothing is rounded or parsed); the merge rebuilds each part
//! from the request and the scenario and fills it with those collections, then joins the
//! parts in order (`monte_carlo_merge`, `feasibility_merge`): the answer is the one-run
//! answer in every digit. Bytes that do not fit the request are refused, never a panic.

use std::ops::Range;

use rust_decimal::Decimal;

use super::{
    Analysis, Cell, FeasibilityPart, MonteCarloOptions, MonteCarloPart, Request, feasibility_merge,
    monte_carlo_merge,
};
use crate::error::Error;
use crate::scenario::Scenario;

/// The first bytes of a part's encoding, and its version.
const MAGIC: &[u8; 8] = b"DLVPRT01";

/// One part of a request that splits (Monte Carlo, the feasibility map).
#[derive(Debug)]
pub enum RequestPart {
    MonteCarlo(Box<MonteCarloPart>),
    Map(Box<FeasibilityPart>),
}

/// Why a merge did not give the request's answer.
#[derive(Debug, PartialEq)]
pub enum MergeError {
    /// The engine refused the request (as the whole run would have).
    Engine(Error),
    /// The parts' bytes are not finished parts of this request covering it once, in order.
    Parts,
}

impl From<Error> for MergeError {
    fn from(error: Error) -> MergeError {
        MergeError::Engine(error)
    }
}

/// How many units (paths, rows) `request` splits into across workers; `None` when it runs whole.
pub fn units(request: &Request) -> Option<usize> {
    match request {
        Request::MonteCarlo { paths, .. } => Some(*paths),
        Request::Map { steps, .. } => Some(*steps),
        Request::GoalSeek { .. } | Request::Sensitivity { .. } => None,
    }
}

fn options(paths: usize, seed: u64, cv: Decimal) -> MonteCarloOptions {
    MonteCarloOptions { paths, seed, cv, ..MonteCarloOptions::default() }
}

impl RequestPart {
    /// The part of `request` on `scenario` for the units `range`; `None` when the request
    /// does not split. Errors: the engine's for the whole request.
    pub fn new(
        request: &Request,
        scenario: &Scenario,
        range: Range<usize>,
    ) -> Result<Option<RequestPart>, Error> {
        Ok(match request {
            Request::MonteCarlo { paths, seed, cv } => Some(RequestPart::MonteCarlo(Box::new(
                MonteCarloPart::new(scenario, &options(*paths, *seed, *cv), range)?,
            ))),
            Request::Map { x, y, metric, steps } => Some(RequestPart::Map(Box::new(FeasibilityPart::new(
                scenario,
                (*x, *y),
                *steps,
                (Some(metric.as_str()), None),
                range,
            )?))),
            Request::GoalSeek { .. } | Request::Sensitivity { .. } => None,
        })
    }

    /// Runs up to `max_runs` more simulations; `true` once the part is done.
    pub fn run(&mut self, max_runs: usize) -> bool {
        match self {
            RequestPart::MonteCarlo(part) => part.run(max_runs),
            RequestPart::Map(part) => part.run(max_runs),
        }
    }

    /// Units (paths, rows) done and in the part.
    pub fn progress(&self) -> (usize, usize) {
        match self {
            RequestPart::MonteCarlo(part) => (part.done(), part.0.paths().len()),
            RequestPart::Map(part) => (part.rows_done(), part.job.row_range().len()),
        }
    }

    /// The units (paths, rows) of the part.
    fn range(&self) -> Range<usize> {
        match self {
            RequestPart::MonteCarlo(part) => part.0.paths(),
            RequestPart::Map(part) => part.job.row_range(),
        }
    }

    /// A finished part's collections as bytes, or the error that ended its run (the whole
    /// run's error); `None` while it runs.
    pub fn result(&self) -> Option<Result<Vec<u8>, Error>> {
        if let RequestPart::Map(part) = self
            && let Some(Err(error)) = &part.answer
        {
            return Some(Err(error.clone()));
        }
        self.to_bytes().map(Ok)
    }

    /// A finished part's collections as bytes; `None` before it has finished (or when its run failed).
    fn to_bytes(&self) -> Option<Vec<u8>> {
        let mut out = Writer(MAGIC.to_vec());
        let range = self.range();
        out.count(range.start);
        out.count(range.end);
        match self {
            RequestPart::MonteCarlo(part) => {
                let (values, met_counts, failed) = part.0.collected()?;
                out.0.push(0);
                out.count(failed);
                out.count(met_counts.len());
                for &count in met_counts {
                    out.count(count);
                }
                out.count(values.len());
                for metric in values {
                    out.count(metric.len());
                    for month in metric {
                        out.count(month.len());
                        for value in month {
                            out.0.extend_from_slice(&value.serialize());
                        }
                    }
                }
            }
            RequestPart::Map(part) => {
                let answer = part.answer.as_ref()?.as_ref().ok()?;
                out.0.push(1);
                out.count(answer.cells.len());
                for row in &answer.cells {
                    out.count(row.len());
                    for cell in row {
                        out.0.push(u8::from(cell.all_met));
                        match cell.value {
                            None => out.0.push(0),
                            Some(v) => {
                                out.0.push(1);
                                out.0.extend_from_slice(&v.serialize());
                            }
                        }
                    }
                }
            }
        }
        Some(out.0)
    }

    /// Fills this (unrun) part with the collections in `bytes`; `None` when they do not fit it.
    fn fill(&mut self, bytes: &[u8]) -> Option<()> {
        let mut r = Reader(bytes.strip_prefix(MAGIC.as_slice())?);
        let range = self.range();
        (r.count()? == range.start && r.count()? == range.end).then_some(())?;
        match self {
            RequestPart::MonteCarlo(part) => {
                (r.byte()? == 0).then_some(())?;
                let failed = r.count()?;
                let targets = r.count()?;
                let met_counts = (0..targets).map(|_| r.count()).collect::<Option<Vec<_>>>()?;
                let metrics = r.count()?;
                let mut values = Vec::with_capacity(metrics.min(64));
                for _ in 0..metrics {
                    let months = r.count()?;
                    let mut metric = Vec::with_capacity(months.min(1024));
                    for _ in 0..months {
                        let n = r.count()?;
                        metric.push((0..n).map(|_| r.decimal()).collect::<Option<Vec<_>>>()?);
                    }
                    values.push(metric);
                }
                r.end()?;
                part.0.finish_with(values, met_counts, failed).then_some(())
            }
            RequestPart::Map(part) => {
                (r.byte()? == 1).then_some(())?;
                let rows = r.count()?;
                let mut cells = Vec::with_capacity(rows.min(1024));
                for _ in 0..rows {
                    let n = r.count()?;
                    let mut row = Vec::with_capacity(n.min(1024));
                    for _ in 0..n {
                        let all_met = match r.byte()? {
                            0 => false,
                            1 => true,
                            _ => return None,
                        };
                        let value = match r.byte()? {
                            0 => None,
                            1 => Some(r.decimal()?),
                            _ => return None,
                        };
                        row.push(Cell { value, all_met });
                    }
                    cells.push(row);
                }
                r.end()?;
                part.answer = Some(Ok(part.job.answer_with(cells)?));
                Some(())
            }
        }
    }
}

/// The answers of `request` on `scenario` from the bytes of its finished parts, which cover
/// its units once, in order, as [`split`] cut them: exactly the one-run answers.
pub fn merge(request: &Request, scenario: &Scenario, parts: &[Vec<u8>]) -> Result<Vec<Analysis>, MergeError> {
    let total = units(request).ok_or(MergeError::Parts)?;
    let ranges = super::split_range(total, parts.len());
    if ranges.len() != parts.len() {
        return Err(MergeError::Parts);
    }
    let mut rebuilt = Vec::with_capacity(parts.len());
    for (range, bytes) in ranges.into_iter().zip(parts) {
        let mut part = RequestPart::new(request, scenario, range)?.ok_or(MergeError::Parts)?;
        part.fill(bytes).ok_or(MergeError::Parts)?;
        rebuilt.push(part);
    }
    let answer = match request {
        Request::MonteCarlo { .. } => monte_carlo_merge(
            rebuilt
                .into_iter()
                .filter_map(|p| if let RequestPart::MonteCarlo(p) = p { Some(*p) } else { None })
                .collect(),
        )
        .map(Analysis::MonteCarlo),
        _ => feasibility_merge(
            rebuilt
                .into_iter()
                .filter_map(|p| if let RequestPart::Map(p) = p { Some(*p) } else { None })
                .collect(),
        )
        .map(Analysis::Feasibility),
    };
    answer.map(|a| vec![a]).ok_or(MergeError::Parts)
}

/// The ranges of units each of `workers` parts of `request` computes (fewer when there are
/// fewer units than workers); empty when the request does not split.
pub fn split(request: &Request, workers: usize) -> Vec<Range<usize>> {
    units(request).map(|total| super::split_range(total, workers)).unwrap_or_default()
}

struct Writer(Vec<u8>);

impl Writer {
    fn count(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u64).to_le_bytes());
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }

    /// A count, which must fit the bytes left (each counted item takes at least one byte).
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(u64::from_le_bytes(self.take::<8>()?)).ok()?;
        (n <= self.0.len().saturating_add(1 << 20)).then_some(n)
    }

    /// Only what `serialize` writes: a scale of at most 28 and no stray flag bits.
    fn decimal(&mut self) -> Option<Decimal> {
        let bytes = self.take::<16>()?;
        let d = Decimal::deserialize(bytes);
        (d.serialize() == bytes).then_some(d)
    }

    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

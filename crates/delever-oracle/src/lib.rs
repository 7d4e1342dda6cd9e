//! The oracle: MODEL.md sections 2–5 and 9–10 written again from the text alone, in exact rationals.
//!
//! A second implementation of the contract, deliberately plain, sharing no code with
//! `delever-model`, used only by tests: `tests/it` runs generated scenarios through both and
//! requires them to agree field by field.
//!
//! **Rounding.** The contract's engine computes in 28-digit decimals and rounds wherever a
//! product or quotient has more digits (the divisions by 12, the pacing weights, the shares
//! of a region plan …). The oracle does not imitate that rounding: every quantity here is
//! an exact rational, and a comparison allows the contract's own slack (section 1: no
//! reordering may move a result by more than 1e-20) scaled to the scenario's amounts. The
//! one rounding the contract asks for as a result, a target's 8-place half-even comparison
//! (section 2), the oracle does exactly ([`number::round_half_even`]).
//!
//! Ratios are compared within 1e-20, widened to the amount tolerance carried through the
//! quotient (`tol × (1 + |q|) / |den|`) where a small denominator makes that larger: a
//! coverage of 7e5 over a nearly cleared NPL cannot agree to 1e-20 when the NPL itself may
//! differ by the amount tolerance. A ratio whose denominator is within the amount tolerance of
//! zero is left out (null or not is then a matter of digits) and counted.
//!
//! **Where the text leaves a choice**, the oracle's reading: a stop (section 3, line "If
//! performing loans would turn negative") is reported year by year, then institution by
//! institution, the first institution of the year that fails (section 3 reads "for each
//! institution, months m = 1 …", and a region plan's sharing needs every opening of a year);
//! deposits below zero (possible in section 9's re-forecast from a small report with negative
//! growth) do not stop a run, they are noted ([`simulate::Run::negative_deposits`]); the
//! monthly `disposal_shortfall` and `new_lending` of a reported month are not defined by the
//! contract and not compared.
//!
//! **Validation** is the engine's job: the oracle reads a file the engine accepted and
//! checks no ranges.
//!
//! Where a discrete outcome hangs on a value within the tolerance of its boundary (a region
//! plan's sharing branch on a zero sum, a stock at zero, a target at the rounding
//! midpoint), the oracle says so ([`simulate::Run::fragile_from`], [`simulate::Failure::near_boundary`])
//! and the comparison leaves that outcome out and counts it.

pub mod analysis;
pub mod division;
pub mod number;
pub mod output;
pub mod scenario;
pub mod simulate;

pub use number::Q;
pub use output::{Projection, project};
pub use scenario::{Scenario, read};

use num_traits::{One, Signed};

/// `1e-20 × (1 + the scenario's largest opening amount)`: the amount tolerance of the comparison.
pub fn amount_tolerance(s: &Scenario) -> Q {
    let mut largest = Q::from_integer(0.into());
    let mut see = |q: &Q| {
        if q.abs() > largest {
            largest = q.abs();
        }
    };
    for inst in &s.institutions {
        see(&inst.deposits);
        see(&inst.loans);
        see(&inst.npl);
        see(&inst.provisions);
        if let Some((k, e)) = &inst.capital {
            see(k);
            see(e);
        }
    }
    if let Some(amc) = &s.amc {
        see(&amc.opening_stock);
    }
    number::ten_pow_neg(20) * (Q::one() + largest)
}

/// The ratio tolerance, 1e-20.
pub fn ratio_tolerance() -> Q {
    number::ten_pow_neg(20)
}

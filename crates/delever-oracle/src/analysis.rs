//! Section 5: goal seek, feasibility map and Monte Carlo on the oracle.
pub fn _placeholder() {}

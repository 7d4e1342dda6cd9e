//! Integration tests of the spreadsheet crate: round trips, malformed files, and inputs that must never panic.

mod support;

#[cfg(not(target_arch = "wasm32"))]
// One helper for every crate's property suites, the engine's (its module doc says why).
#[path = "../../../delever-model/tests/common/cases.rs"]
mod cases;

mod actuals;
mod decomposition;
mod docs;
mod malformed;
#[cfg(not(target_arch = "wasm32"))]
mod never_panics;
mod roundtrip;

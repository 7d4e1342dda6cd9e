//! Integration tests of the whole repository (one binary): tidy checks of the house rules, the page's state machine
//! under random actions, hostile addresses and messages (`attack`), and the lever matrix.

mod apply;
mod attack;
// One helper for every crate's property suites, the engine's (its module doc says why).
#[path = "../../crates/delever-model/tests/common/cases.rs"]
mod cases;
mod check;
mod levers_matrix;
mod off_thread;
mod renders;
mod tidy;

//! Property tests run for the count each suite was written for, whatever `PROPTEST_CASES` says
//! (the same helper as the engine's `tests/common/cases.rs`: test crates share no code).
//!
//! proptest's `proptest!` macro passes every suite's config through `contextualize_config`,
//! which lets the `PROPTEST_CASES` variable replace the suite's own `cases` (a 10,000 meant
//! for the engine's invariants would also run a slow suite written for 256). [`run`] builds the
//! runner itself, so the count written in the test is the count run; the other `PROPTEST_*`
//! variables (a seed, verbosity) still apply through `ProptestConfig::default()`.

use std::fmt::Debug;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseResult, TestRunner};

/// Where failures are saved and replayed from: `NAME.proptest-regressions` beside the test's
/// `NAME.rs`, the file committed with each suite (its seeds run before any new case).
pub const PERSISTENCE: FileFailurePersistence = FileFailurePersistence::WithSource("proptest-regressions");

/// Runs `test` on exactly `cases` values of `strategy` (after the persisted failures of
/// `source_file`, which is the caller's `file!()`), and panics with the shrunk failure.
pub fn run<S: Strategy>(
    source_file: &'static str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> TestCaseResult,
) where
    S::Value: Debug,
{
    let config = Config {
        cases,
        source_file: Some(source_file),
        failure_persistence: Some(Box::new(PERSISTENCE)),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{failure}\n{runner}");
    }
}

//! The command line's core, shared with the page's JavaScript API: its error messages and its requests.
//!
//! `window.delever` must answer exactly as `delever-cli … --format json` does, errors
//! included, so both call these: [`request`] checks the arguments and calls the engine in
//! the command line's order, [`diagnostic`] words every problem in English and Chinese.

pub mod diagnostic;
pub mod request;

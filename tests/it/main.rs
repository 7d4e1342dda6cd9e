//! Integration tests of the whole repository (one binary): tidy checks of the house rules.

mod apply;
mod tidy;

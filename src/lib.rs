//! Delever's web app: a Yew front end over the `delever-model` engine, compiled to WebAssembly.
//!
//! `main.rs` only mounts [`app::App`]; the modules are public so native tests reach them.

#![forbid(unsafe_code)]

pub mod actuals;
pub mod analyses;
pub mod app;
pub mod charts;
pub mod codec;
pub mod components;
pub mod embed;
pub mod export;
pub mod fields;
pub mod format;
pub mod i18n;
pub mod path;
pub mod persist;
pub mod png;
pub mod state;
pub mod timing;
pub mod web;

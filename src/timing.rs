//! Stages of an update, timed as `performance.measure` entries in the browser (and not at all natively, where there is no page to profile).

/// Runs `work`, and in the browser records how long it took as the measure `name`.
pub fn span<T>(name: &str, work: impl FnOnce() -> T) -> T {
    if !cfg!(target_arch = "wasm32") {
        return work();
    }
    let start = crate::web::now_ms();
    let result = work();
    crate::web::measure(name, start);
    result
}

/// The page's clock in milliseconds (0 natively), for a measure that spans callbacks.
pub fn now() -> f64 {
    if cfg!(target_arch = "wasm32") { crate::web::now_ms() } else { 0.0 }
}

/// Records the measure `name` from `start` (from [`now`]) until now, in the browser.
pub fn since(name: &str, start: f64) {
    if cfg!(target_arch = "wasm32") {
        crate::web::measure(name, start);
    }
}

//! `newsdedup._core`: the thin binding over `newsdedup-core`.
//!
//! Converts Python arguments into plain Rust values, releases the GIL for the work,
//! and hands results back in bulk (bytes and lists), never one call per word.

use pyo3::prelude::*;

mod batch;
mod changes;
mod clean;
mod dates;
mod documents;
mod explain;
mod fingerprint;
mod index;
mod page;
mod parameters;
mod pool;
mod prepare;
mod pytext;
mod read;
mod report;
mod serial;
mod shards;

#[pymodule]
fn _core(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("UNICODE_VERSION", newsdedup_core::pyunicode::UNICODE_VERSION)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    changes::register(module)?;
    clean::register(module)?;
    dates::register(module)?;
    documents::register(module)?;
    explain::register(module)?;
    fingerprint::register(module)?;
    parameters::register(module)?;
    prepare::register(module)?;
    serial::register(module)?;
    shards::register(module)?;
    index::register(module)?;
    page::register(module)?;
    read::register(module)?;
    report::register(module)?;
    Ok(())
}

//! The page reader (`newsdedup.webpage`): pages parsed as a browser does and their articles
//! found, a batch at a time, in parallel with the GIL released.

use std::borrow::Cow;

use newsdedup_core::page;
use pyo3::prelude::*;
use pyo3::types::PyString;
use rayon::prelude::*;

use crate::pool::with_threads;

/// (article text, title, source, published, url, language, byline).
type PageRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn row(read: page::Page) -> PageRow {
    let meta = read.metadata;
    (
        read.text,
        meta.title,
        meta.source,
        meta.published,
        meta.url,
        meta.language,
        meta.byline,
    )
}

/// Each page's article text and metadata, in input order for any thread count. A lone
/// surrogate (never in text decoded from bytes) reads as U+FFFD.
#[pyfunction]
#[pyo3(signature = (pages, threads = 0))]
fn read_pages(py: Python<'_>, pages: Vec<Bound<'_, PyString>>, threads: usize) -> PyResult<Vec<PageRow>> {
    let texts: Vec<Cow<'_, str>> = pages.iter().map(|html| html.to_string_lossy()).collect();
    py.detach(|| {
        with_threads(threads, || {
            texts.par_iter().map(|html| row(page::read(html))).collect()
        })
    })
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(read_pages, module)?)
}

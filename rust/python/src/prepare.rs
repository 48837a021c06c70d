//! `prepare_batch`: the pipeline's per-article work, cleaning then fingerprinting, in one call.
//!
//! The body stays in Rust between the two stages, so only the Document's fields and the
//! NDF1 fingerprint cross back; the body itself only when the caller keeps bodies.

use newsdedup_core::clean::{clean, Article, Cleaned};
use newsdedup_core::codec::encode_fingerprint;
use newsdedup_core::fingerprint::{fingerprint, FingerprintError, FingerprintSettings};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use rayon::prelude::*;

use crate::batch::ArticleBatch;
use crate::clean::{document_row, CleanSettings};
use crate::fingerprint::{overflow, permutations_of};
use crate::pool::with_threads;
use crate::pytext::{optional_text, python_text};

/// Each article's (Document fields after id and path, NDF1 fingerprint of its body), in
/// input order, for any thread count. Without `keep_bodies` the body comes back empty.
#[pyfunction]
#[pyo3(signature = (
    articles, clean_settings, shingle_size, permutations_a, permutations_b, seed, keep_bodies = false, threads = 0
))]
#[allow(clippy::too_many_arguments)]
fn prepare_batch<'py>(
    py: Python<'py>,
    articles: &ArticleBatch,
    clean_settings: &CleanSettings,
    shingle_size: usize,
    permutations_a: &[u8],
    permutations_b: &[u8],
    seed: u64,
    keep_bodies: bool,
    threads: usize,
) -> PyResult<Vec<(Bound<'py, PyTuple>, Bound<'py, PyBytes>)>> {
    let fingerprinting = FingerprintSettings {
        shingle_size,
        permutations: permutations_of(permutations_a, permutations_b)?,
        seed,
    };
    let held = &articles.articles;
    let inputs: Vec<Article<'_>> = held.iter().map(|held| held.record.article()).collect();
    let cleaning = &clean_settings.inner;
    let prepared: Vec<(Cleaned, Result<Vec<u8>, FingerprintError>)> = py.detach(|| {
        with_threads(threads, || {
            inputs
                .par_iter()
                .map(|article| {
                    let mut cleaned = clean(article, cleaning);
                    let encoded = fingerprint(&cleaned.body, &fingerprinting)
                        .and_then(|found| encode_fingerprint(&found));
                    if !keep_bodies {
                        cleaned.body = String::new();
                    }
                    (cleaned, encoded)
                })
                .collect()
        })
    })?;
    held.iter()
        .zip(prepared)
        .map(|(held, (cleaned, encoded))| {
            let encoded = encoded.map_err(overflow)?;
            let (record, surrogates) = (&held.record, held.surrogates);
            let url = optional_text(py, record.url.as_deref(), surrogates)?.into_pyobject(py)?;
            let encoding = python_text(py, &record.encoding, surrogates)?.into_any();
            Ok((
                document_row(py, url, encoding, cleaned, surrogates)?,
                PyBytes::new(py, &encoded),
            ))
        })
        .collect()
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(prepare_batch, module)?)?;
    Ok(())
}

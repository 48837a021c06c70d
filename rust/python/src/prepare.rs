//! `prepare_batch`: the pipeline's per-article work, cleaning then fingerprinting, in one call.
//!
//! The articles arrive held in Rust (`ArticleBatch`) and the body stays in Rust between the
//! two stages. The documents go into a `DocumentTable` without becoming Python objects (the
//! body only when the caller keeps bodies); only the NDF2 fingerprints cross back.

use newsdedup_core::clean::{clean, Article, Cleaned};
use newsdedup_core::codec::encode_fingerprint;
use newsdedup_core::fingerprint::{fingerprint, FingerprintError, FingerprintSettings};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;

use crate::batch::ArticleBatch;
use crate::clean::CleanSettings;
use crate::documents::{push_document, table_error, DocumentTable, PassedFields};
use crate::fingerprint::{overflow, permutations_of};
use crate::pool::with_threads;

/// Each article's NDF2 fingerprint of its body, in input order, for any thread count; its
/// document is appended to `documents`, in the same order (the body empty without
/// `keep_bodies`). When a fingerprint fails, no document is appended.
#[pyfunction]
#[pyo3(signature = (
    articles, documents, clean_settings, shingle_size, permutations_a, permutations_b, seed, keep_bodies = false,
    threads = 0
))]
#[allow(clippy::too_many_arguments)]
fn prepare_batch<'py>(
    py: Python<'py>,
    articles: &ArticleBatch,
    documents: &DocumentTable,
    clean_settings: &CleanSettings,
    shingle_size: usize,
    permutations_a: &[u8],
    permutations_b: &[u8],
    seed: u64,
    keep_bodies: bool,
    threads: usize,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let fingerprinting = FingerprintSettings {
        shingle_size,
        permutations: permutations_of(permutations_a, permutations_b)?,
        seed,
    };
    let held = &articles.articles;
    let inputs: Vec<Article<'_>> = held.iter().map(|held| held.record.article()).collect();
    let cleaning = &clean_settings.inner;
    let encoded: Vec<Vec<u8>> = py.detach(|| -> PyResult<Vec<Vec<u8>>> {
        let prepared: Vec<(Cleaned, Result<Vec<u8>, FingerprintError>)> = with_threads(threads, || {
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
        })?;
        let (cleaned, encoded): (Vec<Cleaned>, Vec<_>) = prepared.into_iter().unzip();
        let encoded = encoded
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(overflow)?;
        let mut table = documents.table();
        for (held, cleaned) in held.iter().zip(&cleaned) {
            let passed = PassedFields::of(&held.record, held.surrogates);
            push_document(&mut table, &passed, cleaned, held.surrogates).map_err(table_error)?;
        }
        Ok(encoded)
    })?;
    Ok(encoded.iter().map(|encoded| PyBytes::new(py, encoded)).collect())
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(prepare_batch, module)?)?;
    Ok(())
}

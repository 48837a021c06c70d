//! Fingerprints and the text functions under them, a batch of texts per call.
//!
//! `fingerprint_batch` is what the pipeline needs; the other functions expose the pieces
//! (`newsdedup.text`'s) so that tests compare them with the Python version one by one.
//! Arrays come back as little-endian bytes (`numpy.frombuffer`). Lone surrogates in a
//! text are read as U+FFFD, which every piece treats as CPython treats a surrogate
//! (neither a word character, nor a space, nor cased), so fingerprints are unchanged.

use std::borrow::Cow;

use newsdedup_core::codec::encode_fingerprint;
use newsdedup_core::fingerprint::{fingerprint, FingerprintError, FingerprintSettings};
use newsdedup_core::hash::{hash_words, near_spelling_hashes, shingles_of};
use newsdedup_core::minhash::{minhash, Permutations};
use newsdedup_core::text::{
    anchors_and_names, case_counts, normalize, tokens, tokens_and_anchors, word_count, AnchorsAndNames,
};
use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use rayon::prelude::*;

use crate::pool::with_threads;

fn read_texts<'a>(strings: &'a [Bound<'_, PyString>]) -> Vec<Cow<'a, str>> {
    strings.iter().map(|string| string.to_string_lossy()).collect()
}

fn words(strings: &[String]) -> Vec<&str> {
    strings.iter().map(String::as_str).collect()
}

/// Little-endian u32s of `data` (numpy's `<u4` bytes).
fn u32s(what: &str, data: &[u8]) -> PyResult<Vec<u32>> {
    if !data.len().is_multiple_of(4) {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of uint32",
            data.len()
        )));
    }
    Ok(data
        .chunks_exact(4)
        .map(|chunk| u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
        .collect())
}

fn u32_bytes(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|value| value.to_le_bytes()).collect()
}

fn u64_bytes(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|value| value.to_le_bytes()).collect()
}

pub(crate) fn permutations_of(permutations_a: &[u8], permutations_b: &[u8]) -> PyResult<Permutations> {
    let a = u32s("permutations_a", permutations_a)?;
    let b = u32s("permutations_b", permutations_b)?;
    Permutations::new(a, b).map_err(|error| PyValueError::new_err(error.to_string()))
}

pub(crate) fn overflow(error: FingerprintError) -> PyErr {
    PyOverflowError::new_err(error.to_string())
}

/// The NDF2 bytes (`codec.encode_fingerprint`) of each body's fingerprint, in input order.
#[pyfunction]
#[pyo3(signature = (bodies, shingle_size, permutations_a, permutations_b, seed, threads = 0))]
fn fingerprint_batch<'py>(
    py: Python<'py>,
    bodies: Vec<Bound<'py, PyString>>,
    shingle_size: usize,
    permutations_a: &[u8],
    permutations_b: &[u8],
    seed: u64,
    threads: usize,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let settings = FingerprintSettings {
        shingle_size,
        permutations: permutations_of(permutations_a, permutations_b)?,
        seed,
    };
    let bodies = read_texts(&bodies);
    let encoded: Vec<Result<Vec<u8>, FingerprintError>> = py.detach(|| {
        with_threads(threads, || {
            bodies
                .par_iter()
                .map(|body| fingerprint(body, &settings).and_then(|found| encode_fingerprint(&found)))
                .collect()
        })
    })?;
    encoded
        .into_iter()
        .map(|result| result.map(|data| PyBytes::new(py, &data)).map_err(overflow))
        .collect()
}

/// `text.normalize` of each text.
#[pyfunction]
fn normalize_batch(py: Python<'_>, texts: Vec<Bound<'_, PyString>>) -> Vec<String> {
    let texts = read_texts(&texts);
    py.detach(|| texts.par_iter().map(|text| normalize(text)).collect())
}

/// `text.tokens` of each text.
#[pyfunction]
fn tokens_batch(py: Python<'_>, texts: Vec<Bound<'_, PyString>>) -> Vec<Vec<String>> {
    let texts = read_texts(&texts);
    py.detach(|| {
        texts
            .par_iter()
            .map(|text| tokens(text).iter().map(String::from).collect())
            .collect()
    })
}

/// `text.word_count` of each text.
#[pyfunction]
fn word_count_batch(py: Python<'_>, texts: Vec<Bound<'_, PyString>>) -> Vec<usize> {
    let texts = read_texts(&texts);
    py.detach(|| texts.par_iter().map(|text| word_count(text)).collect())
}

/// `text.case_counts` of each text.
#[pyfunction]
fn case_counts_batch(py: Python<'_>, texts: Vec<Bound<'_, PyString>>) -> Vec<(usize, usize)> {
    let texts = read_texts(&texts);
    py.detach(|| texts.par_iter().map(|text| case_counts(text)).collect())
}

/// `text.anchors_and_names` of each text, each set as a sorted list.
#[pyfunction]
fn anchors_and_names_batch(
    py: Python<'_>,
    texts: Vec<Bound<'_, PyString>>,
) -> Vec<(Vec<String>, Vec<String>)> {
    let texts = read_texts(&texts);
    py.detach(|| {
        texts
            .par_iter()
            .map(|text| {
                let AnchorsAndNames { anchors, names } = anchors_and_names(text);
                (anchors, names)
            })
            .collect()
    })
}

/// `text.tokens_and_anchors` of each text: tokens, and anchors and names as sorted lists.
#[pyfunction]
fn tokens_and_anchors_batch(
    py: Python<'_>,
    texts: Vec<Bound<'_, PyString>>,
) -> Vec<(Vec<String>, Vec<String>, Vec<String>)> {
    let texts = read_texts(&texts);
    py.detach(|| {
        texts
            .par_iter()
            .map(|text| {
                let (found, AnchorsAndNames { anchors, names }) = tokens_and_anchors(text);
                (found.iter().map(String::from).collect(), anchors, names)
            })
            .collect()
    })
}

/// `text.hash_words` of each list of words (uint64 bytes).
#[pyfunction]
fn hash_words_batch<'py>(py: Python<'py>, word_lists: Vec<Vec<String>>) -> Vec<Bound<'py, PyBytes>> {
    let hashed: Vec<Vec<u8>> = py.detach(|| {
        word_lists
            .par_iter()
            .map(|list| u64_bytes(&hash_words(words(list))))
            .collect()
    });
    hashed.iter().map(|data| PyBytes::new(py, data)).collect()
}

/// `text.shingle_hashes(tokens, size)` of each list of tokens (uint32 bytes).
#[pyfunction]
fn shingle_hashes_batch<'py>(
    py: Python<'py>,
    token_lists: Vec<Vec<String>>,
    size: usize,
) -> Vec<Bound<'py, PyBytes>> {
    let shingled: Vec<Vec<u8>> = py.detach(|| {
        token_lists
            .par_iter()
            .map(|list| u32_bytes(&shingles_of(&hash_words(words(list)), size)))
            .collect()
    });
    shingled.iter().map(|data| PyBytes::new(py, data)).collect()
}

/// `text.near_spelling_hashes` of each list of words: (hashes as uint32 bytes, owners as int64 bytes).
#[pyfunction]
fn near_spelling_hashes_batch<'py>(
    py: Python<'py>,
    word_lists: Vec<Vec<String>>,
) -> Vec<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let spelled: Vec<(Vec<u8>, Vec<u8>)> = py.detach(|| {
        word_lists
            .par_iter()
            .map(|list| {
                let (hashes, owners) = near_spelling_hashes(&words(list));
                let owners: Vec<u8> = owners
                    .iter()
                    .flat_map(|&owner| (owner as i64).to_le_bytes())
                    .collect();
                (u32_bytes(&hashes), owners)
            })
            .collect()
    });
    spelled
        .iter()
        .map(|(hashes, owners)| (PyBytes::new(py, hashes), PyBytes::new(py, owners)))
        .collect()
}

/// datasketch's `MinHash.update_batch` ("affine32") of each array of uint32 values: the hash values.
#[pyfunction]
fn minhash_batch<'py>(
    py: Python<'py>,
    value_arrays: Vec<Bound<'py, PyBytes>>,
    permutations_a: &[u8],
    permutations_b: &[u8],
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let permutations = permutations_of(permutations_a, permutations_b)?;
    let values = value_arrays
        .iter()
        .map(|data| u32s("values", data.as_bytes()))
        .collect::<PyResult<Vec<_>>>()?;
    let hashed: Vec<Vec<u8>> = py.detach(|| {
        values
            .par_iter()
            .map(|list| u32_bytes(&minhash(&permutations, list)))
            .collect()
    });
    Ok(hashed.iter().map(|data| PyBytes::new(py, data)).collect())
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("NFKC_UNICODE_VERSION", newsdedup_core::nfkc::UNICODE_VERSION)?;
    module.add_function(wrap_pyfunction!(fingerprint_batch, module)?)?;
    module.add_function(wrap_pyfunction!(normalize_batch, module)?)?;
    module.add_function(wrap_pyfunction!(tokens_batch, module)?)?;
    module.add_function(wrap_pyfunction!(word_count_batch, module)?)?;
    module.add_function(wrap_pyfunction!(case_counts_batch, module)?)?;
    module.add_function(wrap_pyfunction!(anchors_and_names_batch, module)?)?;
    module.add_function(wrap_pyfunction!(tokens_and_anchors_batch, module)?)?;
    module.add_function(wrap_pyfunction!(hash_words_batch, module)?)?;
    module.add_function(wrap_pyfunction!(shingle_hashes_batch, module)?)?;
    module.add_function(wrap_pyfunction!(near_spelling_hashes_batch, module)?)?;
    module.add_function(wrap_pyfunction!(minhash_batch, module)?)?;
    Ok(())
}

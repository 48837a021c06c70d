//! The run's fixed MinHash and LSH parameters, datasketch's, computed without importing it.

use newsdedup_core::banding::optimal_banding;
use newsdedup_core::permutations::datasketch_permutations;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// `datasketch.MinHash(num_perm, seed).permutations` ("affine32") as uint32 bytes: (a, b).
#[pyfunction]
fn minhash_permutations(
    py: Python<'_>,
    num_perm: usize,
    seed: u32,
) -> (Bound<'_, PyBytes>, Bound<'_, PyBytes>) {
    let (a, b) = datasketch_permutations(num_perm, seed);
    let bytes =
        |values: Vec<u32>| -> Vec<u8> { values.iter().flat_map(|value| value.to_le_bytes()).collect() };
    (PyBytes::new(py, &bytes(a)), PyBytes::new(py, &bytes(b)))
}

/// (b, r) of `datasketch.MinHashLSH(threshold, num_perm, weights)`, before its b >= 2 check.
#[pyfunction]
#[pyo3(signature = (threshold, num_perm, false_positive_weight = 0.5, false_negative_weight = 0.5))]
fn lsh_banding(
    py: Python<'_>,
    threshold: f64,
    num_perm: usize,
    false_positive_weight: f64,
    false_negative_weight: f64,
) -> (usize, usize) {
    py.detach(|| optimal_banding(threshold, num_perm, false_positive_weight, false_negative_weight))
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(minhash_permutations, module)?)?;
    module.add_function(wrap_pyfunction!(lsh_banding, module)?)?;
    Ok(())
}

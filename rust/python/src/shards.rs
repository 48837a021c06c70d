//! The candidate stage shard by shard (core `shards.rs`), for a run spread over Dask workers:
//! keys made where the fingerprints are, pairs found where the keys meet.
//!
//! Arrays cross as little-endian bytes (`numpy.frombuffer(..., np.uint64)`; positions uint32),
//! so a shuffle moves plain buffers; the work runs without the GIL.

use newsdedup_core::candidates::CandidateSettings;
use newsdedup_core::codec::FingerprintView;
use newsdedup_core::shards::{
    counted_pairs as core_counted_pairs, shard_keys as core_shard_keys, shard_pairs as core_shard_pairs,
    ShardError, ShardKeys,
};
use newsdedup_core::store::StoreError;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::pool::with_threads;
use crate::serial::candidate_settings;

/// One shard's keys as bytes: (bands, samples, probes, probe_counts).
type KeyBytes<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

fn shard_error(error: ShardError) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// Little-endian values of `SIZE` bytes, refused when the bytes do not divide evenly.
fn read_values<const SIZE: usize, T>(
    what: &str,
    data: &[u8],
    value: fn([u8; SIZE]) -> T,
) -> PyResult<Vec<T>> {
    if !data.len().is_multiple_of(SIZE) {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of {SIZE}-byte values",
            data.len()
        )));
    }
    Ok(data
        .chunks_exact(SIZE)
        .map(|chunk| {
            let mut bytes = [0u8; SIZE];
            bytes.copy_from_slice(chunk);
            value(bytes)
        })
        .collect())
}

fn read_u64(what: &str, data: &[u8]) -> PyResult<Vec<u64>> {
    read_values(what, data, u64::from_le_bytes)
}

fn read_u32(what: &str, data: &[u8]) -> PyResult<Vec<u32>> {
    read_values(what, data, u32::from_le_bytes)
}

fn u64_bytes(values: &[u64]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(values.len() * 8);
    for value in values {
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    bytes
}

/// The candidate settings, the number of shards and the threads of a run's shard stages: made
/// once in each task from `candidate_arguments(config)`, so the three stages share one signature.
#[pyclass(frozen, module = "newsdedup._core")]
pub struct Shards {
    settings: CandidateSettings,
    shards: usize,
    threads: usize,
}

#[pymethods]
impl Shards {
    #[new]
    #[pyo3(signature = (
        shards, *, bands, rows, num_perm, containment_threshold, sample_modulus, containment_probes,
        min_shared_samples, max_postings, threads = 0
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        shards: usize,
        bands: usize,
        rows: usize,
        num_perm: usize,
        containment_threshold: f64,
        sample_modulus: u32,
        containment_probes: usize,
        min_shared_samples: u64,
        max_postings: u64,
        threads: usize,
    ) -> PyResult<Self> {
        if shards == 0 {
            return Err(PyValueError::new_err("shards must be at least 1"));
        }
        let settings = candidate_settings(
            bands,
            rows,
            num_perm,
            containment_threshold,
            sample_modulus,
            containment_probes,
            min_shared_samples,
            max_postings,
        )?;
        Ok(Shards {
            settings,
            shards,
            threads,
        })
    }

    /// Per shard, the keys of these fingerprints (NDF2 bytes) at these run positions (uint32):
    /// (bands, samples, probes, probe_counts) as uint64 bytes. ValueError naming the first
    /// fingerprint that is damaged or has another number of MinHash values.
    fn keys<'py>(
        &self,
        py: Python<'py>,
        fingerprints: Vec<Bound<'py, PyBytes>>,
        positions: &[u8],
    ) -> PyResult<Vec<KeyBytes<'py>>> {
        let positions = read_u32("positions", positions)?;
        let data: Vec<&[u8]> = fingerprints
            .iter()
            .map(|fingerprint| fingerprint.as_bytes())
            .collect();
        let keys = py.detach(|| {
            let views = data
                .iter()
                .enumerate()
                .map(|(number, bytes)| {
                    FingerprintView::parse(bytes).map_err(|error| {
                        PyValueError::new_err(StoreError::Damaged { number, error }.to_string())
                    })
                })
                .collect::<PyResult<Vec<_>>>()?;
            with_threads(self.threads, || {
                core_shard_keys(&views, &positions, &self.settings, self.shards)
            })?
            .map_err(shard_error)
            .map(|keys| {
                keys.into_iter()
                    .map(|shard: ShardKeys| {
                        [
                            u64_bytes(&shard.bands),
                            u64_bytes(&shard.samples),
                            u64_bytes(&shard.probes),
                            u64_bytes(&shard.probe_counts),
                        ]
                    })
                    .collect::<Vec<_>>()
            })
        })?;
        Ok(keys
            .into_iter()
            .map(|[bands, samples, probes, counts]| {
                (
                    PyBytes::new(py, &bands),
                    PyBytes::new(py, &samples),
                    PyBytes::new(py, &probes),
                    PyBytes::new(py, &counts),
                )
            })
            .collect())
    }

    /// One shard's work over its keys from every worker: (its band pairs, packed `i << 32 | j`
    /// uint64 sorted unique; its containment hits, `prober << 32 | other` uint64, one list per
    /// prober shard).
    fn pairs<'py>(
        &self,
        py: Python<'py>,
        bands: &[u8],
        samples: &[u8],
        probes: &[u8],
    ) -> PyResult<(Bound<'py, PyBytes>, Vec<Bound<'py, PyBytes>>)> {
        if !bands.len().is_multiple_of(16) {
            return Err(PyValueError::new_err(format!(
                "bands: {} bytes is not a whole number of (key, band << 32 | position) entries",
                bands.len()
            )));
        }
        let bands = read_u64("bands", bands)?;
        let samples = read_u64("samples", samples)?;
        let probes = read_u64("probes", probes)?;
        let (similar, hits) = py.detach(|| {
            with_threads(self.threads, || {
                let (similar, hits) =
                    core_shard_pairs(&bands, &samples, &probes, &self.settings, self.shards);
                (
                    u64_bytes(&similar),
                    hits.iter().map(|hits| u64_bytes(hits)).collect::<Vec<_>>(),
                )
            })
        })?;
        Ok((
            PyBytes::new(py, &similar),
            hits.iter().map(|hits| PyBytes::new(py, hits)).collect(),
        ))
    }

    /// The containment pairs of one prober shard from its hits (from every shard) and its
    /// probe counts: packed `i << 32 | j` uint64, sorted unique. ValueError for a prober
    /// whose count is not among `probe_counts`.
    fn counted<'py>(
        &self,
        py: Python<'py>,
        hits: &[u8],
        probe_counts: &[u8],
    ) -> PyResult<Bound<'py, PyBytes>> {
        let mut hits = read_u64("hits", hits)?;
        let probe_counts = read_u64("probe_counts", probe_counts)?;
        let pairs = py.detach(|| {
            with_threads(self.threads, || {
                core_counted_pairs(&mut hits, &probe_counts, &self.settings).map(|pairs| u64_bytes(&pairs))
            })
        })?;
        Ok(PyBytes::new(py, &pairs.map_err(shard_error)?))
    }
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Shards>()?;
    Ok(())
}

//! An index look-up's per-article work on NDF2 bytes (`index.py`): the entries `index add`
//! stores and `index query` looks up and the containment thresholds, by the core's candidate
//! functions, and the verification of an article against its candidates, by the core's
//! verification: a look-up finds and verifies what a batch run's stages would.

use newsdedup_core::candidates::{
    band_keys, probe_hits_needed, probes_of, shingle_sample, usable_posting, CandidateError,
    CandidateSettings,
};
use newsdedup_core::codec::FingerprintView;
use newsdedup_core::store::{FingerprintStore, StoreError};
use newsdedup_core::verify::{verify_chunk, VerifySettings};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::serial::candidate_settings;

/// One article's index entries.
#[pyclass(frozen, module = "newsdedup._core")]
pub struct IndexEntry {
    keys: Vec<u64>,
    /// datasketch's bucket names, `rows * 4` bytes per band (see `buckets`).
    buckets: Vec<u8>,
    rows: usize,
    sample: Vec<u32>,
    probe_count: usize,
    shingles: usize,
}

#[pymethods]
impl IndexEntry {
    /// One 64-bit LSH key per band (candidates.rs `band_keys`): equal bands, equal keys.
    #[getter]
    fn keys(&self) -> Vec<u64> {
        self.keys.clone()
    }

    /// The name datasketch's MinHashLSH gives each band's bucket: the band's MinHash values as
    /// big-endian uint32 (its `_byteswap` of the band), so a Redis index stays datasketch's.
    #[getter]
    fn buckets<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyBytes>> {
        self.buckets
            .chunks_exact(4 * self.rows)
            .map(|bucket| PyBytes::new(py, bucket))
            .collect()
    }

    /// The shingle hashes that are 0 modulo the sample modulus, sorted.
    #[getter]
    fn sample(&self) -> Vec<u32> {
        self.sample.clone()
    }

    /// The hashes the article probes with: the first ones of its sample.
    #[getter]
    fn probes(&self) -> Vec<u32> {
        self.sample[..self.probe_count].to_vec()
    }

    /// The size of the shingle set: an article without shingles is never a band candidate.
    #[getter]
    fn shingles(&self) -> usize {
        self.shingles
    }
}

/// The candidate and verification settings of an index, with datasketch's (bands, rows).
#[pyclass(frozen, module = "newsdedup._core")]
pub struct IndexSettings {
    inner: CandidateSettings,
    verify: VerifySettings,
}

/// A verified copy: its position among the fingerprints, similarity, containment.
type Copy = (usize, f64, f64);

#[pymethods]
impl IndexSettings {
    #[new]
    #[pyo3(signature = (
        *, bands, rows, num_perm, containment_threshold, sample_modulus, containment_probes,
        min_shared_samples, max_postings, min_containment, min_shared_shingles, min_anchor_agreement,
        max_days_apart
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        bands: usize,
        rows: usize,
        num_perm: usize,
        containment_threshold: f64,
        sample_modulus: u32,
        containment_probes: usize,
        min_shared_samples: u64,
        max_postings: u64,
        min_containment: f64,
        min_shared_shingles: u64,
        min_anchor_agreement: f64,
        max_days_apart: u64,
    ) -> PyResult<Self> {
        Ok(IndexSettings {
            inner: candidate_settings(
                bands,
                rows,
                num_perm,
                containment_threshold,
                sample_modulus,
                containment_probes,
                min_shared_samples,
                max_postings,
            )?,
            verify: VerifySettings {
                min_containment,
                min_shared_shingles,
                min_anchor_agreement,
                max_days_apart,
            },
        })
    }

    /// The index entries of each fingerprint (NDF2 bytes), in input order; ValueError naming
    /// the first that is not a fingerprint or has another number of MinHash values.
    fn entries(&self, py: Python<'_>, fingerprints: Vec<Bound<'_, PyBytes>>) -> PyResult<Vec<IndexEntry>> {
        let data: Vec<&[u8]> = fingerprints
            .iter()
            .map(|fingerprint| fingerprint.as_bytes())
            .collect();
        let settings = &self.inner;
        let entries = py.detach(|| {
            data.iter()
                .enumerate()
                .map(|(number, bytes)| entry_of(number, bytes, settings))
                .collect::<Result<Vec<_>, String>>()
        });
        entries.map_err(PyValueError::new_err)
    }

    /// Whether each sample hash, held by this many articles, is a copy signal (`usable_posting`).
    fn usable(&self, postings: Vec<u64>) -> Vec<bool> {
        postings
            .into_iter()
            .map(|count| usable_posting(count, &self.inner))
            .collect()
    }

    /// Hits an article with `probe_count` probes must score in another (`probe_hits_needed`).
    fn hits_needed(&self, probe_count: usize) -> f64 {
        probe_hits_needed(probe_count, &self.inner)
    }

    /// The fingerprints (NDF2 bytes, in id order, as a batch run orders them) that are copies of
    /// the one at `own`, by `verified_matches` of the pairs it makes with each of the others:
    /// (position, similarity, containment) in position order. `days[i]`: the UTC day number
    /// position i was published (None: undated). ValueError((position, reason)) for damaged bytes.
    fn copies(
        &self,
        py: Python<'_>,
        fingerprints: Vec<Bound<'_, PyBytes>>,
        own: usize,
        days: Vec<Option<i64>>,
    ) -> PyResult<Vec<Copy>> {
        if own >= fingerprints.len() || days.len() != fingerprints.len() {
            return Err(PyValueError::new_err(format!(
                "position {own} and {} days for {} fingerprints",
                days.len(),
                fingerprints.len()
            )));
        }
        let data: Vec<&[u8]> = fingerprints
            .iter()
            .map(|fingerprint| fingerprint.as_bytes())
            .collect();
        let verify = &self.verify;
        py.detach(|| copies_of(&data, own, &days, verify))
            .map_err(|error| match error {
                StoreError::Damaged { number, error } => PyValueError::new_err((number, error.to_string())),
                StoreError::Io(error) => PyOSError::new_err(error.to_string()),
                other => PyValueError::new_err(other.to_string()),
            })
    }
}

/// Verifies `own` against every other fingerprint, on this thread: a look-up has few candidates.
fn copies_of(
    data: &[&[u8]],
    own: usize,
    days: &[Option<i64>],
    settings: &VerifySettings,
) -> Result<Vec<Copy>, StoreError> {
    let mut store = FingerprintStore::new(None, usize::MAX);
    for bytes in data {
        store.append(bytes)?;
    }
    let own = own as u32;
    let pairs: Vec<(u32, u32)> = (0..data.len() as u32)
        .filter(|&other| other != own)
        .map(|other| (own.min(other), own.max(other)))
        .collect();
    Ok(verify_chunk(&store, &pairs, days, settings)?
        .into_iter()
        .map(|found| {
            let other = if found.left == own {
                found.right
            } else {
                found.left
            };
            (
                other as usize,
                found.comparison.similarity,
                found.comparison.containment,
            )
        })
        .collect())
}

fn entry_of(number: usize, data: &[u8], settings: &CandidateSettings) -> Result<IndexEntry, String> {
    let view =
        FingerprintView::parse(data).map_err(|error| StoreError::Damaged { number, error }.to_string())?;
    let length = view.minhash.len();
    if length != settings.num_perm {
        return Err(CandidateError::Signature {
            number,
            length,
            expected: settings.num_perm,
        }
        .to_string());
    }
    let signature = view.minhash.to_vec();
    let mut keys = Vec::with_capacity(settings.bands);
    band_keys(&signature, settings.bands, settings.rows, &mut keys);
    let buckets = signature[..settings.bands * settings.rows]
        .iter()
        .flat_map(|value| value.to_be_bytes())
        .collect();
    let mut sample = Vec::new();
    shingle_sample(view.shingles, settings.sample_modulus, &mut sample);
    let probe_count = probes_of(&sample, settings.containment_probes).len();
    Ok(IndexEntry {
        keys,
        buckets,
        rows: settings.rows,
        sample,
        probe_count,
        shingles: view.size(),
    })
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<IndexEntry>()?;
    module.add_class::<IndexSettings>()?;
    Ok(())
}

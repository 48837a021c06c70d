//! The serial stages after fingerprinting: candidates, verification, star clusters and the
//! comparisons inside each cluster, over fingerprints kept as NDF2 bytes in a `FingerprintStore`.
//!
//! Arrays cross as little-endian bytes (`numpy.frombuffer`): pairs as int64 (left, right)
//! rows, scores as float64. The work runs without the GIL, on rayon threads where it splits
//! (pairs, clusters), with results in input order for any thread count.

use std::path::PathBuf;

use newsdedup_core::candidates::{unpack, CandidateError, CandidateIndex as CoreIndex, CandidateSettings};
use newsdedup_core::centrality::{centralities, scores_against, ScoreError};
use newsdedup_core::cluster::{star_clusters as core_star_clusters, ClusterError, Link};
use newsdedup_core::codec::FingerprintView;
use newsdedup_core::copies::{
    centralities_of_copies, group_pairs, scores_against_copies, star_clusters_of_copies, verify_groups,
    CopiesError, CopyGroups as CoreCopyGroups,
};
use newsdedup_core::pyfloat::Summation;
use newsdedup_core::store::{FingerprintStore as CoreStore, StoreError, DEFAULT_MEMORY_LIMIT};
use newsdedup_core::verify::{
    anchor_agreements as core_anchor_agreements, verified_matches as core_verified_matches, VerifySettings,
};
use pyo3::exceptions::{PyIndexError, PyOSError, PyOverflowError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rayon::prelude::*;

use crate::pool::with_threads;

fn store_error(error: StoreError) -> PyErr {
    let message = error.to_string();
    match error {
        StoreError::OutOfRange { .. } => PyIndexError::new_err(message),
        StoreError::Io(_) => PyOSError::new_err(message),
        StoreError::Damaged { .. } | StoreError::NotAnOrder(_) => PyValueError::new_err(message),
    }
}

fn candidate_error(error: CandidateError) -> PyErr {
    let message = error.to_string();
    match error {
        CandidateError::AlreadyUsed => PyRuntimeError::new_err(message),
        CandidateError::TooMany => PyOverflowError::new_err(message),
        CandidateError::Signature { .. } => PyValueError::new_err(message),
    }
}

fn score_error(error: ScoreError) -> PyErr {
    match error {
        ScoreError::Store(error) => store_error(error),
        ScoreError::Jaccard(message) => PyValueError::new_err(message),
    }
}

fn cluster_error(error: ClusterError) -> PyErr {
    let message = error.to_string();
    match error {
        ClusterError::OutOfRange { .. } => PyIndexError::new_err(message),
        ClusterError::NotANumber { .. } => PyValueError::new_err(message),
    }
}

fn position(value: i64) -> PyResult<u32> {
    u32::try_from(value).map_err(|_| PyIndexError::new_err(format!("position {value} is out of range")))
}

fn to_positions(values: &[i64]) -> PyResult<Vec<u32>> {
    values.iter().map(|&value| position(value)).collect()
}

/// int64 (left, right) rows.
fn read_pairs(data: &[u8]) -> PyResult<Vec<(u32, u32)>> {
    if !data.len().is_multiple_of(16) {
        return Err(PyValueError::new_err(format!(
            "pairs: {} bytes is not a whole number of int64 (left, right) rows",
            data.len()
        )));
    }
    data.chunks_exact(16)
        .map(|row| {
            let value = |at: usize| {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&row[at..at + 8]);
                i64::from_le_bytes(bytes)
            };
            Ok((position(value(0))?, position(value(8))?))
        })
        .collect()
}

fn read_floats(what: &str, data: &[u8]) -> PyResult<Vec<f64>> {
    if !data.len().is_multiple_of(8) {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is not a whole number of float64",
            data.len()
        )));
    }
    Ok(data
        .chunks_exact(8)
        .map(|chunk| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            f64::from_le_bytes(bytes)
        })
        .collect())
}

fn pair_bytes(pairs: impl Iterator<Item = (u32, u32)>) -> Vec<u8> {
    pairs
        .flat_map(|(left, right)| {
            let mut row = [0u8; 16];
            row[..8].copy_from_slice(&i64::from(left).to_le_bytes());
            row[8..].copy_from_slice(&i64::from(right).to_le_bytes());
            row
        })
        .collect()
}

/// Fingerprints (NDF2 bytes) kept for one run, in memory up to `memory_limit` bytes and in a
/// temporary file in `folder` beyond; `store[i]` is the fingerprint at position i.
#[pyclass(module = "newsdedup._core")]
pub struct FingerprintStore {
    inner: CoreStore,
}

impl FingerprintStore {
    pub(crate) fn store(&self) -> &CoreStore {
        &self.inner
    }
}

#[pymethods]
impl FingerprintStore {
    #[new]
    #[pyo3(signature = (folder = None, memory_limit = DEFAULT_MEMORY_LIMIT))]
    fn new(folder: Option<PathBuf>, memory_limit: usize) -> Self {
        FingerprintStore {
            inner: CoreStore::new(folder, memory_limit),
        }
    }

    /// Appends one fingerprint; ValueError if the bytes are not one.
    fn append(&mut self, fingerprint: &[u8]) -> PyResult<()> {
        self.inner.append(fingerprint).map_err(store_error)
    }

    /// Appends each fingerprint in turn (all those before a damaged one stay appended).
    fn append_batch(&mut self, fingerprints: Vec<Bound<'_, PyBytes>>) -> PyResult<()> {
        fingerprints
            .iter()
            .try_for_each(|fingerprint| self.inner.append(fingerprint.as_bytes()))
            .map_err(store_error)
    }

    /// From now on, position i is the fingerprint appended order[i]-th.
    fn reorder(&mut self, order: Vec<i64>) -> PyResult<()> {
        self.inner.reorder(to_positions(&order)?).map_err(store_error)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The NDF2 bytes at a position (codec.decode_fingerprint reads them).
    fn __getitem__<'py>(&self, py: Python<'py>, position: i64) -> PyResult<Bound<'py, PyBytes>> {
        let length = self.inner.len() as i64;
        let place = if position < 0 { position + length } else { position };
        let place = usize::try_from(place)
            .map_err(|_| PyIndexError::new_err(format!("position {position} is out of range")))?;
        let mut buffer = Vec::new();
        let data = self.inner.bytes(place, &mut buffer).map_err(store_error)?;
        Ok(PyBytes::new(py, data))
    }

    /// `word_count` of the fingerprints at these positions (what the canonical choice reads).
    fn word_counts(&self, positions: Vec<i64>) -> PyResult<Vec<u32>> {
        to_positions(&positions)?
            .into_iter()
            .map(|place| self.inner.word_count(place as usize))
            .collect::<Result<_, _>>()
            .map_err(store_error)
    }

    /// Whether part of the store went to its temporary file.
    #[getter]
    fn spilled(&self) -> bool {
        self.inner.spilled()
    }

    /// Frees the memory and the temporary file; the store is empty afterwards.
    fn close(&mut self) {
        self.inner = CoreStore::new(None, 0);
    }
}

/// The candidate settings of a run, refused when the bands cannot cut the signature
/// (`CandidateIndex`, `IndexSettings` and `collapsed_clusters` take the same ones).
#[allow(clippy::too_many_arguments)]
pub(crate) fn candidate_settings(
    bands: usize,
    rows: usize,
    num_perm: usize,
    containment_threshold: f64,
    sample_modulus: u32,
    containment_probes: usize,
    min_shared_samples: u64,
    max_postings: u64,
) -> PyResult<CandidateSettings> {
    if bands == 0 || rows == 0 || bands.saturating_mul(rows) > num_perm || sample_modulus == 0 {
        return Err(PyValueError::new_err(format!(
            "bands {bands} x rows {rows} must be positive and at most num_perm {num_perm}; \
             sample_modulus {sample_modulus} must be positive"
        )));
    }
    Ok(CandidateSettings {
        bands,
        rows,
        num_perm,
        containment_threshold,
        sample_modulus,
        containment_probes,
        min_shared_samples,
        max_postings,
    })
}

/// `candidates.CandidateIndex`: band keys and shingle samples of each appended fingerprint.
#[pyclass(module = "newsdedup._core")]
pub struct CandidateIndex {
    inner: CoreIndex,
}

#[pymethods]
impl CandidateIndex {
    #[new]
    #[pyo3(signature = (
        *, bands, rows, num_perm, containment_threshold, sample_modulus, containment_probes,
        min_shared_samples, max_postings
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
    ) -> PyResult<Self> {
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
        Ok(CandidateIndex {
            inner: CoreIndex::new(settings),
        })
    }

    fn append(&mut self, fingerprint: &[u8]) -> PyResult<()> {
        self.append_bytes(fingerprint)
    }

    fn append_batch(&mut self, fingerprints: Vec<Bound<'_, PyBytes>>) -> PyResult<()> {
        fingerprints
            .iter()
            .try_for_each(|fingerprint| self.append_bytes(fingerprint.as_bytes()))
    }

    /// From now on, article i is the one appended order[i]-th.
    fn reorder(&mut self, order: Vec<i64>) -> PyResult<()> {
        self.inner.reorder(&to_positions(&order)?).map_err(store_error)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The candidate pairs (i < j), sorted, as int64 rows; on_progress(done, 2) after each
    /// index, as CandidateIndex.pairs. Runs once.
    #[pyo3(signature = (on_progress = None, threads = 0))]
    fn pairs<'py>(
        &mut self,
        py: Python<'py>,
        on_progress: Option<Py<PyAny>>,
        threads: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let report = |py: Python<'_>, done: usize| -> PyResult<()> {
            if let Some(callback) = &on_progress {
                callback.call1(py, (done, 2))?;
            }
            Ok(())
        };
        report(py, 0)?;
        let inner = &mut self.inner;
        let mut callback_error = None;
        let found = py.detach(|| {
            with_threads(threads, || {
                inner.pairs(|done| {
                    if let Err(error) = Python::attach(|py| report(py, done)) {
                        callback_error.get_or_insert(error);
                    }
                })
            })
        })?;
        if let Some(error) = callback_error {
            return Err(error);
        }
        let found = found.map_err(candidate_error)?;
        report(py, 2)?;
        Ok(PyBytes::new(py, &pair_bytes(found.into_iter().map(unpack))))
    }
}

impl CandidateIndex {
    fn append_bytes(&mut self, data: &[u8]) -> PyResult<()> {
        let number = self.inner.len();
        // The index reads the MinHash and the shingles as Python's does, in array order: no
        // invariant to check beyond the layout.
        let view = FingerprintView::parse(data)
            .map_err(|error| store_error(StoreError::Damaged { number, error }))?;
        self.inner.append(&view).map_err(candidate_error)
    }
}

/// Matches as arrays: (left, right) int64 rows, similarity and containment float64, shared int64.
type MatchArrays<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// `verify.verified_matches` over int64 pairs: the matches as (pairs int64, similarity
/// float64, containment float64, shared int64) bytes. `days[i]`: the UTC day number
/// the article at position i was published (None: undated).
#[pyfunction]
#[pyo3(signature = (
    pairs, store, days, *, min_containment, min_shared_shingles, min_anchor_agreement, max_days_apart,
    threads = 0
))]
#[allow(clippy::too_many_arguments)]
fn verified_matches<'py>(
    py: Python<'py>,
    pairs: &[u8],
    store: PyRef<'py, FingerprintStore>,
    days: Vec<Option<i64>>,
    min_containment: f64,
    min_shared_shingles: u64,
    min_anchor_agreement: f64,
    max_days_apart: u64,
    threads: usize,
) -> PyResult<MatchArrays<'py>> {
    let pairs = read_pairs(pairs)?;
    let settings = VerifySettings {
        min_containment,
        min_shared_shingles,
        min_anchor_agreement,
        max_days_apart,
    };
    let store = &store.inner;
    let matches = py
        .detach(|| with_threads(threads, || core_verified_matches(store, &pairs, &days, &settings)))?
        .map_err(store_error)?;
    let similarity: Vec<u8> = matches
        .iter()
        .flat_map(|found| found.comparison.similarity.to_le_bytes())
        .collect();
    let containment: Vec<u8> = matches
        .iter()
        .flat_map(|found| found.comparison.containment.to_le_bytes())
        .collect();
    let shared: Vec<u8> = matches
        .iter()
        .flat_map(|found| (found.comparison.shared as i64).to_le_bytes())
        .collect();
    Ok((
        PyBytes::new(
            py,
            &pair_bytes(matches.iter().map(|found| (found.left, found.right))),
        ),
        PyBytes::new(py, &similarity),
        PyBytes::new(py, &containment),
        PyBytes::new(py, &shared),
    ))
}

/// `verify.anchor_agreement` of each pair's fingerprints, as float64 (the piece, for tests).
#[pyfunction]
fn anchor_agreements<'py>(
    py: Python<'py>,
    pairs: &[u8],
    store: PyRef<'py, FingerprintStore>,
) -> PyResult<Bound<'py, PyBytes>> {
    let pairs = read_pairs(pairs)?;
    let store = &store.inner;
    let agreements = py
        .detach(|| core_anchor_agreements(store, &pairs))
        .map_err(store_error)?;
    let data: Vec<u8> = agreements.iter().flat_map(|value| value.to_le_bytes()).collect();
    Ok(PyBytes::new(py, &data))
}

/// `cluster.star_clusters` of matches given as int64 pairs and their float64 similarities.
#[pyfunction]
#[pyo3(signature = (count, pairs, similarities, near_equal = 0.5))]
fn star_clusters(
    py: Python<'_>,
    count: usize,
    pairs: &[u8],
    similarities: &[u8],
    near_equal: f64,
) -> PyResult<Vec<Vec<u32>>> {
    let pairs = read_pairs(pairs)?;
    let similarities = read_floats("similarities", similarities)?;
    if pairs.len() != similarities.len() {
        return Err(PyValueError::new_err(format!(
            "{} pairs but {} similarities",
            pairs.len(),
            similarities.len()
        )));
    }
    let links: Vec<Link> = pairs
        .iter()
        .zip(&similarities)
        .map(|(&(left, right), &similarity)| Link {
            left,
            right,
            similarity,
        })
        .collect();
    // Python 3.12 made sum() of floats compensated; ties are decided on those sums.
    let summation = if py.version_info() >= (3, 12) {
        Summation::Compensated
    } else {
        Summation::Plain
    };
    py.detach(|| core_star_clusters(count, &links, near_equal, summation))
        .map_err(cluster_error)
}

/// The centrality of each member of each group (members ordered as describe_cluster orders
/// them): exact up to exact_limit members, MinHash estimates above. With `copies`, each
/// pair of distinct fingerprints is compared once.
#[pyfunction]
#[pyo3(signature = (store, groups, exact_limit = 200, threads = 0, copies = None))]
fn cluster_centralities(
    py: Python<'_>,
    store: PyRef<'_, FingerprintStore>,
    groups: Vec<Vec<i64>>,
    exact_limit: usize,
    threads: usize,
    copies: Option<PyRef<'_, CopyGroups>>,
) -> PyResult<Vec<Vec<f64>>> {
    let copies = copies.as_ref().map(|copies| &copies.inner);
    let groups = group_positions(&groups, copies)?;
    let store = &store.inner;
    py.detach(|| {
        with_threads(threads, || {
            groups
                .par_iter()
                .map(|group| match copies {
                    Some(copies) => centralities_of_copies(store, copies, group, exact_limit),
                    None => centralities(store, group, exact_limit),
                })
                .collect::<Result<Vec<_>, _>>()
        })
    })?
    .map_err(score_error)
}

/// (similarity, containment) of each member of each group against the group's canonical.
#[pyfunction]
#[pyo3(signature = (store, canonicals, groups, threads = 0, copies = None))]
fn cluster_scores(
    py: Python<'_>,
    store: PyRef<'_, FingerprintStore>,
    canonicals: Vec<i64>,
    groups: Vec<Vec<i64>>,
    threads: usize,
    copies: Option<PyRef<'_, CopyGroups>>,
) -> PyResult<Vec<Vec<(f64, f64)>>> {
    if canonicals.len() != groups.len() {
        return Err(PyValueError::new_err(format!(
            "{} canonicals for {} groups",
            canonicals.len(),
            groups.len()
        )));
    }
    let canonicals = to_positions(&canonicals)?;
    let copies = copies.as_ref().map(|copies| &copies.inner);
    let groups = group_positions(&groups, copies)?;
    let store = &store.inner;
    py.detach(|| {
        with_threads(threads, || {
            canonicals
                .par_iter()
                .zip(&groups)
                .map(|(&canonical, group)| {
                    let scores = match copies {
                        Some(copies) => scores_against_copies(store, copies, canonical, group),
                        None => scores_against(store, canonical, group),
                    };
                    scores.map(|scores| {
                        scores
                            .iter()
                            .map(|found| (found.similarity, found.containment))
                            .collect()
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
    })?
    .map_err(store_error)
}

/// Positions a `CopyGroups` knows (it was made from a store of at least that many).
/// Each group's members as positions, checked against the copy groups when there are some.
fn group_positions(groups: &[Vec<i64>], copies: Option<&CoreCopyGroups>) -> PyResult<Vec<Vec<u32>>> {
    let groups = groups
        .iter()
        .map(|group| to_positions(group))
        .collect::<PyResult<Vec<_>>>()?;
    if let Some(copies) = copies {
        check_members(copies, groups.iter().flatten())?;
    }
    Ok(groups)
}

fn check_members<'a>(copies: &CoreCopyGroups, members: impl Iterator<Item = &'a u32>) -> PyResult<()> {
    let count = copies.positions();
    match members.into_iter().find(|&&member| member as usize >= count) {
        Some(member) => Err(PyIndexError::new_err(format!(
            "position {member} is out of range"
        ))),
        None => Ok(()),
    }
}

/// The stored fingerprints grouped by identical bytes (exact copies), for the collapsed stages.
#[pyclass(frozen, module = "newsdedup._core")]
pub struct CopyGroups {
    inner: CoreCopyGroups,
}

#[pymethods]
impl CopyGroups {
    #[new]
    fn new(py: Python<'_>, store: PyRef<'_, FingerprintStore>) -> PyResult<Self> {
        let store = &store.inner;
        let inner = py.detach(|| CoreCopyGroups::of(store)).map_err(store_error)?;
        Ok(CopyGroups { inner })
    }

    /// How many distinct fingerprints.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The positions of each group of copies, each ascending, groups by their first position.
    fn groups(&self) -> Vec<Vec<u32>> {
        (0..self.inner.len() as u32)
            .map(|group| self.inner.members(group).to_vec())
            .collect()
    }
}

fn copies_error(error: CopiesError) -> PyErr {
    match error {
        CopiesError::Store(error) => store_error(error),
        CopiesError::Candidates(error) => candidate_error(error),
    }
}

/// Candidates, verification and star clusters with exact copies collapsed: the clusters
/// `star_clusters` gives for the matches of `verified_matches` of `CandidateIndex.pairs`.
#[pyfunction]
#[pyo3(signature = (
    store, copies, days, *, bands, rows, num_perm, containment_threshold, sample_modulus,
    containment_probes, min_shared_samples, max_postings, min_containment, min_shared_shingles,
    min_anchor_agreement, max_days_apart, near_equal, threads = 0, on_progress = None
))]
#[allow(clippy::too_many_arguments)]
fn collapsed_clusters(
    py: Python<'_>,
    store: PyRef<'_, FingerprintStore>,
    copies: PyRef<'_, CopyGroups>,
    days: Vec<Option<i64>>,
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
    near_equal: f64,
    threads: usize,
    on_progress: Option<Py<PyAny>>,
) -> PyResult<Vec<Vec<u32>>> {
    let candidates = candidate_settings(
        bands,
        rows,
        num_perm,
        containment_threshold,
        sample_modulus,
        containment_probes,
        min_shared_samples,
        max_postings,
    )?;
    let verify = VerifySettings {
        min_containment,
        min_shared_shingles,
        min_anchor_agreement,
        max_days_apart,
    };
    let summation = if py.version_info() >= (3, 12) {
        Summation::Compensated
    } else {
        Summation::Plain
    };
    let store = &store.inner;
    let copies = &copies.inner;
    if copies.positions() != store.len() {
        return Err(PyValueError::new_err(
            "the copy groups were made from another store",
        ));
    }
    // The index stage reports as CandidateIndex.pairs does: on_progress(done, 2).
    let report = |py: Python<'_>, done: usize| -> PyResult<()> {
        if let Some(callback) = &on_progress {
            callback.call1(py, (done, 2))?;
        }
        Ok(())
    };
    report(py, 0)?;
    let mut callback_error = None;
    let found = py.detach(|| {
        with_threads(threads, || -> Result<Vec<Vec<u32>>, CopiesError> {
            let pairs = group_pairs(store, copies, candidates, |done| {
                if let Err(error) = Python::attach(|py| report(py, done)) {
                    callback_error.get_or_insert(error);
                }
            })?;
            let matches = verify_groups(store, copies, &pairs, &days, &verify)?;
            Ok(star_clusters_of_copies(
                store.len(),
                copies,
                &matches,
                &days,
                max_days_apart,
                near_equal,
                summation,
            ))
        })
    })?;
    if let Some(error) = callback_error {
        return Err(error);
    }
    report(py, 2)?;
    found.map_err(copies_error)
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<FingerprintStore>()?;
    module.add_class::<CandidateIndex>()?;
    module.add_function(wrap_pyfunction!(verified_matches, module)?)?;
    module.add_function(wrap_pyfunction!(anchor_agreements, module)?)?;
    module.add_function(wrap_pyfunction!(star_clusters, module)?)?;
    module.add_function(wrap_pyfunction!(cluster_centralities, module)?)?;
    module.add_function(wrap_pyfunction!(cluster_scores, module)?)?;
    module.add_class::<CopyGroups>()?;
    module.add_function(wrap_pyfunction!(collapsed_clusters, module)?)?;
    Ok(())
}

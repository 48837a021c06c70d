//! `ChangeTable`: what each duplicate of a run changed against its cluster's canonical
//! (`newsdedup_core::changes`), kept in the core by document position for the report writers.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use newsdedup_core::changes::{body_pieces, changes, Changes, Substitution};
use newsdedup_core::store::{FingerprintStore as CoreStore, StoreError, TextStore};
use newsdedup_core::text::normalize;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::documents::{table_error, DocumentTable};
use crate::pool::with_threads;
use crate::serial::FingerprintStore;

/// A substitution as Python reads it: (before, after, figure, name).
type SubstitutionRow = (String, String, bool, bool);
/// `Changes` as Python reads it (the fields of `changes.Changes`, in order).
type ChangesRow = (u32, u32, u32, u32, u32, u32, u32, Vec<SubstitutionRow>, bool);

/// The changes of each duplicate by document position; safe to share between threads.
#[pyclass(frozen, module = "newsdedup._core")]
#[derive(Default)]
pub struct ChangeTable {
    inner: Mutex<HashMap<u32, Changes>>,
}

impl ChangeTable {
    pub(crate) fn table(&self) -> MutexGuard<'_, HashMap<u32, Changes>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn store_error(error: StoreError) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// The body of a document as text (stored bytes that are not UTF-8, from lone surrogates,
/// are shown with replacement characters: the words are for reading).
fn body_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether two titles differ as words (case, typography and compatibility forms aside).
fn titles_differ(left: Option<&[u8]>, right: Option<&[u8]>) -> bool {
    let fold = |title: Option<&[u8]>| normalize(&body_text(title.unwrap_or_default()));
    fold(left) != fold(right)
}

/// The changes of `copy` against `canonical` (positions in both the store and the table).
fn changes_at(
    store: &CoreStore,
    table: &newsdedup_core::documents::DocumentTable,
    bodies: Option<&TextStore>,
    canonical: u32,
    copy: u32,
) -> PyResult<Changes> {
    let (mut canonical_buffer, mut copy_buffer) = (Vec::new(), Vec::new());
    let canonical_view = store
        .read(canonical as usize, &mut canonical_buffer)
        .map_err(store_error)?;
    let copy_view = store.read(copy as usize, &mut copy_buffer).map_err(store_error)?;
    let canonical_fields = table.get(canonical as usize).map_err(table_error)?;
    let copy_fields = table.get(copy as usize).map_err(table_error)?;
    let headline_differs = titles_differ(canonical_fields.title, copy_fields.title);
    let mut failed = None;
    let found = changes(&canonical_view, &copy_view, headline_differs, || {
        let mut read = |position: u32| {
            let mut buffer = Vec::new();
            match DocumentTable::body(table, bodies, position as usize, &mut buffer) {
                Ok(bytes) => body_text(bytes),
                Err(error) => {
                    failed.get_or_insert(error);
                    String::new()
                }
            }
        };
        (read(canonical), read(copy))
    });
    match failed {
        Some(error) => Err(error),
        None => Ok(found),
    }
}

fn row_of(found: &Changes) -> ChangesRow {
    (
        found.words_kept,
        found.words_cut,
        found.words_added,
        found.passages_kept,
        found.passages_cut,
        found.passages_added,
        found.substitution_count,
        found
            .substitutions
            .iter()
            .map(|edit| (edit.before.clone(), edit.after.clone(), edit.figure, edit.name))
            .collect(),
        found.headline_differs,
    )
}

/// `row_of` read back.
fn changes_of(row: ChangesRow) -> Changes {
    let (
        words_kept,
        words_cut,
        words_added,
        passages_kept,
        passages_cut,
        passages_added,
        substitution_count,
        edits,
        headline_differs,
    ) = row;
    Changes {
        words_kept,
        words_cut,
        words_added,
        passages_kept,
        passages_cut,
        passages_added,
        substitution_count,
        substitutions: edits
            .into_iter()
            .map(|(before, after, figure, name)| Substitution {
                before,
                after,
                figure,
                name,
            })
            .collect(),
        headline_differs,
    }
}

#[pymethods]
impl ChangeTable {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Keeps rows `rows` gave (on another machine) as the changes at `positions`: a
    /// distributed run's duplicates, described where their bodies are.
    fn insert(&self, positions: Vec<u32>, rows: Vec<ChangesRow>) -> PyResult<()> {
        if positions.len() != rows.len() {
            return Err(PyValueError::new_err(format!(
                "{} positions for {} rows of changes",
                positions.len(),
                rows.len()
            )));
        }
        let mut table = self.table();
        for (position, row) in positions.into_iter().zip(rows) {
            table.insert(position, changes_of(row));
        }
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.table().len()
    }

    /// Aligns each member of `groups[k]` with `canonicals[k]` (positions in `store` and
    /// `documents`, whose bodies it reads) and keeps what each changed.
    #[pyo3(signature = (store, documents, canonicals, groups, threads = 0))]
    fn compare(
        &self,
        py: Python<'_>,
        store: PyRef<'_, FingerprintStore>,
        documents: &DocumentTable,
        canonicals: Vec<u32>,
        groups: Vec<Vec<u32>>,
        threads: usize,
    ) -> PyResult<()> {
        if canonicals.len() != groups.len() {
            return Err(PyValueError::new_err(format!(
                "{} canonicals for {} groups",
                canonicals.len(),
                groups.len()
            )));
        }
        let pairs: Vec<(u32, u32)> = canonicals
            .iter()
            .zip(&groups)
            .flat_map(|(&canonical, group)| group.iter().map(move |&copy| (canonical, copy)))
            .collect();
        let store = store.store();
        let found = py.detach(|| {
            let table = documents.table();
            let bodies = documents.bodies();
            let (table, bodies) = (&*table, bodies.as_deref());
            with_threads(threads, || {
                pairs
                    .par_iter()
                    .map(|&(canonical, copy)| {
                        changes_at(store, table, bodies, canonical, copy).map(|found| (copy, found))
                    })
                    .collect::<PyResult<Vec<_>>>()
            })
        })??;
        self.table().extend(found);
        Ok(())
    }

    /// The changes of the documents at `positions` (None for those with none: canonicals).
    fn rows(&self, positions: Vec<u32>) -> Vec<Option<ChangesRow>> {
        let table = self.table();
        positions
            .iter()
            .map(|position| table.get(position).map(row_of))
            .collect()
    }
}

/// The diff of two bodies in text order: (kind, the canonical's text, the copy's text) per piece;
/// the pieces tile both bodies.
#[pyfunction]
fn body_diff(py: Python<'_>, canonical: &str, copy: &str) -> Vec<(&'static str, String, String)> {
    py.detach(|| {
        body_pieces(canonical, copy)
            .into_iter()
            .map(|piece| {
                (
                    piece.part.name(),
                    canonical.get(piece.canonical).unwrap_or_default().to_string(),
                    copy.get(piece.copy).unwrap_or_default().to_string(),
                )
            })
            .collect()
    })
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<ChangeTable>()?;
    module.add_function(wrap_pyfunction!(body_diff, module)?)?;
    Ok(())
}

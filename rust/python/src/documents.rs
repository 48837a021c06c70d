//! `DocumentTable`: a run's documents kept in the core (`newsdedup_core::documents`), a
//! Python `Document`'s fields made only for the positions asked for.
//!
//! `prepare_batch` appends to a table in Rust; the pipeline reorders it by id, reads the ids
//! and published dates in bulk, and makes `Document`s of a few clusters at a time, so a
//! million-article run never holds a million Python objects.

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, PoisonError};

use newsdedup_core::clean::Cleaned;
use newsdedup_core::documents::{DocumentError, DocumentFields, DocumentTable as Table, StoredCredit};
use newsdedup_core::read::ArticleRecord;
use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyString, PyTuple};

use crate::pytext::surrogatepass_bytes;

/// The documents of a run by position: appended by `prepare_batch`, read as `models.Document`
/// fields. Safe to share between threads (a lock inside).
#[pyclass(frozen, module = "newsdedup._core")]
#[derive(Default)]
pub struct DocumentTable {
    inner: Mutex<Table>,
}

impl DocumentTable {
    pub(crate) fn table(&self) -> MutexGuard<'_, Table> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The fields of one article that pass through cleaning unchanged, as stored bytes.
pub(crate) struct PassedFields<'a> {
    pub id: Cow<'a, [u8]>,
    pub path: Cow<'a, [u8]>,
    pub url: Option<Cow<'a, [u8]>>,
    pub encoding: Cow<'a, [u8]>,
}

impl<'a> PassedFields<'a> {
    /// The fields of an article as read, kept as Python's `surrogatepass` encoding writes them.
    pub(crate) fn of(record: &'a ArticleRecord, surrogates: bool) -> Self {
        PassedFields {
            id: surrogatepass_bytes(&record.id, surrogates),
            path: surrogatepass_bytes(&record.path, surrogates),
            url: record
                .url
                .as_deref()
                .map(|url| surrogatepass_bytes(url, surrogates)),
            encoding: surrogatepass_bytes(&record.encoding, surrogates),
        }
    }
}

/// Appends the document of one article: `passed` as read, the rest as `clean` made it
/// (`surrogates`: its text stood lone surrogates in, which come back as themselves).
pub(crate) fn push_document(
    table: &mut Table,
    passed: &PassedFields<'_>,
    cleaned: &Cleaned,
    surrogates: bool,
) -> Result<(), DocumentError> {
    let text = |value: &'_ String| -> Vec<u8> { surrogatepass_bytes(value, surrogates).into_owned() };
    let optional = |value: &Option<String>| value.as_ref().map(text);
    let title = optional(&cleaned.title);
    let source = optional(&cleaned.source);
    let published = optional(&cleaned.published);
    let byline = optional(&cleaned.byline);
    let dateline = optional(&cleaned.dateline);
    let body = surrogatepass_bytes(&cleaned.body, surrogates);
    let credit = cleaned
        .wire_credit
        .as_ref()
        .map(|credit| (text(&credit.agency), text(&credit.evidence), credit.kind));
    table.push(&DocumentFields {
        id: &passed.id,
        path: &passed.path,
        body: &body,
        body_chars: cleaned.body_chars as u64,
        title: title.as_deref(),
        source: source.as_deref(),
        url: passed.url.as_deref(),
        published: published.as_deref(),
        byline: byline.as_deref(),
        dateline: dateline.as_deref(),
        wire_credit: credit.as_ref().map(|(agency, evidence, kind)| StoredCredit {
            agency,
            evidence,
            kind: *kind,
        }),
        encoding: &passed.encoding,
        total_chars: cleaned.total_chars as u64,
        boilerplate_chars_removed: cleaned.boilerplate_chars_removed as u64,
        published_ambiguous: cleaned.published_ambiguous,
    })
}

pub(crate) fn table_error(error: DocumentError) -> PyErr {
    match error {
        DocumentError::OutOfRange { .. } => PyIndexError::new_err(error.to_string()),
        _ => PyValueError::new_err(error.to_string()),
    }
}

/// Stored bytes back into the Python str they were.
fn python_string<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyString>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(PyString::new(py, text)),
        Err(_) => PyString::from_encoded_object(
            PyBytes::new(py, bytes).as_any(),
            Some(c"utf-8"),
            Some(c"surrogatepass"),
        ),
    }
}

fn optional_string<'py>(py: Python<'py>, bytes: Option<&[u8]>) -> PyResult<Bound<'py, PyAny>> {
    match bytes {
        Some(bytes) => Ok(python_string(py, bytes)?.into_any()),
        None => Ok(py.None().into_bound(py)),
    }
}

/// `models.Document`'s fields in order, wire_credit as (agency, evidence, kind) or None.
fn document_row<'py>(py: Python<'py>, document: &DocumentFields<'_>) -> PyResult<Bound<'py, PyTuple>> {
    let credit = match &document.wire_credit {
        Some(credit) => PyTuple::new(
            py,
            [
                python_string(py, credit.agency)?,
                python_string(py, credit.evidence)?,
                PyString::new(py, credit.kind.as_str()),
            ],
        )?
        .into_any(),
        None => py.None().into_bound(py),
    };
    let fields: [Bound<'py, PyAny>; 15] = [
        python_string(py, document.id)?.into_any(),
        python_string(py, document.path)?.into_any(),
        python_string(py, document.body)?.into_any(),
        document.body_chars.into_pyobject(py)?.into_any(),
        optional_string(py, document.title)?,
        optional_string(py, document.source)?,
        optional_string(py, document.url)?,
        optional_string(py, document.published)?,
        optional_string(py, document.byline)?,
        optional_string(py, document.dateline)?,
        credit,
        python_string(py, document.encoding)?.into_any(),
        document.total_chars.into_pyobject(py)?.into_any(),
        document.boilerplate_chars_removed.into_pyobject(py)?.into_any(),
        PyBool::new(py, document.published_ambiguous)
            .to_owned()
            .into_any(),
    ];
    PyTuple::new(py, fields)
}

#[pymethods]
impl DocumentTable {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    fn __len__(&self) -> usize {
        self.table().len()
    }

    /// Appends every document of `other`, in its position order.
    fn extend(&self, other: &DocumentTable) -> PyResult<()> {
        if std::ptr::eq(self, other) {
            return Err(PyValueError::new_err("a document table cannot extend itself"));
        }
        let other = other.table();
        self.table().extend(&other).map_err(table_error)
    }

    /// The positions in id order (Python's str order), for `reorder`.
    fn order_by_id(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        py.detach(|| self.table().order_by_id()).map_err(table_error)
    }

    /// From now on, position i is the document that was at position order[i].
    fn reorder(&self, py: Python<'_>, order: Vec<u32>) -> PyResult<()> {
        py.detach(|| self.table().reorder(&order)).map_err(table_error)
    }

    /// Every document's id, by position.
    fn ids<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyString>>> {
        let table = self.table();
        (0..table.len())
            .map(|position| python_string(py, table.id(position).map_err(table_error)?))
            .collect()
    }

    /// The positions of the documents not read as "utf-8", in position order.
    fn other_encodings(&self, py: Python<'_>) -> PyResult<Vec<usize>> {
        py.detach(|| {
            let table = self.table();
            let mut found = Vec::new();
            for position in 0..table.len() {
                if !table.read_as_utf8(position)? {
                    found.push(position);
                }
            }
            Ok(found)
        })
        .map_err(table_error)
    }

    /// Every document's published value (None when it has none), by position.
    fn published<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let table = self.table();
        (0..table.len())
            .map(|position| optional_string(py, table.get(position).map_err(table_error)?.published))
            .collect()
    }

    /// The `models.Document` fields of the documents at `positions`, in that order.
    fn rows<'py>(&self, py: Python<'py>, positions: Vec<usize>) -> PyResult<Vec<Bound<'py, PyTuple>>> {
        let table = self.table();
        positions
            .iter()
            .map(|&position| document_row(py, &table.get(position).map_err(table_error)?))
            .collect()
    }

    /// Bytes the table holds (its records, spare room included, and their places).
    fn held_bytes(&self) -> usize {
        self.table().held_bytes()
    }
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<DocumentTable>()?;
    Ok(())
}

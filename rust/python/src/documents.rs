//! `DocumentTable`: a run's documents kept in the core (`newsdedup_core::documents`), a
//! Python `Document`'s fields made only for the positions asked for.
//!
//! `prepare_batch` appends to a table in Rust; the pipeline reorders it by id, reads the ids
//! and published dates in bulk, and makes `Document`s of a few clusters at a time, so a
//! million-article run never holds a million Python objects.

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, PoisonError};

use newsdedup_core::clean::Cleaned;
use newsdedup_core::documents::{
    encode_document, DocumentError, DocumentFields, DocumentTable as Table, StoredCredit,
};
use newsdedup_core::read::ArticleRecord;
use newsdedup_core::store::{StoreError, TextStore};

/// Body bytes a table keeps in memory before its store writes them to its file: a run reads
/// back only its duplicates' bodies, once, so memory buys little here.
const BODY_MEMORY_LIMIT: usize = 8 << 20;
use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyString, PyTuple};

use crate::pytext::surrogatepass_bytes;

/// The documents of a run by position: appended by `prepare_batch`, read as `models.Document`
/// fields. Safe to share between threads (a lock inside).
///
/// A table made with `spill_bodies` keeps the bodies of the documents it is extended with in
/// a `TextStore` beside its records (spilled to a temporary file past a limit), so that a
/// run can tell what each copy changed without holding every text in memory.
#[pyclass(frozen, module = "newsdedup._core")]
#[derive(Default)]
pub struct DocumentTable {
    inner: Mutex<Table>,
    bodies: Option<Mutex<TextStore>>,
}

impl DocumentTable {
    pub(crate) fn table(&self) -> MutexGuard<'_, Table> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The body store, when the table keeps its bodies apart.
    pub(crate) fn bodies(&self) -> Option<MutexGuard<'_, TextStore>> {
        self.bodies
            .as_ref()
            .map(|bodies| bodies.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The body of the document at `position`: from the body store, or from its record.
    pub(crate) fn body<'a>(
        table: &'a Table,
        bodies: Option<&'a TextStore>,
        position: usize,
        buffer: &'a mut Vec<u8>,
    ) -> PyResult<&'a [u8]> {
        match bodies {
            Some(bodies) => bodies.bytes(position, buffer).map_err(body_error),
            None => Ok(table.get(position).map_err(table_error)?.body),
        }
    }
}

impl DocumentTable {
    /// Appends every document of `other` (its bodies in `other_bodies` if it keeps them apart);
    /// with `spill_bodies`, the bodies go to the body store and the records keep none.
    fn append_table(&self, other: &Table, other_bodies: Option<&TextStore>) -> PyResult<()> {
        let mut table = self.table();
        let Some(mut bodies) = self.bodies() else {
            return table.extend(other).map_err(table_error);
        };
        let mut buffer = Vec::new();
        for position in 0..other.len() {
            let fields = other.get(position).map_err(table_error)?;
            let body = Self::body(other, other_bodies, position, &mut buffer)?;
            bodies.append(body).map_err(body_error)?;
            table
                .push(&DocumentFields { body: b"", ..fields })
                .map_err(table_error)?;
        }
        Ok(())
    }
}

fn body_error(error: StoreError) -> PyErr {
    PyValueError::new_err(error.to_string())
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
    #[pyo3(signature = (spill_bodies = false, memory_limit = BODY_MEMORY_LIMIT))]
    fn new(spill_bodies: bool, memory_limit: usize) -> Self {
        DocumentTable {
            inner: Mutex::default(),
            bodies: spill_bodies.then(|| Mutex::new(TextStore::new(None, memory_limit))),
        }
    }

    fn __len__(&self) -> usize {
        self.table().len()
    }

    /// Appends every document of `other`, in its position order; with `spill_bodies`, their
    /// bodies go to the body store and the records keep none.
    fn extend(&self, py: Python<'_>, other: &DocumentTable) -> PyResult<()> {
        if std::ptr::eq(self, other) {
            return Err(PyValueError::new_err("a document table cannot extend itself"));
        }
        py.detach(|| self.append_table(&other.table(), other.bodies().as_deref()))
    }

    /// The documents at `positions` as bytes `extend_encoded` reads (in another process): a
    /// worker's documents sent whole, without a Python object each; bodies only with `bodies`.
    #[pyo3(signature = (positions, bodies = true))]
    fn encoded<'py>(
        &self,
        py: Python<'py>,
        positions: Vec<usize>,
        bodies: bool,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let encoded = py.detach(|| {
            let table = self.table();
            let store = if bodies { self.bodies() } else { None };
            let mut encoded = Vec::new();
            let mut buffer = Vec::new();
            for &position in &positions {
                let fields = table.get(position).map_err(table_error)?;
                let body = match (&store, bodies) {
                    (Some(store), _) => store.bytes(position, &mut buffer).map_err(body_error)?,
                    (None, true) => fields.body,
                    (None, false) => b"",
                };
                encode_document(&mut encoded, &DocumentFields { body, ..fields });
            }
            Ok::<_, PyErr>(encoded)
        })?;
        Ok(PyBytes::new(py, &encoded))
    }

    /// Appends the documents `encoded` gave (ValueError for damaged bytes, and then none).
    fn extend_encoded(&self, py: Python<'_>, data: &[u8]) -> PyResult<()> {
        py.detach(|| {
            let mut decoded = Table::new();
            decoded.extend_encoded(data).map_err(table_error)?;
            self.append_table(&decoded, None)
        })
    }

    /// The positions in id order (Python's str order), for `reorder`.
    fn order_by_id(&self, py: Python<'_>) -> PyResult<Vec<u32>> {
        py.detach(|| self.table().order_by_id()).map_err(table_error)
    }

    /// From now on, position i is the document that was at position order[i].
    fn reorder(&self, py: Python<'_>, order: Vec<u32>) -> PyResult<()> {
        py.detach(|| {
            self.table().reorder(&order).map_err(table_error)?;
            match self.bodies() {
                Some(mut bodies) => bodies.reorder(order).map_err(body_error),
                None => Ok(()),
            }
        })
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

    /// The `models.Document` fields of the documents at `positions`, in that order; the bodies
    /// of a table that spills them only with `bodies` (each read back from the store).
    #[pyo3(signature = (positions, bodies = false))]
    fn rows<'py>(
        &self,
        py: Python<'py>,
        positions: Vec<usize>,
        bodies: bool,
    ) -> PyResult<Vec<Bound<'py, PyTuple>>> {
        let table = self.table();
        let store = if bodies { self.bodies() } else { None };
        let mut buffer = Vec::new();
        positions
            .iter()
            .map(|&position| {
                let fields = table.get(position).map_err(table_error)?;
                match &store {
                    Some(store) => {
                        let body = store.bytes(position, &mut buffer).map_err(body_error)?;
                        document_row(py, &DocumentFields { body, ..fields })
                    }
                    None => document_row(py, &fields),
                }
            })
            .collect()
    }

    /// Frees the body store (its memory and its file): for a run that is done with the bodies.
    fn drop_bodies(&self) {
        if let Some(mut bodies) = self.bodies() {
            *bodies = TextStore::new(None, 0);
        }
    }

    /// Whether the table keeps its bodies in a body store.
    #[getter]
    fn spills_bodies(&self) -> bool {
        self.bodies.is_some()
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

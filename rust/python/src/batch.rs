//! `ArticleBatch`: articles held in Rust from the moment they are read until the core has
//! prepared them, so that no text crosses into Python and back.
//!
//! The readers (`read.rs`) fill batches directly; articles Python made (web pages, text on
//! standard input, `cluster_texts`) come in as rows of `models.Article`'s fields. Python
//! sees what it needs without the texts: the count, the ids and paths, and can drop
//! positions (a repeated id).

use std::collections::BTreeSet;

use newsdedup_core::read::ArticleRecord;
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::pytext::{optional_text, python_text, read_text};

/// One article of a batch; `surrogates` says its fields hold stand-ins for lone surrogates
/// (only an `Article` made in Python can have them: the readers refuse or replace them).
pub(crate) struct Held {
    pub record: ArticleRecord,
    pub surrogates: bool,
}

impl Held {
    pub(crate) fn read(record: ArticleRecord) -> Self {
        Held {
            record,
            surrogates: false,
        }
    }
}

/// `models.Article` as a row, in and out: (id, path, text, title, source, url, published,
/// encoding, language, byline, web_page).
pub(crate) type ArticleRow<'py> = (
    Bound<'py, PyString>,
    Bound<'py, PyString>,
    Bound<'py, PyString>,
    Option<Bound<'py, PyString>>,
    Option<Bound<'py, PyString>>,
    Option<Bound<'py, PyString>>,
    Option<Bound<'py, PyString>>,
    Bound<'py, PyString>,
    Option<Bound<'py, PyString>>,
    Option<Bound<'py, PyString>>,
    bool,
);

/// A row of Python strings as a held article.
pub(crate) fn held_of(row: &ArticleRow<'_>) -> PyResult<Held> {
    let mut surrogates = false;
    let mut text = |string: &Bound<'_, PyString>| -> PyResult<String> {
        let read = read_text(string)?;
        surrogates |= read.surrogates;
        Ok(read.text.into_owned())
    };
    let record = ArticleRecord {
        id: text(&row.0)?,
        path: text(&row.1)?,
        text: text(&row.2)?,
        title: row.3.as_ref().map(&mut text).transpose()?,
        source: row.4.as_ref().map(&mut text).transpose()?,
        url: row.5.as_ref().map(&mut text).transpose()?,
        published: row.6.as_ref().map(&mut text).transpose()?,
        encoding: text(&row.7)?,
        language: row.8.as_ref().map(&mut text).transpose()?,
        byline: row.9.as_ref().map(&mut text).transpose()?,
        web_page: row.10,
    };
    Ok(Held { record, surrogates })
}

/// Articles in reading order, held in Rust.
#[pyclass(module = "newsdedup._core")]
#[derive(Default)]
pub struct ArticleBatch {
    pub(crate) articles: Vec<Held>,
    /// The ids and paths as Python made them once: the id check and the Documents share
    /// the same strings (one copy per article, not two). Forgotten when the articles change.
    ids: Option<Py<PyTuple>>,
    paths: Option<Py<PyTuple>>,
}

impl ArticleBatch {
    pub(crate) fn push(&mut self, held: Held) {
        self.changed();
        self.articles.push(held);
    }

    fn changed(&mut self) {
        self.ids = None;
        self.paths = None;
    }

    fn strings<'py>(
        &self,
        py: Python<'py>,
        field: impl Fn(&ArticleRecord) -> &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let strings = self
            .articles
            .iter()
            .map(|held| python_text(py, field(&held.record), held.surrogates))
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, strings)
    }
}

#[pymethods]
impl ArticleBatch {
    #[new]
    #[pyo3(signature = (rows = Vec::new()))]
    fn new(rows: Vec<ArticleRow<'_>>) -> PyResult<Self> {
        let articles = rows.iter().map(held_of).collect::<PyResult<_>>()?;
        Ok(ArticleBatch {
            articles,
            ..ArticleBatch::default()
        })
    }

    /// Adds one article, given as a row.
    fn append(&mut self, row: ArticleRow<'_>) -> PyResult<()> {
        self.push(held_of(&row)?);
        Ok(())
    }

    /// Moves every article of `other` to the end of this batch, leaving `other` empty.
    fn extend(&mut self, mut other: PyRefMut<'_, ArticleBatch>) {
        self.changed();
        other.changed();
        self.articles.append(&mut other.articles);
    }

    fn __len__(&self) -> usize {
        self.articles.len()
    }

    /// The ids in order (the same tuple, and strings, at every call until the articles change).
    fn ids<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        if let Some(ids) = &self.ids {
            return Ok(ids.bind(py).clone());
        }
        let ids = self.strings(py, |record| &record.id)?;
        self.ids = Some(ids.clone().unbind());
        Ok(ids)
    }

    /// The paths in order, as `ids`.
    fn paths<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        if let Some(paths) = &self.paths {
            return Ok(paths.bind(py).clone());
        }
        let paths = self.strings(py, |record| &record.path)?;
        self.paths = Some(paths.clone().unbind());
        Ok(paths)
    }

    /// Every article as a row of `models.Article`'s fields, for callers that want Articles.
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Vec<ArticleRow<'py>>> {
        self.articles.iter().map(|held| row_of(py, held)).collect()
    }

    /// Removes the articles at `positions` (a repeated id), keeping the order of the rest.
    fn discard(&mut self, positions: Vec<usize>) -> PyResult<()> {
        let dropped: BTreeSet<usize> = positions.into_iter().collect();
        if let Some(&last) = dropped.last() {
            if last >= self.articles.len() {
                return Err(PyIndexError::new_err(format!(
                    "position {last} is not in a batch of {} articles",
                    self.articles.len()
                )));
            }
        }
        self.changed();
        let mut position = 0;
        self.articles.retain(|_| {
            let kept = !dropped.contains(&position);
            position += 1;
            kept
        });
        Ok(())
    }
}

fn row_of<'py>(py: Python<'py>, held: &Held) -> PyResult<ArticleRow<'py>> {
    let record = &held.record;
    let text = |value: &str| python_text(py, value, held.surrogates);
    let optional = |value: &Option<String>| optional_text(py, value.as_deref(), held.surrogates);
    Ok((
        text(&record.id)?,
        text(&record.path)?,
        text(&record.text)?,
        optional(&record.title)?,
        optional(&record.source)?,
        optional(&record.url)?,
        optional(&record.published)?,
        text(&record.encoding)?,
        optional(&record.language)?,
        optional(&record.byline)?,
        record.web_page,
    ))
}

//! `clean_batch`: articles split into body and metadata (`newsdedup.clean.clean`), a batch per call.
//!
//! Each article comes in as the fields of `models.Article`, and goes out as the fields of
//! `models.Document` after id and path, in their order, so that the caller builds a
//! `Document(id, path, *row)` with no renaming (and `WireCredit(*credit)`). Plain tuples:
//! the dataclasses stay the one definition of those nouns, and tuples cost the least
//! to build.

use newsdedup_core::clean::{
    classified_blocks, clean, Article, BoilerplateSettings, CleanSettings as CoreSettings, Cleaned,
};
use newsdedup_core::header::{
    agency_in, byline, credit_line, date_header, dateline, is_photo_credit, Agencies, WireCredit,
};
use newsdedup_core::pystr::chars;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString, PyTuple};
use rayon::prelude::*;

use crate::batch::{held_of, ArticleRow};
use crate::pool::with_threads;
use crate::pytext::{optional_text, python_text, read_text};

/// `BoilerplateSettings` and the wire agencies, prepared once for any number of batches.
#[pyclass(frozen, module = "newsdedup._core")]
pub struct CleanSettings {
    pub(crate) inner: CoreSettings,
}

#[pymethods]
impl CleanSettings {
    #[new]
    #[pyo3(signature = (
        *, enabled, min_prose_words, long_prose_words, max_symbol_share, max_furniture_words,
        min_body_words, segment_gap, min_segment_share, phrases, wire_agencies
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        enabled: bool,
        min_prose_words: usize,
        long_prose_words: usize,
        max_symbol_share: f64,
        max_furniture_words: usize,
        min_body_words: usize,
        segment_gap: usize,
        min_segment_share: f64,
        phrases: Vec<String>,
        wire_agencies: Vec<String>,
    ) -> Self {
        let boilerplate = BoilerplateSettings {
            enabled,
            min_prose_words,
            long_prose_words,
            max_symbol_share,
            max_furniture_words,
            min_body_words,
            segment_gap,
            min_segment_share,
            phrases,
        };
        CleanSettings {
            inner: CoreSettings::new(boilerplate, &wire_agencies),
        }
    }
}

/// `models.Document` after id and path: (body, body_chars, title, source, url, published,
/// byline, dateline, wire_credit, encoding, total_chars, boilerplate_chars_removed,
/// published_ambiguous). Thirteen fields: more than PyO3 makes tuples of, so built here.
pub(crate) fn document_row<'py>(
    py: Python<'py>,
    url: Bound<'py, PyAny>,
    encoding: Bound<'py, PyAny>,
    cleaned: Cleaned,
    surrogates: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let text = |value: &str| python_text(py, value, surrogates);
    let optional = |value: &Option<String>| -> PyResult<Bound<'py, PyAny>> {
        Ok(optional_text(py, value.as_deref(), surrogates)?.into_pyobject(py)?)
    };
    let credit = match &cleaned.wire_credit {
        Some(credit) => Some(credit_row(py, credit, surrogates)?),
        None => None,
    };
    let fields: [Bound<'py, PyAny>; 13] = [
        text(&cleaned.body)?.into_any(),
        cleaned.body_chars.into_pyobject(py)?.into_any(),
        optional(&cleaned.title)?,
        optional(&cleaned.source)?,
        url,
        optional(&cleaned.published)?,
        optional(&cleaned.byline)?,
        optional(&cleaned.dateline)?,
        credit.into_pyobject(py)?,
        encoding,
        cleaned.total_chars.into_pyobject(py)?.into_any(),
        cleaned.boilerplate_chars_removed.into_pyobject(py)?.into_any(),
        PyBool::new(py, cleaned.published_ambiguous).to_owned().into_any(),
    ];
    PyTuple::new(py, fields)
}

/// Each article's `Document` fields after id and path, in input order, for any thread count.
#[pyfunction]
#[pyo3(signature = (articles, settings, threads = 0))]
fn clean_batch<'py>(
    py: Python<'py>,
    articles: Vec<ArticleRow<'py>>,
    settings: &CleanSettings,
    threads: usize,
) -> PyResult<Vec<Bound<'py, PyTuple>>> {
    let held = articles.iter().map(held_of).collect::<PyResult<Vec<_>>>()?;
    let inputs: Vec<Article<'_>> = held.iter().map(|held| held.record.article()).collect();
    let settings = &settings.inner;
    let cleaned = py.detach(|| {
        with_threads(threads, || {
            inputs
                .par_iter()
                .map(|article| clean(article, settings))
                .collect::<Vec<_>>()
        })
    })?;
    articles
        .into_iter()
        .zip(&held)
        .zip(cleaned)
        .map(|((row, held), cleaned)| {
            document_row(
                py,
                row.5.into_pyobject(py)?,
                row.7.into_any(),
                cleaned,
                held.surrogates,
            )
        })
        .collect()
}

/// (agency, evidence, kind) of a `models.WireCredit`.
type CreditRow<'py> = (Bound<'py, PyString>, Bound<'py, PyString>, &'static str);

fn credit_row<'py>(py: Python<'py>, credit: &WireCredit, surrogates: bool) -> PyResult<CreditRow<'py>> {
    Ok((
        python_text(py, &credit.agency, surrogates)?,
        python_text(py, &credit.evidence, surrogates)?,
        credit.kind.as_str(),
    ))
}

/// What each `newsdedup.header` recogniser answers for one line.
type HeaderRow<'py> = (
    Option<Bound<'py, PyString>>,
    Option<(Bound<'py, PyString>, Option<Bound<'py, PyString>>)>,
    Option<CreditRow<'py>>,
    bool,
    Option<(Bound<'py, PyString>, Option<CreditRow<'py>>)>,
    Option<(Bound<'py, PyString>, Option<CreditRow<'py>>)>,
    Option<Bound<'py, PyString>>,
);

/// For tests against `newsdedup.header`: per line, (byline, date_header, credit_line,
/// is_photo_credit, dateline, dateline with wire_only, agency_in), credits as (agency,
/// evidence, kind). The date recognisers it re-exports are `dates_batch`'s.
#[pyfunction]
fn header_batch<'py>(
    py: Python<'py>,
    lines: Vec<Bound<'py, PyString>>,
    wire_agencies: Vec<String>,
) -> PyResult<Vec<HeaderRow<'py>>> {
    let agencies = Agencies::new(&wire_agencies);
    let mut rows = Vec::with_capacity(lines.len());
    for line in &lines {
        let read = read_text(line)?;
        let surrogates = read.surrogates;
        let text = chars(&read.text);
        let string = |value: &[char]| python_text(py, &value.iter().collect::<String>(), surrogates);
        let opening = |wire_only: bool| -> PyResult<_> {
            match dateline(&text, &agencies, wire_only) {
                None => Ok(None),
                Some(found) => {
                    let credit = found
                        .credit
                        .as_ref()
                        .map(|credit| credit_row(py, credit, surrogates))
                        .transpose()?;
                    Ok(Some((string(&text[..found.length])?, credit)))
                }
            }
        };
        let date_and_source = match date_header(&text) {
            None => None,
            Some((date, source)) => Some((string(date)?, source.map(string).transpose()?)),
        };
        rows.push((
            byline(&text).map(string).transpose()?,
            date_and_source,
            credit_line(&text, &agencies)
                .map(|credit| credit_row(py, &credit, surrogates))
                .transpose()?,
            is_photo_credit(&text),
            opening(false)?,
            opening(true)?,
            agency_in(&text, &agencies)
                .map(|agency| python_text(py, agency, surrogates))
                .transpose()?,
        ));
    }
    Ok(rows)
}

/// A `clean.Block`: (text, kind, words).
type BlockRow<'py> = (Bound<'py, PyString>, &'static str, usize);

/// For tests against `newsdedup.clean`: each text's blocks as (text, kind, words) after
/// `segment` and `classify`.
#[pyfunction]
fn blocks_batch<'py>(
    py: Python<'py>,
    texts: Vec<Bound<'py, PyString>>,
    settings: &CleanSettings,
) -> PyResult<Vec<Vec<BlockRow<'py>>>> {
    let mut rows = Vec::with_capacity(texts.len());
    for text in &texts {
        let read = read_text(text)?;
        let blocks = classified_blocks(&read.text, &settings.inner, false);
        let row = blocks
            .iter()
            .map(|block| {
                let text = python_text(py, &block.text().iter().collect::<String>(), read.surrogates)?;
                Ok((text, block.kind.as_str(), block.words))
            })
            .collect::<PyResult<Vec<_>>>()?;
        rows.push(row);
    }
    Ok(rows)
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<CleanSettings>()?;
    module.add_function(wrap_pyfunction!(clean_batch, module)?)?;
    module.add_function(wrap_pyfunction!(header_batch, module)?)?;
    module.add_function(wrap_pyfunction!(blocks_batch, module)?)?;
    Ok(())
}

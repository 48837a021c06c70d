//! The readers: JSON Lines fed in chunks, and text files, parsed with the GIL released.
//!
//! They take what is surely an article (`newsdedup_core::read`) straight into an
//! `ArticleBatch`, in parallel, and hand every other line or file, in order, to a Python
//! `explain` callback, which answers an `Article` row or a `Skipped` (the reason named
//! there, in one place). Output follows input order for any thread count.

use std::path::PathBuf;

use newsdedup_core::read::lines::{Line, LineSplitter};
use newsdedup_core::read::record::article_from_line;
use newsdedup_core::read::text_file::plain_text_file;
use newsdedup_core::read::ArticleRecord;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use rayon::prelude::*;

use crate::batch::{held_of, ArticleBatch, ArticleRow, Held};
use crate::pool::with_threads;

/// What a read gives: the articles, the `Skipped`s `explain` answered, and how many
/// records (lines that are not blank) it saw.
type Read<'py> = (ArticleBatch, Vec<Bound<'py, PyAny>>, usize);

/// What the core makes of one line before Python sees any of it.
enum Outcome {
    Article(Box<ArticleRecord>),
    Blank,
    ForPython,
}

/// Python's `not line.strip()` for bytes: ASCII white space only.
fn blank(line: &[u8]) -> bool {
    line.iter()
        .all(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
}

/// Adds `explain`'s answer to the read: an `Article` row joins the batch, anything else
/// (a `Skipped`) is kept as it is.
fn settle<'py>(
    answer: Bound<'py, PyAny>,
    batch: &mut ArticleBatch,
    skipped: &mut Vec<Bound<'py, PyAny>>,
) -> PyResult<()> {
    if answer.is_instance_of::<PyTuple>() {
        let row: ArticleRow<'py> = answer.extract()?;
        batch.push(held_of(&row)?);
    } else {
        skipped.push(answer);
    }
    Ok(())
}

/// A JSON Lines stream (a file or standard input) read chunk by chunk, each line named
/// `shown:line`; a line over `max_bytes` is never held whole.
#[pyclass(module = "newsdedup._core")]
pub struct JsonLinesReader {
    shown: String,
    splitter: LineSplitter,
}

#[pymethods]
impl JsonLinesReader {
    /// Lines are numbered from `first_line` (a part of a file that starts after a line break).
    #[new]
    #[pyo3(signature = (shown, max_bytes, first_line = 1))]
    fn new(shown: String, max_bytes: usize, first_line: u64) -> Self {
        JsonLinesReader {
            shown,
            splitter: LineSplitter::numbered_from(max_bytes, first_line),
        }
    }

    /// The lines that end in `chunk`, parsed on `threads` threads (0: every core; 1: this
    /// thread). `explain(line, where)` is called, in order, for each line that is not surely
    /// an article, with its bytes, or its length when over `max_bytes`.
    #[pyo3(signature = (chunk, explain, threads = 0))]
    fn feed<'py>(
        &mut self,
        py: Python<'py>,
        chunk: &[u8],
        explain: &Bound<'py, PyAny>,
        threads: usize,
    ) -> PyResult<Read<'py>> {
        let shown = &self.shown;
        let splitter = &mut self.splitter;
        let (lines, outcomes) = py.detach(|| {
            let lines = splitter.feed(chunk);
            let parse = |(number, line): &(u64, Line<'_>)| outcome(shown, *number, line);
            let outcomes = match threads {
                // On this thread: no pool to start, and the texts are allocated where they are read.
                1 => Ok(lines.iter().map(parse).collect::<Vec<_>>()),
                _ => with_threads(threads, || lines.par_iter().map(parse).collect::<Vec<_>>()),
            };
            (lines, outcomes)
        });
        self.settle(py, lines, outcomes?, explain)
    }

    /// The last line, when the stream does not end with a newline; as `feed`.
    fn finish<'py>(&mut self, py: Python<'py>, explain: &Bound<'py, PyAny>) -> PyResult<Read<'py>> {
        let lines: Vec<_> = self.splitter.finish().into_iter().collect();
        let outcomes = lines
            .iter()
            .map(|(number, line)| outcome(&self.shown, *number, line))
            .collect();
        self.settle(py, lines, outcomes, explain)
    }
}

impl JsonLinesReader {
    fn settle<'py>(
        &self,
        py: Python<'py>,
        lines: Vec<(u64, Line<'_>)>,
        outcomes: Vec<Outcome>,
        explain: &Bound<'py, PyAny>,
    ) -> PyResult<Read<'py>> {
        let mut batch = ArticleBatch::default();
        let mut skipped = Vec::new();
        let mut records = 0;
        for ((number, line), outcome) in lines.into_iter().zip(outcomes) {
            let answer = match (outcome, line) {
                (Outcome::Blank, _) => continue,
                (Outcome::Article(record), _) => {
                    batch.push(Held::read(*record));
                    records += 1;
                    continue;
                }
                (Outcome::ForPython, Line::Bytes(bytes)) => {
                    explain.call1((PyBytes::new(py, &bytes), format!("{}:{number}", self.shown)))?
                }
                (Outcome::ForPython, Line::Oversized(length)) => {
                    explain.call1((length, format!("{}:{number}", self.shown)))?
                }
            };
            records += 1;
            settle(answer, &mut batch, &mut skipped)?;
        }
        Ok((batch, skipped, records))
    }
}

fn outcome(shown: &str, number: u64, line: &Line<'_>) -> Outcome {
    match line {
        Line::Oversized(_) => Outcome::ForPython,
        Line::Bytes(bytes) if blank(bytes) => Outcome::Blank,
        Line::Bytes(bytes) => match article_from_line(bytes, format!("{shown}:{number}")) {
            Some(record) => Outcome::Article(Box::new(record)),
            None => Outcome::ForPython,
        },
    }
}

/// Text files, each given as (path to open, path shown, article id), read on `threads`
/// threads (0: every core; 1: this thread).
/// `explain(position)` is called, in order, for each file that is not surely plain UTF-8
/// text (or cannot be read here), and answers an `Article` row or a `Skipped`.
#[pyfunction]
#[pyo3(signature = (files, max_bytes, explain, threads = 0))]
fn read_text_files<'py>(
    py: Python<'py>,
    files: Vec<(PathBuf, String, String)>,
    max_bytes: usize,
    explain: &Bound<'py, PyAny>,
    threads: usize,
) -> PyResult<(ArticleBatch, Vec<Bound<'py, PyAny>>)> {
    let read = |(path, _, _): &(PathBuf, String, String)| plain_text_file(path, max_bytes);
    let texts: Vec<Option<String>> = py.detach(|| match threads {
        1 => Ok(files.iter().map(read).collect()),
        _ => with_threads(threads, || files.par_iter().map(read).collect()),
    })?;
    let mut batch = ArticleBatch::default();
    let mut skipped = Vec::new();
    for (position, ((_, shown, id), text)) in files.into_iter().zip(texts).enumerate() {
        match text {
            Some(text) => batch.push(Held::read(ArticleRecord {
                id,
                path: shown,
                text,
                title: None,
                source: None,
                url: None,
                published: None,
                encoding: "utf-8".to_owned(),
                language: None,
                byline: None,
                web_page: false,
            })),
            None => settle(explain.call1((position,))?, &mut batch, &mut skipped)?,
        }
    }
    Ok((batch, skipped))
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<ArticleBatch>()?;
    module.add_class::<JsonLinesReader>()?;
    module.add_function(wrap_pyfunction!(read_text_files, module)?)?;
    Ok(())
}

//! `clusters_json` and `clusters_jsonl`: the JSON and JSON Lines reports' text for a run of
//! clusters, written in the core (`newsdedup_core::jsonout`) from the document table, without
//! a Python object per article.

use newsdedup_core::documents::DocumentError;
use newsdedup_core::documents::DocumentTable as Table;
use newsdedup_core::jsonout::{write_cluster, write_lines, MemberFields, ReasonText};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::changes::ChangeTable;
use crate::documents::{table_error, DocumentTable};

/// What each duplicate changed, by document position.
type ChangesByPosition = std::collections::HashMap<u32, newsdedup_core::changes::Changes>;

/// A cluster's canonical reasons as Python passes them: (criterion, detail, decisive).
type Reasons<'py> = Vec<(Bound<'py, PyString>, Bound<'py, PyString>, bool)>;

/// The clusters numbered `first_id`, `first_id + 1`, ... as `report.write_json` writes them
/// into the report: each after `",\n    "` but the first (after `"\n    "`). Cluster k holds
/// the documents at `positions[bounds[k]:bounds[k + 1]]` with their scores; `reasons` lists
/// (k, its reasons) for the clusters with any. None where a cluster's text would differ
/// from the standard library's (lone surrogates, a float written in exponent form): the
/// caller writes these clusters itself.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (documents, first_id, positions, bounds, similarity, containment, reasons, changes = None))]
fn clusters_json(
    py: Python<'_>,
    documents: &DocumentTable,
    first_id: u64,
    positions: Vec<usize>,
    bounds: Vec<usize>,
    similarity: Vec<f64>,
    containment: Vec<f64>,
    reasons: Vec<(usize, Reasons<'_>)>,
    changes: Option<PyRef<'_, ChangeTable>>,
) -> PyResult<Option<String>> {
    let clusters = Described::new(positions, bounds, similarity, containment)?;
    let mut texts: Vec<(usize, Vec<ReasonText<'_>>)> = Vec::with_capacity(reasons.len());
    for (cluster, found) in &reasons {
        let mut criteria = Vec::with_capacity(found.len());
        for (criterion, detail, decisive) in found {
            // A lone surrogate has no UTF-8 form: the caller writes this run itself.
            let (Ok(criterion), Ok(detail)) = (criterion.to_str(), detail.to_str()) else {
                return Ok(None);
            };
            criteria.push(ReasonText {
                criterion: criterion.as_bytes(),
                detail: detail.as_bytes(),
                decisive: *decisive,
            });
        }
        texts.push((*cluster, criteria));
    }
    let changes = changes.as_deref();
    py.detach(|| {
        let mut out = Vec::new();
        let mut reasons = texts.iter().peekable();
        let written = clusters.each(documents, changes, |index, members| {
            let criteria = match reasons.next_if(|(cluster, _)| *cluster == index) {
                Some((_, criteria)) => criteria.as_slice(),
                None => &[],
            };
            if index > 0 {
                out.push(b',');
            }
            write_cluster(&mut out, first_id + index as u64, members, criteria)
        })?;
        if !written {
            return Ok(None);
        }
        if reasons.next().is_some() {
            return Err(PyValueError::new_err(
                "reasons must name clusters of the run, in order",
            ));
        }
        Ok(String::from_utf8(out).ok())
    })
}

/// The JSON Lines records of the members of the clusters numbered `first_id`, ... (described
/// as for `clusters_json`), as `report.write_jsonl` writes them, each ending in a line break.
/// None where a record's text would differ from the standard library's.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (documents, first_id, positions, bounds, similarity, containment, changes = None))]
fn clusters_jsonl(
    py: Python<'_>,
    documents: &DocumentTable,
    first_id: u64,
    positions: Vec<usize>,
    bounds: Vec<usize>,
    similarity: Vec<f64>,
    containment: Vec<f64>,
    changes: Option<PyRef<'_, ChangeTable>>,
) -> PyResult<Option<String>> {
    let clusters = Described::new(positions, bounds, similarity, containment)?;
    let changes = changes.as_deref();
    py.detach(|| {
        let mut out = Vec::new();
        let written = clusters.each(documents, changes, |index, members| {
            write_lines(&mut out, first_id + index as u64, members)
        })?;
        Ok(if written {
            String::from_utf8(out).ok()
        } else {
            None
        })
    })
}

/// Clusters as Python describes them: cluster k holds the documents at
/// `positions[bounds[k]..bounds[k + 1]]`, canonical first, with their scores.
struct Described {
    positions: Vec<usize>,
    bounds: Vec<usize>,
    similarity: Vec<f64>,
    containment: Vec<f64>,
}

impl Described {
    fn new(
        positions: Vec<usize>,
        bounds: Vec<usize>,
        similarity: Vec<f64>,
        containment: Vec<f64>,
    ) -> PyResult<Self> {
        if similarity.len() != positions.len()
            || containment.len() != positions.len()
            || bounds.windows(2).any(|pair| pair[0] > pair[1])
            || bounds.last().is_some_and(|&end| end > positions.len())
        {
            return Err(PyValueError::new_err(
                "positions, scores and bounds do not describe the same clusters",
            ));
        }
        Ok(Described {
            positions,
            bounds,
            similarity,
            containment,
        })
    }

    /// `write(k, members of cluster k)` for each cluster in order, their documents and changes
    /// read under the tables' locks; false as soon as a `write` declines its cluster.
    fn each(
        &self,
        documents: &DocumentTable,
        changes: Option<&ChangeTable>,
        mut write: impl FnMut(usize, &[MemberFields<'_>]) -> bool,
    ) -> PyResult<bool> {
        let table = documents.table();
        let changes = changes.map(ChangeTable::table);
        for (index, pair) in self.bounds.windows(2).enumerate() {
            let members = self.members(&table, changes.as_deref(), pair[0]..pair[1])?;
            if !write(index, &members) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The members at `range` of `positions` with their documents and changes.
    fn members<'a>(
        &self,
        table: &'a Table,
        changes: Option<&'a ChangesByPosition>,
        range: std::ops::Range<usize>,
    ) -> PyResult<Vec<MemberFields<'a>>> {
        range
            .map(|member| {
                let position = self.positions[member];
                Ok(MemberFields {
                    document: table.get(position)?,
                    similarity: self.similarity[member],
                    containment: self.containment[member],
                    changes: changes.and_then(|found| found.get(&(position as u32))),
                })
            })
            .collect::<Result<Vec<_>, DocumentError>>()
            .map_err(table_error)
    }
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(clusters_json, module)?)?;
    module.add_function(wrap_pyfunction!(clusters_jsonl, module)?)?;
    Ok(())
}

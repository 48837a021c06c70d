//! `pair_tests`: every figure verification judges one pair on (`newsdedup explain`), by the
//! functions a run verifies with.

use newsdedup_core::codec::FingerprintView;
use newsdedup_core::verify::{anchors_met, compare, is_shorter, within_window, Met};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Where an anchor was met, as `explain` names it.
fn met_name(met: Met) -> &'static str {
    match met {
        Met::Kept => "kept",
        Met::Changed => "changed",
        Met::Outside => "outside",
    }
}

/// The tests of a pair of fingerprints (NDF2 bytes): (similarity, containment, shared shingles,
/// shingles needed, whether `a` is the shorter text, anchor agreement, where each of the shorter
/// text's anchors was met ("kept", "changed", "outside", in its `anchors` order), whether the two
/// share the longer text's opening, whether the dates are within the window). `a_first`: a's id
/// sorts before b's (ties of size go to it).
#[pyfunction]
#[pyo3(signature = (a, b, a_first, day_a, day_b, *, min_shared_shingles, max_days_apart))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn pair_tests(
    a: &[u8],
    b: &[u8],
    a_first: bool,
    day_a: Option<i64>,
    day_b: Option<i64>,
    min_shared_shingles: u64,
    max_days_apart: u64,
) -> PyResult<(f64, f64, u64, u64, bool, f64, Vec<&'static str>, bool, bool)> {
    let read =
        |data| FingerprintView::parse_checked(data).map_err(|error| PyValueError::new_err(error.to_string()));
    let (left, right) = (read(a)?, read(b)?);
    let (left_rank, right_rank) = if a_first { (0, 1) } else { (1, 0) };
    let found = compare(&left.shingles.to_vec(), &right.shingles.to_vec());
    let needed = min_shared_shingles
        .min(left.size().min(right.size()) as u64)
        .max(1);
    let a_shorter = is_shorter(&left, left_rank, &right, right_rank);
    let (shorter, longer) = if a_shorter {
        (&left, &right)
    } else {
        (&right, &left)
    };
    let met = anchors_met(shorter, longer);
    Ok((
        found.similarity,
        found.containment,
        found.shared,
        needed,
        a_shorter,
        met.agreement(shorter),
        met.met.iter().map(|&found| met_name(found)).collect(),
        met.opening_shared,
        within_window(day_a, day_b, max_days_apart),
    ))
}

pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(pair_tests, module)?)?;
    Ok(())
}

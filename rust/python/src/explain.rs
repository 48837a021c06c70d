//! `pair_tests`: every figure verification judges one pair on (`newsdedup explain`), by the
//! functions a run verifies with.

use newsdedup_core::codec::FingerprintView;
use newsdedup_core::verify::{anchors_met, compare, pair_agreement, within_window, Met};
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
/// shingles needed, whether `a`'s anchors decided (the shorter text's; of two texts of one
/// size, the way that agrees less), anchor agreement, where each of those anchors was met
/// ("kept", "changed", "outside", in its `anchors` order), whether the two share the longer
/// text's opening, whether the dates are within the window).
#[pyfunction]
#[pyo3(signature = (a, b, day_a, day_b, *, min_shared_shingles, max_days_apart))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn pair_tests(
    a: &[u8],
    b: &[u8],
    day_a: Option<i64>,
    day_b: Option<i64>,
    min_shared_shingles: u64,
    max_days_apart: u64,
) -> PyResult<(f64, f64, u64, u64, bool, f64, Vec<&'static str>, bool, bool)> {
    let read =
        |data| FingerprintView::parse_checked(data).map_err(|error| PyValueError::new_err(error.to_string()));
    let (left, right) = (read(a)?, read(b)?);
    let found = compare(&left.shingles.to_vec(), &right.shingles.to_vec());
    let needed = min_shared_shingles
        .min(left.size().min(right.size()) as u64)
        .max(1);
    let (_, a_decides) = pair_agreement(&left, &right);
    let (shorter, longer) = if a_decides {
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
        a_decides,
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

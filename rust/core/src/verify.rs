//! Whether a candidate pair is really two copies of one story: the port of `verify.py`.
//!
//! A copy shares most of the shorter text (containment) and keeps its numbers and names
//! (anchor agreement). Floats are computed as the Python version computes them (the same
//! divisions of the same integers), so similarities and containments are bit-identical.

use rayon::prelude::*;

use crate::codec::{FingerprintView, Words};
use crate::store::{FingerprintStore, StoreError};

/// Candidate pairs verified in one task: pairs come sorted, so a task reads each left text once.
const PAIR_CHUNK: usize = 2048;

/// `VerifySettings`.
#[derive(Debug, Clone)]
pub struct VerifySettings {
    pub min_containment: f64,
    pub min_shared_shingles: u64,
    pub min_anchor_agreement: f64,
    /// 0: no limit.
    pub max_days_apart: u64,
}

/// `compare`'s numbers: Jaccard similarity, containment of the shorter text, shared shingles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub similarity: f64,
    pub containment: f64,
    pub shared: u64,
}

/// `models.Match`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub left: u32,
    pub right: u32,
    pub comparison: Comparison,
}

/// The size of the intersection of two sorted unique lists.
pub fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0;
    }
    if large.len() / small.len() >= 32 {
        return galloping_shared_count(small, large);
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    // Blocks of eight against eight, every value of one with every value of the other (the
    // compiler makes that vector compares): near copies share most values, so a step-by-step
    // merge is a chain of dependent loads. A block moves on when its largest value is passed;
    // each shared value is counted once, in the one pair of blocks that holds it.
    while i + BLOCK <= small.len() && j + BLOCK <= large.len() {
        let (Ok(x), Ok(y)) = (
            <&[u32; BLOCK]>::try_from(&small[i..i + BLOCK]),
            <&[u32; BLOCK]>::try_from(&large[j..j + BLOCK]),
        ) else {
            break;
        };
        shared += block_shared(x, y);
        let (x_last, y_last) = (x[BLOCK - 1], y[BLOCK - 1]);
        i += BLOCK * usize::from(x_last <= y_last);
        j += BLOCK * usize::from(y_last <= x_last);
    }
    while i < small.len() && j < large.len() {
        let (x, y) = (small[i], large[j]);
        shared += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    shared
}

/// Values compared a block at a time in `shared_count`.
const BLOCK: usize = 8;

/// How many values two blocks share (each block holds distinct values).
fn block_shared(x: &[u32; BLOCK], y: &[u32; BLOCK]) -> usize {
    let mut equal = [0u32; BLOCK];
    for &value in y {
        for (count, &other) in equal.iter_mut().zip(x) {
            *count += u32::from(value == other);
        }
    }
    equal.iter().sum::<u32>() as usize
}

/// A short list against a long one: each value is looked for from where the last one was.
fn galloping_shared_count(small: &[u32], large: &[u32]) -> usize {
    let mut rest = large;
    let mut shared = 0;
    for &value in small {
        let mut step = 1;
        while step < rest.len() && rest[step] < value {
            step *= 2;
        }
        let window = &rest[..(step + 1).min(rest.len())];
        let place = window.partition_point(|&other| other < value);
        if window.get(place) == Some(&value) {
            shared += 1;
            rest = &rest[place + 1..];
        } else {
            rest = &rest[place..];
        }
        if rest.is_empty() {
            break;
        }
    }
    shared
}

/// `compare` from the sizes and the shared count.
pub fn comparison(a_size: usize, b_size: usize, shared: usize) -> Comparison {
    let union = a_size + b_size - shared;
    let smaller = a_size.min(b_size);
    Comparison {
        similarity: if union > 0 {
            shared as f64 / union as f64
        } else {
            1.0
        },
        containment: if smaller > 0 {
            shared as f64 / smaller as f64
        } else if a_size == b_size {
            1.0
        } else {
            0.0
        },
        shared: shared as u64,
    }
}

/// `compare` of two shingle sets (sorted unique hashes).
pub fn compare(a: &[u32], b: &[u32]) -> Comparison {
    comparison(a.len(), b.len(), shared_count(a, b))
}

fn holds(sorted: Words<'_>, value: u32) -> bool {
    let (mut low, mut high) = (0, sorted.len());
    while low < high {
        let middle = (low + high) / 2;
        match sorted.get(middle).cmp(&value) {
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Greater => high = middle,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// `np.isin(values, sorted_set, assume_unique=True)` exactly, for a sorted unique `sorted_set`.
///
/// For unique `values` that is membership. Anchor hashes can collide (two words, one 32-bit
/// hash); numpy then marks every copy but the last as found when it takes its sorting path,
/// which it does unless the set is empty, spans a small range, or is tiny next to `values`.
fn isin_assume_unique(values: &[u32], sorted_set: Words<'_>) -> Vec<bool> {
    let (n1, n2) = (values.len(), sorted_set.len());
    if n2 == 0 {
        return vec![false; n1];
    }
    let mut found: Vec<bool> = values.iter().map(|&value| holds(sorted_set, value)).collect();
    let range = u64::from(sorted_set.get(n2 - 1)) - u64::from(sorted_set.get(0));
    let table_path = range <= 6 * (n1 + n2) as u64;
    let loop_path = (n2 as f64) < 10.0 * (n1 as f64).powf(0.145);
    if !table_path && !loop_path {
        for (place, &value) in values.iter().enumerate() {
            if !found[place] && values[place + 1..].contains(&value) {
                found[place] = true;
            }
        }
    }
    found
}

/// Whether `a` (at `a_rank`) is the shorter text, as `(a.size, a.id) <= (b.size, b.id)` decides:
/// ranks are positions in id order (the pipeline's), so they order as the ids do.
pub fn is_shorter(a: &FingerprintView<'_>, a_rank: u32, b: &FingerprintView<'_>, b_rank: u32) -> bool {
    (a.size(), a_rank) <= (b.size(), b_rank)
}

/// `anchor_agreement`: weighted share of the shorter text's anchors found in the longer one.
pub fn anchor_agreement(shorter: &FingerprintView<'_>, longer: &FingerprintView<'_>) -> f64 {
    let total: u64 = shorter
        .anchor_weights
        .iter()
        .map(|&weight| u64::from(weight))
        .sum();
    if total == 0 {
        return 1.0;
    }
    let anchors = shorter.anchors.to_vec();
    let mut found = isin_assume_unique(&anchors, longer.vocabulary);
    if found.contains(&false) && !shorter.anchor_variants.is_empty() {
        for (variant, owner) in shorter.anchor_variants.iter().zip(shorter.anchor_variant_of()) {
            if holds(longer.name_variants, variant) {
                // parse_checked made sure every owner is an anchor.
                if let Some(slot) = found.get_mut(usize::from(owner)) {
                    *slot = true;
                }
            }
        }
    }
    let missing: u64 = shorter
        .anchor_weights
        .iter()
        .zip(&found)
        .filter(|(_, &found)| !found)
        .map(|(&weight, _)| u64::from(weight))
        .sum();
    1.0 - missing as f64 / total as f64
}

/// `is_copy`, with the anchors looked up last (most pairs fail on containment already).
pub fn is_copy(
    comparison: &Comparison,
    a: &FingerprintView<'_>,
    a_rank: u32,
    b: &FingerprintView<'_>,
    b_rank: u32,
    settings: &VerifySettings,
) -> bool {
    let smaller = a.size().min(b.size()) as u64;
    let needed_shared = settings.min_shared_shingles.min(smaller).max(1);
    comparison.shared >= needed_shared && comparison.containment >= settings.min_containment && {
        let agreement = if is_shorter(a, a_rank, b, b_rank) {
            anchor_agreement(a, b)
        } else {
            anchor_agreement(b, a)
        };
        agreement >= settings.min_anchor_agreement
    }
}

/// `within_window` from the UTC day numbers of the two publication dates (None: undated).
pub fn within_window(left: Option<i64>, right: Option<i64>, max_days_apart: u64) -> bool {
    if max_days_apart == 0 {
        return true;
    }
    match (left, right) {
        (Some(left), Some(right)) => {
            (i128::from(left) - i128::from(right)).unsigned_abs() <= u128::from(max_days_apart)
        }
        _ => true,
    }
}

/// `verified_matches`: the pairs (positions in `store`) that are copies, in pair order.
/// `days[i]`: the UTC day number of position `i`'s publication, None when undated.
pub fn verified_matches(
    store: &FingerprintStore,
    pairs: &[(u32, u32)],
    days: &[Option<i64>],
    settings: &VerifySettings,
) -> Result<Vec<Match>, StoreError> {
    if days.len() != store.len() {
        return Err(StoreError::NotAnOrder(format!(
            "{} publication days for {} fingerprints",
            days.len(),
            store.len()
        )));
    }
    let chunks: Vec<Vec<Match>> = pairs
        .par_chunks(PAIR_CHUNK)
        .map(|chunk| verify_chunk(store, chunk, days, settings))
        .collect::<Result<_, _>>()?;
    Ok(chunks.concat())
}

/// `anchor_agreement(fingerprints[left], fingerprints[right])` of each pair (for tests of the piece).
pub fn anchor_agreements(store: &FingerprintStore, pairs: &[(u32, u32)]) -> Result<Vec<f64>, StoreError> {
    let (mut left_buffer, mut right_buffer) = (Vec::new(), Vec::new());
    pairs
        .iter()
        .map(|&(left, right)| {
            let a = store.read(left as usize, &mut left_buffer)?;
            let b = store.read(right as usize, &mut right_buffer)?;
            Ok(if is_shorter(&a, left, &b, right) {
                anchor_agreement(&a, &b)
            } else {
                anchor_agreement(&b, &a)
            })
        })
        .collect()
}

/// `verified_matches` of `pairs` serially, on the calling thread: for a few pairs (an index
/// look-up verifies one article against its candidates) handing them to a pool costs more.
pub fn verify_chunk(
    store: &FingerprintStore,
    pairs: &[(u32, u32)],
    days: &[Option<i64>],
    settings: &VerifySettings,
) -> Result<Vec<Match>, StoreError> {
    let day = |position: u32| {
        days.get(position as usize)
            .copied()
            .ok_or(StoreError::OutOfRange {
                position: position as usize,
                length: days.len(),
            })
    };
    let mut matches = Vec::new();
    let mut left_bytes: Vec<u8> = Vec::new();
    let mut left_shingles: Vec<u32> = Vec::new();
    let mut left_at: Option<u32> = None;
    let mut right_buffer: Vec<u8> = Vec::new();
    let mut right_shingles: Vec<u32> = Vec::new();
    for &(left, right) in pairs {
        if !within_window(day(left)?, day(right)?, settings.max_days_apart) {
            continue;
        }
        if left_at != Some(left) {
            let mut buffer = Vec::new();
            let data = store.bytes(left as usize, &mut buffer)?;
            left_bytes.clear();
            left_bytes.extend_from_slice(data);
            FingerprintView::parse(&left_bytes)
                .map_err(|error| StoreError::Damaged {
                    number: left as usize,
                    error,
                })?
                .shingles
                .copy_into(&mut left_shingles);
            left_at = Some(left);
        }
        let left_view = FingerprintView::parse(&left_bytes).map_err(|error| StoreError::Damaged {
            number: left as usize,
            error,
        })?;
        let right_view = store.read(right as usize, &mut right_buffer)?;
        right_view.shingles.copy_into(&mut right_shingles);
        let found = compare(&left_shingles, &right_shingles);
        if is_copy(&found, &left_view, left, &right_view, right, settings) {
            matches.push(Match {
                left,
                right,
                comparison: found,
            });
        }
    }
    Ok(matches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encode_fingerprint;
    use crate::fingerprint::Fingerprint;

    #[test]
    fn shared_counts_agree_on_both_paths() {
        let large: Vec<u32> = (0..5000).map(|value| value * 3).collect();
        for small in [
            vec![],
            vec![0],
            vec![3, 4, 14_997],
            vec![1, 2, 5],
            (0..100).map(|v| v * 7).collect(),
        ] {
            let expected = small.iter().filter(|value| large.contains(value)).count();
            assert_eq!(shared_count(&small, &large), expected);
            assert_eq!(shared_count(&large, &small), expected);
            assert_eq!(galloping_shared_count(&small, &large), expected);
        }
    }

    #[test]
    fn shared_counts_of_near_copies_agree_with_a_set() {
        // Lists of similar sizes (the blocks' path), random overlaps and lengths.
        let mut state = 5u64;
        let mut next = move |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        for _ in 0..2000 {
            let spread = 1 + next(400);
            let a: std::collections::BTreeSet<u32> = (0..next(120)).map(|_| next(spread) as u32).collect();
            let b: std::collections::BTreeSet<u32> = (0..next(120)).map(|_| next(spread) as u32).collect();
            let expected = a.intersection(&b).count();
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            assert_eq!(shared_count(&a, &b), expected);
            assert_eq!(shared_count(&b, &a), expected);
        }
    }

    #[test]
    fn comparison_of_empty_and_unequal_texts() {
        assert_eq!(
            compare(&[], &[]),
            Comparison {
                similarity: 1.0,
                containment: 1.0,
                shared: 0
            }
        );
        assert_eq!(
            compare(&[], &[1]),
            Comparison {
                similarity: 0.0,
                containment: 0.0,
                shared: 0
            }
        );
        let found = compare(&[1, 2, 3], &[2, 3, 4, 5, 6]);
        assert_eq!(found.similarity, 2.0 / 6.0);
        assert_eq!(found.containment, 2.0 / 3.0);
    }

    fn view_bytes(anchors: Vec<u32>, weights: Vec<u8>, vocabulary: Vec<u32>) -> Vec<u8> {
        let fingerprint = Fingerprint {
            anchors,
            anchor_weights: weights,
            vocabulary,
            ..Fingerprint::default()
        };
        encode_fingerprint(&fingerprint).unwrap()
    }

    #[test]
    fn anchors_weigh_by_kind() {
        let shorter = view_bytes(vec![10, 20, 30], vec![2, 1, 1], vec![]);
        let longer = view_bytes(vec![], vec![], vec![10, 30]);
        let (shorter, longer) = (
            FingerprintView::parse(&shorter).unwrap(),
            FingerprintView::parse(&longer).unwrap(),
        );
        assert_eq!(anchor_agreement(&shorter, &longer), 1.0 - 1.0 / 4.0);
        assert_eq!(anchor_agreement(&longer, &shorter), 1.0);
    }

    #[test]
    fn colliding_anchor_hashes_follow_numpy() {
        // Far-apart vocabulary (no table) larger than 10 * 3 ** 0.145 (no loop): the sorting path.
        let vocabulary: Vec<u32> = (0..20).map(|value| value * 100_000_000).collect();
        let set_bytes = view_bytes(vec![], vec![], vocabulary);
        let set = FingerprintView::parse(&set_bytes).unwrap();
        assert_eq!(
            isin_assume_unique(&[7, 7, 5], set.vocabulary),
            vec![true, false, false]
        );
        assert_eq!(
            isin_assume_unique(&[7, 0, 7], set.vocabulary),
            vec![true, true, false]
        );
        let small_bytes = view_bytes(vec![], vec![], vec![1, 2]);
        let small = FingerprintView::parse(&small_bytes).unwrap();
        assert_eq!(isin_assume_unique(&[7, 7], small.vocabulary), vec![false, false]);
    }

    #[test]
    fn the_window_counts_whole_days() {
        assert!(within_window(Some(10), Some(13), 3));
        assert!(!within_window(Some(10), Some(14), 3));
        assert!(within_window(None, Some(14), 3));
        assert!(within_window(Some(i64::MIN), Some(i64::MAX), 0));
        assert!(!within_window(Some(i64::MIN), Some(i64::MAX), 3));
    }
}

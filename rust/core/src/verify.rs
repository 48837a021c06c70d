//! Whether a candidate pair is really two copies of one story: the port of `verify.py`.
//!
//! A copy shares most of the shorter text (containment) and keeps its numbers and names where
//! the two texts are the same story (anchor agreement, inside the aligned passages). Floats are
//! computed as the Python version computed them (the same divisions of the same integers), so
//! similarities and containments are bit-identical to before the core.

use rayon::prelude::*;

use crate::align::Part;
use crate::changes::align_views;
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

/// The fewest words of a passage of the shorter text's own whose numbers and names may go
/// uncounted: a sentence, as an outlet's added paragraph has. A shorter one (a clause
/// rewritten around a new figure, a table row of other rates) counts as a change. Twice the
/// longest edit alignment calls a change (`align::CHANGE_MAX`).
pub const ADDED_PASSAGE_MIN: usize = 2 * crate::align::CHANGE_MAX;

/// Where an anchor of the shorter text was met in the text the two share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Met {
    /// Only outside it (in the shorter text's own passages), or nowhere: not counted.
    Outside,
    /// Only where the longer text has other words (a changed figure or name): against the pair.
    Changed,
    /// Kept, word for word, at least once.
    Kept,
}

/// `anchor_agreement`: the weighted share of the shorter text's numbers and names that the longer
/// text keeps where the two are the same story.
///
/// The texts are aligned first. An anchor kept word for word counts for the pair; one that
/// stands only where the other text has other words (a changed figure or name, which makes
/// a templated item another story), or in a passage of the shorter text's own shorter than
/// `ADDED_PASSAGE_MIN` words, counts against it, unless the longer text spells it within
/// one letter (a name's variant spelling). One met only in the shorter text's own longer
/// passages (a paragraph an outlet added, with its own names and figures) is not counted
/// when the two share the longer text's opening, as a truncated copy does; when they do
/// not (two stories that share a quoted or boilerplate paragraph, each with its own lead),
/// it counts against the pair unless the longer text has it somewhere, as every anchor did
/// before alignment. With no anchor to count, the agreement is 1.
pub fn anchor_agreement(shorter: &FingerprintView<'_>, longer: &FingerprintView<'_>) -> f64 {
    if shorter.anchors.is_empty() {
        return 1.0;
    }
    anchors_met(shorter, longer).agreement(shorter)
}

/// Where the shorter text's anchors were met, and whether the two texts share the longer one's opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorsMet {
    /// Per anchor, in the shorter text's `anchors` order.
    pub met: Vec<Met>,
    /// The longer text's first word lies in the text both share (kept, or changed in an edit).
    pub opening_shared: bool,
}

impl AnchorsMet {
    /// The agreement: the weight kept over the weight counted (1 when nothing is counted).
    pub fn agreement(&self, shorter: &FingerprintView<'_>) -> f64 {
        let weight_of = |wanted: &[Met]| -> u64 {
            shorter
                .anchor_weights
                .iter()
                .zip(&self.met)
                .filter(|(_, met)| wanted.contains(met))
                .map(|(&weight, _)| u64::from(weight))
                .sum()
        };
        let against: &[Met] = if self.opening_shared {
            &[Met::Changed]
        } else {
            &[Met::Changed, Met::Outside]
        };
        let total = weight_of(&[Met::Kept]) + weight_of(against);
        if total == 0 {
            return 1.0;
        }
        1.0 - weight_of(against) as f64 / total as f64
    }
}

/// Where each of the shorter text's anchors was met in the text the two share.
pub fn anchors_met(shorter: &FingerprintView<'_>, longer: &FingerprintView<'_>) -> AnchorsMet {
    let mut met = vec![Met::Outside; shorter.anchors.len()];
    let alignment = align_views(shorter, longer);
    let opening_shared = alignment
        .segments
        .iter()
        .find(|segment| !segment.copy.is_empty())
        .is_none_or(|segment| matches!(segment.part, Part::Kept | Part::Changed));
    if met.is_empty() {
        return AnchorsMet { met, opening_shared };
    }
    // Anchor hashes to their places (two anchors may share a hash: the first place stands for both).
    let mut places: Vec<(u32, usize)> = shorter
        .anchors
        .iter()
        .enumerate()
        .map(|(place, hash)| (hash, place))
        .collect();
    places.sort_unstable();
    for segment in &alignment.segments {
        let seen = match segment.part {
            Part::Kept => Met::Kept,
            Part::Changed => Met::Changed,
            // A passage of the shorter text's own shorter than a sentence is a rewritten clause
            // or a changed table row, not an added paragraph: its numbers and names are changes.
            Part::Cut if segment.canonical.len() < ADDED_PASSAGE_MIN => Met::Changed,
            Part::Cut | Part::Added => continue,
        };
        for token in segment.canonical.clone().map(|place| shorter.sequence.get(place)) {
            let first = places.partition_point(|&(hash, _)| hash < token);
            for &(_, place) in places[first..].iter().take_while(|&&(hash, _)| hash == token) {
                met[place] = met[place].max(seen);
            }
        }
    }
    // Outside the shared text, an anchor the longer text has anywhere is kept (as before alignment);
    // a changed one is not: a templated item may name elsewhere the figure it changed.
    for (slot, hash) in met.iter_mut().zip(shorter.anchors.iter()) {
        if *slot == Met::Outside && holds(longer.vocabulary, hash) {
            *slot = Met::Kept;
        }
    }
    // A name the longer text spells within one letter is kept, wherever it stands.
    if met.iter().any(|&slot| slot != Met::Kept) {
        for (variant, owner) in shorter.anchor_variants.iter().zip(shorter.anchor_variant_of()) {
            // parse_checked made sure every owner is an anchor.
            if let Some(slot) = met.get_mut(usize::from(owner)) {
                if *slot != Met::Kept && holds(longer.name_variants, variant) {
                    *slot = Met::Kept;
                }
            }
        }
    }
    AnchorsMet { met, opening_shared }
}

/// The anchor agreement of a pair, and whether `a` is the text whose anchors decided it: the
/// shorter text's; for two texts of one size, the lower of the two ways. Which one stands
/// first does not matter, so identical copies of one text get the same answer against another.
pub fn pair_agreement(a: &FingerprintView<'_>, b: &FingerprintView<'_>) -> (f64, bool) {
    match a.size().cmp(&b.size()) {
        std::cmp::Ordering::Less => (anchor_agreement(a, b), true),
        std::cmp::Ordering::Greater => (anchor_agreement(b, a), false),
        std::cmp::Ordering::Equal => {
            let (a_way, b_way) = (anchor_agreement(a, b), anchor_agreement(b, a));
            if a_way <= b_way {
                (a_way, true)
            } else {
                (b_way, false)
            }
        }
    }
}

/// `is_copy`, with the anchors looked up last (most pairs fail on containment already).
pub fn is_copy(
    comparison: &Comparison,
    a: &FingerprintView<'_>,
    b: &FingerprintView<'_>,
    settings: &VerifySettings,
) -> bool {
    let smaller = a.size().min(b.size()) as u64;
    let needed_shared = settings.min_shared_shingles.min(smaller).max(1);
    comparison.shared >= needed_shared
        && comparison.containment >= settings.min_containment
        && pair_agreement(a, b).0 >= settings.min_anchor_agreement
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

/// `pair_agreement` of each pair (for tests of the piece).
pub fn anchor_agreements(store: &FingerprintStore, pairs: &[(u32, u32)]) -> Result<Vec<f64>, StoreError> {
    let (mut left_buffer, mut right_buffer) = (Vec::new(), Vec::new());
    pairs
        .iter()
        .map(|&(left, right)| {
            let a = store.read(left as usize, &mut left_buffer)?;
            let b = store.read(right as usize, &mut right_buffer)?;
            Ok(pair_agreement(&a, &b).0)
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
        if is_copy(&found, &left_view, &right_view, settings) {
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
    use crate::testing::{encoded, STORY};

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

    /// `anchor_agreement` of two bodies, the first the shorter.
    fn agreement(shorter: &str, longer: &str) -> f64 {
        let (shorter, longer) = (encoded(shorter), encoded(longer));
        anchor_agreement(
            &FingerprintView::parse(&shorter).unwrap(),
            &FingerprintView::parse(&longer).unwrap(),
        )
    }

    #[test]
    fn a_changed_figure_or_name_in_shared_text_counts_against_the_pair() {
        // Figures weigh 2, names 1: of the shorter text's anchors in shared text (Chemical,
        // Bank?, Tuesday, 7-3/4, 7-1/2, Federal, Reserve, New, York, London...), one figure changed.
        let figure = agreement(&STORY.replace("7-3/4", "8"), STORY);
        assert!(figure < 1.0 && figure > 0.8, "{figure}");
        let name = agreement(&STORY.replace("Chemical", "Chase"), STORY);
        assert!(name < 1.0 && name > figure, "{name}");
        assert_eq!(agreement(STORY, STORY), 1.0);
    }

    #[test]
    fn an_added_paragraph_s_own_names_and_figures_do_not_count() {
        let cut_at = STORY.rfind("\n\n").unwrap();
        let copy = format!(
            "{}\n\nIn Frankfurt, Bundesbank officials declined to comment on the 12 banks involved.",
            &STORY[..cut_at]
        );
        assert_eq!(agreement(&copy, STORY), 1.0);
        // Before alignment, the shorter text's anchors were looked up anywhere in the longer one:
        // Frankfurt, Bundesbank and 12 are not there, and the copy would have failed at 0.9.
    }

    #[test]
    fn own_paragraphs_count_when_the_opening_is_not_shared() {
        // Two stories that share a paragraph (a quotation, a boilerplate), each with its own lead.
        let shared = "The agency publishes its monthly survey of producers, importers and merchants on \
            the first working day of each month, and the survey covers about 2,500 firms in all regions.";
        let mine = format!("Bundesbank officials in Frankfurt said 14 banks had asked for help.\n\n{shared}");
        let other = format!("{STORY}\n\n{shared}");
        let (mine_bytes, other_bytes) = (encoded(&mine), encoded(&other));
        let (mine_view, other_view) = (
            FingerprintView::parse(&mine_bytes).unwrap(),
            FingerprintView::parse(&other_bytes).unwrap(),
        );
        let met = anchors_met(&mine_view, &other_view);
        assert!(!met.opening_shared);
        assert!(met.agreement(&mine_view) < 0.9, "{}", met.agreement(&mine_view));
    }

    #[test]
    fn a_short_passage_of_its_own_is_a_change() {
        // Another day's table row: a few words of the shorter text's own, between shared text.
        let longer =
            format!("{STORY}\n\nThe bank's 30-day rate was set at 6.10 pct from 6.00 pct in the morning.");
        let shorter = STORY.replace("from 7-1/2 pct,", "from 7-1/2 pct, 31 days 5.95 pct,");
        let (shorter_bytes, longer_bytes) = (encoded(&shorter), encoded(&longer));
        let (shorter_view, longer_view) = (
            FingerprintView::parse(&shorter_bytes).unwrap(),
            FingerprintView::parse(&longer_bytes).unwrap(),
        );
        let met = anchors_met(&shorter_view, &longer_view);
        assert!(met.met.contains(&Met::Changed), "{met:?}");
        assert!(met.agreement(&shorter_view) < 1.0);
    }

    #[test]
    fn a_name_spelt_one_letter_apart_is_kept() {
        let shorter = STORY.replace("Chemical", "Chemicals");
        assert_eq!(agreement(&shorter, STORY), 1.0);
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

//! Passage alignment of two token sequences: what a copy kept, cut, added and changed of a
//! canonical article.
//!
//! Tokens are the 32-bit word hashes of `hash::word_hashes`, in text order. Matching works in
//! two stages:
//!
//! 1. `matches`: runs of equal tokens. Within a region, the common prefix and suffix match
//!    first. Then `walk` follows the text while each difference is plain: a small edit after
//!    which `CONFIRM` tokens agree again, or a dropped or inserted stretch after which the
//!    other side's next `CONFIRM` tokens occur once within `JUMP_WINDOW` tokens. What is
//!    left (a cut and an addition at one place, moves, repeats) is matched patience-style:
//!    the 3-token windows occurring exactly once on each side are seeds, the longest chain
//!    of seeds increasing on both sides is kept, each seed is extended both ways, and the
//!    gaps between runs are matched again the same way (at most `MAX_DEPTH` levels, each
//!    linear in its region). A gap of at most `CHANGE_MAX` tokens on both sides between
//!    two runs is matched word by word by a 7x7 LCS table, so "rose 5 to 7" against "rose 6
//!    to 8" keeps "to". Nothing is quadratic beyond that table.
//! 2. `Alignment::from_matches`: runs linked by small gaps (at most `CHANGE_MAX` tokens on
//!    both sides) form one passage, the small gaps being `Changed`; a chain holding fewer than
//!    `MIN_PASSAGE` kept tokens is a coincidence ("said the", "the company said it") and is
//!    absorbed into the gap around it, unless it is the whole of both texts. A gap between the
//!    first or last passage and the start or end of the texts that is small on both sides is
//!    `Changed` too (a templated item's first name or last figure). Every other gap is `Cut`
//!    then `Added`.
//!
//! The alignment is monotone: a moved paragraph comes out as a cut where it was and an
//! addition where it went. A sentence or paragraph repeated on one side is matched once (the
//! occurrence that fits the order), the other occurrence is cut or added.
//!
//! Why not a crate: `similar` 3.2 (Patience, Myers, Histogram over slices) was measured on
//! the same pairs with the same passage rules (`benches/align.rs`, one thread, release,
//! medians of 5 rounds of 2,000 pairs). Near copies of 674 tokens a side (truncated, three
//! words changed, a tenth dropped, 60 tokens of another story appended): 6 µs per pair here,
//! 75 µs Histogram, 141 µs Myers, 182 µs Patience, with the same kept tokens (5 µs here
//! against 72-156 µs without the dropped tenth). Unrelated
//! 749-token articles: 30 µs here, 0.2-1.4 ms there, where `similar`'s word-level matches
//! of common words also make 231-929 pairs in 2,000 show a passage (7 here). Two texts of
//! 10^6 and 905,000 tokens: 45 ms here, 37 ms Patience (Histogram gave up and kept nothing).

use std::ops::Range;

/// The most tokens a side of a `Changed` segment holds. A figure such as "7-3/4" is three
/// tokens and a name such as "Chemical Bank of New York" five; a longer difference is a
/// rewritten clause, shown as cut and added text that splits the passage.
pub const CHANGE_MAX: usize = 6;

/// The fewest kept tokens that make an aligned passage. Unrelated stories share runs of up
/// to four common words ("the company said it", "in the first quarter") that are not the
/// same text: of 2,000 pairs of Reuters-21578 stories 1,000 apart, 223 share a 3-token run,
/// 39 a 4-token run, 8 a 5-token run, 4 a 6-token run (`benches/align.rs`; some of those
/// are the agency's templated items). Five cuts the coincidences fivefold against four,
/// and a shared phrase of five words is worth showing as a passage.
pub const MIN_PASSAGE: usize = 5;

/// Tokens that must agree after a difference for `walk` to take it as resolved: as many as
/// make a passage, so a coincidence does not pass for a resynchronisation.
const CONFIRM: usize = MIN_PASSAGE;

/// How far `walk` looks ahead for the text that follows a one-sided gap (a dropped or an
/// inserted paragraph); a longer gap, or a gap on both sides, is left to the seeds.
const JUMP_WINDOW: usize = 4096;

/// Seeds are windows of this many tokens occurring once on each side: single words repeat
/// too often, and three words are already rare enough to pin a place.
const SEED_WIDTH: usize = 3;

/// Levels of re-matching inside gaps: the first finds almost everything, the later ones
/// the text around repeated passages. Bounding them bounds the time on adversarial input.
const MAX_DEPTH: u32 = 4;

/// What a segment of the alignment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// Equal tokens on both sides, the same text.
    Kept,
    /// Canonical text the copy lacks (the copy range is empty).
    Cut,
    /// Copy text the canonical lacks (the canonical range is empty).
    Added,
    /// A small edit between two kept segments: at most `CHANGE_MAX` tokens on each side,
    /// one side possibly empty.
    Changed,
}

impl Part {
    /// The part's name in reports: "kept", "cut", "added" or "changed".
    pub fn name(self) -> &'static str {
        match self {
            Part::Kept => "kept",
            Part::Cut => "cut",
            Part::Added => "added",
            Part::Changed => "changed",
        }
    }
}

/// A stretch of the alignment: token index ranges in the canonical and in the copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Segment {
    pub part: Part,
    pub canonical: Range<usize>,
    pub copy: Range<usize>,
}

/// A run of equal tokens: `len` tokens from `canonical` in the canonical and from `copy` in
/// the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Match {
    pub canonical: usize,
    pub copy: usize,
    pub len: usize,
}

impl Match {
    fn canonical_end(&self) -> usize {
        self.canonical + self.len
    }

    fn copy_end(&self) -> usize {
        self.copy + self.len
    }
}

/// An aligned passage: a maximal run of kept and changed segments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Passage {
    pub canonical: Range<usize>,
    pub copy: Range<usize>,
}

/// The segments, in text order, tiling both sequences exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Alignment {
    pub segments: Vec<Segment>,
}

/// Aligns a canonical article's tokens with a copy's.
pub fn align(canonical: &[u32], copy: &[u32]) -> Alignment {
    Alignment::from_matches(&matches(canonical, copy), canonical.len(), copy.len())
}

/// The runs of equal tokens the alignment is made of, in order on both sides, before
/// coincidences are dropped.
pub fn matches(canonical: &[u32], copy: &[u32]) -> Vec<Match> {
    let mut matcher = Matcher {
        canonical,
        copy,
        found: Vec::new(),
    };
    matcher.region(
        Region {
            canonical: 0..canonical.len(),
            copy: 0..copy.len(),
            after_match: false,
            before_match: false,
        },
        0,
    );
    matcher.found
}

impl Alignment {
    /// The alignment of texts of `canonical_len` and `copy_len` tokens made of `matches`
    /// (in order on both sides, not overlapping, within the lengths; others are skipped).
    pub fn from_matches(matches: &[Match], canonical_len: usize, copy_len: usize) -> Alignment {
        let runs = ordered(matches, canonical_len, copy_len);
        let mut segments = Vec::new();
        let mut at = (0, 0);
        let mut start = 0;
        while start < runs.len() {
            let mut end = start + 1;
            while end < runs.len() && is_small_gap(&runs[end - 1], &runs[end]) {
                end += 1;
            }
            let chain = &runs[start..end];
            let kept: usize = chain.iter().map(|run| run.len).sum();
            let first = chain[0];
            let last = chain[chain.len() - 1];
            let whole = first.canonical == 0
                && first.copy == 0
                && last.canonical_end() == canonical_len
                && last.copy_end() == copy_len;
            if kept >= MIN_PASSAGE || whole {
                if segments.is_empty() {
                    push_edge(&mut segments, at, (first.canonical, first.copy));
                } else {
                    push_gap(&mut segments, at, (first.canonical, first.copy));
                }
                for (index, run) in chain.iter().enumerate() {
                    if index > 0 {
                        let previous = chain[index - 1];
                        segments.push(Segment {
                            part: Part::Changed,
                            canonical: previous.canonical_end()..run.canonical,
                            copy: previous.copy_end()..run.copy,
                        });
                    }
                    segments.push(Segment {
                        part: Part::Kept,
                        canonical: run.canonical..run.canonical_end(),
                        copy: run.copy..run.copy_end(),
                    });
                }
                at = (last.canonical_end(), last.copy_end());
            }
            start = end;
        }
        if segments.is_empty() {
            push_gap(&mut segments, at, (canonical_len, copy_len));
        } else {
            push_edge(&mut segments, at, (canonical_len, copy_len));
        }
        Alignment { segments }
    }

    fn tokens(&self, part: Part) -> (usize, usize) {
        self.segments
            .iter()
            .filter(|segment| segment.part == part)
            .fold((0, 0), |(canonical, copy), segment| {
                (canonical + segment.canonical.len(), copy + segment.copy.len())
            })
    }

    /// Tokens kept (the same number on both sides).
    pub fn kept_tokens(&self) -> usize {
        self.tokens(Part::Kept).0
    }

    /// Canonical tokens the copy cut.
    pub fn cut_tokens(&self) -> usize {
        self.tokens(Part::Cut).0
    }

    /// Copy tokens the canonical lacks.
    pub fn added_tokens(&self) -> usize {
        self.tokens(Part::Added).1
    }

    /// Tokens inside `Changed` segments: (canonical's, copy's).
    pub fn changed_tokens(&self) -> (usize, usize) {
        self.tokens(Part::Changed)
    }

    /// The `Changed` segments, in order.
    pub fn changes(&self) -> impl Iterator<Item = &Segment> + '_ {
        self.segments
            .iter()
            .filter(|segment| segment.part == Part::Changed)
    }

    /// The aligned passages: maximal runs of kept and changed segments, in order.
    pub fn passages(&self) -> Vec<Passage> {
        let mut passages: Vec<Passage> = Vec::new();
        let mut inside = false;
        for segment in &self.segments {
            let aligned = matches!(segment.part, Part::Kept | Part::Changed);
            match passages.last_mut() {
                Some(passage) if aligned && inside => {
                    passage.canonical.end = segment.canonical.end;
                    passage.copy.end = segment.copy.end;
                }
                _ if aligned => passages.push(Passage {
                    canonical: segment.canonical.clone(),
                    copy: segment.copy.clone(),
                }),
                _ => {}
            }
            inside = aligned;
        }
        passages
    }

    /// The number of aligned passages.
    pub fn passage_count(&self) -> usize {
        self.passages().len()
    }

    /// The number of cut passages: maximal runs of cut canonical tokens.
    pub fn cut_passage_count(&self) -> usize {
        runs_of(&self.segments, Part::Cut, |segment| &segment.canonical)
    }

    /// The number of added passages: maximal runs of added copy tokens.
    pub fn added_passage_count(&self) -> usize {
        runs_of(&self.segments, Part::Added, |segment| &segment.copy)
    }
}

/// The number of maximal runs of `part` tokens, contiguous on the side `side` gives.
fn runs_of(segments: &[Segment], part: Part, side: impl Fn(&Segment) -> &Range<usize>) -> usize {
    let mut count = 0;
    let mut last_end = None;
    for segment in segments.iter().filter(|segment| segment.part == part) {
        let range = side(segment);
        if range.is_empty() {
            continue;
        }
        if last_end != Some(range.start) {
            count += 1;
        }
        last_end = Some(range.end);
    }
    count
}

/// The non-empty matches in order on both sides, within the lengths, touching ones merged.
fn ordered(matches: &[Match], canonical_len: usize, copy_len: usize) -> Vec<Match> {
    let mut runs: Vec<Match> = Vec::with_capacity(matches.len());
    for &found in matches {
        let fits = found.len > 0
            && found
                .canonical
                .checked_add(found.len)
                .is_some_and(|end| end <= canonical_len)
            && found
                .copy
                .checked_add(found.len)
                .is_some_and(|end| end <= copy_len);
        if !fits {
            continue;
        }
        match runs.last_mut() {
            Some(last) if last.canonical_end() == found.canonical && last.copy_end() == found.copy => {
                last.len += found.len;
            }
            Some(last) if last.canonical_end() > found.canonical || last.copy_end() > found.copy => {}
            _ => runs.push(found),
        }
    }
    runs
}

/// Whether the gap between two runs is a small edit: at most `CHANGE_MAX` tokens each side.
fn is_small_gap(before: &Match, after: &Match) -> bool {
    after.canonical - before.canonical_end() <= CHANGE_MAX && after.copy - before.copy_end() <= CHANGE_MAX
}

/// The text between a passage and the start or end of both texts: a small difference on both
/// sides is a `Changed` edit of the passage (the first word of a templated item, "Chemical"
/// against "Chase", or its last figure); anything else is cut and added text.
fn push_edge(segments: &mut Vec<Segment>, from: (usize, usize), to: (usize, usize)) {
    let sides = (to.0 - from.0, to.1 - from.1);
    if (1..=CHANGE_MAX).contains(&sides.0) && (1..=CHANGE_MAX).contains(&sides.1) {
        segments.push(Segment {
            part: Part::Changed,
            canonical: from.0..to.0,
            copy: from.1..to.1,
        });
    } else {
        push_gap(segments, from, to);
    }
}

/// The unaligned text between `from` and `to`: cut canonical text, then added copy text.
fn push_gap(segments: &mut Vec<Segment>, from: (usize, usize), to: (usize, usize)) {
    if to.0 > from.0 {
        segments.push(Segment {
            part: Part::Cut,
            canonical: from.0..to.0,
            copy: from.1..from.1,
        });
    }
    if to.1 > from.1 {
        segments.push(Segment {
            part: Part::Added,
            canonical: to.0..to.0,
            copy: from.1..to.1,
        });
    }
}

/// A stretch of both texts still to match, and whether a match borders it on each end.
#[derive(Debug, Clone)]
struct Region {
    canonical: Range<usize>,
    copy: Range<usize>,
    after_match: bool,
    before_match: bool,
}

struct Matcher<'a> {
    canonical: &'a [u32],
    copy: &'a [u32],
    /// Matches found so far, in order on both sides.
    found: Vec<Match>,
}

impl Matcher<'_> {
    fn push(&mut self, canonical: usize, copy: usize, len: usize) {
        if len == 0 {
            return;
        }
        match self.found.last_mut() {
            Some(last) if last.canonical_end() == canonical && last.copy_end() == copy => last.len += len,
            _ => self.found.push(Match { canonical, copy, len }),
        }
    }

    /// Matches a region: common prefix and suffix, the walk from the front, then seeds or
    /// (for a small edit between matches) a small table for what is left.
    fn region(&mut self, region: Region, depth: u32) {
        let (canonical, copy) = (self.canonical, self.copy);
        let (mut a, mut b) = (region.canonical.clone(), region.copy.clone());
        let prefix = common_prefix(&canonical[a.clone()], &copy[b.clone()]);
        self.push(a.start, b.start, prefix);
        a.start += prefix;
        b.start += prefix;
        let suffix = common_suffix(&canonical[a.clone()], &copy[b.clone()]);
        a.end -= suffix;
        b.end -= suffix;
        let after_match = self.walk(&mut a, &mut b, region.after_match || prefix > 0);
        let inner = Region {
            after_match,
            before_match: region.before_match || suffix > 0,
            canonical: a.clone(),
            copy: b.clone(),
        };
        if !a.is_empty() && !b.is_empty() {
            if a.len() <= CHANGE_MAX && b.len() <= CHANGE_MAX {
                if inner.after_match && inner.before_match {
                    self.small_gap(a.clone(), b.clone());
                }
            } else if depth < MAX_DEPTH {
                self.seeded(inner, depth);
            }
        }
        self.push(a.end, b.end, suffix);
    }

    /// Follows the text from the front of a region while each difference is plain: a small
    /// edit after which `CONFIRM` tokens agree again, or text on one side only after which
    /// the other side's next `CONFIRM` tokens occur once, within `JUMP_WINDOW` tokens. Near
    /// copies are matched this way without seeds; the rest of the region is left to them.
    /// Returns whether a match now borders the region's front.
    fn walk(&mut self, a: &mut Range<usize>, b: &mut Range<usize>, mut after_match: bool) -> bool {
        let (canonical, copy) = (self.canonical, self.copy);
        let mut budget = 4 * (a.len() + b.len()) + JUMP_WINDOW;
        while a.start < a.end && b.start < b.end {
            let (i, j) = (a.start, b.start);
            let (skip_a, skip_b) = if let Some(shift) = resync(&canonical[a.clone()], &copy[b.clone()]) {
                if after_match {
                    self.small_gap(i..i + shift.0, j..j + shift.1);
                }
                shift
            } else if let Some(shift) = jump(&canonical[a.clone()], &copy[b.clone()], &mut budget) {
                shift
            } else {
                break;
            };
            let (from_a, from_b) = (i + skip_a, j + skip_b);
            let run = common_prefix(&canonical[from_a..a.end], &copy[from_b..b.end]);
            self.push(from_a, from_b, run);
            a.start = from_a + run;
            b.start = from_b + run;
            after_match = true;
        }
        after_match
    }

    /// Word-by-word matches inside a small edit, by a longest-common-subsequence table.
    fn small_gap(&mut self, a: Range<usize>, b: Range<usize>) {
        const SIDE: usize = CHANGE_MAX + 1;
        let (left, right) = (&self.canonical[a.clone()], &self.copy[b.clone()]);
        let mut table = [[0u8; SIDE]; SIDE];
        for i in (0..left.len()).rev() {
            for j in (0..right.len()).rev() {
                table[i][j] = if left[i] == right[j] {
                    table[i + 1][j + 1] + 1
                } else {
                    table[i + 1][j].max(table[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < left.len() && j < right.len() {
            if left[i] == right[j] {
                self.push(a.start + i, b.start + j, 1);
                i += 1;
                j += 1;
            } else if table[i + 1][j] >= table[i][j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }

    /// Seeds (windows once on each side), their longest increasing chain, each extended,
    /// and the gaps between matched again one level deeper.
    fn seeded(&mut self, region: Region, depth: u32) {
        let (canonical, copy) = (self.canonical, self.copy);
        let chain = longest_chain(&unique_seeds(
            &canonical[region.canonical.clone()],
            &copy[region.copy.clone()],
        ));
        let mut at = (region.canonical.start, region.copy.start);
        let mut after_match = region.after_match;
        for (seed_a, seed_b) in chain {
            let (seed_a, seed_b) = (region.canonical.start + seed_a, region.copy.start + seed_b);
            if seed_a < at.0 || seed_b < at.1 {
                continue; // inside or across the run before
            }
            if canonical[seed_a..seed_a + SEED_WIDTH] != copy[seed_b..seed_b + SEED_WIDTH] {
                continue; // windows that only share a hash
            }
            let back = common_suffix(&canonical[at.0..seed_a], &copy[at.1..seed_b]);
            let (start_a, start_b) = (seed_a - back, seed_b - back);
            let forward = common_prefix(
                &canonical[seed_a..region.canonical.end],
                &copy[seed_b..region.copy.end],
            );
            self.region(
                Region {
                    canonical: at.0..start_a,
                    copy: at.1..start_b,
                    after_match,
                    before_match: true,
                },
                depth + 1,
            );
            self.push(start_a, start_b, back + forward);
            at = (seed_a + forward, seed_b + forward);
            after_match = true;
        }
        self.region(
            Region {
                canonical: at.0..region.canonical.end,
                copy: at.1..region.copy.end,
                after_match,
                before_match: region.before_match,
            },
            depth + 1,
        );
    }
}

fn common_prefix(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[u32], b: &[u32]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The nearest shift (fewest tokens skipped, then fewest canonical ones) of at most
/// `CHANGE_MAX` tokens on each side after which `CONFIRM` tokens agree, or every token one
/// side has left (a word inserted just before a text's last words); not (0, 0).
fn resync(a: &[u32], b: &[u32]) -> Option<(usize, usize)> {
    for total in 1..=2 * CHANGE_MAX {
        for skip_a in total.saturating_sub(CHANGE_MAX)..=total.min(CHANGE_MAX) {
            let skip_b = total - skip_a;
            // Fewer than CONFIRM tokens agree where one side ends: all it has left must.
            let confirm = CONFIRM
                .min(a.len().saturating_sub(skip_a))
                .min(b.len().saturating_sub(skip_b));
            if confirm == 0 {
                continue;
            }
            let (Some(left), Some(right)) =
                (a.get(skip_a..skip_a + confirm), b.get(skip_b..skip_b + confirm))
            else {
                continue;
            };
            if left == right {
                return Some((skip_a, skip_b));
            }
        }
    }
    None
}

/// Text on one side only: (tokens to skip in `a`, 0) when `b`'s first `CONFIRM` tokens occur
/// exactly once in `a`'s next `JUMP_WINDOW` tokens and `a`'s first ones not in `b`'s, or the
/// reverse. Scanning spends `budget`; none is found once it is spent.
fn jump(a: &[u32], b: &[u32], budget: &mut usize) -> Option<(usize, usize)> {
    let in_a = b.get(..CONFIRM).and_then(|window| only_place(window, a, budget));
    let in_b = a.get(..CONFIRM).and_then(|window| only_place(window, b, budget));
    match (in_a, in_b) {
        (Some(Some(skip)), Some(None)) => Some((skip, 0)),
        (Some(None), Some(Some(skip))) => Some((0, skip)),
        _ => None,
    }
}

/// Where `window` starts in `text` after its first token, within `JUMP_WINDOW` tokens:
/// `Some(Some(place))` when once, `Some(None)` when nowhere, `None` when more than once or
/// when the budget is spent.
fn only_place(window: &[u32], text: &[u32], budget: &mut usize) -> Option<Option<usize>> {
    let end = text.len().min(JUMP_WINDOW + CONFIRM);
    let scanned = end.saturating_sub(1);
    *budget = budget.checked_sub(scanned)?;
    let mut found = None;
    for place in 1..end.saturating_sub(CONFIRM - 1) {
        if text[place] == window[0] && text[place..place + CONFIRM] == *window {
            if found.is_some() {
                return None;
            }
            found = Some(place);
        }
    }
    Some(found)
}

/// The hash of the `SEED_WIDTH` tokens from each place.
fn window_keys(tokens: &[u32]) -> impl Iterator<Item = u32> + '_ {
    tokens.windows(SEED_WIDTH).map(|window| {
        let mixed = window.iter().fold(0u64, |mixed, &token| {
            (mixed ^ u64::from(token))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .rotate_left(29)
        });
        (mixed.wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 32) as u32
    })
}

/// A canonical place no window of the region holds (the slot is empty).
const VACANT: u32 = u32::MAX;
/// A window seen more than once on that side.
const REPEATED: u32 = u32::MAX - 1;

/// One key of the open-addressing table: where the window is on each side.
#[derive(Clone, Copy)]
struct Slot {
    key: u32,
    canonical: u32,
    copy: u32,
}

/// The (canonical, copy) places of the windows occurring exactly once on each side, in
/// canonical order. Regions too long for 32-bit places give none.
fn unique_seeds(canonical: &[u32], copy: &[u32]) -> Vec<(u32, u32)> {
    let limit = REPEATED as usize;
    if canonical.len() < SEED_WIDTH
        || copy.len() < SEED_WIDTH
        || canonical.len() >= limit
        || copy.len() >= limit
    {
        return Vec::new();
    }
    let keys: Vec<u32> = window_keys(canonical).collect();
    let bits = (2 * keys.len()).next_power_of_two().max(16).trailing_zeros();
    let mask = (1usize << bits) - 1;
    let mut table = vec![
        Slot {
            key: 0,
            canonical: VACANT,
            copy: VACANT
        };
        1 << bits
    ];
    let home = |key: u32| (key.wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize;
    for (place, &key) in (0u32..).zip(&keys) {
        let mut index = home(key);
        loop {
            let slot = &mut table[index];
            if slot.canonical == VACANT {
                *slot = Slot {
                    key,
                    canonical: place,
                    copy: VACANT,
                };
                break;
            }
            if slot.key == key {
                slot.canonical = REPEATED;
                break;
            }
            index = (index + 1) & mask;
        }
    }
    for (place, key) in (0u32..).zip(window_keys(copy)) {
        let mut index = home(key);
        loop {
            let slot = &mut table[index];
            if slot.canonical == VACANT {
                break;
            }
            if slot.key == key {
                slot.copy = if slot.copy == VACANT { place } else { REPEATED };
                break;
            }
            index = (index + 1) & mask;
        }
    }
    let mut seeds = Vec::new();
    for &key in &keys {
        let mut index = home(key);
        loop {
            let slot = &table[index];
            if slot.key == key {
                if slot.canonical < REPEATED && slot.copy < REPEATED {
                    seeds.push((slot.canonical, slot.copy));
                }
                break;
            }
            index = (index + 1) & mask;
        }
    }
    seeds
}

/// The longest subsequence of `seeds` (in canonical order) whose copy places increase,
/// by patience sorting; the earliest such chain when several are as long.
fn longest_chain(seeds: &[(u32, u32)]) -> Vec<(usize, usize)> {
    // The smallest copy place ending a chain of each length, and the seed holding it.
    let mut tail_places: Vec<u32> = Vec::new();
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = Vec::with_capacity(seeds.len());
    for (index, &(_, copy)) in seeds.iter().enumerate() {
        // Near copies give seeds mostly in order: extending the longest chain is the rule.
        let place = match tail_places.last() {
            Some(&last) if last < copy => tail_places.len(),
            _ => tail_places.partition_point(|&tail| tail < copy),
        };
        previous.push(if place > 0 { tails[place - 1] } else { usize::MAX });
        if place == tails.len() {
            tails.push(index);
            tail_places.push(copy);
        } else {
            tails[place] = index;
            tail_places[place] = copy;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied().unwrap_or(usize::MAX);
    while let Some(&(canonical, copy)) = seeds.get(at) {
        chain.push((canonical as usize, copy as usize));
        at = previous[at];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::word_hashes;
    use crate::text::tokens;

    fn words(text: &str) -> Vec<u32> {
        word_hashes(tokens(text).iter())
    }

    const LEAD: &str = "Chemical Bank said it raised its prime lending rate to 7-3/4 pct from \
        7-1/2 pct, effective immediately, following a similar move by several major banks \
        in New York earlier in the day.";
    const MIDDLE: &str = "The bank's chairman told reporters in a briefing that the increase \
        reflected higher funding costs in the money markets over the past two weeks and was \
        not a signal about the direction of monetary policy.";
    const CLOSING: &str = "Analysts at Salomon Brothers expected other regional lenders to \
        follow before the end of the week, with savings institutions likely to lift mortgage \
        rates as well.";
    const OTHER: &str = "Separately, the city council of Springfield voted to close two \
        public swimming pools for repairs, citing a budget shortfall of 12,000 dlrs that \
        officials blamed on lower property tax receipts.";

    /// Asserts the contract: segments tile both sequences in order, kept ranges hold equal
    /// tokens, cut and added ranges are one-sided, changed ones are small and sit between
    /// kept segments, a cut at a place comes before the addition.
    fn check(canonical: &[u32], copy: &[u32], alignment: &Alignment) {
        let (mut a, mut b) = (0, 0);
        let segments = &alignment.segments;
        for (index, segment) in segments.iter().enumerate() {
            assert_eq!(segment.canonical.start, a, "{segments:?}");
            assert_eq!(segment.copy.start, b, "{segments:?}");
            assert!(segment.canonical.end >= a && segment.copy.end >= b);
            a = segment.canonical.end;
            b = segment.copy.end;
            let (left, right) = (segment.canonical.len(), segment.copy.len());
            match segment.part {
                Part::Kept => {
                    assert!(left > 0);
                    assert_eq!(canonical[segment.canonical.clone()], copy[segment.copy.clone()]);
                }
                Part::Cut => assert!(left > 0 && right == 0),
                Part::Added => {
                    assert!(left == 0 && right > 0);
                    assert!(index == 0 || segments[index - 1].part != Part::Added);
                }
                Part::Changed => {
                    assert!(left + right > 0 && left <= CHANGE_MAX && right <= CHANGE_MAX);
                    // Inside a passage, or at the start or end of both texts beside one.
                    let at_edge = (index == 0 || index + 1 == segments.len()) && left > 0 && right > 0;
                    if !at_edge || index > 0 {
                        assert_eq!(segments[index - 1].part, Part::Kept);
                    }
                    if !at_edge || index + 1 < segments.len() {
                        assert_eq!(segments[index + 1].part, Part::Kept);
                    }
                }
            }
            if index > 0 {
                let previous = segments[index - 1].part;
                assert!(!(previous == segment.part && previous != Part::Changed));
                assert!(!(previous == Part::Added && segment.part == Part::Cut));
            }
        }
        assert_eq!((a, b), (canonical.len(), copy.len()));
        let (changed_a, changed_b) = alignment.changed_tokens();
        assert_eq!(
            alignment.kept_tokens() + alignment.cut_tokens() + changed_a,
            canonical.len()
        );
        assert_eq!(
            alignment.kept_tokens() + alignment.added_tokens() + changed_b,
            copy.len()
        );
    }

    fn aligned(canonical: &[u32], copy: &[u32]) -> Alignment {
        let alignment = align(canonical, copy);
        check(canonical, copy, &alignment);
        alignment
    }

    fn parts(alignment: &Alignment) -> Vec<(Part, usize, usize)> {
        alignment
            .segments
            .iter()
            .map(|segment| (segment.part, segment.canonical.len(), segment.copy.len()))
            .collect()
    }

    #[test]
    fn identical_texts_are_one_kept_passage() {
        let text = words(&format!("{LEAD} {MIDDLE} {CLOSING}"));
        let alignment = aligned(&text, &text);
        assert_eq!(parts(&alignment), [(Part::Kept, text.len(), text.len())]);
        assert_eq!(alignment.passage_count(), 1);
        assert_eq!(
            [Part::Kept, Part::Cut, Part::Added, Part::Changed].map(Part::name),
            ["kept", "cut", "added", "changed"]
        );
        let short = words("Rates rose.");
        assert_eq!(parts(&aligned(&short, &short)), [(Part::Kept, 2, 2)]);
    }

    #[test]
    fn empty_sides_are_all_cut_or_all_added() {
        let text = words(LEAD);
        assert_eq!(aligned(&[], &[]).segments, []);
        assert_eq!(parts(&aligned(&text, &[])), [(Part::Cut, text.len(), 0)]);
        assert_eq!(parts(&aligned(&[], &text)), [(Part::Added, 0, text.len())]);
        assert_eq!(aligned(&text, &[]).cut_passage_count(), 1);
        assert_eq!(aligned(&[], &text).added_passage_count(), 1);
    }

    #[test]
    fn a_truncated_copy_with_an_appended_paragraph() {
        let canonical = words(&format!("{LEAD} {MIDDLE} {CLOSING}"));
        let copy = words(&format!("{LEAD} {MIDDLE} {OTHER}"));
        let alignment = aligned(&canonical, &copy);
        let kept = words(&format!("{LEAD} {MIDDLE}")).len();
        assert_eq!(
            parts(&alignment),
            [
                (Part::Kept, kept, kept),
                (Part::Cut, words(CLOSING).len(), 0),
                (Part::Added, 0, words(OTHER).len())
            ]
        );
        assert_eq!(
            (
                alignment.passage_count(),
                alignment.cut_passage_count(),
                alignment.added_passage_count()
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn a_changed_figure_and_name_are_changes_inside_one_passage() {
        let canonical = words(&format!("NEW YORK, March 3 - {LEAD} {MIDDLE}"));
        let edited = LEAD.replace("7-3/4", "8").replace("Chemical", "Chase");
        let copy = words(&format!("NEW YORK, March 3 - {edited} {MIDDLE}"));
        let alignment = aligned(&canonical, &copy);
        assert_eq!(alignment.passage_count(), 1);
        let changes: Vec<(Vec<u32>, Vec<u32>)> = alignment
            .changes()
            .map(|change| {
                (
                    canonical[change.canonical.clone()].to_vec(),
                    copy[change.copy.clone()].to_vec(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [(words("Chemical"), words("Chase")), (words("7-3/4"), words("8"))]
        );
        assert_eq!((alignment.cut_tokens(), alignment.added_tokens()), (0, 0));
        // At the very start (a templated item's first word), a small change on both sides is
        // still a change; a longer one, or one on one side only, is cut or added text.
        let alignment = aligned(&words(LEAD), &words(&LEAD.replace("Chemical", "Chase")));
        assert_eq!(
            parts(&alignment)[..2],
            [(Part::Changed, 1, 1), (Part::Kept, 31, 31)]
        );
        let ending = aligned(&words(LEAD), &words(&format!("{LEAD} and more")));
        assert_eq!(parts(&ending).last(), Some(&(Part::Added, 0, 2)));
        let long_start = words(&format!("a whole new opening sentence of ten words or so {LEAD}"));
        assert_eq!(
            parts(&aligned(&words(&format!("X {LEAD}")), &long_start))[..2],
            [(Part::Cut, 1, 0), (Part::Added, 0, 10)]
        );
    }

    #[test]
    fn close_edits_keep_the_word_between_them() {
        let canonical = words("the shares rose 5 to 7 dlrs in heavy trading on the exchange");
        let copy = words("the shares rose 6 to 8 dlrs in heavy trading on the exchange");
        let alignment = aligned(&canonical, &copy);
        assert_eq!(
            parts(&alignment),
            [
                (Part::Kept, 3, 3),
                (Part::Changed, 1, 1),
                (Part::Kept, 1, 1),
                (Part::Changed, 1, 1),
                (Part::Kept, 7, 7)
            ]
        );
    }

    #[test]
    fn a_dropped_paragraph_is_a_cut_between_two_passages() {
        let canonical = words(&format!("{LEAD} {MIDDLE} {CLOSING}"));
        let copy = words(&format!("{LEAD} {CLOSING}"));
        let alignment = aligned(&canonical, &copy);
        assert_eq!(
            parts(&alignment),
            [
                (Part::Kept, words(LEAD).len(), words(LEAD).len()),
                (Part::Cut, words(MIDDLE).len(), 0),
                (Part::Kept, words(CLOSING).len(), words(CLOSING).len())
            ]
        );
        assert_eq!((alignment.passage_count(), alignment.cut_passage_count()), (2, 1));
        assert_eq!(alignment.added_passage_count(), 0);
    }

    #[test]
    fn an_inserted_paragraph_is_an_addition_between_two_passages() {
        let canonical = words(&format!("{LEAD} {MIDDLE} {CLOSING}"));
        let copy = words(&format!("{LEAD} {MIDDLE} {OTHER} {CLOSING}"));
        let alignment = aligned(&canonical, &copy);
        let kept = words(&format!("{LEAD} {MIDDLE}")).len();
        assert_eq!(
            parts(&alignment),
            [
                (Part::Kept, kept, kept),
                (Part::Added, 0, words(OTHER).len()),
                (Part::Kept, words(CLOSING).len(), words(CLOSING).len())
            ]
        );
        assert_eq!(
            (alignment.passage_count(), alignment.added_passage_count()),
            (2, 1)
        );
    }

    #[test]
    fn common_words_between_a_cut_and_an_added_paragraph_are_no_passage() {
        // The cut and the added paragraph share "the company said it" and "of the".
        let cut = "Profits fell sharply because the company said it had written down the value of the \
            Brazilian loans held by its merchant banking arm.";
        let added = "Workers at the plant went on strike after the company said it would close one \
            of the two assembly lines next spring.";
        let canonical = words(&format!("{LEAD} {cut} {CLOSING}"));
        let copy = words(&format!("{LEAD} {added} {CLOSING}"));
        let found = matches(&canonical, &copy);
        assert!(
            found.iter().any(|run| run.len == 4),
            "the coincidence is matched: {found:?}"
        );
        let alignment = aligned(&canonical, &copy);
        assert_eq!(
            parts(&alignment),
            [
                (Part::Kept, words(LEAD).len(), words(LEAD).len()),
                (Part::Cut, words(cut).len(), 0),
                (Part::Added, 0, words(added).len()),
                (Part::Kept, words(CLOSING).len(), words(CLOSING).len())
            ]
        );
    }

    #[test]
    fn five_shared_words_between_long_gaps_make_a_passage_four_do_not() {
        let around = |shared: &[u32], cut: u32, added: u32| {
            let (lead, closing) = (words(LEAD), words(CLOSING));
            let canonical: Vec<u32> = [
                &lead[..],
                &(cut..cut + 30).collect::<Vec<_>>(),
                shared,
                &(cut + 100..cut + 130).collect::<Vec<_>>(),
                &closing,
            ]
            .concat();
            let copy: Vec<u32> = [
                &lead[..],
                &(added..added + 30).collect::<Vec<_>>(),
                shared,
                &(added + 100..added + 130).collect::<Vec<_>>(),
                &closing,
            ]
            .concat();
            aligned(&canonical, &copy).passage_count()
        };
        let shared = words("the finance ministry said today");
        assert_eq!(around(&shared, 1000, 2000), 3);
        assert_eq!(around(&shared[..4], 1000, 2000), 2);
    }

    #[test]
    fn repeated_paragraphs_match_once() {
        let canonical = words(&format!("{LEAD} {MIDDLE} {CLOSING} {MIDDLE}"));
        let copy = words(&format!("{LEAD} {MIDDLE} {CLOSING}"));
        let alignment = aligned(&canonical, &copy);
        assert_eq!(alignment.kept_tokens(), copy.len());
        assert_eq!(parts(&alignment)[1], (Part::Cut, words(MIDDLE).len(), 0));
        let twice = words(&format!("{MIDDLE} {MIDDLE} {OTHER}"));
        let once = words(&format!("{OTHER} {MIDDLE} {OTHER}"));
        let alignment = aligned(&twice, &once);
        assert_eq!(alignment.kept_tokens(), words(&format!("{MIDDLE} {OTHER}")).len());
    }

    #[test]
    fn a_moved_paragraph_is_cut_and_added() {
        let canonical = words(&format!("{LEAD} {MIDDLE} {CLOSING}"));
        let copy = words(&format!("{MIDDLE} {LEAD} {CLOSING}"));
        let alignment = aligned(&canonical, &copy);
        assert_eq!(
            alignment.kept_tokens(),
            words(&format!("{MIDDLE} {CLOSING}")).len()
        );
        assert_eq!(
            (alignment.cut_tokens(), alignment.added_tokens()),
            (words(LEAD).len(), words(LEAD).len())
        );
    }

    #[test]
    fn uniform_and_tiny_inputs() {
        let same = vec![7u32; 1000];
        assert_eq!(
            parts(&aligned(&same, &same[..400])),
            [(Part::Kept, 400, 400), (Part::Cut, 600, 0)]
        );
        assert_eq!(
            parts(&aligned(&[1, 2, 3], &[1, 9, 3])),
            [(Part::Kept, 1, 1), (Part::Changed, 1, 1), (Part::Kept, 1, 1)]
        );
        assert_eq!(
            parts(&aligned(&[1], &[2])),
            [(Part::Cut, 1, 0), (Part::Added, 0, 1)]
        );
    }

    #[test]
    fn random_sequences_keep_the_contract() {
        let mut state = 11u64;
        let mut next = move |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % bound.max(1)) as usize
        };
        for round in 0..3000 {
            let alphabet = [2, 5, 30, 1000][round % 4];
            let canonical: Vec<u32> = (0..next(300)).map(|_| next(alphabet) as u32).collect();
            let copy: Vec<u32> = if round % 3 == 0 {
                (0..next(300)).map(|_| next(alphabet) as u32).collect()
            } else {
                // Edits of the canonical: cuts, insertions, substitutions.
                let mut copy = canonical.clone();
                for _ in 0..next(6) {
                    let at = next(copy.len() as u64 + 1);
                    match next(3) {
                        0 => {
                            let end = (at + next(40)).min(copy.len());
                            copy.drain(at..end);
                        }
                        1 => {
                            let inserted: Vec<u32> = (0..next(40)).map(|_| next(alphabet) as u32).collect();
                            copy.splice(at..at, inserted);
                        }
                        _ => {
                            if at < copy.len() {
                                copy[at] = next(alphabet) as u32;
                            }
                        }
                    }
                }
                copy
            };
            let alignment = aligned(&canonical, &copy);
            assert_eq!(alignment, align(&canonical, &copy), "deterministic");
        }
    }

    #[test]
    fn from_matches_skips_matches_out_of_order_or_range() {
        let found = [
            Match {
                canonical: 0,
                copy: 0,
                len: 6,
            },
            Match {
                canonical: 3,
                copy: 8,
                len: 6,
            },
            Match {
                canonical: 8,
                copy: 8,
                len: 100,
            },
            Match {
                canonical: usize::MAX,
                copy: 0,
                len: 2,
            },
        ];
        let alignment = Alignment::from_matches(&found, 10, 10);
        // Four tokens left on both sides at the end: a change at the edge of the passage.
        assert_eq!(parts(&alignment), [(Part::Kept, 6, 6), (Part::Changed, 4, 4)]);
    }

    #[test]
    fn a_million_tokens_align_in_linear_time() {
        // Cheap in a debug build too: each level is linear and the chain is one long run.
        let mut state = 3u32;
        let canonical: Vec<u32> = (0..1_000_000)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                state >> 12
            })
            .collect();
        let mut copy = canonical.clone();
        copy.drain(400_000..500_000);
        copy[10] ^= 1;
        copy.extend_from_slice(&canonical[..1000]);
        let alignment = aligned(&canonical, &copy);
        assert_eq!(alignment.cut_tokens(), 100_000);
        assert_eq!(alignment.changes().count(), 1);
        assert_eq!(alignment.added_tokens(), 1000);
    }
}

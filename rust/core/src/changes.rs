//! What a copy changed against its canonical: the words kept, cut and added, the passages of
//! each, and the small edits inside shared text, told from the alignment of their token
//! sequences and shown in the copy's own words.

use std::ops::Range;

use crate::align::{align, Alignment, Part};
use crate::codec::{FingerprintView, Words};
use crate::fingerprint::NUMBER_WEIGHT;
use crate::hash::top32;
use crate::text::{raw_token_spans, token_hashes_and_anchors};

/// Edits inside shared text listed with their words; the rest are only counted (a report
/// line must stay short, and the first few say what kind of copy it is).
pub const SUBSTITUTIONS_SHOWN: usize = 3;

/// A small edit inside aligned text: the canonical's words and the copy's in their place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// The canonical's words ("" where the copy inserted words).
    pub before: String,
    /// The copy's words ("" where the copy dropped words).
    pub after: String,
    /// A number was changed (a figure, a date, a score).
    pub figure: bool,
    /// A name was changed.
    pub name: bool,
}

/// What a copy changed; words and passages counted on token sequences.
///
/// `words_kept + words_cut` is the canonical's word count and `words_kept + words_added` the
/// copy's: the words of an edit count as cut and added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub words_kept: u32,
    pub words_cut: u32,
    pub words_added: u32,
    /// Aligned passages: runs of kept text, small edits inside them.
    pub passages_kept: u32,
    /// Runs of the canonical's text the copy lacks.
    pub passages_cut: u32,
    /// Runs of the copy's text the canonical lacks.
    pub passages_added: u32,
    pub substitution_count: u32,
    /// The first `SUBSTITUTIONS_SHOWN` edits, in text order.
    pub substitutions: Vec<Substitution>,
    pub headline_differs: bool,
}

/// Which numbers and names a text has: its anchors' hashes, sorted, with whether each is a number.
pub struct AnchorKinds(Vec<(u32, bool)>);

impl AnchorKinds {
    pub fn of(view: &FingerprintView<'_>) -> Self {
        let mut kinds: Vec<(u32, bool)> = view
            .anchors
            .iter()
            .zip(view.anchor_weights)
            .map(|(hash, &weight)| (hash, weight == NUMBER_WEIGHT))
            .collect();
        kinds.sort_unstable();
        kinds.dedup_by_key(|(hash, _)| *hash);
        AnchorKinds(kinds)
    }

    /// Whether the token with this hash is a number (Some(true)), a name (Some(false)) or neither.
    pub fn kind(&self, token: u32) -> Option<bool> {
        self.0
            .binary_search_by_key(&token, |&(hash, _)| hash)
            .ok()
            .map(|place| self.0[place].1)
    }

    /// (a number, a name) among `tokens`.
    fn marks(&self, tokens: impl Iterator<Item = u32>) -> (bool, bool) {
        tokens.fold((false, false), |(figure, name), token| match self.kind(token) {
            Some(true) => (true, name),
            Some(false) => (figure, true),
            None => (figure, name),
        })
    }
}

/// Where each token of a body lies in it (`text::raw_token_spans`).
type Spans = Vec<(usize, usize)>;

/// The alignment of two fingerprints' token sequences.
pub fn align_views(canonical: &FingerprintView<'_>, copy: &FingerprintView<'_>) -> Alignment {
    let (mut left, mut right) = (Vec::new(), Vec::new());
    canonical.sequence.copy_into(&mut left);
    copy.sequence.copy_into(&mut right);
    align(&left, &right)
}

/// What the copy (`copy`) changed against `canonical`; `bodies` gives their texts (canonical's,
/// copy's), read only when there are edits to show in their words.
pub fn changes(
    canonical: &FingerprintView<'_>,
    copy: &FingerprintView<'_>,
    headline_differs: bool,
    bodies: impl FnOnce() -> (String, String),
) -> Changes {
    let mut found = Changes {
        headline_differs,
        ..Changes::default()
    };
    if canonical.sequence.len() == copy.sequence.len() && canonical.sequence.iter().eq(copy.sequence.iter()) {
        // The same words (exact copies, most of a wire story's reprints): nothing to align.
        found.words_kept = canonical.sequence.len() as u32;
        found.passages_kept = u32::from(found.words_kept > 0);
        return found;
    }
    let alignment = align_views(canonical, copy);
    let count = |value: usize| value as u32;
    let (changed_before, changed_after) = alignment.changed_tokens();
    found.words_kept = count(alignment.kept_tokens());
    found.words_cut = count(alignment.cut_tokens() + changed_before);
    found.words_added = count(alignment.added_tokens() + changed_after);
    found.passages_kept = count(alignment.passage_count());
    found.passages_cut = count(alignment.cut_passage_count());
    found.passages_added = count(alignment.added_passage_count());
    found.substitution_count = count(alignment.changes().count());
    let mut edits = alignment.changes().take(SUBSTITUTIONS_SHOWN).peekable();
    if edits.peek().is_some() {
        let (canonical_body, copy_body) = bodies();
        let shown = Shown::of(canonical, canonical_body, copy, copy_body);
        found.substitutions = edits
            .map(|edit| shown.substitution(canonical, copy, edit))
            .collect();
    }
    found
}

/// What an edit is shown with: both bodies, where their tokens lie, their numbers and names.
struct Shown {
    canonical_body: String,
    copy_body: String,
    canonical_spans: Spans,
    copy_spans: Spans,
    canonical_kinds: AnchorKinds,
    copy_kinds: AnchorKinds,
}

impl Shown {
    fn of(
        canonical: &FingerprintView<'_>,
        canonical_body: String,
        copy: &FingerprintView<'_>,
        copy_body: String,
    ) -> Self {
        Shown {
            canonical_spans: raw_token_spans(&canonical_body, canonical.sequence.len()),
            copy_spans: raw_token_spans(&copy_body, copy.sequence.len()),
            canonical_body,
            copy_body,
            canonical_kinds: AnchorKinds::of(canonical),
            copy_kinds: AnchorKinds::of(copy),
        }
    }

    fn substitution(
        &self,
        canonical: &FingerprintView<'_>,
        copy: &FingerprintView<'_>,
        segment: &crate::align::Segment,
    ) -> Substitution {
        let (figure_before, name_before) = self
            .canonical_kinds
            .marks(tokens(canonical.sequence, &segment.canonical));
        let (figure_after, name_after) = self.copy_kinds.marks(tokens(copy.sequence, &segment.copy));
        Substitution {
            before: words_of(&self.canonical_body, &self.canonical_spans, &segment.canonical),
            after: words_of(&self.copy_body, &self.copy_spans, &segment.copy),
            figure: figure_before || figure_after,
            name: name_before || name_after,
        }
    }
}

/// The tokens `range` of a sequence.
fn tokens<'a>(words: Words<'a>, range: &Range<usize>) -> impl Iterator<Item = u32> + 'a {
    range.clone().map(move |place| words.get(place))
}

/// The hashes of a body's tokens in text order: a fingerprint's `sequence`, without the rest.
pub fn token_sequence(body: &str) -> Vec<u32> {
    let mut sequence = Vec::new();
    token_hashes_and_anchors(body, |hash| sequence.push(top32(hash)));
    sequence
}

/// A piece of a two-body diff: a segment of their alignment as byte ranges of each body.
/// The pieces tile both bodies; the text after a segment's last word (spaces, punctuation)
/// goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub part: Part,
    pub canonical: Range<usize>,
    pub copy: Range<usize>,
}

/// The diff of two bodies, in text order: the alignment of their words, shown in their text.
pub fn body_pieces(canonical: &str, copy: &str) -> Vec<Piece> {
    let (canonical_tokens, copy_tokens) = (token_sequence(canonical), token_sequence(copy));
    let alignment = align(&canonical_tokens, &copy_tokens);
    let (canonical_spans, copy_spans) = (
        raw_token_spans(canonical, canonical_tokens.len()),
        raw_token_spans(copy, copy_tokens.len()),
    );
    // Where the text of the segment that starts at token `place` begins: the first at 0, and
    // never before the one ahead of it (a run of text can stand for several tokens).
    let boundary = |spans: &[(usize, usize)], place: usize, length: usize, after: usize| {
        let start = if place == 0 {
            0
        } else {
            spans.get(place).map_or(length, |span| span.0)
        };
        start.clamp(after, length)
    };
    let (mut canonical_at, mut copy_at) = (0, 0);
    let mut pieces: Vec<Piece> = alignment
        .segments
        .iter()
        .map(|segment| {
            let canonical_end = boundary(
                &canonical_spans,
                segment.canonical.end,
                canonical.len(),
                canonical_at,
            );
            let copy_end = boundary(&copy_spans, segment.copy.end, copy.len(), copy_at);
            let piece = Piece {
                part: segment.part,
                canonical: canonical_at..canonical_end,
                copy: copy_at..copy_end,
            };
            (canonical_at, copy_at) = (canonical_end, copy_end);
            piece
        })
        .collect();
    // Text after the last word (or a body with no words at all) goes with the last piece.
    match pieces.last_mut() {
        Some(last) => {
            last.canonical.end = canonical.len();
            last.copy.end = copy.len();
        }
        None => {
            // No words on either side: what text there is was cut or added.
            if !canonical.is_empty() {
                pieces.push(Piece {
                    part: Part::Cut,
                    canonical: 0..canonical.len(),
                    copy: 0..0,
                });
            }
            if !copy.is_empty() {
                pieces.push(Piece {
                    part: Part::Added,
                    canonical: canonical.len()..canonical.len(),
                    copy: 0..copy.len(),
                });
            }
        }
    }
    pieces
}

/// The text of the tokens `range` of `body` (from the first one's start to the last one's end).
fn words_of(body: &str, spans: &[(usize, usize)], range: &Range<usize>) -> String {
    let (Some(first), Some(last)) = (
        spans.get(range.start),
        range.end.checked_sub(1).and_then(|end| spans.get(end)),
    ) else {
        return String::new();
    };
    body.get(first.0..last.1.max(first.0))
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{encoded, STORY};

    #[test]
    fn a_truncated_copy_with_a_paragraph_of_its_own() {
        let cut_at = STORY.rfind("\n\n").unwrap();
        let copy = format!(
            "{}\n\nIn Frankfurt, Deutsche Bundesbank officials declined to comment on the 12 banks involved.",
            &STORY[..cut_at]
        );
        let (canonical_bytes, copy_bytes) = (encoded(STORY), encoded(&copy));
        let canonical_view = FingerprintView::parse(&canonical_bytes).unwrap();
        let copy_view = FingerprintView::parse(&copy_bytes).unwrap();
        let found = changes(&canonical_view, &copy_view, false, || {
            (STORY.to_string(), copy.clone())
        });
        assert_eq!(found.passages_cut, 1);
        assert_eq!(found.passages_added, 1);
        assert_eq!(found.substitution_count, 0);
        assert_eq!(found.words_kept + found.words_cut, canonical_view.word_count);
        assert_eq!(found.words_kept + found.words_added, copy_view.word_count);
        assert_eq!(found.words_added, 13);
    }

    #[test]
    fn a_changed_figure_is_shown_in_the_copy_s_words() {
        let copy = STORY.replace("7-3/4 pct", "8 pct");
        let (canonical_bytes, copy_bytes) = (encoded(STORY), encoded(&copy));
        let canonical_view = FingerprintView::parse(&canonical_bytes).unwrap();
        let copy_view = FingerprintView::parse(&copy_bytes).unwrap();
        let found = changes(&canonical_view, &copy_view, true, || {
            (STORY.to_string(), copy.clone())
        });
        assert_eq!(found.passages_kept, 1);
        assert_eq!((found.passages_cut, found.passages_added), (0, 0));
        assert_eq!(found.substitution_count, 1);
        assert_eq!(
            found.substitutions,
            vec![Substitution {
                before: "7-3/4".to_string(),
                after: "8".to_string(),
                figure: true,
                name: false,
            }]
        );
        assert!(found.headline_differs);
    }

    #[test]
    fn the_same_words_need_no_bodies() {
        let encoded_story = encoded(STORY);
        let view = FingerprintView::parse(&encoded_story).unwrap();
        let found = changes(&view, &view, false, || unreachable!("no edit to show"));
        assert_eq!(found.words_kept, view.word_count);
        assert_eq!(
            (found.passages_kept, found.words_cut, found.words_added),
            (1, 0, 0)
        );
    }
}

//! Normalization, tokens and anchors: the port of `newsdedup/text.py`.
//!
//! Each function gives exactly what its Python namesake gives: character classes, case and
//! NFKC follow CPython (`pyunicode`, `nfkc`), positions are found the way `re` finds them.
//! text.py's regular expressions are hand-written scanners here; each names its pattern.

use std::borrow::Cow;

use crate::hash::{hash_ascii_lowercase, hash_word};
use crate::nfkc::nfkc;
use crate::pyunicode::{
    casefold, is_alnum, is_alpha, is_decimal, is_digit, is_lower, is_space, is_space_str, is_upper, is_word,
    is_word_letter,
};
use crate::segment::{blank_line_pieces, PIECE_BYTES};

/// `_TYPOGRAPHY_MAP`: curly quotes, primes, dashes and odd spaces to their plain forms.
fn typography(c: char) -> Option<&'static str> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => Some("'"),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}' | '\u{00bb}' => {
            Some("\"")
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Some("-"),
        '\u{00a0}' | '\u{2009}' | '\u{202f}' => Some(" "),
        '\u{200b}' | '\u{00ad}' | '\u{feff}' => Some(""),
        _ => None,
    }
}

/// `_NFKC_SENSITIVE`: typography NFKC changes before the map would ("″" becomes two primes,
/// "´" a space and an accent), so a text holding one is folded the long way.
const NFKC_SENSITIVE: [char; 2] = ['\u{2033}', '\u{00b4}'];

/// `text.translate(_TYPOGRAPHY)`.
pub fn fold_typography(text: &str) -> Cow<'_, str> {
    let mapped = if text.is_ascii() {
        text.as_bytes().contains(&b'`')
    } else {
        text.chars().any(|c| typography(c).is_some())
    };
    if !mapped {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match typography(c) {
            Some(replacement) => out.push_str(replacement),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `[^\W\d_]`, ASCII decided inline (most news), the rest from CPython's tables.
#[inline(always)]
fn letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        is_word_letter(c)
    }
}

/// `\d`.
#[inline(always)]
fn decimal(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        is_decimal(c)
    }
}

/// `\w`.
#[inline(always)]
fn word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        is_word(c)
    }
}

/// `str.isalnum`.
#[inline(always)]
fn alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_alnum(c)
    }
}

/// The character starting at byte `position`, ASCII without decoding.
#[inline(always)]
fn char_at(text: &str, position: usize) -> Option<char> {
    let byte = *text.as_bytes().get(position)?;
    if byte.is_ascii() {
        Some(char::from(byte))
    } else {
        text.get(position..)?.chars().next()
    }
}

/// The end of `(?:[^\W\d_]\.)*` at `start`, and how many letter-dot pairs it holds.
fn initialism_at(text: &str, start: usize) -> (usize, usize) {
    let (mut end, mut pairs) = (start, 0);
    while let Some(c) = char_at(text, end) {
        let dot = end + c.len_utf8();
        if !(letter(c) && text.as_bytes().get(dot) == Some(&b'.')) {
            break;
        }
        pairs += 1;
        end = dot + 1;
    }
    (end, pairs)
}

/// `_drop_initialism_dots`: "U.S." -> "US", "u.n." -> "un" (`\b(?:[^\W\d_]\.){2,}`, dots out).
///
/// A match starts at a letter just before a dot, so only the dots are visited, in order,
/// as `re.sub` would meet them; `\b` holds when no word character precedes the letter.
pub fn drop_initialism_dots(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut searched = 0;
    while let Some(offset) = text[searched..].find('.') {
        let dot = searched + offset;
        searched = dot + 1;
        let Some(first) = text[..dot].chars().next_back().filter(|&c| letter(c)) else {
            continue;
        };
        let start = dot - first.len_utf8();
        if start < copied || text[..start].chars().next_back().is_some_and(word) {
            continue;
        }
        let (end, pairs) = initialism_at(text, start);
        if pairs >= 2 {
            out.push_str(&text[copied..start]);
            out.extend(text[start..end].chars().filter(|&c| c != '.'));
            (copied, searched) = (end, end);
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// One pass of the fold `normalize` repeats: NFKC, typography, casefold, initialisms.
fn fold_once(text: &str) -> String {
    let compatible = nfkc(text);
    let plain = fold_typography(&compatible);
    drop_initialism_dots(&casefold(&plain)).into_owned()
}

/// A bound on `normalize`'s passes; two or three reach the fixed point.
const MAX_FOLDS: usize = 64;

/// `normalize`: fold compatibility forms, typography and case; idempotent.
pub fn normalize(text: &str) -> String {
    let folded = fold_typography(text);
    if folded.is_ascii() {
        return drop_initialism_dots(&folded.to_ascii_lowercase()).into_owned();
    }
    fold_fully(text)
}

/// `normalize` of text that is not ASCII once its typography is folded: folds to the fixed point.
///
/// No fold changes a line break, joins a character across one (NFKC composes none with
/// it) or finds an initialism across one, so the fold of text cut at line breaks is the
/// folds of its pieces, each taken to its own fixed point.
fn fold_fully(text: &str) -> String {
    let mut current = fold_once(text);
    for _ in 0..MAX_FOLDS {
        let next = fold_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// The end of `X+(?:[joiners]X+)*` at `start`, where `X` is `inside`: `_NUMBER` is `\d` joined
/// by `.,/:-`, `_WORD` is `[^\W\d_]` joined by `'`. Greedy, as `re` takes it: each run to its
/// end, then a joiner only when another run follows it.
#[inline(always)]
fn joined_run_end(text: &str, start: usize, inside: impl Fn(char) -> bool, joiners: &[u8]) -> usize {
    let mut end = start;
    loop {
        while let Some(c) = char_at(text, end).filter(|&c| inside(c)) {
            end += c.len_utf8();
        }
        match text.as_bytes().get(end) {
            Some(joiner) if joiners.contains(joiner) && char_at(text, end + 1).is_some_and(&inside) => {
                end += 1
            }
            _ => return end,
        }
    }
}

/// `joined_run_end` of ASCII text, byte by byte.
#[inline(always)]
fn ascii_joined_run_end(bytes: &[u8], start: usize, inside: impl Fn(u8) -> bool, joiners: &[u8]) -> usize {
    let run_end = |from: usize| {
        let rest = bytes.get(from..).unwrap_or_default();
        from + rest.iter().position(|&byte| !inside(byte)).unwrap_or(rest.len())
    };
    let mut end = run_end(start);
    while let (Some(joiner), Some(&next)) = (bytes.get(end), bytes.get(end + 1)) {
        if !(joiners.contains(joiner) && inside(next)) {
            break;
        }
        end = run_end(end + 1);
    }
    end
}

/// [A-Za-z] in three instructions: setting bit 5 lowers a capital and keeps a small letter.
#[inline(always)]
fn is_ascii_letter(byte: u8) -> bool {
    (byte | 0x20).wrapping_sub(b'a') < 26
}

const NUMBER_JOINERS: &[u8] = b".,/:-";
const WORD_JOINERS: &[u8] = b"'";

/// The spans of `_TOKEN.finditer(text)` (`_NUMBER|_WORD`): numbers first, leftmost first.
fn for_each_token(text: &str, mut each: impl FnMut(usize, usize)) {
    if text.is_ascii() {
        // `\d` is [0-9] and `[^\W\d_]` is [A-Za-z] in ASCII.
        let bytes = text.as_bytes();
        let mut position = 0;
        while let Some(&byte) = bytes.get(position) {
            let end = if byte.is_ascii_digit() {
                ascii_joined_run_end(bytes, position, |byte| byte.is_ascii_digit(), NUMBER_JOINERS)
            } else if is_ascii_letter(byte) {
                ascii_joined_run_end(bytes, position, is_ascii_letter, WORD_JOINERS)
            } else {
                position += 1;
                continue;
            };
            each(position, end);
            position = end;
        }
    } else {
        for_each_token_by_char(text, each);
    }
}

/// `for_each_token` of any text, character by character.
fn for_each_token_by_char(text: &str, mut each: impl FnMut(usize, usize)) {
    let mut position = 0;
    while let Some(c) = char_at(text, position) {
        let end = if decimal(c) {
            joined_run_end(text, position, decimal, NUMBER_JOINERS)
        } else if letter(c) {
            joined_run_end(text, position, letter, WORD_JOINERS)
        } else {
            position += c.len_utf8();
            continue;
        };
        each(position, end);
        position = end;
    }
}

/// `_UNSPACED`: scripts written without spaces between words (each character is a token).
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}' | '\u{0e00}'..='\u{0e7f}' | '\u{0e80}'..='\u{0eff}'
        | '\u{1000}'..='\u{109f}' | '\u{1780}'..='\u{17ff}')
}

/// The parts of the token `text[start..end]`: each unspaced character, and the runs between.
fn for_each_unspaced_part(text: &str, start: usize, end: usize, each: &mut impl FnMut(usize, usize)) {
    let mut run_start = start;
    for (offset, c) in text[start..end].char_indices() {
        if is_unspaced(c) {
            let position = start + offset;
            if run_start < position {
                each(run_start, position);
            }
            run_start = position + c.len_utf8();
            each(position, run_start);
        }
    }
    if run_start < end {
        each(run_start, end);
    }
}

/// The spans of the tokens of normalized text, unspaced scripts a character each.
fn for_each_normalized_token(text: &str, mut each: impl FnMut(usize, usize)) {
    if !text.is_ascii() && text.chars().any(is_unspaced) {
        for_each_token(text, |start, end| {
            for_each_unspaced_part(text, start, end, &mut each)
        });
    } else {
        for_each_token(text, each);
    }
}

/// A text's tokens: the normalized text and where each token lies in it.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    text: String,
    spans: Vec<(usize, usize)>,
}

impl Tokens {
    fn of(text: String) -> Tokens {
        let mut spans = Vec::with_capacity(text.len() / 5);
        for_each_normalized_token(&text, |start, end| spans.push((start, end)));
        Tokens { text, spans }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.spans.iter().map(|&(start, end)| &self.text[start..end])
    }
}

/// Tokens are equal when they are the same words in the same order.
impl PartialEq for Tokens {
    fn eq(&self, other: &Tokens) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Tokens {}

/// `tokens`: words and whole numbers of `text`, normalized.
pub fn tokens(text: &str) -> Tokens {
    Tokens::of(normalize(text))
}

/// `word_count`: the number of tokens, counted without normalizing.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    for_each_token(text, |_, _| count += 1);
    count
}

/// `case_counts`: (capital letters, small letters) of `text`.
pub fn case_counts(text: &str) -> (usize, usize) {
    if text.is_ascii() {
        return (
            count_ascii_range(text.as_bytes(), b'A'),
            count_ascii_range(text.as_bytes(), b'a'),
        );
    }
    text.chars().fold((0, 0), |(upper, lower), c| {
        (upper + usize::from(is_upper(c)), lower + usize::from(is_lower(c)))
    })
}

/// How many bytes lie in the 26 from `first`: counted in byte-wide lanes, 255 bytes at a time.
fn count_ascii_range(bytes: &[u8], first: u8) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let inside = chunk
                .iter()
                .fold(0u8, |count, byte| count + u8::from(byte.wrapping_sub(first) < 26));
            usize::from(inside)
        })
        .sum()
}

/// A text's anchors (numbers and names) and every capitalized word, casefolded, sorted, unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnchorsAndNames {
    pub anchors: Vec<String>,
    pub names: Vec<String>,
}

/// `_SENTENCE_STOPS`.
fn is_sentence_stop(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{2026}' | ':' | '"')
}

/// For `_opens_sentence` (a stop, or the start of the text, lies between the previous token
/// and a word): whether a stop (`Some(true)`) or a letter or digit (`Some(false)`) comes
/// last before `end`; None when neither does.
fn sentence_state_before(folded: &str, end: usize) -> Option<bool> {
    for c in folded[..end].chars().rev() {
        if alnum(c) {
            return Some(false);
        }
        if is_sentence_stop(c) {
            return Some(true);
        }
    }
    None
}

struct Capitalized {
    start: usize,
    end: usize,
    opens_sentence: bool,
}

fn sorted_unique(mut words: Vec<String>) -> Vec<String> {
    words.sort_unstable();
    words.dedup();
    words
}

/// Words `AnchorScan` collects before it first sorts and dedups them: more than an article has.
const WORDS_HELD: usize = 1 << 14;

/// Sorts and dedups `words` once they reach `at` (a long text repeats its names and figures
/// millions of times), and sets the next length to do so at.
fn compact_words(words: &mut Vec<String>, at: &mut usize) {
    if words.len() >= *at {
        *words = sorted_unique(std::mem::take(words));
        *at = (2 * words.len()).max(WORDS_HELD);
    }
}

/// `_anchors_in`, a token at a time: numbers and names of text already folded (NFKC,
/// typography, initialisms), from its `_TOKEN` spans in order.
///
/// text.py scans ASCII text with `_ASCII_ANCHOR_TOKEN` instead, which finds exactly the
/// `_TOKEN` matches that are numbers or start with a capital (its lookbehinds keep a
/// capital only where `_TOKEN` would start a token), so one scan serves both.
struct AnchorScan {
    use_case: bool,
    anchors: Vec<String>,
    names: Vec<String>,
    anchors_compact_at: usize,
    names_compact_at: usize,
    /// The last capitalized word and its casefolded form: whether it is a name may hang on
    /// the next capitalized word.
    pending: Option<(Capitalized, String)>,
    /// For text scanned in pieces: whether all after the pending word up to the current
    /// piece is space, once that word lies in an earlier piece.
    pending_gap_space: Option<bool>,
    /// For text scanned in pieces: `sentence_state_before` the current piece.
    state_before_piece: Option<bool>,
}

impl AnchorScan {
    /// A scan of text with these (capital letters, small letters).
    fn new((uppercase, lowercase): (usize, usize)) -> Self {
        AnchorScan {
            use_case: 0 < uppercase && uppercase < lowercase,
            anchors: Vec::new(),
            names: Vec::new(),
            anchors_compact_at: WORDS_HELD,
            names_compact_at: WORDS_HELD,
            pending: None,
            pending_gap_space: None,
            state_before_piece: None,
        }
    }

    /// The piece `folded` is done: the next tokens lie in the next piece, which continues it.
    fn end_piece(&mut self, folded: &str) {
        if let Some((word, _)) = &self.pending {
            let after = match self.pending_gap_space {
                None => &folded[word.end..],
                Some(_) => folded,
            };
            let space = after.chars().all(is_space);
            self.pending_gap_space = Some(self.pending_gap_space.unwrap_or(true) && space);
        }
        self.state_before_piece = sentence_state_before(folded, folded.len()).or(self.state_before_piece);
    }

    /// The next token, `folded[start..end]`.
    fn token(&mut self, folded: &str, start: usize, end: usize) {
        let token = &folded[start..end];
        let Some(first) = token.chars().next() else {
            return;
        };
        if is_digit(first) {
            // A digit glued to letters ("c0mpany") is a scanning error, not a figure.
            let glued = folded[..start].chars().next_back().is_some_and(is_alpha)
                || folded[end..].chars().next().is_some_and(is_alpha);
            if !glued {
                self.anchors.push(token.to_string());
                compact_words(&mut self.anchors, &mut self.anchors_compact_at);
            }
        } else if self.use_case && is_upper(first) {
            let opens_sentence = sentence_state_before(folded, start)
                .or(self.state_before_piece)
                .unwrap_or(true);
            let word = Capitalized {
                start,
                end,
                opens_sentence,
            };
            if let Some((previous, name)) = self.pending.take() {
                // Across pieces the gap holds their line breaks, so it is never empty.
                let gap_is_space = match self.pending_gap_space.take() {
                    None => folded.get(previous.end..word.start).is_some_and(is_space_str),
                    Some(space) => space && folded[..word.start].chars().all(is_space),
                };
                // A capitalized first word is a name only when a name follows it directly.
                let is_name = !previous.opens_sentence || (!word.opens_sentence && gap_is_space);
                self.settle(name, is_name);
            }
            self.pending = Some((word, casefold(token)));
        }
    }

    fn settle(&mut self, name: String, is_name: bool) {
        if is_name {
            self.anchors.push(name.clone());
            compact_words(&mut self.anchors, &mut self.anchors_compact_at);
        }
        self.names.push(name);
        compact_words(&mut self.names, &mut self.names_compact_at);
    }

    fn finish(mut self) -> AnchorsAndNames {
        if let Some((last, name)) = self.pending.take() {
            self.settle(name, !last.opens_sentence);
        }
        AnchorsAndNames {
            anchors: sorted_unique(self.anchors),
            names: sorted_unique(self.names),
        }
    }
}

/// The spans of `_TOKEN.finditer(text)`.
fn token_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::with_capacity(text.len() / 5);
    for_each_token(text, |start, end| spans.push((start, end)));
    spans
}

/// `anchors_and_names`: numbers and names, and every capitalized word (where names may be
/// looked up).
pub fn anchors_and_names(text: &str) -> AnchorsAndNames {
    let compatible = nfkc(text);
    let folded = drop_initialism_dots(&fold_typography(&compatible)).into_owned();
    drop(compatible);
    let mut scan = AnchorScan::new(case_counts(&folded));
    for_each_token(&folded, |start, end| scan.token(&folded, start, end));
    scan.finish()
}

/// Where each of the `token_count` tokens of `tokens(text)` lies in `text` itself: one byte
/// span per token, in order.
///
/// Tokens are words of the normalized text, whose offsets are not the text's (folding drops
/// initialism dots, NFKC changes lengths). Normalizing stays inside runs of non-space
/// characters, so each run's own tokens are found in place: a run whose raw words match its
/// tokens one for one gives each token its word's span, any other run gives its tokens the
/// run's span. Where the run-by-run tokens and the whole text's part (a fold that reached
/// across a space), the two are lined up again within a few tokens; a token left over gets
/// an empty span where its neighbours leave off. Used to show text, never to compare it.
pub fn raw_token_spans(text: &str, token_count: usize) -> Vec<(usize, usize)> {
    // ASCII that folding changes only by case (no backquote, no initialism): its tokens are
    // the text's own words, lower-cased, where they stand.
    if plain_ascii(text) {
        let mut spans = Vec::with_capacity(text.len() / 5);
        for_each_token(text, |start, end| spans.push((start, end)));
        return spans;
    }
    // The runs' tokens are the text's when there are as many (a fold reaching across a space,
    // which would change the count, is rare); otherwise they are lined up with the text's own.
    let mut spans = Vec::with_capacity(token_count);
    for_each_run_token(text, false, |_, span| spans.push(span));
    if spans.len() == token_count {
        return spans;
    }
    let mut found: Vec<(String, (usize, usize))> = Vec::with_capacity(token_count);
    for_each_run_token(text, true, |token, span| found.push((token.to_string(), span)));
    line_up(&tokens(text), &found)
}

/// Each token of each run of non-space characters of `text`, normalized on its own, with its
/// span: a word's own where the run's raw words match its tokens one for one, else the run's.
/// Without `words`, plain ASCII tokens come as "" (only the spans are wanted).
fn for_each_run_token(text: &str, words: bool, mut each: impl FnMut(&str, (usize, usize))) {
    let mut add_run = |start: usize, end: usize| {
        let run = &text[start..end];
        if plain_ascii(run) {
            for_each_token(run, |from, to| {
                let token = if words {
                    run[from..to].to_ascii_lowercase()
                } else {
                    String::new()
                };
                each(&token, (start + from, start + to))
            });
            return;
        }
        let own = tokens(run);
        let mut raw = Vec::new();
        for_each_token(run, |from, to| raw.push((start + from, start + to)));
        let one_for_one = raw.len() == own.len();
        for (place, token) in own.iter().enumerate() {
            each(token, if one_for_one { raw[place] } else { (start, end) });
        }
    };
    let mut run_start: Option<usize> = None;
    for (offset, c) in text.char_indices() {
        match (is_space(c), run_start) {
            (true, Some(start)) => {
                add_run(start, offset);
                run_start = None;
            }
            (false, None) => run_start = Some(offset),
            _ => {}
        }
    }
    if let Some(start) = run_start {
        add_run(start, text.len());
    }
}

/// ASCII text that `normalize` changes only by case, so its tokens stand where its words do.
fn plain_ascii(text: &str) -> bool {
    text.is_ascii()
        && matches!(fold_typography(text), Cow::Borrowed(_))
        && matches!(drop_initialism_dots(text), Cow::Borrowed(_))
}

/// How far `token_spans` looks ahead to line the whole text's tokens up with the runs' again.
const RESYNC_TOKENS: usize = 16;

/// The span of each of `whole`'s tokens, from the runs' tokens `found` lined up with them.
fn line_up(whole: &Tokens, found: &[(String, (usize, usize))]) -> Vec<(usize, usize)> {
    let mut spans = Vec::with_capacity(whole.len());
    let mut next = 0;
    let mut last_end = 0;
    for token in whole.iter() {
        let ahead = found
            .get(next..(next + RESYNC_TOKENS).min(found.len()))
            .unwrap_or(&[]);
        match ahead.iter().position(|(word, _)| word == token) {
            Some(skip) => {
                let span = found[next + skip].1;
                spans.push(span);
                last_end = span.1;
                next += skip + 1;
            }
            None => spans.push((last_end, last_end)),
        }
    }
    spans
}

/// `tokens_and_anchors`: `tokens(text)` and `anchors_and_names(text)`, folding the text once
/// when that gives the same (ASCII once its typography is folded: most news in Latin script).
pub fn tokens_and_anchors(text: &str) -> (Tokens, AnchorsAndNames) {
    let translated = fold_typography(text);
    if !translated.is_ascii() || (!text.is_ascii() && text.contains(NFKC_SENSITIVE)) {
        return (tokens(text), anchors_and_names(text));
    }
    let folded = drop_initialism_dots(&translated);
    // Lower case moves no ASCII token boundary: the folded text's spans are the tokens' too.
    let spans = token_spans(&folded);
    let mut scan = AnchorScan::new(case_counts(&folded));
    for &(start, end) in &spans {
        scan.token(&folded, start, end);
    }
    let found = scan.finish();
    (
        Tokens {
            text: folded.to_ascii_lowercase(),
            spans,
        },
        found,
    )
}

/// `tokens_and_anchors` without holding the tokens (a 50 MB text has millions): each
/// token's `hash_word` goes to `each`, in order, as it is found.
pub fn token_hashes_and_anchors(text: &str, each: impl FnMut(u64)) -> AnchorsAndNames {
    token_hashes_and_anchors_in_pieces(text, PIECE_BYTES, each)
}

/// `token_hashes_and_anchors`, texts past `piece_bytes` worked in pieces of about that size.
fn token_hashes_and_anchors_in_pieces(
    text: &str,
    piece_bytes: usize,
    mut each: impl FnMut(u64),
) -> AnchorsAndNames {
    // Whether `fold_typography(text)` is ASCII, without folding a copy.
    let ascii_once_folded = text.is_ascii() || text.chars().all(|c| c.is_ascii() || typography(c).is_some());
    if !ascii_once_folded || (!text.is_ascii() && text.contains(NFKC_SENSITIVE)) {
        // `normalize(text)` a piece at a time, each piece folded the way the whole would be.
        let folds_fully = !ascii_once_folded;
        for piece in blank_line_pieces(text, piece_bytes) {
            let normalized = if folds_fully {
                fold_fully(piece)
            } else {
                normalize(piece)
            };
            for_each_normalized_token(&normalized, |start, end| each(hash_word(&normalized[start..end])));
        }
        return anchors_and_names(text);
    }
    // Folded a piece at a time too; whether a word is capitalized hangs on the whole
    // text's letters, counted first when there are several pieces.
    let counts = (text.len() > piece_bytes).then(|| {
        blank_line_pieces(text, piece_bytes)
            .map(|piece| case_counts(&ascii_folded(piece)))
            .fold((0, 0), |(upper, lower), (more_upper, more_lower)| {
                (upper + more_upper, lower + more_lower)
            })
    });
    let mut scan = None;
    for piece in blank_line_pieces(text, piece_bytes) {
        let folded = ascii_folded(piece);
        let scan =
            scan.get_or_insert_with(|| AnchorScan::new(counts.unwrap_or_else(|| case_counts(&folded))));
        // Lower case moves no ASCII token boundary: the folded text's spans are the tokens' too.
        for_each_token(&folded, |start, end| {
            scan.token(&folded, start, end);
            each(hash_ascii_lowercase(&folded.as_bytes()[start..end]));
        });
        scan.end_piece(&folded);
    }
    scan.map_or_else(AnchorsAndNames::default, AnchorScan::finish)
}

/// Typography and initialism dots folded out of text that is ASCII once they are, one copy
/// at a time.
fn ascii_folded(text: &str) -> Cow<'_, str> {
    let translated = fold_typography(text);
    let dropped = match drop_initialism_dots(&translated) {
        Cow::Owned(folded) => Some(folded),
        Cow::Borrowed(_) => None,
    };
    dropped.map_or(translated, Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Draw;

    #[test]
    fn token_spans_point_into_the_raw_text() {
        let text = "The U.S. rate rose to 7-3/4 pct,\n\ndon\u{2019}t  ask.";
        let spans = raw_token_spans(text, tokens(text).len());
        let shown: Vec<&str> = spans.iter().map(|&(start, end)| &text[start..end]).collect();
        assert_eq!(tokens(text).len(), spans.len());
        assert_eq!(
            shown,
            vec![
                "The",
                "U.S.",
                "rate",
                "rose",
                "to",
                "7-3/4",
                "pct",
                "don\u{2019}t",
                "ask"
            ]
        );
        assert!(raw_token_spans("", 0).is_empty());
        // Plain ASCII takes the short way: the same spans as the run-by-run one.
        let plain = "Chemical Bank said it raised its rate to 7-3/4 pct, dealers said.";
        let curly = format!("{plain} \u{2019}");
        let run_by_run = raw_token_spans(&curly, tokens(&curly).len());
        assert_eq!(raw_token_spans(plain, tokens(plain).len()), run_by_run);
        // A count that disagrees lines the runs' tokens up with the text's.
        assert_eq!(raw_token_spans(&curly, 3), run_by_run);
        let unspaced = "北京市 is big";
        assert_eq!(raw_token_spans(unspaced, 0).len(), tokens(unspaced).len());
    }

    fn token_list(text: &str) -> Vec<String> {
        tokens(text).iter().map(String::from).collect()
    }

    #[test]
    fn typography_and_case_fold_to_one_form() {
        assert_eq!(
            token_list("“Images” — U.S. Putin’s"),
            token_list("\"images\" - US putin's")
        );
        assert_eq!(normalize("“Images” — U.S. Putin’s"), "\"images\" - us putin's");
    }

    #[test]
    fn numbers_stay_whole_and_words_keep_apostrophes() {
        assert_eq!(
            token_list("rate to 7-3/4 pct, 3,000 troops 1.2. rock'n'roll's 'quoted'"),
            [
                "rate",
                "to",
                "7-3/4",
                "pct",
                "3,000",
                "troops",
                "1.2",
                "rock'n'roll's",
                "quoted"
            ]
        );
    }

    #[test]
    fn initialisms_lose_their_dots_only_at_a_word_start() {
        assert_eq!(
            drop_initialism_dots("the U.S. and U.N. a.b x.y.z."),
            "the US and UN a.b xyz"
        );
        assert_eq!(drop_initialism_dots("xU.S. 1U.S. _U.S."), "xU.S. 1U.S. _U.S.");
        assert_eq!(drop_initialism_dots("U.S.A"), "USA");
    }

    #[test]
    fn unspaced_scripts_split_into_characters() {
        assert_eq!(token_list("北京市abc東"), ["北", "京", "市", "abc", "東"]);
    }

    #[test]
    fn anchors_are_figures_and_names() {
        let found = anchors_and_names(
            "Chemical Bank said it raised its rate to 7-3/4 pct. Dealers in Washington agreed, c0mpany.",
        );
        assert_eq!(found.anchors, ["7-3/4", "bank", "chemical", "washington"]);
        assert_eq!(found.names, ["bank", "chemical", "dealers", "washington"]);
        assert_eq!(
            anchors_and_names("CHEMICAL BANK RAISES PRIME RATE TO 8 PCT").anchors,
            ["8"]
        );
    }

    #[test]
    fn one_fold_equals_two_folds() {
        for text in [
            "The U.S. Treasury said on Tuesday it sold $3,000 mln of bills. Chemical Bank said so.",
            "He said \u{201c}no\u{201d} \u{2014} twice \u{2013} to the U.N.\u{a0}envoy in Kazan on Oct. 24.",
            "A 12\u{2033} screen and the \u{b4}quoted\u{b4} word, 7-3/4 pct.",
            "Ｆｕｌｌ width and İstanbul’da, ΣΟΦΟΣ λόγος.",
        ] {
            let (one_fold, anchors) = tokens_and_anchors(text);
            assert_eq!(one_fold, tokens(text), "{text}");
            assert_eq!(anchors, anchors_and_names(text), "{text}");
        }
    }

    /// text.py's `_ASCII_ANCHOR_TOKEN.finditer(text)`, scanned as written: numbers, and words that
    /// start with a capital where `_TOKEN` would start a token (`[A-Z](?<![A-Za-z][A-Z])
    /// (?<![A-Za-z]'[A-Z])[A-Za-z]*(?:'[A-Za-z]+)*`).
    fn for_each_ascii_anchor_token(text: &str, mut each: impl FnMut(usize, usize)) {
        let bytes = text.as_bytes();
        let letter_at = |position: usize| bytes.get(position).is_some_and(u8::is_ascii_alphabetic);
        let letters_end = |start: usize| {
            (start..bytes.len())
                .find(|&position| !bytes[position].is_ascii_alphabetic())
                .unwrap_or(bytes.len())
        };
        let mut position = 0;
        while position < bytes.len() {
            let byte = bytes[position];
            let end = if byte.is_ascii_digit() {
                joined_run_end(text, position, decimal, NUMBER_JOINERS)
            } else if byte.is_ascii_uppercase()
                && !(position >= 1 && letter_at(position - 1))
                && !(position >= 2 && bytes[position - 1] == b'\'' && letter_at(position - 2))
            {
                let mut end = letters_end(position + 1);
                while bytes.get(end) == Some(&b'\'') && letter_at(end + 1) {
                    end = letters_end(end + 1);
                }
                end
            } else {
                position += 1;
                continue;
            };
            each(position, end);
            position = end;
        }
    }

    #[test]
    fn ascii_scans_agree_with_the_general_ones() {
        // The ASCII anchor tokens are the tokens that are numbers or capitalized, and tokens
        // found byte by byte are the ones found character by character.
        let alphabet = b"aZ9'.-,/:x _\n";
        let mut draw = Draw(7);
        for length in 0..2000 {
            let text: String = (0..length % 40)
                .map(|_| char::from(draw.pick(alphabet)))
                .collect();
            let mut by_char = Vec::new();
            for_each_token_by_char(&text, |start, end| by_char.push((start, end)));
            assert_eq!(token_spans(&text), by_char, "{text:?}");
            let mut scanned = Vec::new();
            for_each_ascii_anchor_token(&text, |start, end| scanned.push((start, end)));
            let filtered: Vec<(usize, usize)> = token_spans(&text)
                .into_iter()
                .filter(|&(start, _)| {
                    text.as_bytes()[start].is_ascii_digit() || text.as_bytes()[start].is_ascii_uppercase()
                })
                .collect();
            assert_eq!(scanned, filtered, "{text:?}");
        }
    }

    #[test]
    fn nfkc_sensitive_typography_is_what_nfkc_changes() {
        let derived: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| typography(c).is_some())
            .filter(|&c| fold_typography(&nfkc(&c.to_string())) != fold_typography(&c.to_string()))
            .collect();
        assert_eq!(derived, ['\u{b4}', '\u{2033}']);
    }

    #[test]
    fn pieces_give_the_tokens_and_anchors_of_the_whole() {
        let alphabet = [
            "Bank ",
            "said ",
            "U.S. ",
            "Reuters",
            "7-3/4 ",
            "c0mpany ",
            ". ",
            "\n\n",
            "\n\n  ",
            "\n\r\n",
            "\u{2019}",
            " ",
            "New York ",
            "the ",
            "\u{fc}ber ",
            "12\u{2033} ",
            "x.y.z. ",
            "Ends.",
            "ALL CAPS ",
        ];
        let mut draw = Draw(13);
        for length in 0..600 {
            let text: String = (0..length % 50).map(|_| draw.pick(&alphabet)).collect();
            let (tokens, found) = tokens_and_anchors(&text);
            let expected = crate::hash::hash_words(tokens.iter());
            for piece_bytes in [1, 9, 30, 1 << 20] {
                let mut hashes = Vec::new();
                let anchors =
                    token_hashes_and_anchors_in_pieces(&text, piece_bytes, |hash| hashes.push(hash));
                assert_eq!(
                    (&hashes, &anchors),
                    (&expected, &found),
                    "{text:?} in pieces of {piece_bytes}"
                );
            }
        }
    }

    #[test]
    fn word_count_and_case_counts() {
        assert_eq!(word_count("U.S. rate 7-3/4, don't"), 5);
        assert_eq!(case_counts("Ab CD é É"), (4, 2));
    }
}

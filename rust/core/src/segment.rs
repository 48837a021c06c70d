//! Split an article into blocks: paragraphs, or single lines where lines do not join
//! into paragraphs (the first half of `newsdedup/clean.py`).
//!
//! Hard-wrapped text is re-joined first, so a wrapped paragraph is one block, not many
//! short lines; bylines and timestamps always stand alone.

use std::borrow::Cow;

use crate::header::{byline, date_header, timestamp_line};
use crate::pystr::{chars, lstrip, push_chars, rstrip, splitlines, string, strip};
use crate::pyunicode::{is_alpha, is_lower, is_space, is_upper, is_word_letter};
use crate::text::{case_counts, word_count};

/// What a block is, judged from its own shape and then from its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Prose,
    Short,
    Furniture,
    Metadata,
}

impl Kind {
    /// The name clean.py gives the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Prose => "prose",
            Kind::Short => "short",
            Kind::Furniture => "furniture",
            Kind::Metadata => "metadata",
        }
    }
}

/// A paragraph, or a single line where lines do not join into paragraphs.
#[derive(Clone, Debug)]
pub struct Block {
    /// The characters, empty once `pack` has moved them into `packed`.
    text: Vec<char>,
    packed: Option<String>,
    pub kind: Kind,
    pub words: usize,
    /// `is_header_line(text)`, when segmenting already asked it of the same text.
    pub header_line: Option<bool>,
}

impl Block {
    pub(crate) fn new(text: Vec<char>, header_line: Option<bool>) -> Self {
        let words = words_in(&text);
        Block {
            text,
            packed: None,
            kind: Kind::Short,
            words,
            header_line,
        }
    }

    /// The block's characters: its own, or a packed block's decoded again.
    pub fn text(&self) -> Cow<'_, [char]> {
        match &self.packed {
            Some(packed) => Cow::Owned(chars(packed)),
            None => Cow::Borrowed(&self.text),
        }
    }

    /// Keeps the text as UTF-8 from now on: a quarter of the memory for most news, for the
    /// blocks of a long article, which all wait until its body is found.
    pub fn pack(&mut self) {
        if self.packed.is_none() {
            self.packed = Some(string(&self.text));
            self.text = Vec::new();
        }
    }

    /// `is_header_line` of the block's text.
    pub fn is_header_line(&self) -> bool {
        self.header_line.unwrap_or_else(|| is_header_line(&self.text()))
    }
}

/// Hard-wrapped text breaks lines at a fixed width (Reuters at about 65, e-mail at 72);
/// longer lines are whole paragraphs or list items, never wrapping.
const WIDEST_WRAP: usize = 120;

/// `segment`: blank-line groups, indented paragraph starts, wrapped lines joined.
pub fn segment(text: &[char]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut group: Vec<&[char]> = Vec::new();
    for line in splitlines(text).into_iter().chain([&[][..]]) {
        if !strip(line).is_empty() {
            group.push(rstrip(line));
            continue;
        }
        if !group.is_empty() {
            split_group(&group, &mut blocks);
            group.clear();
        }
    }
    blocks
}

/// Past this many bytes a text is worked a piece at a time (`blank_line_pieces`): a long
/// article's copies as characters or folded would take several times its size at once.
pub const PIECE_BYTES: usize = 1 << 20;

/// Consecutive pieces of `text`, each cut just before a blank line once it has `size` bytes.
/// No block crosses a blank line, so the blocks of the pieces are the blocks of the text.
pub fn blank_line_pieces(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (piece, after) = rest.split_at(blank_line_from(rest, size).unwrap_or(rest.len()));
        rest = after;
        Some(piece)
    })
}

/// The first place from byte `from` on where a blank line starts: just after a "\n" followed
/// by another line break (an ASCII byte, so a character boundary).
fn blank_line_from(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let from = from.min(bytes.len());
    bytes[from..]
        .windows(2)
        .position(|pair| pair[0] == b'\n' && matches!(pair[1], b'\n' | b'\r'))
        .map(|offset| from + offset + 1)
}

/// A group of non-blank lines: paragraphs start at an indent or after a header line.
fn split_group(lines: &[&[char]], blocks: &mut Vec<Block>) {
    let common = lines
        .iter()
        .map(|line| line.len() - lstrip(line).len())
        .min()
        .unwrap_or(0);
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    for line in lines {
        let line = &line[common..];
        let standalone = is_header_line(line);
        let stripped = strip(line);
        // The answer holds for the block too when stripping leaves the line as it was.
        let entry = Line {
            text: stripped,
            header_line: (stripped.len() == line.len()).then_some(standalone),
        };
        match paragraphs.last_mut() {
            Some(paragraph) if !paragraph.closed && !is_indented(line) && !standalone => {
                paragraph.lines.push(entry)
            }
            _ => paragraphs.push(Paragraph {
                lines: vec![entry],
                closed: false,
            }),
        }
        if let Some(last) = paragraphs.last_mut() {
            last.closed |= standalone;
        }
    }
    for paragraph in paragraphs {
        let texts: Vec<&[char]> = paragraph.lines.iter().map(|line| line.text).collect();
        if texts.len() > 1 && is_wrapped(&texts) {
            blocks.push(Block::new(texts.join(&' '), None));
        } else {
            blocks.extend(
                paragraph
                    .lines
                    .into_iter()
                    .map(|line| Block::new(line.text.to_vec(), line.header_line)),
            );
        }
    }
}

/// One line of a paragraph, stripped, and `is_header_line` of it when that was asked.
struct Line<'a> {
    text: &'a [char],
    header_line: Option<bool>,
}

/// Lines that may join into one block; a header line closes its paragraph.
struct Paragraph<'a> {
    lines: Vec<Line<'a>>,
    closed: bool,
}

/// `_INDENT`: `^[ \t]{2,}`
fn is_indented(line: &[char]) -> bool {
    line.len() >= 2 && line[..2].iter().all(|&c| c == ' ' || c == '\t')
}

/// Bylines and timestamps stand alone: they never continue a wrapped paragraph.
pub fn is_header_line(line: &[char]) -> bool {
    date_header(line).is_some() || byline(line).is_some() || timestamp_line(line).is_some()
}

/// `_SENTENCE_END`: `[.!?…。！？]['"’”»)\]]*\s*$` somewhere, that is, at the end.
pub fn ends_sentence(text: &[char]) -> bool {
    let trimmed = rstrip(text);
    let closed = trimmed
        .iter()
        .rposition(|&c| !matches!(c, '\'' | '"' | '’' | '”' | '»' | ')' | ']'));
    closed.is_some_and(|last| matches!(trimmed[last], '.' | '!' | '?' | '…' | '。' | '！' | '？'))
}

/// True when the lines are one paragraph broken at a fixed width, not a list of lines.
fn is_wrapped(lines: &[&[char]]) -> bool {
    if lines.len() < 2 {
        return lines.len() == 1;
    }
    let widest = lines.iter().map(|line| line.len()).max().unwrap_or(0);
    if !(30..=WIDEST_WRAP).contains(&widest) {
        return false;
    }
    let widest_f = widest as f64;
    // The first line may be short (a dateline was cut from it), the last one always may.
    if lines.len() == 2 {
        // A long first line cut mid-sentence, finished by the second ("...the Justice / Department said.").
        let cut_mid_sentence = !ends_sentence(lines[0]) && ends_sentence(lines[1]);
        let continues = lines[1].first().is_some_and(|&c| is_lower(c)) || cut_mid_sentence;
        return widest >= 50 && lines[0].len() as f64 >= 0.6 * widest_f && continues;
    }
    let inner = &lines[1..lines.len() - 1];
    let full = inner
        .iter()
        .filter(|line| line.len() as f64 >= 0.7 * widest_f)
        .count();
    if (full as f64) < 0.7 * inner.len() as f64 {
        return false;
    }
    let starts = lines[1..]
        .iter()
        .filter_map(|line| line.iter().copied().find(|&c| is_alpha(c)));
    let cased: Vec<char> = starts.filter(|&c| is_upper(c) || is_lower(c)).collect();
    if cased.is_empty() {
        return true;
    }
    let mut joined = String::new();
    for line in lines {
        push_chars(&mut joined, line);
    }
    let (uppercase, lowercase) = case_counts(&joined);
    if uppercase as f64 > 1.5 * lowercase as f64 {
        return true;
    }
    let lowered_starts = cased.iter().filter(|&&c| is_lower(c)).count();
    let run_on = lines[..lines.len() - 1]
        .iter()
        .filter(|line| matches!(line.last(), Some(',' | '-' | ';')))
        .count();
    (lowered_starts + run_on) as f64 >= 0.25 * (lines.len() - 1) as f64
}

/// `text.word_count` of code points.
pub(crate) fn words_in(text: &[char]) -> usize {
    word_count(&string(text))
}

/// `[^\W\d_]`, with ASCII answered inline.
#[inline]
fn is_a_word_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        is_word_letter(c)
    }
}

/// Whitespace-separated chunks of `text`, and how many hold no letter ("$", "0.295454", "8.21%").
pub fn symbol_share(text: &[char]) -> f64 {
    let (mut chunks, mut letterless) = (0usize, 0usize);
    let mut inside = false;
    let mut lettered = false;
    for &c in text {
        let space = if c.is_ascii() {
            matches!(c, ' ' | '\t'..='\r' | '\x1c'..='\x1f')
        } else {
            is_space(c)
        };
        if space {
            if inside {
                letterless += !lettered as usize;
            }
            inside = false;
            continue;
        }
        if !inside {
            chunks += 1;
            inside = true;
            lettered = false;
        }
        lettered = lettered || is_a_word_letter(c);
    }
    if inside {
        letterless += !lettered as usize;
    }
    if chunks == 0 {
        1.0
    } else {
        letterless as f64 / chunks as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pystr::{chars, string};
    use crate::testing::Draw;

    fn texts(text: &str) -> Vec<String> {
        segment(&chars(text))
            .iter()
            .map(|block| string(&block.text()))
            .collect()
    }

    #[test]
    fn the_blocks_of_the_pieces_are_the_blocks_of_the_text() {
        let alphabet = [
            "a",
            "Word ",
            "wrapped line that goes on and on,",
            "\n",
            "\n",
            "\r\n",
            "\r",
            "  ",
            "By Jane Doe",
            "\u{2029}",
            "é",
        ];
        let mut draw = Draw(5);
        for length in 0..400 {
            let text: String = (0..length % 60).map(|_| draw.pick(&alphabet)).collect();
            let whole = texts(&text);
            for size in [1, 7, 40] {
                let pieces: Vec<&str> = blank_line_pieces(&text, size).collect();
                assert_eq!(pieces.concat(), text);
                let blocks: Vec<String> = pieces.iter().flat_map(|piece| texts(piece)).collect();
                assert_eq!(blocks, whole, "{text:?} in pieces of {size}");
            }
        }
    }

    #[test]
    fn a_packed_block_keeps_its_text() {
        let mut block = Block::new(chars("Putin’s U.S. visit"), None);
        let before = block.text().into_owned();
        block.pack();
        assert_eq!(block.text(), before);
        assert!(block.text.is_empty());
    }

    #[test]
    fn wrapped_lines_join_and_lists_do_not() {
        let wrapped = "The company said on Thursday that it would cut its\n\
                       dividend by half, citing lower earnings in the first\n\
                       quarter and weaker demand for its products.";
        assert_eq!(texts(wrapped).len(), 1);
        assert_eq!(texts("Home\nWorld\nBusiness"), ["Home", "World", "Business"]);
    }

    #[test]
    fn header_lines_stand_alone() {
        let text = "By Jane Doe\nThe minister said on Thursday that talks had broken down over\n\
                    the weekend, and that no new date had been set for them.";
        let blocks = texts(text);
        assert_eq!(blocks[0], "By Jane Doe");
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn indents_start_paragraphs() {
        let text = "  First paragraph line one that is long enough to wrap here,\n\
                    continued.\n  Second paragraph starts here.";
        assert_eq!(texts(text).len(), 2);
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence(&chars("He said so.\u{201d}  ")));
        assert!(ends_sentence(&chars("終わり。")));
        assert!(!ends_sentence(&chars("He said so. x")));
        assert!(!ends_sentence(&chars("")));
    }

    #[test]
    fn words_and_symbols() {
        assert_eq!(words_in(&chars("It's 7-3/4 cents, 3,000 U.S. dlrs_x")), 8);
        assert_eq!(words_in(&chars("1.")), 1);
        assert!((symbol_share(&chars("$ 0.29 8.21% up")) - 0.75).abs() < 1e-12);
        assert_eq!(symbol_share(&chars("  ")), 1.0);
    }
}

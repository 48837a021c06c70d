//! Judge each block by its shape (length, sentence punctuation, share of numbers and
//! symbols, links, furniture phrases), then find the body among them by position
//! (the middle of `newsdedup/clean.py`).

use crate::finder::Finder;
use crate::header::{credit_line, is_photo_credit_lowered, Agencies};

use crate::pycase::{lower, lower_into};
use crate::pyunicode::{is_space, is_word};
use crate::segment::{ends_sentence, symbol_share, Block, Kind};

/// The `BoilerplateSettings` that judging blocks needs.
#[derive(Clone, Debug)]
pub struct BlockSettings {
    pub min_prose_words: usize,
    pub long_prose_words: usize,
    pub max_symbol_share: f64,
    pub max_furniture_words: usize,
    pub segment_gap: usize,
    pub min_segment_share: f64,
    pub phrases: FurniturePhrases,
}

/// The furniture phrases in lower case (as `str.lower` lowers them), looked for all at once.
#[derive(Clone, Debug)]
pub struct FurniturePhrases {
    finder: Option<Finder>,
    /// `"" in text` always holds.
    has_empty: bool,
}

impl FurniturePhrases {
    pub fn new(phrases: &[String]) -> Self {
        let lowered: Vec<String> = phrases
            .iter()
            .map(|phrase| lower(phrase))
            .filter(|phrase| !phrase.is_empty())
            .collect();
        FurniturePhrases {
            finder: Finder::new(&lowered),
            has_empty: lowered.len() < phrases.len(),
        }
    }

    /// Whether there is any phrase to look for.
    fn any(&self) -> bool {
        self.has_empty || self.finder.is_some()
    }

    /// Whether any phrase is in `lowered`.
    fn any_in(&self, lowered: &str) -> bool {
        self.has_empty || self.finder.as_ref().is_some_and(|finder| finder.any_in(lowered))
    }
}

/// `classify`: one block's kind, from its own shape alone (context is applied afterwards).
///
/// Python first lists the furniture phrases found anywhere in the article (`phrases_in`)
/// and then looks in a block for those; a phrase found in a block is found in the article,
/// so looking in the block for every phrase gives the same answer.
pub fn classify(block: &Block, settings: &BlockSettings, agencies: &Agencies, body_found: bool) -> Kind {
    let text = block.text();
    let (text, words) = (text.as_ref(), block.words);
    if words == 0 {
        return Kind::Furniture;
    }
    if block.is_header_line() || credit_line(text, agencies).is_some() {
        return Kind::Metadata;
    }
    // In a body a page's tree gave, links and tables are the article's own (a product list, standings).
    if !body_found && url_search(text) && chunks_left_by_urls(text) < 6 {
        return Kind::Furniture;
    }
    if !body_found && symbol_share(text) > settings.max_symbol_share {
        return Kind::Furniture;
    }
    let mut lowered = None;
    if settings.phrases.any() && words <= settings.max_furniture_words {
        let lowered = lowered.get_or_insert_with(|| lower_chars(text));
        if settings.phrases.any_in(lowered) {
            return Kind::Furniture;
        }
    }
    if words <= 60 && is_photo_credit_lowered(text, lowered.get_or_insert_with(|| lower_chars(text))) {
        return Kind::Furniture;
    }
    if words >= settings.long_prose_words || (words >= settings.min_prose_words && ends_sentence(text)) {
        return Kind::Prose;
    }
    Kind::Short
}

fn lower_chars(text: &[char]) -> String {
    let mut lowered = String::with_capacity(text.len());
    lower_into(text, &mut lowered);
    lowered
}

/// `_URL.search`: `(?:https?://|www\.)\S+|\S+@\S+\.\w+` anywhere. No match crosses a space,
/// so chunk by chunk.
pub fn url_search(text: &[char]) -> bool {
    // Every match holds "http", "www." or "@".
    let opens = |start: usize, literal: &[char]| text[start..].starts_with(literal);
    let hinted = (0..text.len()).any(|start| match text[start] {
        '@' => true,
        'h' => opens(start, &['h', 't', 't', 'p']),
        'w' => opens(start, &['w', 'w', 'w', '.']),
        _ => false,
    });
    if !hinted {
        return false;
    }
    chunks(text).any(|chunk| {
        let address = last_address_dot(chunk).is_some_and(|dot| dot >= 3 && chunk[1..dot - 1].contains(&'@'));
        address || (0..chunk.len()).any(|start| link_at(chunk, start))
    })
}

/// `len(_URL.sub("", text).split())`: removing links only shortens chunks, so this counts
/// the chunks that `re.sub` does not remove whole.
fn chunks_left_by_urls(text: &[char]) -> usize {
    chunks(text).filter(|chunk| !removed_whole(chunk)).count()
}

fn chunks(text: &[char]) -> impl Iterator<Item = &[char]> {
    text.split(|&c| is_space(c)).filter(|chunk| !chunk.is_empty())
}

/// `re.sub` scans a chunk from its start: it is removed whole when match follows match to its end.
fn removed_whole(chunk: &[char]) -> bool {
    let dot = last_address_dot(chunk);
    let mut position = 0;
    while position < chunk.len() {
        if link_at(chunk, position) {
            return true;
        }
        match dot.and_then(|dot| address_at(chunk, position, dot)) {
            Some(end) => position = end,
            None => return false,
        }
    }
    true
}

/// `(?:https?://|www\.)\S+` at `start`: the link runs to the end of its chunk.
fn link_at(chunk: &[char], start: usize) -> bool {
    let rest = &chunk[start..];
    ["https://", "http://", "www."].iter().any(|prefix| {
        let length = prefix.chars().count();
        rest.len() > length && rest.iter().zip(prefix.chars()).all(|(&c, p)| c == p)
    })
}

/// Where `\S+@\S+\.\w+` may end its domain in a chunk: backtracking picks the last "."
/// followed by a word character.
fn last_address_dot(chunk: &[char]) -> Option<usize> {
    (0..chunk.len().saturating_sub(1))
        .rev()
        .find(|&j| chunk[j] == '.' && is_word(chunk[j + 1]))
}

/// `\S+@\S+\.\w+` at `start`, where it ends, given the chunk's `last_address_dot`:
/// an "@" after `start` and at least two before the dot.
fn address_at(chunk: &[char], start: usize, dot: usize) -> Option<usize> {
    if dot < start + 3 || !chunk[start + 1..dot - 1].contains(&'@') {
        return None;
    }
    Some(dot + 1 + chunk[dot + 1..].iter().take_while(|&&c| is_word(c)).count())
}

/// `_body_start`: the first prose block not followed closely by metadata.
/// A standfirst or subtitle is prose too, but bylines and timestamps still follow it.
pub fn body_start(blocks: &[Block]) -> usize {
    let mut prose = blocks
        .iter()
        .enumerate()
        .filter(|(_, block)| block.kind == Kind::Prose)
        .map(|(index, _)| index);
    let Some(first) = prose.clone().next() else {
        return blocks.len();
    };
    prose
        .find(|&index| {
            let following = &blocks[index + 1..(index + 4).min(blocks.len())];
            !following.iter().any(|block| block.kind == Kind::Metadata)
        })
        .unwrap_or(first)
}

/// `_main_segments`: which blocks are body (prose, and short blocks between prose) in the
/// main segments. A long run of non-prose blocks (a menu, a list of other headlines)
/// separates page segments; segments with little prose next to the largest one are
/// teasers or appeals. Returns a flag per block.
pub fn main_segments(blocks: &[Block], start: usize, settings: &BlockSettings) -> Vec<bool> {
    let mut segments: Vec<Vec<usize>> = vec![Vec::new()];
    let mut gap = 0;
    for (index, block) in blocks.iter().enumerate().skip(start) {
        if block.kind == Kind::Prose {
            if gap >= settings.segment_gap && segments.last().is_some_and(|segment| !segment.is_empty()) {
                segments.push(Vec::new());
            }
            gap = 0;
        } else {
            gap += 1;
        }
        if let Some(segment) = segments.last_mut() {
            segment.push(index);
        }
    }
    let prose_words = |indices: &[usize]| -> usize {
        indices
            .iter()
            .filter(|&&index| blocks[index].kind == Kind::Prose)
            .map(|&index| blocks[index].words)
            .sum()
    };
    let largest = segments
        .iter()
        .map(|segment| prose_words(segment))
        .max()
        .unwrap_or(0);
    let mut kept = vec![false; blocks.len()];
    for segment in &segments {
        if largest == 0 || (prose_words(segment) as f64) < settings.min_segment_share * largest as f64 {
            continue;
        }
        for (position, &index) in segment.iter().enumerate() {
            match blocks[index].kind {
                Kind::Prose => kept[index] = true,
                Kind::Short if 0 < position && position + 1 < segment.len() => {
                    let before = blocks[segment[position - 1]].kind;
                    let after = blocks[segment[position + 1]].kind;
                    if before == Kind::Prose && after == Kind::Prose {
                        kept[index] = true;
                    }
                }
                _ => {}
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pystr::chars;

    #[test]
    fn links_and_addresses() {
        assert!(url_search(&chars("see https://example.com/x now")));
        assert!(url_search(&chars("mail desk@example.com")));
        assert!(!url_search(&chars("http:// alone")));
        assert!(!url_search(&chars("@handle.")));
        assert!(!url_search(&chars(".a @ .b")));
        assert!(url_search(&chars("x@y.z")));
        assert_eq!(chunks_left_by_urls(&chars("a https://x.y b@c.de")), 1);
        // "b@c.de," keeps its comma; "x@y.z@w.v" goes whole in one match.
        assert_eq!(chunks_left_by_urls(&chars("b@c.de, x@y.z@w.v")), 1);
        let chunk = chars("a@b.c@d.e.f");
        assert_eq!(
            last_address_dot(&chunk).and_then(|dot| address_at(&chunk, 0, dot)),
            Some(11)
        );
    }

    #[test]
    fn body_starts_after_the_last_metadata() {
        let block = |kind| {
            let mut block = Block::new(Vec::new(), None);
            (block.kind, block.words) = (kind, 10);
            block
        };
        let blocks = [
            block(Kind::Prose),
            block(Kind::Metadata),
            block(Kind::Prose),
            block(Kind::Short),
        ];
        assert_eq!(body_start(&blocks), 2);
        assert_eq!(body_start(&[block(Kind::Short)]), 1);
    }

    fn settings(phrases: &[&str]) -> BlockSettings {
        let phrases: Vec<String> = phrases.iter().map(|phrase| phrase.to_string()).collect();
        BlockSettings {
            min_prose_words: 8,
            long_prose_words: 15,
            max_symbol_share: 0.3,
            max_furniture_words: 120,
            segment_gap: 4,
            min_segment_share: 0.25,
            phrases: FurniturePhrases::new(&phrases),
        }
    }

    fn kind_of(text: &str, settings: &BlockSettings) -> Kind {
        let block = Block::new(chars(text), None);
        classify(&block, settings, &Agencies::new(&["Reuters".to_string()]), false)
    }

    #[test]
    fn kinds_by_shape() {
        let settings = settings(&["Share this article"]);
        assert_eq!(kind_of("", &settings), Kind::Furniture);
        assert_eq!(kind_of("By Jane Doe", &settings), Kind::Metadata);
        assert_eq!(kind_of("\u{a9} Reuters", &settings), Kind::Metadata);
        assert_eq!(
            kind_of("Read it at https://example.com/a today", &settings),
            Kind::Furniture
        );
        assert_eq!(kind_of("$ 0.295454 8.21% -0.03 up", &settings), Kind::Furniture);
        assert_eq!(kind_of("SHARE THIS ARTICLE", &settings), Kind::Furniture);
        assert_eq!(kind_of("Photo: Getty Images", &settings), Kind::Furniture);
        assert_eq!(
            kind_of("The board approved a dividend of 25 cts a share.", &settings),
            Kind::Prose
        );
        assert_eq!(
            kind_of("Markets rally as rates hold steady", &settings),
            Kind::Short
        );
    }

    #[test]
    fn phrases_match_in_python_lower_case() {
        // "ΟΔΥΣΣΕΥΣ" lowers to "οδυσσευς": a phrase typed with a final sigma matches it.
        let settings = settings(&["\u{3bf}\u{3b4}\u{3c5}\u{3c3}\u{3c3}\u{3b5}\u{3c5}\u{3c2}"]);
        assert_eq!(
            kind_of(
                "\u{39f}\u{394}\u{3a5}\u{3a3}\u{3a3}\u{395}\u{3a5}\u{3a3}",
                &settings
            ),
            Kind::Furniture
        );
        assert_eq!(
            kind_of(
                "\u{39f}\u{394}\u{3a5}\u{3a3}\u{3a3}\u{395}\u{3a5}\u{3a3}\u{391}",
                &settings
            ),
            Kind::Short
        );
        let everything = super::FurniturePhrases::new(&[String::new()]);
        assert!(everything.any() && everything.any_in(""));
    }
}

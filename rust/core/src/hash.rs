//! Word and shingle hashes: the port of text.py's numpy hashing, bit for bit.
//!
//! A word's hash is a polynomial over its code points (each plus one, the place capped at
//! 255) finished by splitmix64; numpy's uint64 arithmetic wraps, as `wrapping_*` does here.

/// The golden-ratio constant that mixes lengths and shingle positions (`_MIX`).
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
/// The odd multiplier of the polynomial word hash (`_BASE`).
const BASE: u64 = 0x0000_0100_0000_01B3;
/// Characters past this place all use the last power (`_POWERS` has 256 entries).
const LAST_PLACE: usize = 255;

const fn powers() -> [u64; LAST_PLACE + 1] {
    let mut table = [1u64; LAST_PLACE + 1];
    let mut place = 1;
    while place <= LAST_PLACE {
        table[place] = table[place - 1].wrapping_mul(BASE);
        place += 1;
    }
    table
}

/// `_POWERS`: BASE to the power of each place, modulo 2^64.
static POWERS: [u64; LAST_PLACE + 1] = powers();

/// `_BASE_INVERSE`: BASE's inverse modulo 2^64 (Newton's iteration doubles the good bits).
const BASE_INVERSE: u64 = {
    let mut inverse = BASE;
    let mut step = 0;
    while step < 6 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(BASE.wrapping_mul(inverse)));
        step += 1;
    }
    inverse
};

/// `_finish`: splitmix64's finalizer over (polynomial, length).
fn finish(value: u64, length: usize) -> u64 {
    let mut value = value ^ (length as u64).wrapping_mul(MIX);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

/// One character's term of the polynomial: (code point + 1) times the power of its place.
fn term(c: char, place: usize) -> u64 {
    (u64::from(c) + 1).wrapping_mul(POWERS[place.min(LAST_PLACE)])
}

/// The hash of ASCII bytes, each first mapped by `fold`: a byte is a code point, and places
/// below the cap need no clamping.
#[inline(always)]
fn hash_ascii(bytes: &[u8], fold: impl Fn(u8) -> u8) -> u64 {
    let (placed, capped) = bytes.split_at(bytes.len().min(LAST_PLACE));
    let sum = placed.iter().zip(&POWERS).fold(0u64, |sum, (&byte, &power)| {
        sum.wrapping_add((u64::from(fold(byte)) + 1).wrapping_mul(power))
    });
    let sum = capped.iter().fold(sum, |sum, &byte| {
        sum.wrapping_add((u64::from(fold(byte)) + 1).wrapping_mul(POWERS[LAST_PLACE]))
    });
    finish(sum, bytes.len())
}

/// `hash_word` of the ASCII word in lower case, without lowering a copy of it first.
pub fn hash_ascii_lowercase(word: &[u8]) -> u64 {
    hash_ascii(word, |byte| byte.to_ascii_lowercase())
}

/// `hash_words` of one word: the same word always gets the same 64-bit hash.
pub fn hash_word(word: &str) -> u64 {
    if word.is_ascii() {
        return hash_ascii(word.as_bytes(), |byte| byte);
    }
    let (sum, length) = word.chars().fold((0u64, 0usize), |(sum, place), c| {
        (sum.wrapping_add(term(c, place)), place + 1)
    });
    finish(sum, length)
}

/// `hash_words`: the 64-bit hash of each word, in order.
pub fn hash_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<u64> {
    words.into_iter().map(hash_word).collect()
}

/// `_to32`: the top 32 bits, what sets of hashes keep.
pub fn top32(value: u64) -> u32 {
    (value >> 32) as u32
}

/// Below this many values a comparison sort is as quick as `radix_sort`.
const RADIX_SORT_FROM: usize = 128;
/// `radix_sort` counts in 32 bits.
const RADIX_SORT_UP_TO: usize = u32::MAX as usize;

/// Sorts by an LSD radix sort, a byte per pass: an article's few hundred hashes sort in
/// about a third of the time a comparison sort takes.
fn radix_sort(values: &mut Vec<u32>) {
    let mut counts = [[0u32; 256]; 4];
    for &value in values.iter() {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[((value >> (8 * pass)) & 0xFF) as usize] += 1;
        }
    }
    let mut buffer = vec![0u32; values.len()];
    for (pass, count) in counts.iter().enumerate() {
        if count.iter().any(|&count| count as usize == values.len()) {
            continue; // every value has the same byte here
        }
        let mut offsets = [0u32; 256];
        let mut total = 0;
        for (offset, &count) in offsets.iter_mut().zip(count) {
            *offset = total;
            total += count;
        }
        for &value in values.iter() {
            let digit = ((value >> (8 * pass)) & 0xFF) as usize;
            buffer[offsets[digit] as usize] = value;
            offsets[digit] += 1;
        }
        std::mem::swap(values, &mut buffer);
    }
}

/// The values sorted, each once.
pub(crate) fn sorted_unique(mut values: Vec<u32>) -> Vec<u32> {
    if !(RADIX_SORT_FROM..=RADIX_SORT_UP_TO).contains(&values.len()) {
        values.sort_unstable();
    } else {
        radix_sort(&mut values);
    }
    values.dedup();
    values
}

/// `shingles_of`: sorted unique 32-bit hashes of the `size`-token windows, each combining its
/// tokens' hashes by position; a text shorter than `size` is one shingle.
pub fn shingles_of(token_hashes: &[u64], size: usize) -> Vec<u32> {
    if token_hashes.is_empty() {
        return Vec::new();
    }
    let width = size.min(token_hashes.len());
    if width == 0 {
        // numpy gives one more window than tokens, each empty, so each hashes to 0.
        return vec![0];
    }
    sorted_unique(windows_of(token_hashes, width).collect())
}

/// The 32-bit hash of each `width`-token window (`width` at least 1), combining its tokens'
/// hashes by position.
fn windows_of(token_hashes: &[u64], width: usize) -> impl Iterator<Item = u32> + '_ {
    token_hashes.windows(width).map(|window| {
        let mixed = window
            .iter()
            .zip(1u64..)
            .fold(0u64, |combined, (&hash, position)| {
                (combined ^ hash).wrapping_mul(MIX).wrapping_add(position)
            });
        top32(mixed ^ (mixed >> 29))
    })
}

/// Token hashes held at once by `ShinglesAndVocabulary`: more than any article's, so an
/// article's shingles and vocabulary are worked out as `shingles_of` and `vocabulary_of` do.
pub const HASHES_HELD: usize = 1 << 16;

/// `shingles_of` and `vocabulary_of` of token hashes that arrive one by one, holding at most
/// `HASHES_HELD` of them (a 50 MB text has millions): full blocks give their windows and
/// words up early, and the sets are sorted and made unique whenever they have doubled.
#[derive(Debug)]
pub struct ShinglesAndVocabulary {
    size: usize,
    hashes: Vec<u64>,
    /// Tokens already given up by full blocks.
    given_up: usize,
    shingles: Vec<u32>,
    vocabulary: Vec<u32>,
    /// The set lengths past which they are made unique again.
    shingles_compact_at: usize,
    vocabulary_compact_at: usize,
}

impl ShinglesAndVocabulary {
    pub fn new(size: usize) -> Self {
        ShinglesAndVocabulary {
            size,
            hashes: Vec::new(),
            given_up: 0,
            shingles: Vec::new(),
            vocabulary: Vec::new(),
            shingles_compact_at: HASHES_HELD,
            vocabulary_compact_at: HASHES_HELD,
        }
    }

    /// The next token's 64-bit hash.
    #[inline]
    pub fn push(&mut self, hash: u64) {
        self.hashes.push(hash);
        if self.hashes.len() >= HASHES_HELD {
            self.give_up_block();
        }
    }

    /// The number of tokens pushed.
    pub fn tokens(&self) -> usize {
        self.given_up + self.hashes.len()
    }

    /// Gives up the windows that end in the block and every hash no later window needs.
    /// A shingle size of 0 (one window of no token) keeps every hash, as a text shorter
    /// than the size would: both are `shingles_of`'s cases.
    fn give_up_block(&mut self) {
        if self.size == 0 || self.hashes.len() <= self.size {
            return;
        }
        let done = self.hashes.len() + 1 - self.size;
        self.shingles.extend(windows_of(&self.hashes, self.size));
        self.vocabulary
            .extend(self.hashes[..done].iter().map(|&hash| top32(hash)));
        self.hashes.drain(..done);
        self.given_up += done;
        compact(&mut self.shingles, &mut self.shingles_compact_at);
        compact(&mut self.vocabulary, &mut self.vocabulary_compact_at);
    }

    /// (`shingles_of`, `vocabulary_of`) of every hash pushed.
    pub fn finish(mut self) -> (Vec<u32>, Vec<u32>) {
        if self.given_up == 0 {
            return (shingles_of(&self.hashes, self.size), vocabulary_of(&self.hashes));
        }
        // The held hashes start with the last size - 1 of a given-up block, so every
        // window over them is a window not yet taken.
        self.shingles.extend(windows_of(&self.hashes, self.size));
        self.vocabulary
            .extend(self.hashes.iter().map(|&hash| top32(hash)));
        (sorted_unique(self.shingles), sorted_unique(self.vocabulary))
    }
}

/// Sorts and dedups `values` once they reach `at`, and sets the next length to do so at.
fn compact(values: &mut Vec<u32>, at: &mut usize) {
    if values.len() >= *at {
        *values = sorted_unique(std::mem::take(values));
        *at = (2 * values.len()).max(HASHES_HELD);
    }
}

/// `word_hashes`: 32-bit hashes of words, in their order.
pub fn word_hashes<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    words.into_iter().map(|word| top32(hash_word(word))).collect()
}

/// `vocabulary_of`: sorted unique 32-bit hashes of the words whose 64-bit hashes are given.
pub fn vocabulary_of(token_hashes: &[u64]) -> Vec<u32> {
    sorted_unique(token_hashes.iter().map(|&hash| top32(hash)).collect())
}

/// `near_spelling_hashes`: 32-bit hashes of each word, then of each of its one-letter
/// deletions (word by word, letter by letter), and the word each belongs to.
///
/// Dropping letter i keeps the terms before it and moves the ones after it down one
/// place, a multiplication by BASE's inverse (exact below the capped place, as in Python).
pub fn near_spelling_hashes(words: &[&str]) -> (Vec<u32>, Vec<usize>) {
    let mut hashes: Vec<u32> = words.iter().map(|word| top32(hash_word(word))).collect();
    let mut owners: Vec<usize> = (0..words.len()).collect();
    let mut terms = Vec::new();
    for (owner, word) in words.iter().enumerate() {
        terms.clear();
        terms.extend(word.chars().enumerate().map(|(place, c)| term(c, place)));
        let whole = terms.iter().fold(0u64, |sum, &term| sum.wrapping_add(term));
        let mut before = 0u64;
        for &term in &terms {
            let after = whole.wrapping_sub(before).wrapping_sub(term);
            let deleted = before.wrapping_add(after.wrapping_mul(BASE_INVERSE));
            hashes.push(top32(finish(deleted, terms.len() - 1)));
            owners.push(owner);
            before = before.wrapping_add(term);
        }
    }
    (hashes, owners)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Draw;

    #[test]
    fn radix_sort_sorts() {
        let mut draw = Draw(1);
        let mut values: Vec<u32> = (0..1000)
            .map(|_| {
                let state = draw.step();
                (state >> 33) as u32
                    & if state.is_multiple_of(3) {
                        0xFF00_FF0F
                    } else {
                        u32::MAX
                    }
            })
            .collect();
        let mut expected = values.clone();
        expected.sort_unstable();
        radix_sort(&mut values);
        assert_eq!(values, expected);
    }

    #[test]
    fn streamed_hashes_give_the_sets_of_all_hashes() {
        // Few distinct words, so the sets are made unique block after block.
        let mut draw = Draw(3);
        let hashes: Vec<u64> = (0..3 * HASHES_HELD + 17)
            .map(|_| hash_word(&format!("w{}", (draw.step() >> 33) % 5000)))
            .collect();
        for count in [0, 1, 4, 5, HASHES_HELD - 1, HASHES_HELD, hashes.len()] {
            for size in [0, 1, 5] {
                let mut streamed = ShinglesAndVocabulary::new(size);
                hashes[..count].iter().for_each(|&hash| streamed.push(hash));
                assert_eq!(streamed.tokens(), count);
                let expected = (
                    shingles_of(&hashes[..count], size),
                    vocabulary_of(&hashes[..count]),
                );
                assert_eq!(streamed.finish(), expected, "{count} hashes, size {size}");
            }
        }
    }

    #[test]
    fn lowercase_hash_is_the_hash_of_the_lowered_word() {
        let long = "AbC".repeat(100);
        for word in ["Reuters", "U.S", "rock'N'Roll", "7-3/4", long.as_str()] {
            assert_eq!(
                hash_ascii_lowercase(word.as_bytes()),
                hash_word(&word.to_ascii_lowercase())
            );
        }
    }

    #[test]
    fn base_inverse_is_the_inverse() {
        assert_eq!(BASE.wrapping_mul(BASE_INVERSE), 1);
    }

    #[test]
    fn word_hashes_match_numpy() {
        // From Python: newsdedup.text.hash_words(["a", "Reuters", "日本", "x" * 300]).
        let long = "x".repeat(300);
        assert_eq!(
            hash_words(["a", "Reuters", "日本", long.as_str()]),
            [
                0xF0EE_A8C8_A060_7D15,
                0x188A_4334_5FDC_832F,
                0x11EF_6FA6_2ADB_4B95,
                0xFBBD_F83B_E339_ECE9
            ]
        );
    }

    #[test]
    fn a_deletion_hashes_like_the_shorter_word() {
        let (hashes, owners) = near_spelling_hashes(&["bank", "bnk"]);
        assert_eq!(owners, [0, 1, 0, 0, 0, 0, 1, 1, 1]);
        // "bank" without its "a" (place 1) is "bnk".
        assert_eq!(hashes[3], top32(hash_word("bnk")));
        assert_eq!(hashes[1], top32(hash_word("bnk")));
    }

    #[test]
    fn short_text_is_one_shingle_and_shingles_are_sorted_unique() {
        let hashes = hash_words(["a", "b", "c", "a", "b", "c"]);
        // From Python: newsdedup.text.shingle_hashes(["a", "b", "c", "a", "b", "c"], 2).
        assert_eq!(
            shingles_of(&hashes, 2),
            [347_034_550, 2_581_020_284, 3_438_448_875]
        );
        assert_eq!(shingles_of(&hashes, 0), [0]);
        assert_eq!(shingles_of(&hash_words(["only", "three", "words"]), 5).len(), 1);
        assert!(shingles_of(&[], 5).is_empty());
    }
}

//! What comparison needs of a document body: the port of `newsdedup/fingerprint.py`.

use std::fmt;

use crate::hash::{near_spelling_hashes, sorted_unique, top32, word_hashes, ShinglesAndVocabulary};
use crate::minhash::{minhash, Permutations};
use crate::pyunicode::is_digit;
use crate::text::token_hashes_and_anchors;

/// A changed figure says more than a changed name ("0.25 ct" vs "0.50 ct" is another story).
pub const NUMBER_WEIGHT: u8 = 2;
pub const NAME_WEIGHT: u8 = 1;
/// Names shorter than this must match exactly: one letter changes too much of them.
pub const MIN_FUZZY_NAME: usize = 5;

/// `FingerprintSettings` and the MinHash permutations datasketch derives from its seed.
#[derive(Debug, Clone)]
pub struct FingerprintSettings {
    pub shingle_size: usize,
    pub permutations: Permutations,
    pub seed: u64,
}

/// `models.Fingerprint` without the id; `minhash` holds the LeanMinHash's hash values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    pub shingles: Vec<u32>,
    pub minhash: Vec<u32>,
    pub seed: u64,
    pub anchors: Vec<u32>,
    pub anchor_weights: Vec<u8>,
    pub anchor_variants: Vec<u32>,
    pub anchor_variant_of: Vec<u16>,
    pub vocabulary: Vec<u32>,
    pub name_variants: Vec<u32>,
    /// Every token's 32-bit hash (as `vocabulary` holds it) in text order: what alignment reads.
    pub sequence: Vec<u32>,
    pub word_count: usize,
}

/// Where the Python version raises OverflowError (numpy's uint16, struct's 32-bit counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FingerprintError {
    /// An anchor to spell fuzzily sits past place 65535 of the sorted anchors.
    TooManyAnchors { position: usize },
    /// A count the NDF2 header keeps in 32 bits does not fit.
    TooLarge { what: &'static str, count: usize },
}

impl fmt::Display for FingerprintError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FingerprintError::TooManyAnchors { position } => {
                write!(
                    formatter,
                    "anchor {position} is out of bounds for uint16 (too many anchors in one text)"
                )
            }
            FingerprintError::TooLarge { what, count } => {
                write!(
                    formatter,
                    "{what} ({count}) does not fit the fingerprint's 32-bit header"
                )
            }
        }
    }
}

impl std::error::Error for FingerprintError {}

fn starts_with_digit(word: &str) -> bool {
    word.chars().next().is_some_and(is_digit)
}

/// `fingerprint(document, settings)` of one body.
///
/// The tokens are hashed as they are found: their sets, and the 32-bit sequence alignment
/// reads, are kept, so a long body costs about its own size again, not a list of its tokens.
pub fn fingerprint(body: &str, settings: &FingerprintSettings) -> Result<Fingerprint, FingerprintError> {
    let mut hashed = ShinglesAndVocabulary::new(settings.shingle_size);
    let mut sequence = Vec::with_capacity(body.len() / 6);
    let found = token_hashes_and_anchors(body, |hash| {
        hashed.push(hash);
        sequence.push(top32(hash));
    });
    let word_count = hashed.tokens();
    let (shingles, vocabulary) = hashed.finish();
    let minhash = minhash(&settings.permutations, &shingles);
    let ordered = &found.anchors;
    let fuzzy: Vec<usize> = (0..ordered.len())
        .filter(|&position| {
            let word = &ordered[position];
            !starts_with_digit(word) && word.chars().count() >= MIN_FUZZY_NAME
        })
        .collect();
    let fuzzy_places = fuzzy
        .iter()
        .map(|&position| u16::try_from(position).map_err(|_| FingerprintError::TooManyAnchors { position }))
        .collect::<Result<Vec<u16>, _>>()?;
    let fuzzy_words: Vec<&str> = fuzzy.iter().map(|&position| ordered[position].as_str()).collect();
    let (anchor_variants, variant_owners) = near_spelling_hashes(&fuzzy_words);
    let long_names: Vec<&str> = found
        .names
        .iter()
        .map(String::as_str)
        .filter(|name| name.chars().count() >= MIN_FUZZY_NAME)
        .collect();
    let (name_variants, _) = near_spelling_hashes(&long_names);
    Ok(Fingerprint {
        minhash,
        seed: settings.seed,
        anchors: word_hashes(ordered.iter().map(String::as_str)),
        anchor_weights: ordered
            .iter()
            .map(|word| {
                if starts_with_digit(word) {
                    NUMBER_WEIGHT
                } else {
                    NAME_WEIGHT
                }
            })
            .collect(),
        anchor_variants,
        anchor_variant_of: variant_owners.iter().map(|&owner| fuzzy_places[owner]).collect(),
        vocabulary,
        name_variants: sorted_unique(name_variants),
        word_count,
        shingles,
        sequence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{hash_words, shingles_of, vocabulary_of, HASHES_HELD};
    use crate::testing::Draw;
    use crate::text::tokens_and_anchors;

    /// A text of `words` varied words: capitals, sentence starts, figures, initialisms and
    /// typography, with `extra` mixed in.
    fn varied_text(words: usize, extra: &str) -> String {
        let vocabulary = [
            "the",
            "Bank",
            "said",
            "U.S.",
            "rates",
            "7-3/4",
            "pct.",
            "Chemical",
            "New",
            "York",
            "c0mpany",
            "rock'n'roll",
            "\u{2019}quoted\u{2019}",
            "3,000",
            "Dealers",
            "agreed.",
            "Washington",
            extra,
        ];
        let mut draw = Draw(11);
        let mut text = String::new();
        for number in 0..words {
            let state = draw.step();
            text.push_str(vocabulary[(state >> 33) as usize % vocabulary.len()]);
            text.push_str(if number % 97 == 96 { "\n\n" } else { " " });
            if number % 13 == 0 {
                text.push_str(&format!("W{} {} ", (state >> 40) % 3000, (state >> 20) % 5000));
            }
        }
        text
    }

    #[test]
    fn hashing_tokens_as_found_gives_what_holding_them_gives() {
        let settings = FingerprintSettings {
            shingle_size: 5,
            permutations: Permutations::new(vec![1, 3, 5, 7], vec![2, 4, 6, 8]).unwrap(),
            seed: 1,
        };
        for text in [
            String::new(),
            "Only three words".to_string(),
            varied_text(2000, "plain"),
            varied_text(2000, "İstanbul’da"),
            varied_text(300, "北京市"),
            varied_text(3 * HASHES_HELD, "plain"),
            // Past PIECE_BYTES, folded a piece at a time.
            varied_text(3 * HASHES_HELD, "İstanbul’da"),
            varied_text(3 * HASHES_HELD, "12\u{2033}"),
            varied_text(HASHES_HELD + 10, "Ｆｕｌｌ"),
        ] {
            let (tokens, anchors) = tokens_and_anchors(&text);
            let hashes = hash_words(tokens.iter());
            let found = fingerprint(&text, &settings).unwrap_or_default();
            assert_eq!(found.shingles, shingles_of(&hashes, 5));
            assert_eq!(found.vocabulary, vocabulary_of(&hashes));
            assert_eq!(found.word_count, tokens.len());
            assert_eq!(
                found.anchors,
                word_hashes(anchors.anchors.iter().map(String::as_str))
            );
        }
    }
}

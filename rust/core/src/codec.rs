//! The NDF2 bytes of a fingerprint, byte for byte what `codec.encode_fingerprint` writes,
//! so that Python's `decode_fingerprint` reads them.
//!
//! Layout (little-endian): "NDF2", scheme (u8, 1 = datasketch's "affine32"), word count
//! (u32), permutations (u32), seed (u64), the eight array lengths (u32 each); then the
//! MinHash values (u32) and the arrays in header order. NDF2 is NDF1 with the token
//! sequence last, which alignment reads; NDF1 bytes (an index from before it) are refused.

use std::fmt;

use crate::fingerprint::{Fingerprint, FingerprintError};

const MAGIC: &[u8; 4] = b"NDF2";
/// The place of "affine32" in codec.py's `_SCHEMES` ("legacy", "affine32", "affine64").
const SCHEME_AFFINE32: u8 = 1;
const HEADER_SIZE: usize = 4 + 1 + 4 + 4 + 8 + 8 * 4;

fn count32(what: &'static str, count: usize) -> Result<u32, FingerprintError> {
    u32::try_from(count).map_err(|_| FingerprintError::TooLarge { what, count })
}

/// `encode_fingerprint`.
pub fn encode_fingerprint(fingerprint: &Fingerprint) -> Result<Vec<u8>, FingerprintError> {
    let lengths = [
        ("shingles", fingerprint.shingles.len()),
        ("anchors", fingerprint.anchors.len()),
        ("anchor_weights", fingerprint.anchor_weights.len()),
        ("anchor_variants", fingerprint.anchor_variants.len()),
        ("anchor_variant_of", fingerprint.anchor_variant_of.len()),
        ("vocabulary", fingerprint.vocabulary.len()),
        ("name_variants", fingerprint.name_variants.len()),
        ("sequence", fingerprint.sequence.len()),
    ];
    let words32: usize = fingerprint.minhash.len()
        + fingerprint.shingles.len()
        + fingerprint.anchors.len()
        + fingerprint.anchor_variants.len()
        + fingerprint.vocabulary.len()
        + fingerprint.name_variants.len()
        + fingerprint.sequence.len();
    let size = HEADER_SIZE
        + 4 * words32
        + fingerprint.anchor_weights.len()
        + 2 * fingerprint.anchor_variant_of.len();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(MAGIC);
    out.push(SCHEME_AFFINE32);
    out.extend_from_slice(&count32("word count", fingerprint.word_count)?.to_le_bytes());
    out.extend_from_slice(&count32("permutations", fingerprint.minhash.len())?.to_le_bytes());
    out.extend_from_slice(&fingerprint.seed.to_le_bytes());
    for (what, length) in lengths {
        out.extend_from_slice(&count32(what, length)?.to_le_bytes());
    }
    let put32 = |out: &mut Vec<u8>, values: &[u32]| {
        values
            .iter()
            .for_each(|value| out.extend_from_slice(&value.to_le_bytes()))
    };
    put32(&mut out, &fingerprint.minhash);
    put32(&mut out, &fingerprint.shingles);
    put32(&mut out, &fingerprint.anchors);
    out.extend_from_slice(&fingerprint.anchor_weights);
    put32(&mut out, &fingerprint.anchor_variants);
    fingerprint
        .anchor_variant_of
        .iter()
        .for_each(|place| out.extend_from_slice(&place.to_le_bytes()));
    put32(&mut out, &fingerprint.vocabulary);
    put32(&mut out, &fingerprint.name_variants);
    put32(&mut out, &fingerprint.sequence);
    Ok(out)
}

/// Why NDF2 bytes could not be read: `decode_fingerprint` raises for the same bytes, or they
/// break an invariant every fingerprint the pipeline makes keeps (sorted unique sets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    TooShort {
        length: usize,
    },
    /// Not NDF2: another file's bytes, or an NDF1 fingerprint (no token sequence).
    NotNdf2,
    /// A scheme other than "affine32": the only one `fingerprint` uses and the core reads.
    Scheme(u8),
    Truncated {
        needed: usize,
        length: usize,
    },
    TrailingBytes {
        extra: usize,
    },
    Broken(&'static str),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooShort { length } => {
                write!(
                    formatter,
                    "{length} bytes is shorter than the {HEADER_SIZE}-byte header"
                )
            }
            DecodeError::NotNdf2 => write!(formatter, "not a newsdedup fingerprint"),
            DecodeError::Scheme(scheme) => {
                write!(
                    formatter,
                    "MinHash scheme {scheme} is not affine32, the one the core reads"
                )
            }
            DecodeError::Truncated { needed, length } => {
                write!(formatter, "the arrays need {needed} bytes, there are {length}")
            }
            DecodeError::TrailingBytes { extra } => write!(formatter, "{extra} trailing bytes"),
            DecodeError::Broken(what) => write!(formatter, "{what}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Little-endian u32s read in place (NDF2 arrays sit at odd offsets, so no `&[u32]` cast).
#[derive(Debug, Clone, Copy)]
pub struct Words<'a>(&'a [u8]);

impl<'a> Words<'a> {
    pub fn len(&self) -> usize {
        self.0.len() / 4
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + 'a {
        self.0
            .chunks_exact(4)
            .map(|chunk| u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
    }

    /// The value at `index` (0 past the end: callers stay within `len`).
    pub fn get(&self, index: usize) -> u32 {
        let at = 4 * index;
        self.0.get(at..at + 4).map_or(0, |chunk| {
            u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]])
        })
    }

    /// The values copied into `into` (cleared first): aligned, for the hot loops.
    pub fn copy_into(&self, into: &mut Vec<u32>) {
        into.clear();
        into.extend(self.iter());
    }

    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
}

/// A fingerprint read from its NDF2 bytes without copying them.
#[derive(Debug, Clone, Copy)]
pub struct FingerprintView<'a> {
    pub word_count: u32,
    pub seed: u64,
    pub minhash: Words<'a>,
    pub shingles: Words<'a>,
    pub anchors: Words<'a>,
    pub anchor_weights: &'a [u8],
    pub anchor_variants: Words<'a>,
    anchor_variant_of: &'a [u8],
    pub vocabulary: Words<'a>,
    pub name_variants: Words<'a>,
    /// The token hashes in text order (the vocabulary's hashes), for alignment.
    pub sequence: Words<'a>,
}

impl<'a> FingerprintView<'a> {
    /// The header and the array bounds, as `decode_fingerprint` reads them.
    pub fn parse(data: &'a [u8]) -> Result<Self, DecodeError> {
        if data.len() < HEADER_SIZE {
            return Err(DecodeError::TooShort { length: data.len() });
        }
        if &data[..4] != MAGIC {
            return Err(DecodeError::NotNdf2);
        }
        let scheme = data[4];
        if scheme != SCHEME_AFFINE32 {
            // codec.py knows three schemes; a number past them is no fingerprint at all.
            return Err(if scheme > 2 {
                DecodeError::NotNdf2
            } else {
                DecodeError::Scheme(scheme)
            });
        }
        let word =
            |at: usize| u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize;
        let word_count = word(5) as u32;
        let permutations = word(9);
        let seed = u64::from_le_bytes([
            data[13], data[14], data[15], data[16], data[17], data[18], data[19], data[20],
        ]);
        let lengths: [usize; 8] = std::array::from_fn(|field| word(21 + 4 * field));
        // minhash, then shingles, anchors, anchor_weights, anchor_variants, anchor_variant_of,
        // vocabulary, name_variants, sequence: element sizes in that order (lengths fit u32, so
        // no overflow in u64).
        let counts = [
            permutations,
            lengths[0],
            lengths[1],
            lengths[2],
            lengths[3],
            lengths[4],
            lengths[5],
            lengths[6],
            lengths[7],
        ];
        let widths = [4u64, 4, 4, 1, 4, 2, 4, 4, 4];
        let needed = HEADER_SIZE as u64
            + counts
                .iter()
                .zip(widths)
                .map(|(&count, width)| count as u64 * width)
                .sum::<u64>();
        if needed > data.len() as u64 {
            return Err(DecodeError::Truncated {
                needed: needed as usize,
                length: data.len(),
            });
        }
        if needed < data.len() as u64 {
            return Err(DecodeError::TrailingBytes {
                extra: data.len() - needed as usize,
            });
        }
        let mut rest = &data[HEADER_SIZE..];
        let mut take = |count: usize, width: usize| {
            let (field, after) = rest.split_at(count * width);
            rest = after;
            field
        };
        Ok(FingerprintView {
            word_count,
            seed,
            minhash: Words(take(counts[0], 4)),
            shingles: Words(take(counts[1], 4)),
            anchors: Words(take(counts[2], 4)),
            anchor_weights: take(counts[3], 1),
            anchor_variants: Words(take(counts[4], 4)),
            anchor_variant_of: take(counts[5], 2),
            vocabulary: Words(take(counts[6], 4)),
            name_variants: Words(take(counts[7], 4)),
            sequence: Words(take(counts[8], 4)),
        })
    }

    /// `parse`, then the invariants comparison relies on: what `fingerprint` makes always keeps
    /// them, so bytes that break one were damaged (Python would give wrong answers or IndexError).
    pub fn parse_checked(data: &'a [u8]) -> Result<Self, DecodeError> {
        let view = Self::parse(data)?;
        let increasing = |words: Words<'_>| {
            words
                .iter()
                .zip(words.iter().skip(1))
                .all(|(before, after)| before < after)
        };
        if !increasing(view.shingles) {
            return Err(DecodeError::Broken("shingles are not sorted unique hashes"));
        }
        if !increasing(view.vocabulary) {
            return Err(DecodeError::Broken("the vocabulary is not sorted unique hashes"));
        }
        if !increasing(view.name_variants) {
            return Err(DecodeError::Broken(
                "the name variants are not sorted unique hashes",
            ));
        }
        if view.sequence.len() != view.word_count as usize {
            return Err(DecodeError::Broken(
                "the token sequence and the word count differ",
            ));
        }
        if view.anchor_weights.len() != view.anchors.len() {
            return Err(DecodeError::Broken("anchors and anchor weights differ in number"));
        }
        if view.anchor_variant_of.len() / 2 != view.anchor_variants.len() {
            return Err(DecodeError::Broken(
                "anchor variants and their owners differ in number",
            ));
        }
        if view
            .anchor_variant_of()
            .any(|owner| owner as usize >= view.anchors.len())
        {
            return Err(DecodeError::Broken("an anchor variant belongs to no anchor"));
        }
        Ok(view)
    }

    /// The size of the shingle set (`Fingerprint.size`).
    pub fn size(&self) -> usize {
        self.shingles.len()
    }

    /// The anchor each variant spells (places in `anchors`).
    pub fn anchor_variant_of(&self) -> impl Iterator<Item = u16> + 'a {
        self.anchor_variant_of
            .chunks_exact(2)
            .map(|chunk| u16::from_le_bytes([chunk[0], chunk[1]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_arrays_in_order() {
        let fingerprint = Fingerprint {
            shingles: vec![7],
            minhash: vec![1, 2],
            seed: 3,
            anchors: vec![9],
            anchor_weights: vec![2],
            anchor_variants: vec![],
            anchor_variant_of: vec![],
            vocabulary: vec![5, 6],
            name_variants: vec![],
            sequence: vec![6, 5, 6, 6],
            word_count: 4,
        };
        let encoded = encode_fingerprint(&fingerprint).unwrap();
        let mut expected = b"NDF2\x01".to_vec();
        for value in [4u32, 2] {
            expected.extend_from_slice(&value.to_le_bytes());
        }
        expected.extend_from_slice(&3u64.to_le_bytes());
        for value in [1u32, 1, 1, 0, 0, 2, 0, 4, 1, 2, 7, 9] {
            expected.extend_from_slice(&value.to_le_bytes());
        }
        expected.push(2);
        for value in [5u32, 6, 6, 5, 6, 6] {
            expected.extend_from_slice(&value.to_le_bytes());
        }
        assert_eq!(encoded, expected);
        assert_eq!(encoded.capacity(), encoded.len());
    }

    fn sample() -> Fingerprint {
        Fingerprint {
            shingles: vec![3, 8, 20],
            minhash: vec![1, 2, 3, 4],
            seed: 9,
            anchors: vec![50, 7],
            anchor_weights: vec![2, 1],
            anchor_variants: vec![11, 12, 11],
            anchor_variant_of: vec![1, 1, 0],
            vocabulary: vec![5, 6, 7],
            name_variants: vec![11, 40],
            sequence: vec![5, 6, 7, 5, 6, 7, 5, 6, 7, 5, 6, 7],
            word_count: 12,
        }
    }

    #[test]
    fn a_view_reads_what_encode_wrote() {
        let encoded = encode_fingerprint(&sample()).unwrap();
        let view = FingerprintView::parse_checked(&encoded).unwrap();
        assert_eq!(view.word_count, 12);
        assert_eq!(view.seed, 9);
        assert_eq!(view.minhash.to_vec(), vec![1, 2, 3, 4]);
        assert_eq!(view.shingles.to_vec(), vec![3, 8, 20]);
        assert_eq!(view.anchors.to_vec(), vec![50, 7]);
        assert_eq!(view.anchor_weights, &[2, 1]);
        assert_eq!(view.anchor_variants.to_vec(), vec![11, 12, 11]);
        assert_eq!(view.anchor_variant_of().collect::<Vec<_>>(), vec![1, 1, 0]);
        assert_eq!(view.vocabulary.to_vec(), vec![5, 6, 7]);
        assert_eq!(view.name_variants.to_vec(), vec![11, 40]);
        assert_eq!(view.sequence.len(), 12);
        assert_eq!(view.size(), 3);
    }

    #[test]
    fn damaged_bytes_are_errors() {
        let encoded = encode_fingerprint(&sample()).unwrap();
        assert_eq!(
            FingerprintView::parse(&encoded[..10]).unwrap_err(),
            DecodeError::TooShort { length: 10 }
        );
        let mut wrong_magic = encoded.clone();
        wrong_magic[0] = b'X';
        assert_eq!(
            FingerprintView::parse(&wrong_magic).unwrap_err(),
            DecodeError::NotNdf2
        );
        let mut legacy = encoded.clone();
        legacy[4] = 0;
        assert_eq!(
            FingerprintView::parse(&legacy).unwrap_err(),
            DecodeError::Scheme(0)
        );
        let cut = encoded.len() - 1;
        assert!(matches!(
            FingerprintView::parse(&encoded[..cut]),
            Err(DecodeError::Truncated { .. })
        ));
        let mut longer = encoded.clone();
        longer.push(0);
        assert_eq!(
            FingerprintView::parse(&longer).unwrap_err(),
            DecodeError::TrailingBytes { extra: 1 }
        );
        let mut huge = encoded.clone();
        huge[21..25].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            FingerprintView::parse(&huge),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn broken_invariants_are_errors() {
        let check = |change: fn(&mut Fingerprint)| {
            let mut fingerprint = sample();
            change(&mut fingerprint);
            let encoded = encode_fingerprint(&fingerprint).unwrap();
            assert!(FingerprintView::parse(&encoded).is_ok());
            matches!(
                FingerprintView::parse_checked(&encoded),
                Err(DecodeError::Broken(_))
            )
        };
        assert!(check(|f| f.shingles = vec![3, 3]));
        assert!(check(|f| f.shingles = vec![8, 3]));
        assert!(check(|f| f.vocabulary = vec![6, 5]));
        assert!(check(|f| f.name_variants = vec![1, 1]));
        assert!(check(|f| f.anchor_weights = vec![1]));
        assert!(check(|f| f.anchor_variant_of = vec![1]));
        assert!(check(|f| f.anchor_variant_of = vec![0, 2, 0]));
        assert!(check(|f| f.sequence = vec![5, 6]));
    }

    #[test]
    fn no_bytes_make_it_panic() {
        let encoded = encode_fingerprint(&sample()).unwrap();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut data = encoded.clone();
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state % data.len() as u64) as usize;
                data[at] = (state >> 40) as u8;
            }
            let cut = ((state >> 20) as usize) % (data.len() + 1);
            let _ = FingerprintView::parse_checked(&data);
            let _ = FingerprintView::parse_checked(&data[..cut]);
        }
    }
}

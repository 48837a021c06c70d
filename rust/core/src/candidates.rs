//! The pairs worth comparing: the port of `candidates.CandidateIndex.pairs`.
//!
//! Two indexes, for the two shapes of a copy: LSH band keys of the MinHash signatures
//! (near-equal texts), and an inverted index over a content-defined sample of shingles
//! (a short text inside a longer one), probed with each text's smallest sample hashes.
//! Results are sorted unique pairs `(i, j)`, `i < j`, of positions.

use rayon::prelude::*;

use crate::codec::{FingerprintView, Words};
use crate::store::{check_order, StoreError};

const BAND_MIX: u64 = 0x9E37_79B9_7F4A_7C15;
/// A text contained at the threshold hits about threshold x probes; asking for three
/// quarters of that keeps nearly every such pair (binomial spread) and few others.
pub const PROBE_SLACK: f64 = 0.75;
/// Texts whose probes are counted in one task.
const PROBER_CHUNK: usize = 512;

/// `CandidateSettings`, with the (bands, rows) datasketch's MinHashLSH picks for the threshold.
#[derive(Debug, Clone)]
pub struct CandidateSettings {
    pub bands: usize,
    pub rows: usize,
    pub num_perm: usize,
    pub containment_threshold: f64,
    pub sample_modulus: u32,
    pub containment_probes: usize,
    pub min_shared_samples: u64,
    pub max_postings: u64,
}

/// `probe_hits_needed`: hits a text's probes must score in another text.
pub fn probe_hits_needed(probe_count: usize, settings: &CandidateSettings) -> f64 {
    let scaled = (settings.containment_threshold * PROBE_SLACK * probe_count as f64).floor();
    (settings.min_shared_samples as f64).max(scaled)
}

/// `usable_posting`: a sample shingle in very many texts is furniture, not a copy signal.
pub fn usable_posting(postings: u64, settings: &CandidateSettings) -> bool {
    (2..=settings.max_postings).contains(&postings)
}

/// `band_keys` of one signature: one 64-bit key per band, equal bands give equal keys.
pub fn band_keys(signature: &[u32], bands: usize, rows: usize, into: &mut Vec<u64>) {
    for band in signature[..bands * rows].chunks_exact(rows) {
        let key = band.iter().enumerate().fold(0u64, |key, (column, &value)| {
            (key ^ u64::from(value))
                .wrapping_mul(BAND_MIX)
                .wrapping_add(column as u64 + 1)
        });
        into.push(key);
    }
}

/// `shingle_sample`: the shingle hashes that are 0 modulo `modulus` (0 counts as 1), the same
/// subset in every text holding them; appended to `into` in shingle order (sorted).
pub fn shingle_sample(shingles: Words<'_>, modulus: u32, into: &mut Vec<u32>) {
    let modulus = modulus.max(1);
    if modulus.is_power_of_two() {
        let mask = modulus - 1;
        into.extend(shingles.iter().filter(|hash| hash & mask == 0));
    } else {
        into.extend(shingles.iter().filter(|hash| hash % modulus == 0));
    }
}

/// `probes`: the sample hashes a text looks up, its smallest `count` (samples are sorted).
pub fn probes_of(sample: &[u32], count: usize) -> &[u32] {
    &sample[..count.min(sample.len())]
}

/// What the candidate stage keeps of each article: its band keys and its shingle sample.
pub struct CandidateIndex {
    settings: CandidateSettings,
    /// `bands` keys per appended article.
    keys: Vec<u64>,
    /// Whether the article has shingles (an empty text is never a near-equal candidate).
    indexed: Vec<bool>,
    /// How many articles each appended one stands for (its exact copies, see `copies`).
    weights: Vec<u32>,
    /// The samples, concatenated in append order; `sample_ends[a]` closes article `a`'s.
    samples: Vec<u32>,
    sample_ends: Vec<usize>,
    /// `position[a]`: the run position of the article appended `a`-th (after `reorder`).
    position: Option<Vec<u32>>,
    used: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateError {
    Signature {
        number: usize,
        length: usize,
        expected: usize,
    },
    TooMany,
    AlreadyUsed,
}

impl std::fmt::Display for CandidateError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CandidateError::Signature {
                number,
                length,
                expected,
            } => write!(
                formatter,
                "fingerprint {number} has {length} MinHash values, the index was made for {expected}"
            ),
            CandidateError::TooMany => write!(formatter, "more than 2**32 - 1 articles or sampled shingles"),
            CandidateError::AlreadyUsed => write!(formatter, "CandidateIndex.pairs() runs once per index"),
        }
    }
}

impl std::error::Error for CandidateError {}

impl CandidateIndex {
    /// `bands * rows` must not exceed `num_perm` (banding never picks more).
    pub fn new(settings: CandidateSettings) -> Self {
        CandidateIndex {
            settings,
            keys: Vec::new(),
            indexed: Vec::new(),
            weights: Vec::new(),
            samples: Vec::new(),
            sample_ends: Vec::new(),
            position: None,
            used: false,
        }
    }

    pub fn len(&self) -> usize {
        self.indexed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indexed.is_empty()
    }

    pub fn append(&mut self, fingerprint: &FingerprintView<'_>) -> Result<(), CandidateError> {
        self.append_copies(fingerprint, 1)
    }

    /// Appends a fingerprint that stands for `copies` articles with the same fingerprint: its
    /// shingles count `copies` times in the postings, as the copies would if appended one by one.
    pub fn append_copies(
        &mut self,
        fingerprint: &FingerprintView<'_>,
        copies: u32,
    ) -> Result<(), CandidateError> {
        let expected = self.settings.num_perm;
        let length = fingerprint.minhash.len();
        if length != expected || self.settings.bands * self.settings.rows > expected {
            return Err(CandidateError::Signature {
                number: self.len(),
                length,
                expected,
            });
        }
        if self.len() >= u32::MAX as usize {
            return Err(CandidateError::TooMany);
        }
        let signature = fingerprint.minhash.to_vec();
        band_keys(
            &signature,
            self.settings.bands,
            self.settings.rows,
            &mut self.keys,
        );
        shingle_sample(
            fingerprint.shingles,
            self.settings.sample_modulus,
            &mut self.samples,
        );
        self.sample_ends.push(self.samples.len());
        self.indexed.push(!fingerprint.shingles.is_empty());
        self.weights.push(copies);
        Ok(())
    }

    /// From now on, article `i` is the one appended `order[i]`-th.
    pub fn reorder(&mut self, order: &[u32]) -> Result<(), StoreError> {
        check_order(order, self.len())?;
        let mut position = vec![0u32; order.len()];
        for (place, &appended) in order.iter().enumerate() {
            position[appended as usize] = place as u32;
        }
        self.position = Some(position);
        Ok(())
    }

    fn position_of(&self, appended: usize) -> u32 {
        self.position
            .as_ref()
            .map_or(appended as u32, |position| position[appended])
    }

    /// The sorted unique candidate pairs, packed `i << 32 | j`; runs once (the samples are
    /// handed over to the containment index). `progress(1)` after the band pairs.
    pub fn pairs(&mut self, mut progress: impl FnMut(usize)) -> Result<Vec<u64>, CandidateError> {
        if self.used {
            return Err(CandidateError::AlreadyUsed);
        }
        self.used = true;
        if self.len() < 2 {
            return Ok(Vec::new());
        }
        let similar = self.similar_pairs();
        self.keys = Vec::new();
        progress(1);
        let containing = self.containing_pairs()?;
        Ok(union(&similar, &containing))
    }

    /// Pairs that share a whole band of MinHash values: MinHashLSH's candidates.
    pub fn similar_pairs(&self) -> Vec<u64> {
        let bands = self.settings.bands;
        let indexed: Vec<usize> = (0..self.len())
            .filter(|&appended| self.indexed[appended])
            .collect();
        if indexed.len() < 2 {
            return Vec::new();
        }
        (0..bands)
            .into_par_iter()
            .map(|band| {
                // Grouped by the keys' high halves with a radix sort, then exactly within each group.
                let mut by_high_half: Vec<u64> = indexed
                    .iter()
                    .enumerate()
                    .map(|(place, &appended)| self.keys[appended * bands + band] & HIGH_HALF | place as u64)
                    .collect();
                sort_by_high_half(&mut by_high_half);
                let mut found = Vec::new();
                let mut keyed: Vec<(u64, u32)> = Vec::new();
                for run in by_high_half
                    .chunk_by(|a, b| a & HIGH_HALF == b & HIGH_HALF)
                    .filter(|run| run.len() > 1)
                {
                    keyed.clear();
                    keyed.extend(run.iter().map(|&entry| {
                        let appended = indexed[(entry & !HIGH_HALF) as usize];
                        (self.keys[appended * bands + band], self.position_of(appended))
                    }));
                    keyed.sort_unstable();
                    for group in keyed.chunk_by(|a, b| a.0 == b.0).filter(|group| group.len() > 1) {
                        // Sorted by position within a group, so each pair comes out as (smaller, larger).
                        for (place, &(_, first)) in group.iter().enumerate() {
                            found.extend(group[place + 1..].iter().map(|&(_, second)| pack(first, second)));
                        }
                    }
                }
                found.sort_unstable();
                found.dedup();
                found
            })
            .reduce(Vec::new, |a, b| union(&a, &b))
    }

    /// Pairs where one text's sample is mostly found in the other's (see the module comment).
    ///
    /// Only sample shingles that some text probes with matter, so the index keeps just those
    /// (a bitmap of the probe hashes filters the samples; a false hit only keeps an entry
    /// no probe looks up): about a third of the samples, 8 bytes each, sorted by hash.
    fn containing_pairs(&mut self) -> Result<Vec<u64>, CandidateError> {
        let settings = self.settings.clone();
        let count = self.len();
        let samples = std::mem::take(&mut self.samples);
        let sample_ends = std::mem::take(&mut self.sample_ends);
        if samples.is_empty() {
            return Ok(Vec::new());
        }
        let sample_of = |appended: usize| {
            let start = if appended == 0 {
                0
            } else {
                sample_ends[appended - 1]
            };
            &samples[start..sample_ends[appended]]
        };
        // Each text's probes: the first (smallest) hashes of its sorted sample.
        let mut probe_ends = Vec::with_capacity(count);
        let mut probes: Vec<u64> = Vec::new(); // hash << 32 | probe slot
        for appended in 0..count {
            for &hash in probes_of(sample_of(appended), settings.containment_probes) {
                let slot = u32::try_from(probes.len()).map_err(|_| CandidateError::TooMany)?;
                probes.push(u64::from(hash) << 32 | u64::from(slot));
            }
            probe_ends.push(probes.len());
        }
        let filter = HashBitmap::of(probes.iter().map(|&probe| (probe >> 32) as u32), probes.len());
        let mut entries: Vec<u64> = Vec::new(); // hash << 32 | owner position
        for appended in 0..count {
            let owner = u64::from(self.position_of(appended));
            entries.extend(
                sample_of(appended)
                    .iter()
                    .filter(|&&hash| filter.may_hold(hash))
                    .map(|&hash| u64::from(hash) << 32 | owner),
            );
        }
        drop(samples);
        if entries.len() > u32::MAX as usize {
            return Err(CandidateError::TooMany);
        }
        sort_by_high_half(&mut entries);
        sort_by_high_half(&mut probes);
        // Each probe slot's posting: the run of entries with its hash.
        let mut posting_start = vec![0u32; probes.len()];
        let mut posting_length = vec![0u32; probes.len()];
        // Postings count articles: each entry's owner stands for its copies.
        let weighted = self.weights.iter().any(|&copies| copies != 1);
        let mut copies_at = vec![1u32; if weighted { count } else { 0 }];
        if weighted {
            for (appended, &copies) in self.weights.iter().enumerate() {
                copies_at[self.position_of(appended) as usize] = copies;
            }
        }
        let mut posting_usable = vec![false; probes.len()];
        let mut usable = false;
        let (mut cursor, mut end) = (0usize, 0usize);
        let mut run_hash = None;
        for &probe in &probes {
            let hash = probe >> 32;
            if run_hash != Some(hash) {
                run_hash = Some(hash);
                cursor = end.max(cursor);
                while cursor < entries.len() && entries[cursor] >> 32 < hash {
                    cursor += 1;
                }
                end = cursor;
                while end < entries.len() && entries[end] >> 32 == hash {
                    end += 1;
                }
                let postings = if weighted {
                    entries[cursor..end]
                        .iter()
                        .map(|&entry| u64::from(copies_at[entry as u32 as usize]))
                        .sum()
                } else {
                    (end - cursor) as u64
                };
                usable = usable_posting(postings, &settings);
            }
            posting_usable[slot_of(probe)] = usable;
            posting_start[slot_of(probe)] = cursor as u32;
            posting_length[slot_of(probe)] = (end - cursor) as u32;
        }
        drop(probes);
        let chunks: Vec<Vec<u64>> = (0..count.div_ceil(PROBER_CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let mut found = Vec::new();
                let mut hits: Vec<u32> = Vec::new();
                for appended in chunk * PROBER_CHUNK..((chunk + 1) * PROBER_CHUNK).min(count) {
                    let first = if appended == 0 {
                        0
                    } else {
                        probe_ends[appended - 1]
                    };
                    let prober = self.position_of(appended);
                    hits.clear();
                    for slot in first..probe_ends[appended] {
                        if !posting_usable[slot] {
                            continue;
                        }
                        let length = posting_length[slot] as usize;
                        let start = posting_start[slot] as usize;
                        hits.extend(
                            entries[start..start + length]
                                .iter()
                                .map(|&entry| entry as u32)
                                .filter(|&other| other != prober),
                        );
                    }
                    hits.sort_unstable();
                    let needed = probe_hits_needed(probe_ends[appended] - first, &settings);
                    for run in hits.chunk_by(|a, b| a == b) {
                        if run.len() as f64 >= needed {
                            found.push(pack(prober.min(run[0]), prober.max(run[0])));
                        }
                    }
                }
                found
            })
            .collect();
        let mut found: Vec<u64> = chunks.into_iter().flatten().collect();
        found.par_sort_unstable();
        found.dedup();
        Ok(found)
    }
}

const HIGH_HALF: u64 = 0xFFFF_FFFF_0000_0000;

/// Sorts by the high 32 bits only (stable, least significant digit first, three passes of
/// 11 bits): what grouping entries by hash needs, several times faster than a full sort.
fn sort_by_high_half(values: &mut Vec<u64>) {
    let mut scratch = vec![0u64; values.len()];
    for (shift, bits) in [(32, 11), (43, 11), (54, 10)] {
        let mask = (1u64 << bits) - 1;
        let mut starts = vec![0usize; (1 << bits) + 1];
        for &value in values.iter() {
            starts[((value >> shift) & mask) as usize + 1] += 1;
        }
        for digit in 0..1 << bits {
            starts[digit + 1] += starts[digit];
        }
        for &value in values.iter() {
            let digit = ((value >> shift) & mask) as usize;
            scratch[starts[digit]] = value;
            starts[digit] += 1;
        }
        std::mem::swap(values, &mut scratch);
    }
}

fn slot_of(probe: u64) -> usize {
    (probe & 0xFFFF_FFFF) as usize
}

/// A pair of positions as one sortable key.
pub fn pack(first: u32, second: u32) -> u64 {
    u64::from(first) << 32 | u64::from(second)
}

pub fn unpack(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// The sorted union of two sorted unique lists.
fn union(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                merged.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                merged.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                merged.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// A one-hash Bloom filter of 32-bit values: no false misses, about 6% false hits.
struct HashBitmap {
    words: Vec<u64>,
    shift: u32,
}

impl HashBitmap {
    fn of(values: impl Iterator<Item = u32>, count: usize) -> HashBitmap {
        let bits = (count.max(1) * 16).next_power_of_two().clamp(64, 1 << 32);
        let shift = 32 - bits.trailing_zeros();
        let mut bitmap = HashBitmap {
            words: vec![0; bits / 64],
            shift,
        };
        for value in values {
            let bit = bitmap.bit(value);
            bitmap.words[bit / 64] |= 1 << (bit % 64);
        }
        bitmap
    }

    fn bit(&self, value: u32) -> usize {
        // Sampled hashes share their low bits (0 modulo the sample modulus): mix them up.
        (u64::from(value.wrapping_mul(0x9E37_79B1)) >> self.shift) as usize
    }

    fn may_hold(&self, value: u32) -> bool {
        let bit = self.bit(value);
        self.words[bit / 64] >> (bit % 64) & 1 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::encode_fingerprint;
    use crate::fingerprint::Fingerprint;

    fn settings() -> CandidateSettings {
        CandidateSettings {
            bands: 2,
            rows: 2,
            num_perm: 4,
            containment_threshold: 0.5,
            sample_modulus: 1,
            containment_probes: 16,
            min_shared_samples: 2,
            max_postings: 1000,
        }
    }

    fn index_of(texts: &[(Vec<u32>, Vec<u32>)], settings: CandidateSettings) -> CandidateIndex {
        let mut index = CandidateIndex::new(settings);
        for (minhash, shingles) in texts {
            let fingerprint = Fingerprint {
                minhash: minhash.clone(),
                shingles: shingles.clone(),
                ..Fingerprint::default()
            };
            let encoded = encode_fingerprint(&fingerprint).unwrap();
            index.append(&FingerprintView::parse(&encoded).unwrap()).unwrap();
        }
        index
    }

    #[test]
    fn band_keys_are_the_python_ones() {
        let mut keys = Vec::new();
        band_keys(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 2, 5, &mut keys);
        assert_eq!(keys, vec![0x7425_bedd_386f_f062, 0x43aa_50b7_31d8_1f6f]);
    }

    #[test]
    fn samples_keep_the_hashes_of_the_modulus_and_probes_their_first() {
        let encoded = encode_fingerprint(&Fingerprint {
            shingles: vec![0, 3, 4, 6, 8, 9, 12, 16],
            ..Fingerprint::default()
        })
        .unwrap();
        let view = FingerprintView::parse(&encoded).unwrap();
        for (modulus, expected) in [
            (4, vec![0, 4, 8, 12, 16]),
            (3, vec![0, 3, 6, 9, 12]),
            (0, vec![0, 3, 4, 6, 8, 9, 12, 16]),
        ] {
            let mut sample = Vec::new();
            shingle_sample(view.shingles, modulus, &mut sample);
            assert_eq!(sample, expected);
        }
        assert_eq!(probes_of(&[1, 2, 3], 2), &[1, 2]);
        assert_eq!(probes_of(&[1, 2, 3], 16), &[1, 2, 3]);
    }

    #[test]
    fn hits_needed_and_usable_postings() {
        let settings = CandidateSettings {
            max_postings: 5,
            ..settings()
        };
        let needed: Vec<f64> = [0, 1, 5, 6, 16]
            .iter()
            .map(|&count| probe_hits_needed(count, &settings))
            .collect();
        assert_eq!(needed, vec![2.0, 2.0, 2.0, 2.0, 6.0]);
        assert!(
            !usable_posting(1, &settings) && usable_posting(2, &settings) && usable_posting(5, &settings)
        );
        assert!(!usable_posting(6, &settings));
    }

    #[test]
    fn sorting_by_the_high_half_keeps_the_low_halves_in_order() {
        let mut values: Vec<u64> = (0..5000u64)
            .map(|n| ((n * 7919) % 613) << 32 | (5000 - n))
            .collect();
        sort_by_high_half(&mut values);
        assert!(values.windows(2).all(|pair| pair[0] >> 32 < pair[1] >> 32
            || (pair[0] >> 32 == pair[1] >> 32 && pair[0] as u32 > pair[1] as u32)));
    }

    #[test]
    fn equal_bands_and_contained_samples_make_pairs() {
        let texts = vec![
            (vec![1, 2, 3, 4], (0..10).collect()),
            (vec![1, 2, 9, 9], (100..110).collect()), // first band equal to text 0's
            (vec![5, 6, 7, 8], (0..4).collect()),     // inside text 0 (and text 3)
            (vec![8, 7, 6, 5], (0..40).collect()),
            (vec![1, 2, 3, 4], vec![]), // no shingles: never a band candidate
        ];
        let mut index = index_of(&texts, settings());
        let mut reported = Vec::new();
        let pairs = index.pairs(|done| reported.push(done)).unwrap();
        let pairs: Vec<(u32, u32)> = pairs.into_iter().map(unpack).collect();
        assert_eq!(pairs, vec![(0, 1), (0, 2), (0, 3), (2, 3)]);
        assert_eq!(reported, vec![1]);
        assert_eq!(index.pairs(|_| {}), Err(CandidateError::AlreadyUsed));
    }

    #[test]
    fn positions_follow_the_order() {
        let texts = vec![
            (vec![1, 2, 3, 4], (0..10).collect()),
            (vec![5, 6, 7, 8], (50..60).collect()),
            (vec![1, 2, 3, 4], (0..10).collect()),
        ];
        let mut index = index_of(&texts, settings());
        index.reorder(&[2, 1, 0]).unwrap();
        let pairs: Vec<(u32, u32)> = index.pairs(|_| {}).unwrap().into_iter().map(unpack).collect();
        assert_eq!(pairs, vec![(0, 2)]);
        assert!(index_of(&texts, settings()).reorder(&[0, 0, 1]).is_err());
    }

    #[test]
    fn signatures_of_another_length_are_refused() {
        let mut index = index_of(&[], settings());
        let encoded = encode_fingerprint(&Fingerprint {
            minhash: vec![1, 2],
            ..Fingerprint::default()
        })
        .unwrap();
        let view = FingerprintView::parse(&encoded).unwrap();
        assert!(matches!(
            index.append(&view),
            Err(CandidateError::Signature {
                length: 2,
                expected: 4,
                ..
            })
        ));
    }
}

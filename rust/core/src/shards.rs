//! The candidate pairs found shard by shard, for a run spread over machines (issue 14).
//!
//! Fingerprints stay on the worker that made them: each worker turns its own into small keys
//! (`shard_keys`), the keys travel to the shard their bucket hashes to, each shard finds its
//! band pairs and its containment hits (`shard_pairs`), and the hits travel to their prober's
//! shard to be counted (`counted_pairs`). The union of every shard's pairs is exactly
//! `CandidateIndex::pairs` over the same fingerprints in the same positions: the rules are the
//! candidate module's functions, called here, not written again.

use rayon::prelude::*;

use crate::candidates::{
    band_keys, pack, probe_hits_needed, probes_of, shingle_sample, usable_posting, CandidateError,
    CandidateSettings,
};
use crate::codec::FingerprintView;

/// Mixed before the modulo: sample hashes are all 0 modulo the sample modulus, and a plain
/// `hash % shards` would pile them into a few shards.
const SHARD_MIX: u64 = 0x9E37_79B9_7F4A_7C15;
/// Articles (or probe entries) turned into keys (or hits) in one task.
const CHUNK: usize = 4096;

/// What one worker sends one shard, each array of `u64`s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShardKeys {
    /// `[key, band << 32 | position]` flattened, for articles with shingles.
    pub bands: Vec<u64>,
    /// `hash << 32 | position` for every sample hash.
    pub samples: Vec<u64>,
    /// `hash << 32 | position` for every probe hash (in the shard of its posting).
    pub probes: Vec<u64>,
    /// `position << 32 | probe count` for each article.
    pub probe_counts: Vec<u64>,
}

impl ShardKeys {
    fn append(&mut self, other: &mut ShardKeys) {
        self.bands.append(&mut other.bands);
        self.samples.append(&mut other.samples);
        self.probes.append(&mut other.probes);
        self.probe_counts.append(&mut other.probe_counts);
    }
}

/// Why keys or pairs could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShardError {
    /// A fingerprint the candidate index would refuse (its signature's length).
    Candidate(CandidateError),
    /// Not one position per fingerprint.
    Positions { fingerprints: usize, positions: usize },
    /// A prober's hits without its probe count (hits sent to another shard than its counts).
    MissingProbeCount { position: u32 },
}

impl std::fmt::Display for ShardError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShardError::Candidate(error) => error.fmt(formatter),
            ShardError::Positions {
                fingerprints,
                positions,
            } => write!(formatter, "{positions} positions for {fingerprints} fingerprints"),
            ShardError::MissingProbeCount { position } => write!(
                formatter,
                "hits of position {position} without its probe count: hits and counts of another shard"
            ),
        }
    }
}

impl std::error::Error for ShardError {}

impl From<CandidateError> for ShardError {
    fn from(error: CandidateError) -> Self {
        ShardError::Candidate(error)
    }
}

/// The shard of a band key (`shards` 0 counts as 1).
pub fn shard_of(key: u64, shards: usize) -> usize {
    ((key.wrapping_mul(SHARD_MIX) >> 32) % shards.max(1) as u64) as usize
}

/// The shard of a sample hash: its posting and every probe of it meet there.
pub fn shard_of_hash(hash: u32, shards: usize) -> usize {
    shard_of(u64::from(hash), shards)
}

/// The shard that counts a prober's hits.
pub fn shard_of_position(position: u32, shards: usize) -> usize {
    shard_of(u64::from(position), shards)
}

/// The keys of one worker's fingerprints, `positions[i]` being the run position (in id order)
/// of `fingerprints[i]`: `shards` lists (0 counts as 1), one per shard, in fingerprint order.
pub fn shard_keys(
    fingerprints: &[FingerprintView<'_>],
    positions: &[u32],
    settings: &CandidateSettings,
    shards: usize,
) -> Result<Vec<ShardKeys>, ShardError> {
    let shards = shards.max(1);
    if positions.len() != fingerprints.len() {
        return Err(ShardError::Positions {
            fingerprints: fingerprints.len(),
            positions: positions.len(),
        });
    }
    let expected = settings.num_perm;
    for (number, fingerprint) in fingerprints.iter().enumerate() {
        let length = fingerprint.minhash.len();
        if length != expected || settings.bands * settings.rows > expected {
            return Err(CandidateError::Signature {
                number,
                length,
                expected,
            }
            .into());
        }
    }
    let chunks: Vec<Vec<ShardKeys>> = fingerprints
        .par_chunks(CHUNK)
        .zip(positions.par_chunks(CHUNK))
        .map(|(fingerprints, positions)| keys_of_chunk(fingerprints, positions, settings, shards))
        .collect();
    let mut keys = vec![ShardKeys::default(); shards];
    for mut chunk in chunks {
        for (shard, part) in keys.iter_mut().zip(chunk.iter_mut()) {
            shard.append(part);
        }
    }
    Ok(keys)
}

fn keys_of_chunk(
    fingerprints: &[FingerprintView<'_>],
    positions: &[u32],
    settings: &CandidateSettings,
    shards: usize,
) -> Vec<ShardKeys> {
    let mut keys = vec![ShardKeys::default(); shards];
    let mut signature = Vec::with_capacity(settings.num_perm);
    let mut band_keys_of = Vec::with_capacity(settings.bands);
    let mut sample = Vec::new();
    for (fingerprint, &position) in fingerprints.iter().zip(positions) {
        let owner = u64::from(position);
        if !fingerprint.shingles.is_empty() {
            fingerprint.minhash.copy_into(&mut signature);
            band_keys_of.clear();
            band_keys(&signature, settings.bands, settings.rows, &mut band_keys_of);
            for (band, &key) in band_keys_of.iter().enumerate() {
                keys[shard_of(key, shards)]
                    .bands
                    .extend([key, (band as u64) << 32 | owner]);
            }
        }
        sample.clear();
        shingle_sample(fingerprint.shingles, settings.sample_modulus, &mut sample);
        for &hash in &sample {
            keys[shard_of_hash(hash, shards)]
                .samples
                .push(u64::from(hash) << 32 | owner);
        }
        let probes = probes_of(&sample, settings.containment_probes);
        for &hash in probes {
            keys[shard_of_hash(hash, shards)]
                .probes
                .push(u64::from(hash) << 32 | owner);
        }
        // A sample never has more than 2**32 - 1 hashes (NDF2 counts its arrays in u32).
        keys[shard_of_position(position, shards)]
            .probe_counts
            .push(owner << 32 | probes.len() as u64 & 0xFFFF_FFFF);
    }
    keys
}

/// One shard's work over its entries from every worker (any order): the pairs of articles
/// sharing a band key, `pack(smaller, larger)` sorted unique; and the containment hits
/// `prober << 32 | other`, one per probe and entry of a usable posting of another article,
/// split into `shards` lists (0 counts as 1) by `shard_of_position(prober)`.
/// A trailing `bands` value without its partner is ignored.
pub fn shard_pairs(
    bands: &[u64],
    samples: &[u64],
    probes: &[u64],
    settings: &CandidateSettings,
    shards: usize,
) -> (Vec<u64>, Vec<Vec<u64>>) {
    rayon::join(
        || similar_pairs(bands),
        || containment_hits(samples, probes, settings, shards.max(1)),
    )
}

/// Articles whose (band, key) is equal pair up: MinHashLSH's candidates.
fn similar_pairs(bands: &[u64]) -> Vec<u64> {
    let mut keyed: Vec<(u64, u64)> = bands.chunks_exact(2).map(|entry| (entry[0], entry[1])).collect();
    keyed.par_sort_unstable();
    let same_bucket = |a: &(u64, u64), b: &(u64, u64)| a.0 == b.0 && a.1 >> 32 == b.1 >> 32;
    let mut found: Vec<u64> = keyed
        .par_chunk_by(same_bucket)
        .filter(|bucket| bucket.len() > 1)
        .flat_map_iter(|bucket| {
            // Sorted by position within a bucket, so each pair comes out as (smaller, larger).
            bucket.iter().enumerate().flat_map(move |(place, &(_, first))| {
                bucket[place + 1..]
                    .iter()
                    .filter(move |&&(_, second)| second as u32 != first as u32)
                    .map(move |&(_, second)| pack(first as u32, second as u32))
            })
        })
        .collect();
    found.par_sort_unstable();
    found.dedup();
    found
}

/// Each probe against the posting of its hash (every sample entry with it, in this shard).
fn containment_hits(
    samples: &[u64],
    probes: &[u64],
    settings: &CandidateSettings,
    shards: usize,
) -> Vec<Vec<u64>> {
    let mut postings = samples.to_vec();
    let mut probes = probes.to_vec();
    rayon::join(|| postings.par_sort_unstable(), || probes.par_sort_unstable());
    let chunks: Vec<Vec<Vec<u64>>> = probes
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut hits = vec![Vec::new(); shards];
            for run in chunk.chunk_by(|a, b| a >> 32 == b >> 32) {
                let hash = run[0] >> 32;
                let start = postings.partition_point(|&entry| entry >> 32 < hash);
                let end = start + postings[start..].partition_point(|&entry| entry >> 32 == hash);
                let posting = &postings[start..end];
                if !usable_posting(posting.len() as u64, settings) {
                    continue;
                }
                for &probe in run {
                    let prober = probe as u32;
                    let into = &mut hits[shard_of_position(prober, shards)];
                    into.extend(
                        posting
                            .iter()
                            .map(|&entry| entry as u32)
                            .filter(|&other| other != prober)
                            .map(|other| pack(prober, other)),
                    );
                }
            }
            hits
        })
        .collect();
    let mut hits = vec![Vec::new(); shards];
    for chunk in chunks {
        for (shard, mut part) in hits.iter_mut().zip(chunk) {
            shard.append(&mut part);
        }
    }
    hits
}

/// The containment pairs of one prober shard: `pack(min, max)` for each (prober, other) whose
/// hits (from every shard, `prober << 32 | other`) reach `probe_hits_needed` of the prober's
/// probe count (`probe_counts`: this shard's `position << 32 | count`); sorted unique.
/// Sorts `hits` in place.
pub fn counted_pairs(
    hits: &mut [u64],
    probe_counts: &[u64],
    settings: &CandidateSettings,
) -> Result<Vec<u64>, ShardError> {
    let mut counts = probe_counts.to_vec();
    rayon::join(|| hits.par_sort_unstable(), || counts.par_sort_unstable());
    let mut found = Vec::new();
    let mut cursor = 0;
    for prober_hits in hits.chunk_by(|a, b| a >> 32 == b >> 32) {
        let prober = prober_hits[0] >> 32;
        while cursor < counts.len() && counts[cursor] >> 32 < prober {
            cursor += 1;
        }
        if cursor == counts.len() || counts[cursor] >> 32 != prober {
            return Err(ShardError::MissingProbeCount {
                position: prober as u32,
            });
        }
        let needed = probe_hits_needed((counts[cursor] & 0xFFFF_FFFF) as usize, settings);
        for run in prober_hits.chunk_by(|a, b| a == b) {
            if run.len() as f64 >= needed {
                let (prober, other) = (prober as u32, run[0] as u32);
                found.push(pack(prober.min(other), prober.max(other)));
            }
        }
    }
    found.par_sort_unstable();
    found.dedup();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::{unpack, CandidateIndex};
    use crate::codec::encode_fingerprint;
    use crate::fingerprint::Fingerprint;
    use crate::testing::Draw;

    fn settings(max_postings: u64) -> CandidateSettings {
        CandidateSettings {
            bands: 4,
            rows: 2,
            num_perm: 8,
            containment_threshold: 0.5,
            sample_modulus: 2,
            containment_probes: 8,
            min_shared_samples: 2,
            max_postings,
        }
    }

    /// (minhash, sorted unique shingles) of generated articles: originals, near copies (some
    /// bands changed), contained copies (a share of the shingles), digests (two joined),
    /// a furniture hash in most of them, texts whose bands are another's in other places
    /// (equal keys, other bands: no pair), and texts without shingles.
    fn articles(draw: &mut Draw, originals: usize) -> Vec<(Vec<u32>, Vec<u32>)> {
        let mut made: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        for _ in 0..originals {
            let minhash: Vec<u32> = (0..8).map(|_| (draw.step() >> 40) as u32).collect();
            let mut shingles: Vec<u32> = (0..20 + draw.step() % 40)
                .map(|_| (draw.step() >> 32) as u32)
                .collect();
            if !draw.step().is_multiple_of(3) {
                shingles.push(0); // furniture: in a third or more of the texts
            }
            made.push((minhash, shingles));
        }
        for _ in 0..originals * 2 {
            let (minhash, shingles) = made[(draw.step() >> 33) as usize % made.len()].clone();
            let copy = match draw.step() % 6 {
                0 | 1 => {
                    let mut minhash = minhash;
                    for _ in 0..draw.step() % 6 {
                        let at = (draw.step() >> 33) as usize % 8;
                        minhash[at] = (draw.step() >> 40) as u32;
                    }
                    (minhash, shingles)
                }
                2 => {
                    let keep = 2 + draw.step() % 6;
                    let part = shingles
                        .iter()
                        .copied()
                        .filter(|_| draw.step() % 8 < keep)
                        .collect();
                    ((0..8).map(|_| (draw.step() >> 40) as u32).collect(), part)
                }
                3 => {
                    let (_, other) = made[(draw.step() >> 33) as usize % made.len()].clone();
                    let joined = shingles.iter().chain(&other).copied().collect();
                    ((0..8).map(|_| (draw.step() >> 40) as u32).collect(), joined)
                }
                4 => {
                    let mut rotated = minhash;
                    rotated.rotate_left(2);
                    (rotated, (0..30).map(|_| (draw.step() >> 32) as u32).collect())
                }
                _ => (minhash, Vec::new()),
            };
            made.push(copy);
        }
        for (_, shingles) in &mut made {
            shingles.sort_unstable();
            shingles.dedup();
        }
        made
    }

    fn encoded(articles: &[(Vec<u32>, Vec<u32>)]) -> Vec<Vec<u8>> {
        articles
            .iter()
            .map(|(minhash, shingles)| {
                encode_fingerprint(&Fingerprint {
                    minhash: minhash.clone(),
                    shingles: shingles.clone(),
                    ..Fingerprint::default()
                })
                .unwrap()
            })
            .collect()
    }

    /// A random order of `count` positions.
    fn permutation(draw: &mut Draw, count: usize) -> Vec<u32> {
        let mut order: Vec<u32> = (0..count as u32).collect();
        for place in (1..count).rev() {
            order.swap(place, (draw.step() >> 33) as usize % (place + 1));
        }
        order
    }

    /// `CandidateIndex::pairs` with article `order[i]` (in append order) at position i.
    fn index_pairs(views: &[FingerprintView<'_>], order: &[u32], settings: &CandidateSettings) -> Vec<u64> {
        let mut index = CandidateIndex::new(settings.clone());
        for view in views {
            index.append(view).unwrap();
        }
        index.reorder(order).unwrap();
        index.pairs(|_| {}).unwrap()
    }

    /// The shard stages over `workers` slices of the articles: (band pairs, containment pairs).
    fn sharded_pairs(
        views: &[FingerprintView<'_>],
        order: &[u32],
        settings: &CandidateSettings,
        shards: usize,
        workers: usize,
    ) -> (Vec<u64>, Vec<u64>) {
        let mut positions = vec![0u32; views.len()];
        for (place, &appended) in order.iter().enumerate() {
            positions[appended as usize] = place as u32;
        }
        let slice = views.len().div_ceil(workers).max(1);
        let mut gathered = vec![ShardKeys::default(); shards];
        // The last worker's keys first: a shard takes its entries in any order.
        for (views, positions) in views.chunks(slice).zip(positions.chunks(slice)).rev() {
            let keys = shard_keys(views, positions, settings, shards).unwrap();
            assert_eq!(keys.len(), shards);
            for (shard, mut part) in gathered.iter_mut().zip(keys) {
                shard.append(&mut part);
            }
        }
        let mut similar = Vec::new();
        let mut hits = vec![Vec::new(); shards];
        for shard in &gathered {
            let (pairs, shard_hits) =
                shard_pairs(&shard.bands, &shard.samples, &shard.probes, settings, shards);
            assert!(pairs.windows(2).all(|pair| pair[0] < pair[1]));
            similar.extend(pairs);
            for (into, mut part) in hits.iter_mut().zip(shard_hits) {
                into.append(&mut part);
            }
        }
        let mut containing = Vec::new();
        for (shard, hits) in gathered.iter().zip(&mut hits) {
            containing.extend(counted_pairs(hits, &shard.probe_counts, settings).unwrap());
        }
        for pairs in [&mut similar, &mut containing] {
            pairs.sort_unstable();
            pairs.dedup();
        }
        (similar, containing)
    }

    fn union(similar: &[u64], containing: &[u64]) -> Vec<u64> {
        let mut all: Vec<u64> = similar.iter().chain(containing).copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    #[test]
    fn shards_find_the_pairs_of_the_candidate_index() {
        let mut draw = Draw(14);
        for (round, max_postings) in [1000, 1000, 12, 6].into_iter().enumerate() {
            let settings = settings(max_postings);
            let made = articles(&mut draw, 30 + 20 * round);
            let encoded = encoded(&made);
            let views: Vec<FingerprintView<'_>> = encoded
                .iter()
                .map(|bytes| FingerprintView::parse(bytes).unwrap())
                .collect();
            let order = permutation(&mut draw, views.len());
            let expected = index_pairs(&views, &order, &settings);
            let mut with_containment_only = false;
            for shards in [1, 2, 3, 7] {
                for workers in [1, 3, 5] {
                    let (similar, containing) = sharded_pairs(&views, &order, &settings, shards, workers);
                    assert!(!similar.is_empty() && !containing.is_empty());
                    with_containment_only |=
                        containing.iter().any(|pair| similar.binary_search(pair).is_err());
                    let found = union(&similar, &containing);
                    assert_eq!(
                        found, expected,
                        "max_postings {max_postings}, {shards} shards, {workers} workers"
                    );
                }
            }
            assert!(with_containment_only);
            assert!(expected
                .iter()
                .map(|&pair| unpack(pair))
                .all(|(first, second)| first < second));
        }
    }

    #[test]
    fn a_posting_over_max_postings_makes_no_pair() {
        // Four texts share hashes 0 and 2 and nothing else: with max_postings 3 neither counts.
        let shingles: Vec<Vec<u32>> = (0..4)
            .map(|text| vec![0, 2, 100 + 2 * text, 200 + 2 * text])
            .collect();
        let made: Vec<(Vec<u32>, Vec<u32>)> = shingles
            .iter()
            .enumerate()
            .map(|(text, shingles)| {
                (
                    (0..8).map(|value| value + 10 * text as u32).collect(),
                    shingles.clone(),
                )
            })
            .collect();
        let encoded = encoded(&made);
        let views: Vec<FingerprintView<'_>> = encoded
            .iter()
            .map(|bytes| FingerprintView::parse(bytes).unwrap())
            .collect();
        let order = [3, 1, 0, 2];
        for (max_postings, pairs) in [(4, 6), (3, 0)] {
            let settings = settings(max_postings);
            let expected = index_pairs(&views, &order, &settings);
            assert_eq!(expected.len(), pairs);
            for shards in [1, 2, 3] {
                let (similar, containing) = sharded_pairs(&views, &order, &settings, shards, 2);
                assert!(similar.is_empty());
                assert_eq!(containing, expected);
            }
        }
    }

    #[test]
    fn texts_without_shingles_and_runs_under_two_articles_make_no_pair() {
        let settings = settings(1000);
        let made = vec![
            (vec![1; 8], Vec::new()),
            (vec![1; 8], Vec::new()),
            (vec![1; 8], vec![2, 4, 6]),
        ];
        let encoded = encoded(&made);
        let views: Vec<FingerprintView<'_>> = encoded
            .iter()
            .map(|bytes| FingerprintView::parse(bytes).unwrap())
            .collect();
        for count in 0..=3 {
            let order: Vec<u32> = (0..count as u32).rev().collect();
            for shards in [1, 2, 7] {
                let (similar, containing) = sharded_pairs(&views[..count], &order, &settings, shards, 2);
                assert_eq!(
                    union(&similar, &containing),
                    index_pairs(&views[..count], &order, &settings)
                );
                assert!(similar.is_empty() && containing.is_empty());
            }
        }
        let keys = shard_keys(&views[..2], &[0, 1], &settings, 3).unwrap();
        assert!(keys
            .iter()
            .all(|shard| shard.bands.is_empty() && shard.samples.is_empty()));
        assert_eq!(
            keys.iter().map(|shard| shard.probe_counts.len()).sum::<usize>(),
            2
        );
    }

    #[test]
    fn every_key_goes_to_one_shard() {
        let settings = settings(1000);
        let made = vec![(vec![5; 8], vec![2, 3, 4, 8, 10]), (vec![6; 8], vec![4, 6, 7])];
        let encoded = encoded(&made);
        let views: Vec<FingerprintView<'_>> = encoded
            .iter()
            .map(|bytes| FingerprintView::parse(bytes).unwrap())
            .collect();
        let keys = shard_keys(&views, &[9, 4], &settings, 3).unwrap();
        let mut samples: Vec<u64> = keys.iter().flat_map(|shard| shard.samples.clone()).collect();
        samples.sort_unstable();
        let expected: Vec<u64> = [(2, 9), (4, 4), (4, 9), (6, 4), (8, 9), (10, 9)]
            .iter()
            .map(|&(hash, position)| hash << 32 | position)
            .collect();
        assert_eq!(samples, expected);
        let mut counts: Vec<u64> = keys.iter().flat_map(|shard| shard.probe_counts.clone()).collect();
        counts.sort_unstable();
        assert_eq!(counts, vec![4 << 32 | 2, 9 << 32 | 4]);
        for (shard, keys) in keys.iter().enumerate() {
            assert!(keys
                .bands
                .chunks_exact(2)
                .all(|entry| shard_of(entry[0], 3) == shard));
            assert!(keys
                .samples
                .iter()
                .all(|&entry| shard_of_hash((entry >> 32) as u32, 3) == shard));
            assert!(keys
                .probes
                .iter()
                .all(|&entry| shard_of_hash((entry >> 32) as u32, 3) == shard));
            assert!(keys
                .probe_counts
                .iter()
                .all(|&entry| shard_of_position((entry >> 32) as u32, 3) == shard));
        }
        assert_eq!(
            keys.iter().map(|shard| shard.bands.len()).sum::<usize>(),
            2 * 2 * 4
        );
    }

    #[test]
    fn sample_hashes_spread_over_the_shards() {
        // All multiples of the sample modulus, as sampled hashes are.
        let mut load = [0usize; 7];
        for hash in 0..7000u32 {
            load[shard_of_hash(hash * 64, 7)] += 1;
        }
        assert!(load.iter().all(|&count| (800..1200).contains(&count)), "{load:?}");
    }

    #[test]
    fn wrong_inputs_are_refused() {
        let settings = settings(1000);
        let encoded = encoded(&[(vec![1; 8], vec![2]), (vec![1, 2], vec![2])]);
        let views: Vec<FingerprintView<'_>> = encoded
            .iter()
            .map(|bytes| FingerprintView::parse(bytes).unwrap())
            .collect();
        assert_eq!(
            shard_keys(&views, &[0, 1], &settings, 2),
            Err(ShardError::Candidate(CandidateError::Signature {
                number: 1,
                length: 2,
                expected: 8
            }))
        );
        assert_eq!(
            shard_keys(&views[..1], &[0, 1], &settings, 2),
            Err(ShardError::Positions {
                fingerprints: 1,
                positions: 2
            })
        );
        let mut hits = vec![3 << 32 | 1, 3 << 32 | 1];
        assert_eq!(
            counted_pairs(&mut hits, &[1 << 32 | 2], &settings),
            Err(ShardError::MissingProbeCount { position: 3 })
        );
        assert_eq!(
            counted_pairs(&mut hits, &[3 << 32 | 2], &settings),
            Ok(vec![pack(1, 3)])
        );
    }
}

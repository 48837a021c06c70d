//! Exact copies collapsed before any comparison: one wire story on thousands of sites.
//!
//! Articles whose fingerprints are the same bytes compare the same with every other article,
//! so each group of them is indexed, verified and scored once, through one representative.
//! The results are then those of comparing every copy, by rules that follow from the
//! Python stages (see each function): candidates with the group's copies counted in the
//! postings, matches per pair of groups spread to the members by their publication days,
//! copies of one group joined to each other by the same rule, and star clusters that walk
//! those edges without listing them. No stage compares all pairs of a large cluster.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::candidates::{unpack, CandidateError, CandidateIndex, CandidateSettings};
use crate::centrality::{minhash_jaccard, ScoreError};
use crate::cluster::{components, stars, MatchGraph};
use crate::pyfloat::Summation;
use crate::store::{FingerprintStore, StoreError};
use crate::verify::{anchor_agreement, compare, pair_agreement, Comparison, VerifySettings};

/// Positions grouped by identical fingerprint bytes; groups numbered by their first position.
pub struct CopyGroups {
    group_of: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl CopyGroups {
    /// The groups of every stored fingerprint (its bytes hash, then equal bytes).
    pub fn of(store: &FingerprintStore) -> Result<CopyGroups, StoreError> {
        Self::among(store, &(0..store.len() as u32).collect::<Vec<_>>(), store.len())
    }

    /// The groups among `positions` (ascending); `count` bounds the positions.
    pub fn among(
        store: &FingerprintStore,
        positions: &[u32],
        count: usize,
    ) -> Result<CopyGroups, StoreError> {
        let mut by_hash: HashMap<u64, Vec<u32>> = HashMap::new(); // hash -> groups with it
        let mut group_of = vec![u32::MAX; count];
        let mut members: Vec<Vec<u32>> = Vec::new();
        let (mut mine, mut theirs) = (Vec::new(), Vec::new());
        for &position in positions {
            let same_hash = by_hash.entry(store.bytes_hash(position as usize)?).or_default();
            let mut found = None;
            for &group in same_hash.iter() {
                let representative = members[group as usize][0] as usize;
                if store.bytes(position as usize, &mut mine)? == store.bytes(representative, &mut theirs)? {
                    found = Some(group);
                    break;
                }
            }
            let group = match found {
                Some(group) => group,
                None => {
                    members.push(Vec::new());
                    same_hash.push(members.len() as u32 - 1);
                    members.len() as u32 - 1
                }
            };
            members[group as usize].push(position);
            if let Some(slot) = group_of.get_mut(position as usize) {
                *slot = group;
            }
        }
        Ok(CopyGroups { group_of, members })
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// How many positions the groups were made for.
    pub fn positions(&self) -> usize {
        self.group_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn group_of(&self, position: u32) -> u32 {
        self.group_of[position as usize]
    }

    /// The positions of a group, ascending; the first is its representative.
    pub fn members(&self, group: u32) -> &[u32] {
        &self.members[group as usize]
    }
}

/// The candidate pairs of groups `(a, b)`, `a < b`: the pairs of articles are every member
/// of `a` with every member of `b`, and every two members of one group with shingles.
///
/// A copy has the same band keys and samples as its group's representative, so it pairs
/// with the same articles; within a group all bands are equal. The containment index
/// counts each group's copies in its postings (`append_copies`), so a posting furniture
/// would fill is dropped exactly as when every copy is indexed.
/// `progress` as `CandidateIndex::pairs` reports it.
pub fn group_pairs(
    store: &FingerprintStore,
    groups: &CopyGroups,
    settings: CandidateSettings,
    progress: impl FnMut(usize),
) -> Result<Vec<(u32, u32)>, CopiesError> {
    let mut index = CandidateIndex::new(settings);
    let mut buffer = Vec::new();
    for group in 0..groups.len() as u32 {
        let members = groups.members(group);
        let view = store.read(members[0] as usize, &mut buffer)?;
        index.append_copies(&view, members.len() as u32)?;
    }
    Ok(index.pairs(progress)?.into_iter().map(unpack).collect())
}

/// A verified pair of groups: every member of `a` matches every member of `b` (with this
/// comparison) when their dates are close enough (verification does not depend on which of a
/// pair stands first: `verify::pair_agreement`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupLink {
    pub a: u32,
    pub b: u32,
    pub comparison: Comparison,
}

/// The verified matches as pairs of groups: one entry stands for every pair of their members.
pub struct GroupMatches {
    /// Links between different groups, sorted by (a, b), `a < b`.
    pub links: Vec<GroupLink>,
    /// Whether two copies in a group are a match (similarity 1) when published close enough.
    pub within: Vec<bool>,
}

/// `verified_matches` of every candidate pair, each pair of groups compared once.
///
/// The comparison of two copies' fingerprints is their groups'; what differs between the
/// members is only the date window and, when both texts have the same size, which one is
/// "shorter" for the anchors (the lower position): both directions are computed when needed.
/// Two copies of one group share every shingle (similarity and containment 1, all shingles
/// shared), so they match when their anchors agree with themselves and the dates allow.
/// Nothing is spread to the members: two versions reprinted 10,000 times each are one link.
pub fn verify_groups(
    store: &FingerprintStore,
    groups: &CopyGroups,
    pairs: &[(u32, u32)],
    days: &[Option<i64>],
    settings: &VerifySettings,
) -> Result<GroupMatches, StoreError> {
    if days.len() != store.len() {
        return Err(StoreError::NotAnOrder(format!(
            "{} publication days for {} fingerprints",
            days.len(),
            store.len()
        )));
    }
    let chunks: Vec<Vec<GroupLink>> = pairs
        .par_chunks(PAIR_CHUNK)
        .map(|chunk| {
            let (mut a_buffer, mut b_buffer) = (Vec::new(), Vec::new());
            let mut links = Vec::new();
            for &(a_group, b_group) in chunk {
                links.extend(link_of(
                    store,
                    groups,
                    (a_group, b_group),
                    settings,
                    &mut a_buffer,
                    &mut b_buffer,
                )?);
            }
            Ok(links)
        })
        .collect::<Result<_, StoreError>>()?;
    let mut links = chunks.concat();
    links.sort_unstable_by_key(|link| (link.a, link.b));
    links.dedup_by_key(|link| (link.a, link.b));
    let mut a_buffer = Vec::new();
    let mut within = vec![false; groups.len()];
    for (group, copy) in within.iter_mut().enumerate() {
        let members = groups.members(group as u32);
        if members.len() > 1 {
            let view = store.read(members[0] as usize, &mut a_buffer)?;
            *copy = view.size() > 0 && anchor_agreement(&view, &view) >= settings.min_anchor_agreement;
        }
    }
    Ok(GroupMatches { links, within })
}

/// Pairs of groups verified by one task of the pool.
const PAIR_CHUNK: usize = 1024;

/// The link of one candidate pair of groups, if their representatives match in a direction.
fn link_of(
    store: &FingerprintStore,
    groups: &CopyGroups,
    (a_group, b_group): (u32, u32),
    settings: &VerifySettings,
    a_buffer: &mut Vec<u8>,
    b_buffer: &mut Vec<u8>,
) -> Result<Option<GroupLink>, StoreError> {
    let a = store.read(groups.members(a_group)[0] as usize, a_buffer)?;
    let b = store.read(groups.members(b_group)[0] as usize, b_buffer)?;
    let found = compare(&a.shingles.to_vec(), &b.shingles.to_vec());
    let needed_shared = settings
        .min_shared_shingles
        .min(a.size().min(b.size()) as u64)
        .max(1);
    if found.shared < needed_shared || found.containment < settings.min_containment {
        return Ok(None);
    }
    if pair_agreement(&a, &b).0 < settings.min_anchor_agreement {
        return Ok(None);
    }
    Ok(Some(GroupLink {
        a: a_group.min(b_group),
        b: a_group.max(b_group),
        comparison: found,
    }))
}

/// How a node sees the members of one linked group (its own included).
#[derive(Debug, Clone, Copy)]
struct Side {
    similarity: f64,
}

/// Linked groups with fewer members than this are listed member by member in each group's
/// neighbour list; larger ones are walked from their member lists, so the lists together
/// stay within `SMALL_GROUP` entries per link however many copies there are.
const SMALL_GROUP: usize = 32;

/// The match graph of `GroupMatches`, walked without listing the member pairs: a node's
/// neighbours are the members of its group's linked groups (and of its own), merged in
/// ascending order and filtered by the dates and the anchors' direction.
struct CopyGraph<'a> {
    groups: &'a CopyGroups,
    days: &'a [Option<i64>],
    max_days_apart: u64,
    sides: Vec<Side>,
    /// Per group, (member, side) of its small linked groups, ascending.
    small_starts: Vec<usize>,
    small: Vec<(u32, u32)>,
    /// Per group, (linked group, side) of its large linked groups.
    large_starts: Vec<usize>,
    large: Vec<(u32, u32)>,
    /// Per group of at least `SMALL_GROUP` members, the merge of all its linked groups made
    /// once: its members share it, so it costs at most one entry per `SMALL_GROUP` pairs.
    listed_starts: Vec<usize>,
    listed: Vec<(u32, u32)>,
}

impl<'a> CopyGraph<'a> {
    fn new(
        groups: &'a CopyGroups,
        matches: &GroupMatches,
        days: &'a [Option<i64>],
        max_days_apart: u64,
    ) -> Self {
        let mut sides = Vec::with_capacity(2 * matches.links.len());
        let mut linked: Vec<(u32, u32, u32)> = Vec::with_capacity(2 * matches.links.len()); // (group, other, side)
        for link in &matches.links {
            let similarity = link.comparison.similarity;
            linked.push((link.a, link.b, sides.len() as u32));
            sides.push(Side { similarity });
            linked.push((link.b, link.a, sides.len() as u32));
            sides.push(Side { similarity });
        }
        for (group, &copy) in matches.within.iter().enumerate() {
            if copy && groups.members(group as u32).len() > 1 {
                linked.push((group as u32, group as u32, sides.len() as u32));
                sides.push(Side { similarity: 1.0 });
            }
        }
        linked.sort_unstable();
        let (mut small_starts, mut large_starts) = (vec![0; groups.len() + 1], vec![0; groups.len() + 1]);
        let (mut small, mut large) = (Vec::new(), Vec::new());
        let mut at = 0;
        for group in 0..groups.len() {
            let begin = small.len();
            while at < linked.len() && linked[at].0 as usize == group {
                let (_, other, side) = linked[at];
                let members = groups.members(other);
                if members.len() < SMALL_GROUP {
                    small.extend(members.iter().map(|&member| (member, side)));
                } else {
                    large.push((other, side));
                }
                at += 1;
            }
            small[begin..].sort_unstable();
            small_starts[group + 1] = small.len();
            large_starts[group + 1] = large.len();
        }
        let mut graph = CopyGraph {
            groups,
            days,
            max_days_apart,
            sides,
            small_starts,
            small,
            large_starts,
            large,
            listed_starts: vec![0; groups.len() + 1],
            listed: Vec::new(),
        };
        let mut listed = Vec::new();
        for group in 0..groups.len() {
            if groups.members(group as u32).len() >= SMALL_GROUP {
                listed.extend(graph.linked(group));
            }
            graph.listed_starts[group + 1] = listed.len();
        }
        graph.listed = listed;
        graph
    }

    /// (member, side) of every linked group of `group`, ascending by member: listed once
    /// for a large group, merged on the way for a small one.
    fn entries(&self, group: usize) -> Entries<'_> {
        if self.groups.members(group as u32).len() >= SMALL_GROUP {
            Entries::Listed(self.listed[self.listed_starts[group]..self.listed_starts[group + 1]].iter())
        } else {
            Entries::Merged(self.linked(group))
        }
    }

    /// (member, side) of every linked group of `group`, ascending by member.
    fn linked(&self, group: usize) -> Merge<'_> {
        Merge {
            small: &self.small[self.small_starts[group]..self.small_starts[group + 1]],
            large: self.large[self.large_starts[group]..self.large_starts[group + 1]]
                .iter()
                .map(|&(other, side)| (self.groups.members(other), side))
                .collect(),
        }
    }
}

impl MatchGraph for CopyGraph<'_> {
    /// Ascending, as Python's dict does for matches sorted by (left, right).
    fn neighbours(&self, node: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let day = self.days[node as usize];
        let window = self.max_days_apart;
        self.entries(self.groups.group_of(node) as usize)
            .filter_map(move |(other, side)| {
                let side = &self.sides[side as usize];
                let allowed = node != other;
                // `verify::within_window`, inline: this runs once per pair of copies.
                let close = window == 0
                    || match (day, self.days[other as usize]) {
                        (Some(day), Some(other_day)) => day.abs_diff(other_day) <= window,
                        _ => true,
                    };
                (allowed && close).then_some((other, side.similarity))
            })
    }
}

/// A group's (member, side) entries, listed or merged.
enum Entries<'a> {
    Listed(std::slice::Iter<'a, (u32, u32)>),
    Merged(Merge<'a>),
}

impl Iterator for Entries<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        match self {
            Entries::Listed(entries) => entries.next().copied(),
            Entries::Merged(entries) => entries.next(),
        }
    }
}

/// Ascending lists of distinct nodes merged: a listed one and whole groups' member lists.
struct Merge<'a> {
    small: &'a [(u32, u32)],
    large: Vec<(&'a [u32], u32)>,
}

impl Iterator for Merge<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        let mut best = self.small.first().map(|&(node, _)| (node, usize::MAX));
        for (place, (members, _)) in self.large.iter().enumerate() {
            if let Some(&first) = members.first() {
                if best.is_none_or(|(node, _)| first < node) {
                    best = Some((first, place));
                }
            }
        }
        let (node, place) = best?;
        if place == usize::MAX {
            let side = self.small[0].1;
            self.small = &self.small[1..];
            Some((node, side))
        } else {
            let (members, side) = &mut self.large[place];
            *members = &members[1..];
            Some((node, *side))
        }
    }
}

/// Edges enough to join what the links join (not every pair): a spanning set per link.
fn link_edges(
    groups: &CopyGroups,
    matches: &GroupMatches,
    days: &[Option<i64>],
    max_days_apart: u64,
) -> Vec<(u32, u32)> {
    let mut edges = Vec::new();
    for (group, &copy) in matches.within.iter().enumerate() {
        let members = groups.members(group as u32);
        if copy && members.len() > 1 {
            within_edges(members, days, max_days_apart, &mut edges);
        }
    }
    for link in &matches.links {
        let (a, b) = (groups.members(link.a), groups.members(link.b));
        cross_edges(a, b, days, max_days_apart, &mut edges);
    }
    edges
}

/// Copies of one group joined to each other: sorted by day, neighbours in that order are
/// enough to connect them (an undated copy matches every other, so it joins the whole group).
fn within_edges(members: &[u32], days: &[Option<i64>], max_days_apart: u64, edges: &mut Vec<(u32, u32)>) {
    if max_days_apart == 0 || members.iter().any(|&member| days[member as usize].is_none()) {
        edges.extend(members.windows(2).map(|pair| (pair[0], pair[1])));
        return;
    }
    let by_day = dated(members, days);
    edges.extend(
        by_day
            .windows(2)
            .filter(|pair| crate::verify::within_window(Some(pair[0].0), Some(pair[1].0), max_days_apart))
            .map(|pair| (pair[0].1, pair[1].1)),
    );
}

/// (day, member) of the dated members, by day.
fn dated(members: &[u32], days: &[Option<i64>]) -> Vec<(i64, u32)> {
    let mut by_day: Vec<(i64, u32)> = members
        .iter()
        .filter_map(|&member| days[member as usize].map(|day| (day, member)))
        .collect();
    by_day.sort_unstable();
    by_day
}

/// Every member of `a` with every member of `b` published close enough: an undated member
/// joins the whole other group; a dated member of `b` joins the run of `a`'s members
/// within the window of its day, and those runs only move forward as its day does.
fn cross_edges(a: &[u32], b: &[u32], days: &[Option<i64>], max_days_apart: u64, edges: &mut Vec<(u32, u32)>) {
    if max_days_apart == 0 {
        edges.extend(a.iter().map(|&member| (member, b[0])));
        edges.extend(b.iter().map(|&member| (a[0], member)));
        return;
    }
    for (one, other) in [(a, b), (b, a)] {
        let undated: Vec<u32> = one
            .iter()
            .copied()
            .filter(|&member| days[member as usize].is_none())
            .collect();
        if !undated.is_empty() {
            edges.extend(undated.iter().map(|&member| (member, other[0])));
            edges.extend(other.windows(2).map(|pair| (pair[0], pair[1])));
        }
    }
    let (a_by_day, b_by_day) = (dated(a, days), dated(b, days));
    let (mut low, mut high, mut chained) = (0, 0, 0); // a's run [low, high), chained up to `chained`
    let window = max_days_apart.min(i64::MAX as u64) as i64;
    for &(day, member) in &b_by_day {
        while low < a_by_day.len() && a_by_day[low].0 < day.saturating_sub(window) {
            low += 1;
        }
        high = high.max(low);
        while high < a_by_day.len() && a_by_day[high].0 <= day.saturating_add(window) {
            high += 1;
        }
        if low < high {
            edges.push((member, a_by_day[low].1));
            for place in chained.max(low)..high - 1 {
                edges.push((a_by_day[place].1, a_by_day[place + 1].1));
            }
            chained = chained.max(high - 1);
        }
    }
}

/// `star_clusters` of the matches `verify_groups` found, for `count` articles: the result
/// of the plain star clustering on every member pair the links stand for.
pub fn star_clusters_of_copies(
    count: usize,
    groups: &CopyGroups,
    matches: &GroupMatches,
    days: &[Option<i64>],
    max_days_apart: u64,
    near_equal: f64,
    summation: Summation,
) -> Vec<Vec<u32>> {
    let edges = link_edges(groups, matches, days, max_days_apart);
    let graph = CopyGraph::new(groups, matches, days, max_days_apart);
    stars(&graph, count, components(count, edges), near_equal, summation)
}

/// `centralities` with each pair of groups compared once: the sums still run member by
/// member in the Python order (a float sum depends on it), but they add table entries.
pub fn centralities_of_copies(
    store: &FingerprintStore,
    groups: &CopyGroups,
    ordered: &[u32],
    exact_limit: usize,
) -> Result<Vec<f64>, ScoreError> {
    let count = ordered.len();
    if count <= 1 {
        return Ok(vec![1.0; count]);
    }
    let (local, representatives) = local_groups(groups, ordered);
    let distinct = representatives.len();
    let mut buffer = Vec::new();
    let mut table = vec![0.0; distinct * distinct];
    if count <= exact_limit {
        let sets = representatives
            .iter()
            .map(|&member| {
                store
                    .read(member as usize, &mut buffer)
                    .map(|view| view.shingles.to_vec())
            })
            .collect::<Result<Vec<_>, _>>()?;
        for first in 0..distinct {
            for second in first..distinct {
                let similarity = compare(&sets[first], &sets[second]).similarity;
                table[first * distinct + second] = similarity;
                table[second * distinct + first] = similarity;
            }
        }
    } else {
        let signatures = representatives
            .iter()
            .map(|&member| {
                store
                    .read(member as usize, &mut buffer)
                    .map(|view| (view.seed, view.minhash.to_vec()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if signatures.iter().any(|(seed, _)| *seed != signatures[0].0) {
            return Err(ScoreError::Jaccard(
                "Cannot compute Jaccard given MinHash with different seeds",
            ));
        }
        if signatures
            .iter()
            .any(|(_, values)| values.len() != signatures[0].1.len())
        {
            return Err(ScoreError::Jaccard(
                "Cannot compute Jaccard given MinHash with different numbers of permutation functions",
            ));
        }
        for first in 0..distinct {
            for second in first..distinct {
                let similarity = minhash_jaccard(&signatures[first].1, &signatures[second].1);
                table[first * distinct + second] = similarity;
                table[second * distinct + first] = similarity;
            }
        }
    }
    let others = (count - 1) as f64;
    // Leaving out any one of a run of neighbouring members of one group leaves the same
    // sequence to add: one sum per run, the runs on the pool.
    let runs: Vec<(usize, usize)> = local
        .chunk_by(|a, b| a == b)
        .scan(0, |start, run| {
            let begin = *start;
            *start += run.len();
            Some((begin, run.len()))
        })
        .collect();
    let means: Vec<f64> = runs
        .par_iter()
        .map(|&(place, _)| {
            let row = &table[local[place] * distinct..(local[place] + 1) * distinct];
            let total = (0..count)
                .filter(|&other| other != place)
                .fold(0.0, |total, other| total + row[local[other]]);
            total / others
        })
        .collect();
    Ok(runs
        .iter()
        .zip(means)
        .flat_map(|(&(_, length), mean)| std::iter::repeat_n(mean, length))
        .collect())
}

/// Each member's group as a local number, and one representative per local group.
fn local_groups(groups: &CopyGroups, members: &[u32]) -> (Vec<usize>, Vec<u32>) {
    let mut numbers: HashMap<u32, usize> = HashMap::new();
    let mut representatives = Vec::new();
    let local = members
        .iter()
        .map(|&member| {
            *numbers.entry(groups.group_of(member)).or_insert_with(|| {
                representatives.push(member);
                representatives.len() - 1
            })
        })
        .collect();
    (local, representatives)
}

/// `scores_against` with each group compared once.
pub fn scores_against_copies(
    store: &FingerprintStore,
    groups: &CopyGroups,
    canonical: u32,
    members: &[u32],
) -> Result<Vec<Comparison>, StoreError> {
    let mut buffer = Vec::new();
    let reference = store.read(canonical as usize, &mut buffer)?.shingles.to_vec();
    let (local, representatives) = local_groups(groups, members);
    let scores = representatives
        .iter()
        .map(|&member| {
            let shingles = store.read(member as usize, &mut buffer)?.shingles.to_vec();
            Ok(compare(&reference, &shingles))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(local.iter().map(|&number| scores[number]).collect())
}

/// Why the collapsed stages failed.
#[derive(Debug)]
pub enum CopiesError {
    Store(StoreError),
    Candidates(CandidateError),
}

impl std::fmt::Display for CopiesError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CopiesError::Store(error) => error.fmt(formatter),
            CopiesError::Candidates(error) => error.fmt(formatter),
        }
    }
}

impl std::error::Error for CopiesError {}

impl From<StoreError> for CopiesError {
    fn from(error: StoreError) -> Self {
        CopiesError::Store(error)
    }
}

impl From<CandidateError> for CopiesError {
    fn from(error: CandidateError) -> Self {
        CopiesError::Candidates(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{star_clusters, Link};
    use crate::codec::encode_fingerprint;
    use crate::fingerprint::Fingerprint;
    use crate::store::DEFAULT_MEMORY_LIMIT;
    use crate::verify::Match;

    fn store_of(shingle_sets: &[Vec<u32>]) -> FingerprintStore {
        let mut store = FingerprintStore::new(None, DEFAULT_MEMORY_LIMIT);
        for shingles in shingle_sets {
            let fingerprint = Fingerprint {
                shingles: shingles.clone(),
                minhash: vec![0; 4],
                ..Fingerprint::default()
            };
            store.append(&encode_fingerprint(&fingerprint).unwrap()).unwrap();
        }
        store
    }

    #[test]
    fn groups_are_equal_bytes_numbered_by_first_position() {
        let a: Vec<u32> = (0..10).collect();
        let b: Vec<u32> = (5..15).collect();
        let store = store_of(&[b.clone(), a.clone(), b.clone(), a, b]);
        let groups = CopyGroups::of(&store).unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups.members(0), &[0, 2, 4]);
        assert_eq!(groups.members(1), &[1, 3]);
        assert_eq!(groups.group_of(3), 1);
    }

    #[test]
    fn copies_published_too_far_apart_split() {
        let story: Vec<u32> = (0..20).collect();
        let store = store_of(&vec![story; 4]);
        let groups = CopyGroups::of(&store).unwrap();
        let settings = VerifySettings {
            min_containment: 0.6,
            min_shared_shingles: 10,
            min_anchor_agreement: 0.9,
            max_days_apart: 3,
        };
        let days = [Some(0), Some(10), Some(2), Some(13)];
        let matches = verify_groups(&store, &groups, &[], &days, &settings).unwrap();
        assert_eq!(matches.within, vec![true]);
        let clusters = star_clusters_of_copies(4, &groups, &matches, &days, 3, 0.5, Summation::Plain);
        assert_eq!(clusters, vec![vec![0, 2], vec![1, 3]]);
        let undated = [Some(0), Some(10), None, Some(13)];
        let clusters = star_clusters_of_copies(4, &groups, &matches, &undated, 3, 0.5, Summation::Plain);
        // The undated copy links to all three; 1 and 3 are within 3 days; 0 only with 2.
        assert_eq!(clusters, vec![vec![2, 0, 1, 3]]);
    }

    #[test]
    fn empty_texts_are_never_copies() {
        let store = store_of(&[vec![], vec![]]);
        let groups = CopyGroups::of(&store).unwrap();
        let settings = VerifySettings {
            min_containment: 0.0,
            min_shared_shingles: 1,
            min_anchor_agreement: 0.0,
            max_days_apart: 0,
        };
        let matches = verify_groups(&store, &groups, &[], &[None, None], &settings).unwrap();
        assert_eq!(matches.within, vec![false]);
    }

    /// Every member pair the links stand for, as `verified_matches` lists them: sorted by
    /// (left, right). Only for small cases (the tests): it is quadratic in the copies.
    fn expanded(
        matches: &GroupMatches,
        groups: &CopyGroups,
        days: &[Option<i64>],
        max_days_apart: u64,
    ) -> Vec<Match> {
        let window =
            |a: u32, b: u32| crate::verify::within_window(days[a as usize], days[b as usize], max_days_apart);
        let mut found = Vec::new();
        for link in &matches.links {
            for &left in groups.members(link.a) {
                for &right in groups.members(link.b) {
                    if window(left, right) {
                        found.push(Match {
                            left: left.min(right),
                            right: left.max(right),
                            comparison: link.comparison,
                        });
                    }
                }
            }
        }
        for (group, &copy) in matches.within.iter().enumerate() {
            let members = groups.members(group as u32);
            for (place, &left) in members.iter().enumerate() {
                for &right in &members[place + 1..] {
                    if copy && window(left, right) {
                        found.push(Match {
                            left,
                            right,
                            comparison: Comparison {
                                similarity: 1.0,
                                containment: 1.0,
                                shared: 0,
                            },
                        });
                    }
                }
            }
        }
        found.sort_unstable_by_key(|found| (found.left, found.right));
        found
    }

    /// A small deterministic generator for the random cases (splitmix64).
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut value = self.0;
            value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (value ^ (value >> 31)) % bound
        }
    }

    #[test]
    fn links_walked_give_the_clusters_of_every_pair_listed() {
        // Random copy multiplicities, links (one-way ones too), similarities, days and
        // windows: the implicit walk must cluster exactly as the plain stars on the pairs.
        let mut random = Random(11);
        for case in 0..3000 {
            let count = 1 + random.below(if case % 10 == 0 { 120 } else { 30 }) as usize;
            let distinct = 1 + random.below(6) as u32;
            let mut group_of: Vec<u32> = (0..count).map(|_| random.below(distinct as u64) as u32).collect();
            // Number the groups by their first position, as CopyGroups does.
            let mut renumber = HashMap::new();
            for group in group_of.iter_mut() {
                let next = renumber.len() as u32;
                *group = *renumber.entry(*group).or_insert(next);
            }
            let mut members = vec![Vec::new(); renumber.len()];
            for (position, &group) in group_of.iter().enumerate() {
                members[group as usize].push(position as u32);
            }
            let groups = CopyGroups { group_of, members };
            let similarities = [0.2, 0.45, 0.5, 0.7, 1.0 / 3.0, 0.9];
            let mut links = Vec::new();
            for a in 0..groups.len() as u32 {
                for b in a + 1..groups.len() as u32 {
                    if random.below(3) > 0 {
                        links.push(GroupLink {
                            a,
                            b,
                            comparison: Comparison {
                                similarity: similarities[random.below(6) as usize],
                                containment: 1.0,
                                shared: 1,
                            },
                        });
                    }
                }
            }
            let within = (0..groups.len()).map(|_| random.below(4) > 0).collect();
            let matches = GroupMatches { links, within };
            let day_choices = [None, Some(0), Some(1), Some(2), Some(4), Some(7)];
            let days: Vec<Option<i64>> = (0..count)
                .map(|_| day_choices[random.below(6) as usize])
                .collect();
            let window = [0, 1, 3][random.below(3) as usize];
            let summation = if case % 2 == 0 {
                Summation::Plain
            } else {
                Summation::Compensated
            };
            let listed: Vec<Link> = expanded(&matches, &groups, &days, window)
                .iter()
                .map(|found| Link {
                    left: found.left,
                    right: found.right,
                    similarity: found.comparison.similarity,
                })
                .collect();
            let plain = star_clusters(count, &listed, 0.5, summation).unwrap();
            let walked = star_clusters_of_copies(count, &groups, &matches, &days, window, 0.5, summation);
            assert_eq!(walked, plain, "case {case}");
        }
    }
}

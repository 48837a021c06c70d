//! Verified copies grouped into stars, without chaining: the port of `cluster.star_clusters`.
//!
//! Within each connected component the strongest node (most links to nodes still left,
//! then the larger total similarity rounded to 9 places, then the smaller index) becomes a
//! centre and takes the linked nodes near-equal to it or copies of another linked node.
//! Strengths only fall as nodes leave, so a heap refreshed lazily finds each centre.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use crate::pyfloat::{python_sum, round, Summation};

/// A verified match as the cluster stage sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    pub left: u32,
    pub right: u32,
    pub similarity: f64,
}

/// What the star clustering reads of the graph of verified matches.
pub trait MatchGraph {
    /// A node's neighbours and their similarities, in the order Python's `neighbours[node]`
    /// dict holds them (the order `sum` adds them in).
    fn neighbours(&self, node: u32) -> impl Iterator<Item = (u32, f64)> + '_;
}

/// Each node's neighbours in the order Python's `neighbours[node]` dict holds them: the first
/// match naming the pair places it, the last one sets its similarity.
pub struct Neighbours {
    starts: Vec<usize>,
    others: Vec<u32>,
    similarities: Vec<f64>,
}

impl Neighbours {
    pub fn of(count: usize, links: &[Link]) -> Neighbours {
        // (node, other, match number) for both directions; a self-match is one entry.
        let mut entries: Vec<(u32, u32, u32)> = Vec::with_capacity(2 * links.len());
        for (number, link) in links.iter().enumerate() {
            entries.push((link.left, link.right, number as u32));
            if link.left != link.right {
                entries.push((link.right, link.left, number as u32));
            }
        }
        entries.sort_unstable();
        // One entry per (node, other): its first match number and its last match's similarity.
        let mut collapsed: Vec<(u32, u32, u32, f64)> = Vec::with_capacity(entries.len());
        for run in entries.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
            let (node, other, first) = run[0];
            let last = run[run.len() - 1].2;
            collapsed.push((node, other, first, links[last as usize].similarity));
        }
        collapsed.sort_unstable_by_key(|&(node, _, first, _)| (node, first));
        let mut starts = vec![0usize; count + 1];
        for &(node, ..) in &collapsed {
            starts[node as usize + 1] += 1;
        }
        for node in 0..count {
            starts[node + 1] += starts[node];
        }
        Neighbours {
            starts,
            others: collapsed.iter().map(|entry| entry.1).collect(),
            similarities: collapsed.iter().map(|entry| entry.3).collect(),
        }
    }

    fn of_node(&self, node: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let range = self.starts[node as usize]..self.starts[node as usize + 1];
        self.others[range.clone()]
            .iter()
            .copied()
            .zip(self.similarities[range].iter().copied())
    }
}

impl MatchGraph for Neighbours {
    fn neighbours(&self, node: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.of_node(node)
    }
}

/// `_components`: groups of nodes joined by edges, ordered by their smallest node.
pub fn components(count: usize, edges: impl IntoIterator<Item = (u32, u32)>) -> Vec<Vec<u32>> {
    let mut parent: Vec<u32> = (0..count as u32).collect();
    fn root(parent: &mut [u32], mut node: u32) -> u32 {
        while parent[node as usize] != node {
            parent[node as usize] = parent[parent[node as usize] as usize];
            node = parent[node as usize];
        }
        node
    }
    for (left, right) in edges {
        let (a, b) = (root(&mut parent, left), root(&mut parent, right));
        if a != b {
            parent[a.max(b) as usize] = a.min(b);
        }
    }
    // The root is a component's smallest node, so listing roots in order orders the groups.
    let mut group_of = vec![u32::MAX; count];
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for node in 0..count as u32 {
        let top = root(&mut parent, node) as usize;
        if group_of[top] == u32::MAX {
            group_of[top] = groups.len() as u32;
            groups.push(Vec::new());
        }
        groups[group_of[top] as usize].push(node);
    }
    groups
}

/// A heap entry: better strengths are greater (`BinaryHeap` pops the greatest).
#[derive(Debug, Clone, Copy)]
struct Strength {
    links: usize,
    total: f64,
    node: u32,
}

impl PartialEq for Strength {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Strength {}

impl PartialOrd for Strength {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Strength {
    /// Python's `(-links, -total, node)`, reversed; totals are never NaN (checked on entry),
    /// and -0.0 equals 0.0 as in Python.
    fn cmp(&self, other: &Self) -> Ordering {
        self.links
            .cmp(&other.links)
            .then(self.total.partial_cmp(&other.total).unwrap_or(Ordering::Equal))
            .then(other.node.cmp(&self.node))
    }
}

/// Why matches cannot be clustered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterError {
    OutOfRange { node: u32, count: usize },
    NotANumber { left: u32, right: u32 },
}

impl std::fmt::Display for ClusterError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClusterError::OutOfRange { node, count } => {
                write!(formatter, "match names article {node}, but there are {count}")
            }
            ClusterError::NotANumber { left, right } => {
                write!(formatter, "the similarity of {left} and {right} is not a number")
            }
        }
    }
}

impl std::error::Error for ClusterError {}

/// `star_clusters(count, matches, near_equal)`: a partition of `0..count`, each cluster
/// starting with its centre. `summation` is how the running Python's `sum()` adds.
pub fn star_clusters(
    count: usize,
    links: &[Link],
    near_equal: f64,
    summation: Summation,
) -> Result<Vec<Vec<u32>>, ClusterError> {
    for link in links {
        let past = [link.left, link.right]
            .into_iter()
            .find(|&node| node as usize >= count);
        if let Some(node) = past {
            return Err(ClusterError::OutOfRange { node, count });
        }
        if link.similarity.is_nan() {
            return Err(ClusterError::NotANumber {
                left: link.left,
                right: link.right,
            });
        }
    }
    let neighbours = Neighbours::of(count, links);
    let groups = components(count, links.iter().map(|link| (link.left, link.right)));
    Ok(stars(&neighbours, count, groups, near_equal, summation))
}

/// Components at least this large compute their first strengths on the rayon pool.
const PARALLEL_COMPONENT: usize = 256;

/// The stars of each component in turn (see the module comment); `graph` gives the edges.
pub fn stars(
    graph: &(impl MatchGraph + Sync),
    count: usize,
    components: Vec<Vec<u32>>,
    near_equal: f64,
    summation: Summation,
) -> Vec<Vec<u32>> {
    let mut remaining = vec![false; count];
    let mut linked_mark = vec![false; count];
    let mut clusters = Vec::new();
    for component in components {
        for &node in &component {
            remaining[node as usize] = true;
        }
        let strength = |remaining: &[bool], node: u32| {
            let mut links = 0;
            let total = python_sum(
                graph
                    .neighbours(node)
                    .filter(|&(other, _)| remaining[other as usize])
                    .map(|(_, similarity)| {
                        links += 1;
                        similarity
                    }),
                summation,
            );
            Strength {
                links,
                total: round(total, 9),
                node,
            }
        };
        // The first strengths of a large component are its bulk of work: they run on the pool.
        let mut heap: BinaryHeap<Strength> = if component.len() >= PARALLEL_COMPONENT {
            let remaining = &remaining;
            let first: Vec<Strength> = component
                .par_iter()
                .map(|&node| strength(remaining, node))
                .collect();
            first.into()
        } else {
            component.iter().map(|&node| strength(&remaining, node)).collect()
        };
        let mut left = component.len();
        while left > 0 {
            let Some(centre) = next_centre(&mut heap, &remaining, |node| strength(&remaining, node)) else {
                break;
            };
            let linked: Vec<(u32, f64)> = graph
                .neighbours(centre)
                .filter(|&(other, _)| remaining[other as usize])
                .collect();
            for &(other, _) in &linked {
                linked_mark[other as usize] = true;
            }
            let mut members: Vec<u32> = linked
                .iter()
                .filter(|&&(other, similarity)| {
                    similarity >= near_equal
                        || graph
                            .neighbours(other)
                            .any(|(peer, _)| peer != other && linked_mark[peer as usize])
                })
                .map(|&(other, _)| other)
                .collect();
            for &(other, _) in &linked {
                linked_mark[other as usize] = false;
            }
            members.sort_unstable();
            if members.is_empty() {
                // A digest's centre keeps only the closest of the texts it contains.
                let closest = linked.iter().copied().reduce(|best, candidate| {
                    if (candidate.1, std::cmp::Reverse(candidate.0)) > (best.1, std::cmp::Reverse(best.0)) {
                        candidate
                    } else {
                        best
                    }
                });
                members.extend(closest.map(|(other, _)| other));
            }
            let mut cluster = Vec::with_capacity(members.len() + 1);
            cluster.push(centre);
            cluster.extend_from_slice(&members);
            for &node in &cluster {
                if remaining[node as usize] {
                    remaining[node as usize] = false;
                    left -= 1;
                }
            }
            clusters.push(cluster);
        }
    }
    clusters
}

/// Pops until an entry is still the node's current strength: the strongest node left.
fn next_centre(
    heap: &mut BinaryHeap<Strength>,
    remaining: &[bool],
    strength: impl Fn(u32) -> Strength,
) -> Option<u32> {
    while let Some(popped) = heap.pop() {
        if !remaining[popped.node as usize] {
            continue;
        }
        let current = strength(popped.node);
        if current.links == popped.links && current.total == popped.total {
            return Some(popped.node);
        }
        heap.push(current);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(left: u32, right: u32, similarity: f64) -> Link {
        Link {
            left,
            right,
            similarity,
        }
    }

    fn clusters(count: usize, links: &[Link]) -> Vec<Vec<u32>> {
        star_clusters(count, links, 0.5, Summation::Plain).unwrap()
    }

    #[test]
    fn chains_are_not_joined() {
        // A~B and B~C, A and C unrelated: B is the centre and takes both (near-equal).
        assert_eq!(
            clusters(3, &[link(0, 1, 0.9), link(1, 2, 0.9)]),
            vec![vec![1, 0, 2]]
        );
        // A~B~C~D in a line: B (ties with C on links and total, smaller) takes A and C; D alone.
        assert_eq!(
            clusters(4, &[link(0, 1, 0.9), link(1, 2, 0.9), link(2, 3, 0.9)]),
            vec![vec![1, 0, 2], vec![3]]
        );
    }

    #[test]
    fn a_digest_keeps_only_its_closest_text() {
        // 0 contains 1, 2, 3 (low similarity, unrelated to each other): 0 keeps the closest.
        let links = [link(0, 1, 0.2), link(0, 2, 0.3), link(0, 3, 0.3)];
        assert_eq!(clusters(4, &links), vec![vec![0, 2], vec![1], vec![3]]);
    }

    #[test]
    fn members_that_are_copies_of_each_other_stay() {
        // 2 is the centre (total 1.2); 0 is far from it but a copy of 1, which is near-equal.
        let links = [link(0, 1, 0.2), link(0, 2, 0.3), link(1, 2, 0.9)];
        assert_eq!(clusters(3, &links), vec![vec![2, 0, 1]]);
    }

    #[test]
    fn ties_go_to_the_smaller_index_and_singletons_stay() {
        assert_eq!(clusters(3, &[link(1, 2, 1.0)]), vec![vec![0], vec![1, 2]]);
        assert_eq!(clusters(0, &[]), Vec::<Vec<u32>>::new());
    }

    #[test]
    fn bad_matches_are_errors() {
        assert!(star_clusters(2, &[link(0, 2, 1.0)], 0.5, Summation::Plain).is_err());
        assert!(star_clusters(2, &[link(0, 1, f64::NAN)], 0.5, Summation::Plain).is_err());
    }
}

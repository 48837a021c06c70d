//! Speed and coincidences of `align::align` against the `similar` crate on the same pairs,
//! with the same passage rules (`Alignment::from_matches`). Prints figures:
//!
//!     cd rust && cargo bench -p newsdedup-core --bench align [-- MODERN.jsonl REUTERS.jsonl]
//!
//! Near copies: 400-800-token articles of the modern speed corpus, each truncated to four
//! fifths, with three words changed, a tenth dropped from the middle and 60 tokens of the
//! next article appended (typical copies: the same without the dropped tenth); the same of Reuters-21578 stories. Unrelated: Reuters-21578 stories 1,000 apart (also the count of
//! pairs with an aligned passage, which should be near zero, and of runs of each length).

use std::hint::black_box;
use std::time::Instant;

use newsdedup_core::align::{align, matches, Alignment, Match};
use newsdedup_core::hash::word_hashes;
use newsdedup_core::text::tokens;
use similar::{capture_diff_slices_deadline, Algorithm, DiffOp};

const MODERN: &str = "/work/scratch/modern-20000.jsonl";
const REUTERS: &str = "/work/shared/corpora/reuters21578/reuters21578.jsonl";
const PAIRS: usize = 2000;
const REPEATS: usize = 5;

fn texts(path: &str, limit: usize) -> Vec<Vec<u32>> {
    let Ok(content) = std::fs::read_to_string(path) else {
        eprintln!("cannot read {path}");
        std::process::exit(1);
    };
    content
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|row| {
            row.get("text")
                .and_then(|text| text.as_str())
                .map(|text| word_hashes(tokens(text).iter()))
        })
        .filter(|words| words.len() >= 20)
        .take(limit)
        .collect()
}

/// `typical_copy` with a tenth dropped from the middle.
fn near_copy(canonical: &[u32], other: &[u32], seed: usize) -> Vec<u32> {
    let mut copy = typical_copy(canonical, other, seed);
    let kept = canonical.len() * 4 / 5;
    let (from, to) = (kept * 4 / 10, kept / 2);
    copy.drain(from..to);
    copy
}

/// A copy of `canonical`: truncated to four fifths, three words changed, `other` appended.
fn typical_copy(canonical: &[u32], other: &[u32], seed: usize) -> Vec<u32> {
    let mut copy = canonical[..canonical.len() * 4 / 5].to_vec();
    for change in 0..3 {
        let at = (seed * 7919 + change * 104_729) % copy.len();
        copy[at] = copy[at].wrapping_add(1);
    }
    copy.extend_from_slice(&other[..other.len().min(60)]);
    copy
}

fn similar_alignment(algorithm: Algorithm, canonical: &[u32], copy: &[u32]) -> Alignment {
    let deadline = Instant::now() + std::time::Duration::from_secs(10);
    let found: Vec<Match> = capture_diff_slices_deadline(algorithm, canonical, copy, Some(deadline))
        .into_iter()
        .filter_map(|op| match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => Some(Match {
                canonical: old_index,
                copy: new_index,
                len,
            }),
            _ => None,
        })
        .collect();
    Alignment::from_matches(&found, canonical.len(), copy.len())
}

/// Median over `REPEATS` of the µs per pair, and the alignments of the last round.
fn timed(
    pairs: &[(Vec<u32>, Vec<u32>)],
    aligner: &dyn Fn(&[u32], &[u32]) -> Alignment,
) -> (f64, Vec<Alignment>) {
    let mut times = Vec::new();
    let mut results = Vec::new();
    for _ in 0..REPEATS {
        let start = Instant::now();
        results = pairs.iter().map(|(a, b)| black_box(aligner(a, b))).collect();
        times.push(start.elapsed().as_secs_f64() * 1e6 / pairs.len() as f64);
    }
    times.sort_by(f64::total_cmp);
    (times[REPEATS / 2], results)
}

type Aligner = Box<dyn Fn(&[u32], &[u32]) -> Alignment>;

fn aligners() -> Vec<(&'static str, Aligner)> {
    vec![
        ("align.rs", Box::new(|a: &[u32], b: &[u32]| align(a, b))),
        (
            "similar Patience",
            Box::new(|a: &[u32], b: &[u32]| similar_alignment(Algorithm::Patience, a, b)),
        ),
        (
            "similar Myers",
            Box::new(|a: &[u32], b: &[u32]| similar_alignment(Algorithm::Myers, a, b)),
        ),
        (
            "similar Histogram",
            Box::new(|a: &[u32], b: &[u32]| similar_alignment(Algorithm::Histogram, a, b)),
        ),
    ]
}

fn report(name: &str, pairs: &[(Vec<u32>, Vec<u32>)]) {
    let tokens: usize = pairs.iter().map(|(a, b)| a.len() + b.len()).sum();
    println!(
        "{name}: {} pairs, {:.0} tokens a side on average",
        pairs.len(),
        tokens as f64 / pairs.len() as f64 / 2.0
    );
    for (label, aligner) in aligners() {
        let (micros, results) = timed(pairs, &aligner);
        let kept: usize = results.iter().map(Alignment::kept_tokens).sum();
        let passages: usize = results.iter().map(Alignment::passage_count).sum();
        let changes: usize = results.iter().map(|result| result.changes().count()).sum();
        let with_passage = results.iter().filter(|result| result.passage_count() > 0).count();
        println!(
            "  {label:<18} {micros:>9.1} µs/pair  kept {:>6.1}/pair  passages {:.2}/pair  changes {:.2}/pair  pairs with a passage {with_passage}",
            kept as f64 / pairs.len() as f64,
            passages as f64 / pairs.len() as f64,
            changes as f64 / pairs.len() as f64,
        );
    }
}

fn main() {
    let arguments: Vec<String> = std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with('-'))
        .collect();
    let modern = texts(arguments.first().map_or(MODERN, String::as_str), PAIRS + 1);
    let reuters = texts(arguments.get(1).map_or(REUTERS, String::as_str), usize::MAX);

    let near: Vec<(Vec<u32>, Vec<u32>)> = (0..modern.len() - 1)
        .map(|index| {
            (
                modern[index].clone(),
                near_copy(&modern[index], &modern[index + 1], index),
            )
        })
        .collect();
    report(
        "near copies (truncated, 3 words changed, a tenth dropped, 60 tokens appended)",
        &near,
    );

    let typical: Vec<(Vec<u32>, Vec<u32>)> = (0..modern.len() - 1)
        .map(|index| {
            (
                modern[index].clone(),
                typical_copy(&modern[index], &modern[index + 1], index),
            )
        })
        .collect();
    report(
        "typical copies (truncated, 3 words changed, 60 tokens appended)",
        &typical,
    );

    let long_reuters: Vec<&Vec<u32>> = reuters.iter().filter(|words| words.len() >= 150).collect();
    let reuters_near: Vec<(Vec<u32>, Vec<u32>)> = (0..PAIRS.min(long_reuters.len() - 1))
        .map(|index| {
            (
                long_reuters[index].clone(),
                near_copy(long_reuters[index], long_reuters[index + 1], index),
            )
        })
        .collect();
    report(
        "near copies of Reuters-21578 stories of 150 tokens or more (same edits)",
        &reuters_near,
    );

    let unrelated: Vec<(Vec<u32>, Vec<u32>)> = (0..PAIRS.min(reuters.len().saturating_sub(1000)))
        .map(|index| {
            (
                reuters[index * 7 % (reuters.len() - 1000)].clone(),
                reuters[index * 7 % (reuters.len() - 1000) + 1000].clone(),
            )
        })
        .collect();
    report("unrelated Reuters-21578 stories", &unrelated);
    let modern_unrelated: Vec<(Vec<u32>, Vec<u32>)> = (0..modern.len() - 1)
        .map(|index| {
            (
                modern[index].clone(),
                modern[(index + 500) % modern.len()].clone(),
            )
        })
        .collect();
    report("unrelated modern articles", &modern_unrelated);

    // The longest coincidental run: how many unrelated pairs share a run of each length.
    let mut longest = [0usize; 9];
    for (a, b) in &unrelated {
        let run = matches(a, b).iter().map(|found| found.len).max().unwrap_or(0);
        for (length, count) in longest.iter_mut().enumerate() {
            *count += usize::from(run >= length);
        }
    }
    println!("unrelated Reuters pairs whose longest matched run reaches n tokens (n = 0..8): {longest:?}");

    // Two long texts: the modern articles end to end, a copy with edits every few hundred tokens.
    let canonical: Vec<u32> = modern.iter().flatten().copied().take(1_000_000).collect();
    let mut copy = canonical.clone();
    copy.drain(300_000..400_000);
    for at in (1000..copy.len()).step_by(997) {
        copy[at] = copy[at].wrapping_add(1);
    }
    copy.extend_from_slice(&canonical[..5000]);
    println!("long texts: {} and {} tokens", canonical.len(), copy.len());
    for (label, aligner) in aligners()
        .into_iter()
        .filter(|(label, _)| *label != "similar Myers")
    {
        let start = Instant::now();
        let result = aligner(&canonical, &copy);
        println!(
            "  {label:<18} {:>9.1} ms  kept {} cut {} added {} changes {}",
            start.elapsed().as_secs_f64() * 1e3,
            result.kept_tokens(),
            result.cut_tokens(),
            result.added_tokens(),
            result.changes().count()
        );
    }
    adversarial();
}

/// Seeded pseudo-random tokens below `alphabet`.
fn random_tokens(count: usize, alphabet: u32, seed: u64) -> Vec<u32> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as u32) % alphabet
        })
        .collect()
}

/// Inputs that defeat each shortcut: few distinct tokens, long unrelated texts, one-sided
/// gaps every few dozen tokens (each a jump ahead).
fn adversarial() {
    println!("adversarial inputs of 10^6 tokens a side (align.rs only):");
    let mut gapped = random_tokens(1_000_000, u32::MAX, 7);
    let copy_of_gapped: Vec<u32> = gapped.chunks(20).step_by(2).flatten().copied().collect();
    gapped.truncate(1_000_000);
    let cases: [(&str, Vec<u32>, Vec<u32>); 5] = [
        (
            "two tokens, unrelated",
            random_tokens(1_000_000, 2, 1),
            random_tokens(1_000_000, 2, 2),
        ),
        (
            "1000 tokens, unrelated",
            random_tokens(1_000_000, 1000, 3),
            random_tokens(1_000_000, 1000, 4),
        ),
        (
            "all distinct, unrelated",
            random_tokens(1_000_000, u32::MAX, 5),
            random_tokens(1_000_000, u32::MAX, 6),
        ),
        ("every other 20 tokens dropped", gapped, copy_of_gapped),
        (
            "one token against another",
            vec![1; 1_000_000],
            vec![2; 1_000_000],
        ),
    ];
    for (label, canonical, copy) in cases {
        let start = Instant::now();
        let result = align(&canonical, &copy);
        println!(
            "  {label:<32} {:>8.1} ms  kept {} passages {}",
            start.elapsed().as_secs_f64() * 1e3,
            result.kept_tokens(),
            result.passage_count()
        );
    }
}

//! The article text the core reads from saved pages, for measuring the page reader
//! (benchmarks/pages.py reads pages through newsdedup itself; this shows the reader alone).
//!
//!     cargo run --release --example page_text -- text FILE...
//!     cargo run --release --example page_text -- time REPEAT FILE...
//!     cargo run --release --example page_text -- explain FILE
//!
//! `text` prints one JSON string per file, the article's paragraphs separated by blank lines;
//! `time` reads every file REPEAT times on one thread and prints the pages read per second;
//! `explain` lists a page's blocks and its best-scoring elements, to see why the detector chose.
//! Bytes are read as UTF-8 (lossy): decoding is the caller's work.

use newsdedup_core::page;
use newsdedup_core::page::article::Analysis;
use newsdedup_core::page::tree::Tree;
use std::error::Error;
use std::time::Instant;

fn read(path: &str) -> Result<String, Box<dyn Error>> {
    Ok(String::from_utf8_lossy(&std::fs::read(path)?).into_owned())
}

fn describe(tree: &Tree, node: usize) -> String {
    let attribute = |name| {
        tree.attribute(node, name)
            .unwrap_or("")
            .chars()
            .take(40)
            .collect::<String>()
    };
    format!(
        "{}#{} .{} (node {node})",
        tree.html_name(node),
        attribute("id"),
        attribute("class")
    )
}

fn explain(html: &str) {
    let mut tree = Tree::parse(html);
    page::repair::swallowed_markup(&mut tree);
    let analysis = Analysis::of(&tree);
    for block in &analysis.walk.blocks {
        let text: String = block.text.chars().take(70).collect();
        println!(
            "{:>5} {:>5} {:<40} {text:?}",
            block.chars,
            block.link_chars,
            describe(&tree, block.owner)
        );
    }
    let mut scored: Vec<(usize, f64)> = analysis
        .scores
        .iter()
        .enumerate()
        .filter_map(|(node, score)| score.map(|score| (node, score)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (node, score) in scored.iter().take(8) {
        println!("score {score:8.2} {}", describe(&tree, *node));
    }
    println!("marked bodies: {:?}", analysis.marked_bodies);
    for node in analysis.containers(&tree).unwrap_or_default() {
        println!("container {}", describe(&tree, node));
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.split_first() {
        Some((command, files)) if command == "text" => {
            for path in files {
                println!("{}", serde_json::to_string(&page::read(&read(path)?).text)?);
            }
        }
        Some((command, files)) if command == "explain" => {
            for path in files {
                explain(&read(path)?);
            }
        }
        Some((command, rest)) if command == "time" => {
            let (repeat, files) = rest.split_first().ok_or("time REPEAT FILE...")?;
            let repeat: usize = repeat.parse()?;
            let pages = files
                .iter()
                .map(|path| read(path))
                .collect::<Result<Vec<_>, _>>()?;
            let start = Instant::now();
            let mut chars = 0usize;
            for _ in 0..repeat {
                chars += pages
                    .iter()
                    .map(|html| page::read(html).text.len())
                    .sum::<usize>();
            }
            let rate = (repeat * pages.len()) as f64 / start.elapsed().as_secs_f64();
            println!("read {rate:.1} pages/s ({} bytes of text)", chars / repeat.max(1));
        }
        _ => return Err("usage: page_text text FILE... | time REPEAT FILE...".into()),
    }
    Ok(())
}

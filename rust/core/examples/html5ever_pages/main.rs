//! html5ever on saved pages, for benchmarks/html_parsers.py: the core's own tree
//! (`newsdedup_core::page::tree`), timed and read the way the Python parsers are.
//!
//!     cargo run --release --example html5ever_pages -- text FILE...
//!     cargo run --release --example html5ever_pages -- time REPEAT FILE...
//!
//! `text` prints, per file, one JSON string: the visible text of the tree html5ever builds
//! (the text under `<body>`, leaving out script, style, noscript, template and what is not
//! HTML: svg, math), so it can be compared with the other parsers' and a browser's. `time`
//! parses every file REPEAT times on one thread and prints the files parsed per second.
//! Bytes are read as UTF-8 (lossy): html5ever takes text, the charset is its caller's work.

use newsdedup_core::page::tree::{NodeData, Tree, DOCUMENT};
use std::error::Error;
use std::time::Instant;

const INVISIBLE: [&str; 4] = ["script", "style", "noscript", "template"];

/// The text a reader sees: text nodes inside `<body>`, outside the invisible elements.
fn visible_text(tree: &Tree) -> String {
    let mut pieces = Vec::new();
    // (node, inside <body>) in document order; invisible elements are not entered.
    let mut pending = vec![(DOCUMENT, false)];
    while let Some((node, in_body)) = pending.pop() {
        match &tree.nodes[node].data {
            NodeData::Text(text) if in_body => pieces.push(text.as_str()),
            NodeData::Element(element) if !element.html || INVISIBLE.contains(&&*element.name) => {}
            NodeData::Document | NodeData::Element(_) => {
                let inside = in_body || tree.html_name(node) == "body";
                pending.extend(
                    tree.nodes[node]
                        .children
                        .iter()
                        .rev()
                        .map(|&child| (child, inside)),
                );
            }
            _ => {}
        }
    }
    pieces.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read(path: &str) -> Result<String, Box<dyn Error>> {
    Ok(String::from_utf8_lossy(&std::fs::read(path)?).into_owned())
}

fn main() -> Result<(), Box<dyn Error>> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.split_first() {
        Some((command, files)) if command == "text" => {
            for path in files {
                println!(
                    "{}",
                    serde_json::to_string(&visible_text(&Tree::parse(&read(path)?)))?
                );
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
            let mut nodes = 0usize;
            for _ in 0..repeat {
                nodes += pages
                    .iter()
                    .map(|page| Tree::parse(page).nodes.len())
                    .sum::<usize>();
            }
            let rate = (repeat * pages.len()) as f64 / start.elapsed().as_secs_f64();
            println!("tree {rate:.1} pages/s ({} nodes)", nodes / repeat.max(1));
        }
        _ => return Err("usage: html5ever_pages text FILE... | time REPEAT FILE...".into()),
    }
    Ok(())
}

//! The core's page reader on saved pages, alone (benchmarks/pages.py reads pages through
//! newsdedup itself; benchmarks/html_parsers.py compares the tree with other parsers').
//!
//!     cargo run --release --example pages -p newsdedup-core -- text FILE...
//!     cargo run --release --example pages -p newsdedup-core -- visible FILE...
//!     cargo run --release --example pages -p newsdedup-core -- time REPEAT FILE...
//!     cargo run --release --example pages -p newsdedup-core -- explain FILE...
//!
//! `text` prints one JSON string per file, the article's paragraphs separated by blank lines;
//! `visible` one JSON string per file, the visible text of html5ever's tree (the text under
//! `<body>`, leaving out script, style, noscript, template and what is not HTML: svg, math),
//! to compare with other parsers' and a browser's; `time` parses every file REPEAT times on
//! one thread, then reads them (parse, repair, article, metadata), and prints each rate;
//! `explain` lists a page's blocks and its best-scoring elements, to see why the detector
//! chose. Bytes are read as UTF-8 (lossy): decoding is the caller's work.

use newsdedup_core::page;
use newsdedup_core::page::article::Analysis;
use newsdedup_core::page::tree::{NodeData, Tree, DOCUMENT};
use std::error::Error;
use std::time::Instant;

fn read(path: &str) -> Result<String, Box<dyn Error>> {
    Ok(String::from_utf8_lossy(&std::fs::read(path)?).into_owned())
}

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

/// Pages handled per second when `work` handles each of them `repeat` times, and what it counted.
fn rate(repeat: usize, pages: &[String], work: impl Fn(&str) -> usize) -> (f64, usize) {
    let start = Instant::now();
    let mut counted = 0usize;
    for _ in 0..repeat {
        counted += pages.iter().map(|html| work(html)).sum::<usize>();
    }
    let per_second = (repeat * pages.len()) as f64 / start.elapsed().as_secs_f64();
    (per_second, counted / repeat.max(1))
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
        Some((command, files)) if command == "visible" => {
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
            let (parsed, nodes) = rate(repeat, &pages, |html| Tree::parse(html).nodes.len());
            println!("tree {parsed:.1} pages/s ({nodes} nodes)");
            let (read, chars) = rate(repeat, &pages, |html| page::read(html).text.len());
            println!("read {read:.1} pages/s ({chars} bytes of text)");
        }
        _ => {
            return Err(
                "usage: pages text FILE... | visible FILE... | time REPEAT FILE... | explain FILE...".into(),
            )
        }
    }
    Ok(())
}

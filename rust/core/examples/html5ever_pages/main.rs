//! html5ever on saved pages, for benchmarks/html_parsers.py: through the `scraper` crate, and
//! into a minimal arena tree of our own (arena.rs), the shape the core would use.
//!
//!     cargo run --release --example html5ever_pages -- text FILE...
//!     cargo run --release --example html5ever_pages -- time REPEAT FILE...
//!     cargo run --release --example html5ever_pages -- compare FILE...
//!
//! `text` prints, per file, one JSON string: the visible text of the tree html5ever builds
//! (the text under `<body>`, leaving out script, style, noscript, template, svg, math), so it
//! can be compared with the other parsers' and a browser's. `time` parses every file REPEAT
//! times on one thread into each tree and prints the files parsed per second. `compare` counts
//! the files whose visible text differs between the two trees (0: the arena builds scraper's
//! tree). Bytes are read as UTF-8 (lossy): html5ever takes text, the charset is its caller's work.

mod arena;

use arena::{Arena, Kind};
use html5ever::tendril::TendrilSink;
use html5ever::{parse_document, ParseOpts};
use scraper::{Html, Node};
use std::error::Error;
use std::time::Instant;

const INVISIBLE: [&str; 6] = ["script", "style", "noscript", "template", "svg", "math"];

fn spaced(pieces: &[String]) -> String {
    pieces.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text a reader sees in scraper's tree: text nodes inside `<body>`, outside the invisible elements.
fn scraper_text(document: &Html) -> String {
    let mut pieces = Vec::new();
    for node in document.tree.root().descendants() {
        let Node::Text(text) = node.value() else { continue };
        let names: Vec<&str> = node
            .ancestors()
            .filter_map(|ancestor| ancestor.value().as_element().map(|element| element.name()))
            .collect();
        if names.contains(&"body") && !names.iter().any(|name| INVISIBLE.contains(name)) {
            pieces.push(text.to_string());
        }
    }
    spaced(&pieces)
}

fn arena_parse(page: &str) -> Arena {
    parse_document(Arena::new(), ParseOpts::default()).one(page)
}

/// The same visible text, from the arena tree.
fn arena_text(tree: &Arena) -> String {
    let nodes = tree.nodes.borrow();
    let names = tree.names.borrow();
    let mut pieces = Vec::new();
    // (node, inside <body>) in document order; invisible elements are not entered.
    let mut pending = vec![(0usize, false)];
    while let Some((node, in_body)) = pending.pop() {
        let name = &*names[node].local;
        match &nodes[node].kind {
            Kind::Text(text) if in_body => pieces.push(text.clone()),
            Kind::Element { .. } if INVISIBLE.contains(&name) => {}
            Kind::Document | Kind::Element { .. } => {
                let inside = in_body || name == "body";
                pending.extend(nodes[node].children.iter().rev().map(|&child| (child, inside)));
            }
            _ => {}
        }
    }
    spaced(&pieces)
}

fn read(path: &str) -> Result<String, Box<dyn Error>> {
    Ok(String::from_utf8_lossy(&std::fs::read(path)?).into_owned())
}

fn rate(repeat: usize, pages: &[String], parse: impl Fn(&str) -> usize) -> (f64, usize) {
    let start = Instant::now();
    let mut nodes = 0usize;
    for _ in 0..repeat {
        for page in pages {
            nodes += parse(page);
        }
    }
    (
        (repeat * pages.len()) as f64 / start.elapsed().as_secs_f64(),
        nodes / repeat.max(1),
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.split_first() {
        Some((command, files)) if command == "text" => {
            for path in files {
                let document = Html::parse_document(&read(path)?);
                println!("{}", serde_json::to_string(&scraper_text(&document))?);
            }
        }
        Some((command, files)) if command == "compare" => {
            let mut differ = 0;
            for path in files {
                let page = read(path)?;
                if scraper_text(&Html::parse_document(&page)) != arena_text(&arena_parse(&page)) {
                    differ += 1;
                    eprintln!("differs: {path}");
                }
            }
            println!("{differ} of {} files differ", files.len());
        }
        Some((command, rest)) if command == "time" => {
            let (repeat, files) = rest.split_first().ok_or("time REPEAT FILE...")?;
            let repeat: usize = repeat.parse()?;
            let pages = files
                .iter()
                .map(|path| read(path))
                .collect::<Result<Vec<_>, _>>()?;
            let (scraper, nodes) = rate(repeat, &pages, |page| {
                Html::parse_document(page).tree.nodes().count()
            });
            let (arena, arena_nodes) = rate(repeat, &pages, |page| arena_parse(page).nodes.borrow().len());
            println!("scraper {scraper:.1} pages/s ({nodes} nodes), arena {arena:.1} pages/s ({arena_nodes} nodes)");
        }
        _ => {
            return Err("usage: html5ever_pages text FILE... | time REPEAT FILE... | compare FILE...".into())
        }
    }
    Ok(())
}

//! html5ever (through the `scraper` crate) on saved pages, for benchmarks/html_parsers.py.
//!
//!     cargo run --release --example html5ever_pages -- text FILE...
//!     cargo run --release --example html5ever_pages -- time REPEAT FILE...
//!
//! `text` prints, per file, one JSON string: the visible text of the tree html5ever builds
//! (the text under `<body>`, leaving out script, style, noscript, template, svg, math), so it
//! can be compared with the other parsers' and a browser's. `time` parses every file REPEAT
//! times on one thread and prints the files parsed per second. Bytes are read as UTF-8 (lossy):
//! html5ever takes text, choosing the charset is its caller's work.

use scraper::{Html, Node};
use std::error::Error;
use std::time::Instant;

const INVISIBLE: [&str; 6] = ["script", "style", "noscript", "template", "svg", "math"];

/// The text a reader sees: text nodes inside `<body>` and outside the invisible elements, spaced.
fn visible_text(document: &Html) -> String {
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
                let document = Html::parse_document(&read(path)?);
                println!("{}", serde_json::to_string(&visible_text(&document))?);
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
                for page in &pages {
                    nodes += Html::parse_document(page).tree.nodes().count();
                }
            }
            let seconds = start.elapsed().as_secs_f64();
            let rate = (repeat * pages.len()) as f64 / seconds;
            println!("{rate:.1} pages/s over {repeat} runs ({nodes} nodes built)");
        }
        _ => return Err("usage: html5ever_pages text FILE... | time REPEAT FILE...".into()),
    }
    Ok(())
}

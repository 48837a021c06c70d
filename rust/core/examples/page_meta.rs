//! The page metadata (`newsdedup_core::page::meta`) of saved pages, for measuring and eyeballing:
//!
//!     cargo run --release --example page_meta -p newsdedup-core -- [--whole-page] FILE...
//!
//! Prints one JSON line per file (its name, the metadata, the JSON-LD article's headline,
//! publisher and body length), then, on stderr, how many files have each field and the time taken. The
//! article is a stand-in for the detector's choice: the `itemprop=articleBody` element, else
//! the page's only `<article>`, else unknown (always unknown with `--whole-page`). Bytes are
//! read as UTF-8 (lossy).

use newsdedup_core::page::meta::{json_ld_article, metadata_with, Metadata};
use newsdedup_core::page::tree::{Tree, DOCUMENT};
use std::error::Error;
use std::time::{Duration, Instant};

fn stand_in_article(tree: &Tree) -> Option<usize> {
    let body = tree.descendants(DOCUMENT).find(|&node| {
        tree.attribute(node, "itemprop")
            .is_some_and(|value| value.split_whitespace().any(|word| word == "articleBody"))
    });
    let articles: Vec<usize> = tree
        .descendants(DOCUMENT)
        .filter(|&node| tree.html_name(node) == "article")
        .collect();
    body.or(match articles.as_slice() {
        [only] => Some(*only),
        _ => None,
    })
}

fn fields(metadata: &Metadata) -> [(&'static str, &Option<String>); 6] {
    [
        ("title", &metadata.title),
        ("source", &metadata.source),
        ("published", &metadata.published),
        ("url", &metadata.url),
        ("language", &metadata.language),
        ("byline", &metadata.byline),
    ]
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut counts = [0usize; 6];
    let mut with_article = 0;
    let mut with_json_ld = 0;
    let mut spent = Duration::ZERO;
    let mut spent_json_ld = Duration::ZERO;
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    let whole_page = files.first().is_some_and(|first| first == "--whole-page");
    if whole_page {
        files.remove(0);
    }
    for file in &files {
        let html = String::from_utf8_lossy(&std::fs::read(file)?).into_owned();
        let tree = Tree::parse(&html);
        let article = stand_in_article(&tree).filter(|_| !whole_page);
        let started = Instant::now();
        let json_ld = json_ld_article(&tree);
        spent_json_ld += started.elapsed();
        let metadata = metadata_with(&tree, article, json_ld.as_ref());
        spent += started.elapsed();
        with_article += usize::from(article.is_some());
        with_json_ld += usize::from(json_ld.is_some());
        let mut line = serde_json::Map::new();
        let name = file.rsplit('/').next().unwrap_or(file);
        line.insert("file".into(), name.chars().take(12).collect::<String>().into());
        for (index, (field, value)) in fields(&metadata).into_iter().enumerate() {
            counts[index] += usize::from(value.is_some());
            line.insert(field.into(), value.clone().into());
        }
        let headline = json_ld.as_ref().and_then(|article| article.headline.clone());
        let body = json_ld
            .as_ref()
            .and_then(|article| article.body.as_ref().map(String::len));
        let publisher = json_ld.as_ref().and_then(|article| article.publisher.clone());
        line.insert("ld_headline".into(), headline.into());
        line.insert("ld_publisher".into(), publisher.into());
        line.insert("ld_body_bytes".into(), body.into());
        println!("{}", serde_json::Value::Object(line));
    }
    eprintln!(
        "{} pages, {with_article} with a stand-in article, {with_json_ld} with a JSON-LD article",
        files.len()
    );
    for ((field, _), count) in fields(&Metadata::default()).into_iter().zip(counts) {
        eprintln!("{field:>10}: {count}");
    }
    let per_page = |spent: Duration| spent.as_secs_f64() * 1e6 / files.len().max(1) as f64;
    eprintln!(
        "metadata: {:.0} µs per page, {:.0} of them reading the JSON-LD",
        per_page(spent),
        per_page(spent_json_ld)
    );
    Ok(())
}

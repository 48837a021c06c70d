//! Saved web pages: the tree a browser builds, the article found in it, and the page's metadata.

pub mod article;
pub mod blocks;
pub mod repair;
pub mod tree;

// TEMPORARY until meta.rs lands from the meta branch.
#[derive(Default)]
pub struct Metadata {
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub byline: Option<String>,
}

/// A page read: its article's text (paragraphs separated by blank lines) and its metadata.
pub struct Page {
    pub text: String,
    pub metadata: Metadata,
}

/// Parses a page as a browser does, reads back markup a broken tag swallowed, and finds the article.
pub fn read(html: &str) -> Page {
    let mut tree = tree::Tree::parse(html);
    repair::swallowed_markup(&mut tree);
    let found = article::find(&tree);
    let _ = found.container;
    Page {
        text: found.paragraphs.join("\n\n"),
        metadata: Metadata::default(),
    }
}

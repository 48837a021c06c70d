//! Saved web pages: the tree a browser builds, the article found in it, and the page's metadata.

pub mod article;
pub mod blocks;
pub mod json_ld;
pub mod meta;
pub mod repair;
pub mod tree;

/// A page read: its article's text (paragraphs separated by blank lines) and its metadata.
pub struct Page {
    pub text: String,
    pub metadata: meta::Metadata,
}

/// Parses a page as a browser does, reads back markup a broken tag swallowed, finds the
/// article, and reads the metadata, preferring what the article's own element says.
pub fn read(html: &str) -> Page {
    let mut tree = tree::Tree::parse(html);
    repair::swallowed_markup(&mut tree);
    let json_ld = meta::json_ld_article(&tree);
    let found = article::find(
        &tree,
        json_ld.as_ref().and_then(|article| article.body.as_deref()),
    );
    Page {
        text: found.paragraphs.join("\n\n"),
        metadata: meta::metadata_with(&tree, found.container, json_ld.as_ref()),
    }
}

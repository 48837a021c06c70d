//! Saved web pages: the tree a browser builds, the article found in it, and the page's metadata.

pub mod meta;
pub mod tree;

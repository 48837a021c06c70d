//! Reading articles from JSON Lines and text files, for the inputs that are surely plain.
//!
//! Python's `newsdedup.load` stays the rule book and the one place that names reasons:
//! these readers take the common case (a valid record, a UTF-8 text file) exactly as it
//! would, and hand everything else back to it untouched.

pub mod lines;
pub mod record;
pub mod text_file;

use crate::clean::Article;
use crate::pyunicode::is_space;

/// `models.Article`, owned: one input as read, before any cleaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleRecord {
    pub id: String,
    pub path: String,
    pub text: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub encoding: String,
    pub language: Option<String>,
    /// The byline a web page declares.
    pub byline: Option<String>,
    /// Read from a web page: the text is the article its reader found (`clean::Article::body_found`).
    pub web_page: bool,
}

impl ArticleRecord {
    /// What `clean` reads of it.
    pub fn article(&self) -> Article<'_> {
        Article {
            text: &self.text,
            title: self.title.as_deref(),
            source: self.source.as_deref(),
            published: self.published.as_deref(),
            language: self.language.as_deref(),
            byline: self.byline.as_deref(),
            body_found: self.web_page,
        }
    }
}

/// Python's `bool(text.strip())`: something besides white space.
pub fn has_text(text: &str) -> bool {
    text.chars().any(|c| !is_space(c))
}

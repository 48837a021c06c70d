//! A page's metadata: title, site name, published time, URL, language and byline, from its
//! meta tags, its JSON-LD, and the elements of the article (`<h1>`, `<time>`, microdata,
//! bylines), so the canonical choice has for pages what the header gives it for text files.
//!
//! Each field takes the first source that has a value, in an order written on [`metadata`]
//! with its few exceptions.
//! Elements count where the detector found the article: inside it first, the rest of the page
//! (furniture left out: asides, navigation, comments, related and teaser lists) only after
//! the page-level sources, because a sidebar holds other stories' headlines, times and authors.
//! Values are the page's own strings, whitespace collapsed and trimmed; dates are not
//! reformatted (the pipeline's date parser reads them).
//!
//! On the 181 pages of Scrapinghub's extraction benchmark (126 sites, 2019;
//! `examples/page_meta.rs`): a title on 181, source 162, published 168, URL 174 (each the
//! page's own canonical address), language 158, byline 163; a JSON-LD article on 105, 5 of
//! them in blocks Python's `json` refuses. About 0.1 ms a page besides the parse.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::dates::moment;
use crate::header::{byline as byline_name, parse_timestamp, timestamp_line};
use html5ever::local_name;

pub use crate::page::json_ld::{json_ld_article, JsonLdArticle};
use crate::page::tree::{Element, NodeData, Tree, DOCUMENT};
use crate::pystr::chars;
use crate::pyunicode::{casefold, is_alpha, split_whitespace, strip};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    pub title: Option<String>,
    /// The site's name ("The Guardian"), not its address.
    pub source: Option<String>,
    /// As the page gives it (ISO 8601 mostly).
    pub published: Option<String>,
    /// Absolute http(s) only: a relative address names nothing once the page is saved.
    pub url: Option<String>,
    /// As the page gives it ("en", "en-US", "en_GB").
    pub language: Option<String>,
    /// The author's name(s), without a leading "By".
    pub byline: Option<String>,
}

/// A byline longer than this (after "By" goes) is a bio or a paragraph, not a name.
const LONGEST_BYLINE: usize = 100;
/// Element text read for a headline, a date or a byline, in bytes: enough for any of them.
const LONGEST_ELEMENT_TEXT: usize = 1000;
/// Candidate elements kept per kind: the first few are the ones that matter.
const MOST_CANDIDATES: usize = 64;

const TITLE_KEYS: [&str; 2] = ["og:title", "twitter:title"];
const SITE_KEYS: [&str; 2] = ["og:site_name", "application-name"];
const PUBLISHER_KEYS: [&str; 2] = ["dc.publisher", "dcterms.publisher"];
/// Meta names that say when the page was published, the most specific first.
const DATE_KEYS: [&str; 18] = [
    "datepublished",
    "article.published",
    "article:published",
    "og:published_time",
    "og:pubdate",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "pub_date",
    "parsely-pub-date",
    "sailthru.date",
    "article_date_original",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
];
const AUTHOR_KEYS: [&str; 8] = [
    "author",
    "article:author",
    "byl",
    "sailthru.author",
    "parsely-author",
    "article_author",
    "dc.creator",
    "dcterms.creator",
];
const LANGUAGE_KEYS: [&str; 4] = ["og:locale", "content-language", "dc.language", "language"];
/// Class or id words of the page's furniture, whose times and names are not the article's.
const FURNITURE_WORDS: [&str; 15] = [
    "comment",
    "sidebar",
    "related",
    "widget",
    "promo",
    "recommend",
    "teaser",
    "trending",
    "popular",
    "mostread",
    "most-read",
    "more-stories",
    "outbrain",
    "taboola",
    "disqus",
];
const BYLINE_WORDS: [&str; 2] = ["byline", "author"];
const DATE_WORDS: [&str; 2] = ["date", "publish"];
const NOT_PUBLISHED_WORDS: [&str; 3] = ["updat", "modif", "edit"];
/// Class or id words of the parts of an author box that are not the name.
const NOT_NAME_WORDS: [&str; 14] = [
    "bio", "avatar", "img", "image", "photo", "pic", "thumb", "social", "follow", "excerpt", "desc",
    "button", "more", "gear",
];
/// Title separators before a site name ("Headline | Site") or after one ("Site - Headline").
const TITLE_SEPARATORS: [&str; 9] = [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " « "];
/// Elements that start a line for a reader: their text is not glued to the text before.
const BLOCKS: [&str; 20] = [
    "br", "p", "div", "li", "ul", "ol", "dd", "dt", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "header", "footer",
];

/// The page's metadata; `article` is the element the detector chose as the article (None
/// when unknown: the whole page is then its place). Reads the JSON-LD once; a caller that
/// already has [`json_ld_article`]'s answer passes it to [`metadata_with`] instead.
///
/// Sources per field, first found wins:
/// - **title**: JSON-LD `headline`, `og:title`, `twitter:title`: the story's title as the site
///   declares it (JSON-LD's for the article, Open Graph's for sharing: rewritten at times, and
///   once another post's), never a logo, a section name or another story's heading, as an
///   `<h1>` can be when the article is unknown; then the article's `<h1>` (what a reader sees),
///   `<title>` (HTML only; section and site often appended), an `<h1>` elsewhere. When the
///   article's `<h1>` (else the page's first) extends the title chosen, it is taken: declared
///   headlines are cut to a length at times (110 characters for search engines), and a
///   `<title>` is often a short form of the headline above the article's element. A " | Site" or "Site - " part naming
///   the site (its name or its address's host) is removed.
/// - **source**: `og:site_name` (the site's name for display), `application-name`, the
///   JSON-LD publisher (the company at times, "Dow Jones & Company", or the wire service whose
///   story it is), the microdata publisher's name, `dc.publisher`. Addresses and handles
///   ("@politifact") are not names.
/// - **published**: `article:published_time` and JSON-LD `datePublished` (machine-readable and
///   about this story), `itemprop=datePublished` in the article, the article's `<time>` (one
///   marked pubdate or datePublished, else the first), meta names (`pubdate`, `sailthru.date`,
///   `dc.date`, ... `date`: often a day only, or the page's last change), an element in the
///   article classed as a date whose text is a timestamp ("Published 11:11 PM EST Nov 19,
///   2019"), and last the same three elsewhere on the page. A zero time ("0001-01-01") is no
///   date. A later one that says more of the same day (a time, a zone) replaces the first, as
///   does any date the pipeline's reader reads when the first is none; the elements elsewhere
///   on the page count only when nothing else dates the story (another story's time of the
///   same day refines nothing).
/// - **url**: `<link rel=canonical>` (the address the site names as this page's), `og:url`,
///   JSON-LD `url` or `mainEntityOfPage`.
/// - **language**: `<html lang>` (the document's language by the standard), `og:locale`
///   (a plugin's default as often as not), `content-language`, `dc.language`.
/// - **byline**: JSON-LD author names (per story and names only), the meta author names
///   (`author`, `byl`, `sailthru.author`...; a site sets them to its own name at times), then in
///   the article: `itemprop=author` (its `name`), `rel=author`, an element with class or id
///   byline/author (its innermost such element: a name, not "By X, updated at Y"); the same
///   elements elsewhere last, only when the story names no one. A byline naming the site
///   ("Sky", "BBC News") yields to a person a later source names for the story. Addresses and dates are not names; a leading "By" goes as the
///   text reader's (`header::byline`) does, so a page and its text copy name the same author;
///   over 100 characters is a bio, not a byline.
pub fn metadata(tree: &Tree, article: Option<usize>) -> Metadata {
    metadata_with(tree, article, json_ld_article(tree).as_ref())
}

/// [`metadata`] with the page's JSON-LD article already read.
pub fn metadata_with(tree: &Tree, article: Option<usize>, json_ld: Option<&JsonLdArticle>) -> Metadata {
    let page = Page::scan(tree, article);
    let nothing = JsonLdArticle::default();
    let ld = json_ld.unwrap_or(&nothing);
    let url = page
        .canonical
        .clone()
        .or_else(|| page.meta_where(&["og:url"], is_web_address))
        .or_else(|| ld.url.clone());
    let source = page
        .meta_where(&SITE_KEYS, is_name)
        .or_else(|| ld.publisher.clone().filter(|name| is_name(name)))
        .or_else(|| page.microdata_publisher())
        .or_else(|| page.meta_where(&PUBLISHER_KEYS, is_name));
    let sites = page.site_names(ld, url.as_deref());
    let heading = page.heading(true);
    // The article's heading, else the page's first: a heading above the article's element.
    let whole_heading = heading.clone().or_else(|| page.heading(false));
    let title = ld
        .headline
        .clone()
        .or_else(|| page.meta(&TITLE_KEYS))
        .or_else(|| heading.clone())
        .or_else(|| page.title.clone())
        .or_else(|| page.heading(false))
        .map(|title| without_site(title, &sites))
        .map(|title| match whole_heading {
            // A headline cut to a length limit ("... third Beijing local to contract"), or a
            // short title over a longer headline: the whole one.
            Some(whole) if whole.len() > title.len() && whole.starts_with(&title) => whole,
            _ => title,
        });
    let published = most_precise(vec![
        page.meta(&["article:published_time"]),
        ld.published.clone(),
        page.date_property(true),
        page.time(true),
        page.meta_where(&DATE_KEYS, is_real_date),
        page.dated(true),
    ])
    // Elsewhere on the page only when nothing dates the story: another story's time refines nothing.
    .or_else(|| {
        most_precise(vec![
            page.date_property(false),
            page.time(false),
            page.dated(false),
        ])
    });
    let language = page.language.clone().or_else(|| page.meta(&LANGUAGE_KEYS));
    let bylines: Vec<String> = [
        ld.author.as_deref().and_then(clean_byline),
        page.meta_byline(),
        page.byline(true),
    ]
    .into_iter()
    .flatten()
    .collect();
    // The site named as the author ("Sky", "BBC News") yields to a person named for the story;
    // a name elsewhere on the page only when the story has none.
    let byline = bylines
        .iter()
        .find(|name| !sites.contains(&site_key(name)))
        .or(bylines.first())
        .cloned()
        .or_else(|| page.byline(false));
    Metadata {
        title,
        source,
        published,
        url,
        language,
        byline,
    }
}

/// An element that may hold a field, and whether it is in the article.
#[derive(Clone, Copy)]
struct Found {
    node: usize,
    in_article: bool,
}

/// What one walk over the page collects: page-level values and candidate elements.
struct Page<'a> {
    tree: &'a Tree,
    /// (lower-cased `name`/`property`/`http-equiv`, collapsed `content`), in document order.
    metas: Vec<(String, String)>,
    title: Option<String>,
    language: Option<String>,
    canonical: Option<String>,
    headings: Vec<Found>,
    times: Vec<Found>,
    date_properties: Vec<Found>,
    author_properties: Vec<Found>,
    author_links: Vec<Found>,
    bylines: Vec<Found>,
    dated: Vec<Found>,
    publishers: Vec<Found>,
}

impl<'a> Page<'a> {
    fn scan(tree: &'a Tree, article: Option<usize>) -> Page<'a> {
        let mut page = Page {
            tree,
            metas: Vec::new(),
            title: None,
            language: None,
            canonical: None,
            headings: Vec::new(),
            times: Vec::new(),
            date_properties: Vec::new(),
            author_properties: Vec::new(),
            author_links: Vec::new(),
            bylines: Vec::new(),
            dated: Vec::new(),
            publishers: Vec::new(),
        };
        // (node, inside furniture, inside the article); no article known: the page is its place.
        let mut pending = vec![(DOCUMENT, false, article.is_none())];
        while let Some((node, furniture, in_article)) = pending.pop() {
            let (furniture, in_article) = if Some(node) == article {
                (false, true)
            } else {
                (furniture, in_article)
            };
            let Some(data) = tree.nodes.get(node) else {
                continue;
            };
            let mut furniture = furniture;
            if let NodeData::Element(element) = &data.data {
                if !element.html {
                    continue; // svg, math: their <title> and text are not the page's
                }
                match &*element.name {
                    "script" | "style" | "template" | "noscript" => continue,
                    "title" => {
                        if page.title.is_none() {
                            page.title = collapse(&element_text(tree, node));
                        }
                        continue;
                    }
                    "meta" => page.read_meta(node),
                    "link" => page.read_link(node),
                    "html" if page.language.is_none() => {
                        page.language = attribute_value(tree, node, "lang")
                            .or_else(|| attribute_value(tree, node, "xml:lang"));
                    }
                    _ => {}
                }
                let marks = Marks::of(element);
                furniture =
                    furniture || (Some(node) != article && marks.furniture(&element.name, in_article));
                if !furniture {
                    page.note_candidate(Found { node, in_article }, &element.name, &marks);
                }
            }
            pending.extend(
                data.children
                    .iter()
                    .rev()
                    .map(|&child| (child, furniture, in_article)),
            );
        }
        page
    }

    fn read_meta(&mut self, node: usize) {
        let Some(content) = attribute_value(self.tree, node, "content") else {
            return;
        };
        for key in ["property", "name", "http-equiv"] {
            if let Some(name) = self.tree.attribute(node, key) {
                self.metas
                    .push((strip(name).to_ascii_lowercase(), content.clone()));
            }
        }
    }

    fn read_link(&mut self, node: usize) {
        if self.canonical.is_none() && has_token(self.tree.attribute(node, "rel"), "canonical") {
            self.canonical = attribute_value(self.tree, node, "href").filter(|href| is_web_address(href));
        }
    }

    fn note_candidate(&mut self, found: Found, name: &str, marks: &Marks) {
        let lists = [
            (&mut self.headings, name == "h1"),
            (&mut self.times, name == "time"),
            (
                &mut self.date_properties,
                has_token(marks.itemprop, "datepublished"),
            ),
            (&mut self.author_properties, has_token(marks.itemprop, "author")),
            (
                &mut self.author_links,
                name == "a" && has_token(marks.rel, "author"),
            ),
            (&mut self.bylines, marks.roles.byline),
            (&mut self.dated, name != "time" && marks.roles.date),
            (&mut self.publishers, has_token(marks.itemprop, "publisher")),
        ];
        for (list, matches) in lists {
            if matches && list.len() < MOST_CANDIDATES {
                list.push(found);
            }
        }
    }

    /// The first meta tag with one of `keys`, the keys in order.
    fn meta(&self, keys: &[&str]) -> Option<String> {
        self.meta_where(keys, |_| true)
    }

    /// The first meta tag with one of `keys` whose content is `acceptable`.
    fn meta_where(&self, keys: &[&str], acceptable: impl Fn(&str) -> bool) -> Option<String> {
        keys.iter().find_map(|key| {
            self.metas
                .iter()
                .find(|(name, content)| name == key && acceptable(content))
                .map(|(_, content)| content.clone())
        })
    }

    fn meta_byline(&self) -> Option<String> {
        AUTHOR_KEYS.iter().find_map(|key| {
            self.metas
                .iter()
                .filter(|(name, _)| name == key)
                .find_map(|(_, content)| clean_byline(content))
        })
    }

    /// The name of the page's microdata publisher (the site's, wherever it stands).
    fn microdata_publisher(&self) -> Option<String> {
        self.publishers
            .iter()
            .find_map(|found| item_part_name(self.tree, found.node))
            .filter(|name| is_name(name))
    }

    fn heading(&self, in_article: bool) -> Option<String> {
        self.in_place(&self.headings, in_article)
            .find_map(|node| collapse(&element_text(self.tree, node)))
    }

    fn date_property(&self, in_article: bool) -> Option<String> {
        self.in_place(&self.date_properties, in_article)
            .find_map(|node| self.date_of(node))
    }

    /// The first `<time>` marked as the publication's, else the first with a date.
    fn time(&self, in_article: bool) -> Option<String> {
        let marked = |node: usize| {
            self.tree.attribute(node, "pubdate").is_some()
                || has_token(self.tree.attribute(node, "itemprop"), "datepublished")
        };
        self.in_place(&self.times, in_article)
            .filter(|&node| marked(node))
            .find_map(|node| self.date_of(node))
            .or_else(|| {
                self.in_place(&self.times, in_article)
                    .find_map(|node| self.date_of(node))
            })
    }

    /// The first element classed as a date whose text is a timestamp ("Published 11:11 PM EST
    /// Nov 19, 2019"), as the page writes it.
    fn dated(&self, in_article: bool) -> Option<String> {
        self.in_place(&self.dated, in_article).find_map(|node| {
            collapse(&element_text(self.tree, node)).filter(|text| timestamp_line(&chars(text)).is_some())
        })
    }

    fn date_of(&self, node: usize) -> Option<String> {
        attribute_value(self.tree, node, "content")
            .or_else(|| attribute_value(self.tree, node, "datetime"))
            .or_else(|| collapse(&element_text(self.tree, node)).filter(|text| text.len() <= 80))
    }

    fn byline(&self, in_article: bool) -> Option<String> {
        let tree = self.tree;
        self.in_place(&self.author_properties, in_article)
            .find_map(|node| item_name(tree, node))
            .or_else(|| {
                self.in_place(&self.author_links, in_article)
                    .find_map(|node| element_byline(tree, node))
            })
            .or_else(|| self.innermost_byline(in_article))
    }

    /// The first byline element's text, or that of the innermost byline element inside it
    /// ("By <span class=author>Jane Doe</span>, updated 3 May": the name alone).
    fn innermost_byline(&self, in_article: bool) -> Option<String> {
        let mut best: Option<(usize, String)> = None;
        for node in self.in_place(&self.bylines, in_article) {
            if let Some((outer, _)) = &best {
                if !is_inside(self.tree, node, *outer) {
                    break;
                }
            }
            if let Some(name) = element_byline(self.tree, node) {
                best = Some((node, name));
            }
        }
        best.map(|(_, name)| name)
    }

    fn in_place<'b>(&'b self, found: &'b [Found], in_article: bool) -> impl Iterator<Item = usize> + 'b {
        found
            .iter()
            .filter(move |found| found.in_article == in_article)
            .map(|found| found.node)
    }

    /// The names a title's site part may have: the page's site names and its address's host.
    fn site_names(&self, ld: &JsonLdArticle, url: Option<&str>) -> Vec<String> {
        let mut names: Vec<String> = SITE_KEYS
            .iter()
            .filter_map(|key| self.meta(&[key]))
            .chain(ld.publisher.clone())
            .collect();
        if let Some(host) = url.and_then(host_of) {
            // "nytimes" of nytimes.com, "cnn" of edition.cnn.com (the domain's last label is no name).
            let labels: Vec<&str> = host.split('.').collect();
            let named = labels.len().saturating_sub(1);
            names.extend(
                labels
                    .iter()
                    .take(named)
                    .filter(|label| label.len() >= 3)
                    .map(|label| label.to_string()),
            );
            names.push(host);
        }
        names
            .iter()
            .map(|name| site_key(name))
            .filter(|key| !key.is_empty())
            .collect()
    }
}

/// The attributes that say what an element holds, found in one pass over its attributes.
struct Marks<'t> {
    itemprop: Option<&'t str>,
    rel: Option<&'t str>,
    roles: Roles,
}

/// What an element's class and id say it is.
#[derive(Default)]
struct Roles {
    /// A comment section, a sidebar, a related-stories or teaser list...
    furniture: bool,
    /// The byline or the author's name (not their photo or bio).
    byline: bool,
    /// The publication date (not the last update).
    date: bool,
}

impl<'t> Marks<'t> {
    fn of(element: &'t Element) -> Marks<'t> {
        let mut marks = Marks {
            itemprop: None,
            rel: None,
            roles: Roles::default(),
        };
        for (name, value) in &element.attributes {
            // Interned names: these comparisons are of two integers.
            if *name == local_name!("class") || *name == local_name!("id") {
                marks.roles.add(value);
            } else if *name == local_name!("itemprop") {
                marks.itemprop = Some(value);
            } else if *name == local_name!("rel") {
                marks.rel = Some(value);
            }
        }
        marks
    }

    /// An aside, navigation, a comment section or a related-stories list; a footer too, outside
    /// the article and unless classed as a byline (an article's footer holds the byline at
    /// times). `<html>` and `<body>` never are: sites put "has-sidebar" on them.
    fn furniture(&self, name: &str, in_article: bool) -> bool {
        match name {
            "aside" | "nav" => true,
            "footer" => !in_article && !self.roles.byline,
            "html" | "body" => false,
            _ => self.roles.furniture,
        }
    }
}

impl Roles {
    /// The roles a class or id value names, word by word: one pass over the value (every
    /// element's is read), the words looked at only when it names one.
    fn add(&mut self, value: &str) {
        if role_words(value) == 0 {
            return;
        }
        for word in split_whitespace(value) {
            let roles = role_words(word);
            // WordPress names a post's topics in its classes ("category-promotions").
            let topic = word.starts_with("category-") || word.starts_with("tag-");
            self.furniture |=
                roles & FURNITURE_ROLE != 0 && !topic && !contains_ignoring_case(word, "commentary");
            self.byline |= roles & BYLINE_ROLE != 0 && !any_word(&NOT_NAME, &NOT_NAME_WORDS, word);
            self.date |= roles & DATE_ROLE != 0 && !any_word(&NOT_PUBLISHED, &NOT_PUBLISHED_WORDS, word);
        }
    }
}

const FURNITURE_ROLE: u8 = 1;
const BYLINE_ROLE: u8 = 2;
const DATE_ROLE: u8 = 4;

/// The roles whose words `text` holds (ASCII case ignored), in one pass.
fn role_words(text: &str) -> u8 {
    static SEARCHER: OnceLock<Option<(AhoCorasick, Vec<u8>)>> = OnceLock::new();
    let Some((searcher, roles)) = SEARCHER
        .get_or_init(|| {
            let words = [
                (&FURNITURE_WORDS[..], FURNITURE_ROLE),
                (&BYLINE_WORDS[..], BYLINE_ROLE),
                (&DATE_WORDS[..], DATE_ROLE),
            ];
            let roles = words
                .iter()
                .flat_map(|(list, role)| list.iter().map(|_| *role))
                .collect();
            let searcher = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words.iter().flat_map(|(list, _)| list.iter()))
                .ok()?;
            Some((searcher, roles))
        })
        .as_ref()
    else {
        return 0;
    };
    // Most values name none: the quick test first, the overlapping search (slower) after.
    if !searcher.is_match(text) {
        return 0;
    }
    searcher.find_overlapping_iter(text).fold(0, |found, word| {
        found | roles.get(word.pattern().as_usize()).copied().unwrap_or(0)
    })
}

/// Whether `text` holds one of `words` (ASCII case ignored), the searcher built on first use.
fn any_word(searcher: &OnceLock<Option<AhoCorasick>>, words: &[&str], text: &str) -> bool {
    searcher
        .get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .ok()
        })
        .as_ref()
        .is_some_and(|searcher| searcher.is_match(text))
}

static NOT_NAME: OnceLock<Option<AhoCorasick>> = OnceLock::new();
static NOT_PUBLISHED: OnceLock<Option<AhoCorasick>> = OnceLock::new();

/// A microdata item's name, as a byline: its `itemprop=name` part's, else its own content or text.
fn item_name(tree: &Tree, node: usize) -> Option<String> {
    let holder = name_part(tree, node).unwrap_or(node);
    match tree.attribute(holder, "content") {
        Some(content) => clean_byline(content),
        None => element_byline(tree, holder),
    }
}

/// A microdata item's `itemprop=name` part's content or text.
fn item_part_name(tree: &Tree, node: usize) -> Option<String> {
    let part = name_part(tree, node)?;
    attribute_value(tree, part, "content").or_else(|| collapse(&element_text(tree, part)))
}

fn name_part(tree: &Tree, node: usize) -> Option<usize> {
    tree.descendants(node)
        .skip(1)
        .take(MOST_CANDIDATES * 4)
        .find(|&part| has_token(tree.attribute(part, "itemprop"), "name"))
}

/// An element's byline: its first line ("by Jeff Foust" of "by Jeff Foust<br>Monday, November
/// 18"), with the next when the first is only "By".
fn element_byline(tree: &Tree, node: usize) -> Option<String> {
    let text = element_text(tree, node);
    let mut lines = text.split('\n').filter_map(collapse);
    let first = lines.next()?;
    clean_byline(&first).or_else(|| clean_byline(&format!("{first} {}", lines.next()?)))
}

/// A byline as a name: whitespace collapsed, a leading "By" (or "Por", "Par", "Von"...) gone
/// when the rest reads as a name; None for an address, a date ("20 Nov 2019 08:00 GMT", in a
/// byline box), no letter at all, or a paragraph.
fn clean_byline(text: &str) -> Option<String> {
    let text = collapse(text)?;
    if is_address(&text) || text.eq_ignore_ascii_case("by") || text.chars().count() > LONGEST_BYLINE + 3 {
        return None;
    }
    let letters = chars(&text);
    let name = match byline_name(&letters) {
        Some(name) => name.iter().collect(),
        None => text,
    };
    let fits = name.chars().count() <= LONGEST_BYLINE && name.chars().any(is_alpha);
    (fits && timestamp_line(&chars(&name)).is_none()).then_some(name)
}

/// `node`'s text as a reader sees it (scripts and what is not HTML left out, a line break at
/// each block and `<br>`), up to about [`LONGEST_ELEMENT_TEXT`] bytes: a name or a date is never longer.
fn element_text(tree: &Tree, node: usize) -> String {
    let mut text = String::new();
    let mut pending = vec![node];
    while let Some(current) = pending.pop() {
        if text.len() > LONGEST_ELEMENT_TEXT {
            break;
        }
        let Some(data) = tree.nodes.get(current) else {
            continue;
        };
        match &data.data {
            NodeData::Text(part) => {
                let mut cut = (LONGEST_ELEMENT_TEXT + 1)
                    .saturating_sub(text.len())
                    .min(part.len());
                while !part.is_char_boundary(cut) {
                    cut -= 1;
                }
                // Line breaks in the source are spaces to a reader: lines end at blocks only.
                let kept = part.get(..cut).unwrap_or_default();
                text.extend(kept.chars().map(|c| if c == '\n' { ' ' } else { c }));
            }
            NodeData::Element(element) => {
                if !element.html || matches!(&*element.name, "script" | "style" | "template" | "noscript") {
                    continue;
                }
                if BLOCKS.contains(&&*element.name) {
                    text.push('\n');
                }
                pending.extend(data.children.iter().rev());
            }
            NodeData::Document | NodeData::Other => {}
        }
    }
    text
}

fn attribute_value(tree: &Tree, node: usize, name: &str) -> Option<String> {
    tree.attribute(node, name).and_then(collapse)
}

/// `str.split()` joined by single spaces; None when nothing is left.
pub(super) fn collapse(text: &str) -> Option<String> {
    let mut out = String::new();
    for word in split_whitespace(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a space-separated attribute (`rel`, `itemprop`) has `token`, ignoring ASCII case.
fn has_token(value: Option<&str>, token: &str) -> bool {
    value.is_some_and(|value| split_whitespace(value).any(|word| word.eq_ignore_ascii_case(token)))
}

fn contains_ignoring_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
}

pub(super) fn is_inside(tree: &Tree, node: usize, ancestor: usize) -> bool {
    let mut current = tree.nodes.get(node).and_then(|data| data.parent);
    while let Some(parent) = current {
        if parent == ancestor {
            return true;
        }
        current = tree.nodes.get(parent).and_then(|data| data.parent);
    }
    false
}

/// A name, not an address or a social-network handle ("@politifact" as a site name).
fn is_name(text: &str) -> bool {
    !is_address(text) && !text.starts_with('@')
}

/// Not a zero time written where the date was unknown (Go's 0001-01-01, MySQL's 0000-00-00,
/// the Unix epoch): "earliest published" would pick that copy for it.
fn is_real_date(text: &str) -> bool {
    !["0000-00-00", "0001-01-01", "1970-01-01T00:00:00"]
        .iter()
        .any(|zero| text.starts_with(zero))
}

/// The first date, unless one after it says more of the same day (a time where it has none, a
/// zone where it has none: "November 20, 2019 13:42" in one tag, "2019-11-20 13:42:06+08:00" in
/// the next) or the first does not read as a date. A date of another day never replaces it.
fn most_precise(dates: Vec<Option<String>>) -> Option<String> {
    let dates: Vec<String> = dates
        .into_iter()
        .flatten()
        .filter(|date| is_real_date(date))
        .collect();
    let read: Vec<Option<(u8, i64)>> = dates.iter().map(|date| precision(date)).collect();
    let mut best = 0;
    for (index, found) in read.iter().enumerate().skip(1) {
        let better = match (read.get(best).copied().flatten(), found) {
            (None, Some(_)) => true,
            (Some((kept, day)), Some((precision, other_day))) => {
                *precision > kept && (other_day - day).abs() <= 1
            }
            _ => false,
        };
        if better {
            best = index;
        }
    }
    dates.into_iter().nth(best)
}

/// How much a date says (1 a day or a doubtful day and month, 2 a time, 3 a time and its
/// zone) and its UTC day, as the pipeline's date reader reads it; None when it does not.
fn precision(date: &str) -> Option<(u8, i64)> {
    let found = parse_timestamp(&chars(date), None)?;
    let day = moment(&found.iso)?.day;
    let time = found.iso.split_once('T').map(|(_, time)| time);
    let zone = time.is_some_and(|time| time.contains(['Z', '+', '-']));
    let precision = match (found.ambiguous, time.is_some(), zone) {
        (true, _, _) | (false, false, _) => 1,
        (false, true, false) => 2,
        (false, true, true) => 3,
    };
    Some((precision, day))
}

/// An absolute http(s) address.
pub(super) fn is_web_address(text: &str) -> bool {
    host_of(text).is_some_and(|host| !host.is_empty())
}

/// Text that is an address rather than a name (a profile link where an author should be).
pub(super) fn is_address(text: &str) -> bool {
    let lowered = text.to_ascii_lowercase();
    ["http:", "https:", "//", "www."]
        .iter()
        .any(|opening| lowered.starts_with(opening))
}

/// The host of an absolute http(s) address, lower-cased, without "www.".
fn host_of(url: &str) -> Option<String> {
    let lowered = url.to_ascii_lowercase();
    let rest = lowered
        .strip_prefix("https://")
        .or_else(|| lowered.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// A site name as titles spell it in any case and spacing.
fn site_key(name: &str) -> String {
    split_whitespace(&casefold(name)).collect()
}

/// `title` without its " | Site" or "Site - " part, when that part names the site.
fn without_site(title: String, sites: &[String]) -> String {
    let is_site = |part: &str| sites.contains(&site_key(part));
    for separator in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            if is_site(tail) && !strip(head).is_empty() {
                return strip(head).to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(separator) {
            if is_site(head) && !strip(tail).is_empty() {
                return strip(tail).to_string();
            }
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Metadata {
        metadata(&Tree::parse(html), None)
    }

    /// The metadata with the element of id `article` as the article.
    fn page_with_article(html: &str) -> Metadata {
        let tree = Tree::parse(html);
        let article = tree
            .descendants(DOCUMENT)
            .find(|&node| tree.attribute(node, "id") == Some("article"));
        assert!(article.is_some(), "the test page has no #article");
        metadata(&tree, article)
    }

    fn json_ld(blocks: &[&str]) -> Option<JsonLdArticle> {
        let scripts: String = blocks
            .iter()
            .map(|block| format!("<script type=\"application/ld+json\">{block}</script>"))
            .collect();
        json_ld_article(&Tree::parse(&format!(
            "<html><head>{scripts}</head><body></body></html>"
        )))
    }

    fn some(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    const LD_ARTICLE: &str = r#"{"@context": "https://schema.org", "@type": "NewsArticle",
        "headline": "Ld headline", "datePublished": "2019-11-19T13:03:00Z",
        "author": {"@type": "Person", "name": "Ld Author"}, "publisher": {"name": "Ld Publisher"},
        "url": "https://example.com/ld", "articleBody": "  The body.\n\nSecond paragraph. "}"#;

    #[test]
    fn title_sources_in_their_order() {
        let ld = format!("<script type='application/ld+json'>{LD_ARTICLE}</script>");
        let og = "<meta property='og:title' content='Og title'>";
        let twitter = "<meta name='twitter:title' content='Twitter title'>";
        let title = "<title>Page title</title>";
        let h1 = "<div id=article><h1>Article heading</h1><p>Text.</p></div>";
        let all = format!("<head>{title}{twitter}{og}{ld}</head><body><h1>Logo</h1>{h1}</body>");
        assert_eq!(page_with_article(&all).title, some("Ld headline"));
        let no_ld = all.replace(&ld, "");
        assert_eq!(page_with_article(&no_ld).title, some("Og title"));
        let no_og = no_ld.replace(og, "");
        assert_eq!(page_with_article(&no_og).title, some("Twitter title"));
        let no_twitter = no_og.replace(twitter, "");
        assert_eq!(page_with_article(&no_twitter).title, some("Article heading"));
        let no_heading = no_twitter.replace("<h1>Article heading</h1>", "");
        assert_eq!(page_with_article(&no_heading).title, some("Page title"));
        let no_title = no_heading.replace(title, "");
        assert_eq!(page_with_article(&no_title).title, some("Logo"));
        // The article unknown: the first heading of the page is the article's.
        assert_eq!(page(&no_twitter).title, some("Logo"));
        // A short <title> under the page's longer headline, which stands above the article's element.
        let above =
            "<head><meta property='og:site_name' content='The Daily'><title>Putin on troops | The Daily</title>\
             </head><body><header><h1>Putin on troops in Kursk</h1></header><div id=article><p>Text.</p></div>";
        assert_eq!(page_with_article(above).title, some("Putin on troops in Kursk"));
    }

    #[test]
    fn svg_titles_are_not_the_page_title() {
        let html = "<body><svg><title>Close icon</title></svg><p>Text</p></body>";
        assert_eq!(page(html).title, None);
        let html =
            "<head><title>  The   real\n title </title></head><body><svg><title>Icon</title></svg></body>";
        assert_eq!(page(html).title, some("The real title"));
        let html = "<body><svg><title>Icon</title></svg></body><title>Late but HTML</title>";
        assert_eq!(page(html).title, some("Late but HTML"));
    }

    #[test]
    fn a_site_name_leaves_the_title() {
        let head = "<meta property='og:site_name' content='The Daily'>";
        let title = |text: &str| page(&format!("<head>{head}<title>{text}</title></head>")).title;
        assert_eq!(title("Rates rise | The Daily"), some("Rates rise"));
        assert_eq!(title("Rates rise - THE DAILY"), some("Rates rise"));
        assert_eq!(title("The Daily — Rates rise"), some("Rates rise"));
        assert_eq!(
            title("Rates rise - Business - The Daily"),
            some("Rates rise - Business")
        );
        // Not the site: kept whole.
        assert_eq!(title("Rates rise | Opinion"), some("Rates rise | Opinion"));
        assert_eq!(title("The Daily"), some("The Daily"));
        // The site named by its address.
        let html = "<head><link rel=canonical href='https://www.dailynews.com/a'>\
            <title>Rates rise – DailyNews.com</title></head>";
        assert_eq!(page(html).title, some("Rates rise"));
        let html = "<head><link rel=canonical href='https://edition.dailynews.com/a'>\
            <title>Rates rise :: DailyNews</title></head>";
        assert_eq!(page(html).title, some("Rates rise"));
    }

    #[test]
    fn a_cut_headline_is_completed_by_the_heading() {
        let html = "<head><meta property='og:title' content='Hunter catches plague after eating'></head>\
            <body><div id=article><h1>Hunter catches plague after eating a rabbit</h1></div></body>";
        assert_eq!(
            page_with_article(html).title,
            some("Hunter catches plague after eating a rabbit")
        );
    }

    #[test]
    fn source_sources_in_their_order() {
        let ld = format!("<script type='application/ld+json'>{LD_ARTICLE}</script>");
        let site = "<meta property='og:site_name' content='Og Site'>";
        let application = "<meta name='application-name' content='App Site'>";
        let dc = "<meta name='DC.publisher' content='Dc Site'>";
        let microdata = "<div itemprop=publisher itemscope><span itemprop=name> Item Site </span></div>";
        let all = format!("<head>{dc}{application}{ld}{site}</head><body>{microdata}</body>");
        assert_eq!(page(&all).source, some("Og Site"));
        let all = all.replace(site, "");
        assert_eq!(page(&all).source, some("App Site"));
        let all = all.replace(application, "");
        assert_eq!(page(&all).source, some("Ld Publisher"));
        let all = all.replace(&ld, "");
        assert_eq!(page(&all).source, some("Item Site"));
        let all = all.replace(microdata, "");
        assert_eq!(page(&all).source, some("Dc Site"));
        // An address or a handle is no site name.
        let html = "<head><meta property='og:site_name' content='https://www.site.in'>\
            <meta name='application-name' content='@site'><meta name='dc.publisher' content='Site'></head>";
        assert_eq!(page(html).source, some("Site"));
    }

    #[test]
    fn published_sources_in_their_order() {
        let ld = format!("<script type='application/ld+json'>{LD_ARTICLE}</script>");
        let og = "<meta property='article:published_time' content='2019-11-01T10:00:00Z'>";
        let names = "<meta name='date' content='2019-11-09'><meta name='sailthru.date' content='2019-11-08'>";
        let property = "<span itemprop='datePublished' content='2019-11-03'>Nov 3</span>";
        let marked =
            "<time datetime='2019-11-05'>Nov 5</time><time pubdate datetime='2019-11-04'>Nov 4</time>";
        let dated = "<div class='publish-date'>Published 11:11 PM EST Nov 19, 2019</div>";
        let head = format!("<head>{names}{ld}{og}</head>");
        let body = format!("<div id=article>{dated}{marked}{property}<p>Text.</p></div>");
        let all = format!("{head}<body>{body}</body>");
        assert_eq!(page_with_article(&all).published, some("2019-11-01T10:00:00Z"));
        let all = all.replace(og, "");
        assert_eq!(page_with_article(&all).published, some("2019-11-19T13:03:00Z"));
        let all = all.replace(&ld, "");
        assert_eq!(page_with_article(&all).published, some("2019-11-03"));
        let all = all.replace(property, "");
        assert_eq!(page_with_article(&all).published, some("2019-11-04"));
        let all = all.replace(" pubdate", "");
        assert_eq!(page_with_article(&all).published, some("2019-11-05"));
        let all = all.replace(&marked.replace(" pubdate", ""), "");
        assert_eq!(page_with_article(&all).published, some("2019-11-08"));
        let all = all.replace(names, "");
        assert_eq!(
            page_with_article(&all).published,
            some("Published 11:11 PM EST Nov 19, 2019")
        );
        let all = all.replace(dated, "");
        assert_eq!(page_with_article(&all).published, None);
    }

    #[test]
    fn a_sidebar_time_loses_to_the_article_time() {
        let html = "<body><div class=rail><time datetime='2019-01-01'>Jan 1</time> Other story</div>\
            <div id=article><h1>Story</h1><time datetime='2019-11-19T08:00'>Nov 19</time><p>Text.</p></div>\
            <aside><time datetime='2019-02-02' pubdate>Feb 2</time></aside></body>";
        assert_eq!(page_with_article(html).published, some("2019-11-19T08:00"));
        // With no time in the article, one elsewhere is a last resort, furniture never.
        let html = "<body><aside><time datetime='2019-02-02'>Feb 2</time></aside>\
            <div class='related-stories'><time datetime='2019-03-03'>Mar 3</time></div>\
            <div id=article><p>Text.</p></div><div class=rail><time datetime='2019-01-01'>x</time></div></body>";
        assert_eq!(page_with_article(html).published, some("2019-01-01"));
        // A meta date beats a time outside the article, which does not refine it either.
        let with_meta = html
            .replace(
                "<body>",
                "<head><meta name=pubdate content=2019-01-01></head><body>",
            )
            .replace("'2019-01-01'>x", "'2019-01-01T10:00:00Z'>x");
        assert_eq!(page_with_article(&with_meta).published, some("2019-01-01"));
    }

    #[test]
    fn page_microdata_dates_come_after_meta_names() {
        let html = "<head><meta itemprop=datePublished content='2019-11-10T08:00:00Z'></head>\
            <body><div id=article><p>Text.</p></div></body>";
        assert_eq!(page_with_article(html).published, some("2019-11-10T08:00:00Z"));
        let with_name = html.replace("<head>", "<head><meta name='dc.date' content='2019-11-19'>");
        assert_eq!(page_with_article(&with_name).published, some("2019-11-19"));
        // The article unknown, the page is its place: microdata before meta names.
        assert_eq!(page(&with_name).published, some("2019-11-10T08:00:00Z"));
    }

    #[test]
    fn a_byline_outside_the_article_is_a_last_resort() {
        let html = "<body><header><p class=byline>By Head Writer</p></header>\
            <div class='sidebar'><span class=author>Other Writer</span></div>\
            <div id=article><p class=author>Article Writer</p><p>Text.</p></div></body>";
        assert_eq!(page_with_article(html).byline, some("Article Writer"));
        let none_inside = html.replace("<p class=author>Article Writer</p>", "");
        assert_eq!(page_with_article(&none_inside).byline, some("Head Writer"));
        let furniture_only = none_inside.replace("<p class=byline>By Head Writer</p>", "");
        assert_eq!(page_with_article(&furniture_only).byline, None);
    }

    #[test]
    fn topic_classes_and_the_article_itself_are_not_furniture() {
        // WordPress: the post's category in its classes.
        let html = "<body><article class='post category-promotions tag-widgets'>\
            <span class=author>Jane Doe</span><p>Text.</p></article></body>";
        assert_eq!(page(html).byline, some("Jane Doe"));
        // The detector's choice counts whatever its class says.
        let html =
            "<body><div id=article class=related-enabled><span class=author>Jane Doe</span></div></body>";
        assert_eq!(page_with_article(html).byline, some("Jane Doe"));
    }

    #[test]
    fn metadata_with_a_json_ld_article_read_before_is_metadata() {
        let html = format!("<head><script type='application/ld+json'>{LD_ARTICLE}</script></head>");
        let tree = Tree::parse(&html);
        let read = json_ld_article(&tree);
        assert_eq!(metadata_with(&tree, None, read.as_ref()), metadata(&tree, None));
        assert_eq!(metadata(&tree, None).byline, some("Ld Author"));
    }

    #[test]
    fn a_later_date_that_says_more_of_the_same_day_wins() {
        let dates = |head: &str| page(&format!("<head>{head}</head>")).published;
        let written = "<meta property='article:published_time' content='November 20, 2019 13:42'>";
        let zoned = "<meta name='pubdate' content='2019-11-20 13:42:06+08:00'>";
        assert_eq!(
            dates(&format!("{written}{zoned}")),
            some("2019-11-20 13:42:06+08:00")
        );
        // Saying as much, or less, does not replace it.
        let zoned_written = written.replace("13:42", "13:42 PST");
        let unzoned = "<meta name='pubdate' content='2019-11-20T13:42'>";
        assert_eq!(
            dates(&format!("{zoned_written}{unzoned}")),
            some("November 20, 2019 13:42 PST")
        );
        // Another day never does.
        let other_day = "<meta name='pubdate' content='2019-11-25T10:00:00Z'>";
        let day = "<meta property='article:published_time' content='2019-11-20'>";
        assert_eq!(dates(&format!("{day}{other_day}")), some("2019-11-20"));
        // Nor does anything replace a date by what is no date; a date replaces what is none.
        assert_eq!(
            dates(&format!("{day}<meta name=date content='yesterday'>")),
            some("2019-11-20")
        );
        let unread = "<meta property='article:published_time' content='yesterday'>";
        assert_eq!(
            dates(&format!("{unread}<meta name=date content='2019-11-20'>")),
            some("2019-11-20")
        );
    }

    #[test]
    fn a_zero_date_is_no_date() {
        let ld = r#"{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}"#;
        let html = format!(
            "<head><script type='application/ld+json'>{ld}</script><meta name=date content='2019-11-19'></head>"
        );
        assert_eq!(page(&html).published, some("2019-11-19"));
    }

    #[test]
    fn url_sources_in_their_order() {
        let ld = format!("<script type='application/ld+json'>{LD_ARTICLE}</script>");
        let canonical = "<link rel='canonical' href=' https://example.com/canonical '>";
        let og = "<meta property='og:url' content='https://example.com/og'>";
        let all = format!("<head>{ld}{og}{canonical}</head>");
        assert_eq!(page(&all).url, some("https://example.com/canonical"));
        let relative = all.replace("https://example.com/canonical", "/canonical");
        assert_eq!(page(&relative).url, some("https://example.com/og"));
        let no_og = relative.replace(og, "<meta property='og:url' content='ftp://example.com/x'>");
        assert_eq!(page(&no_og).url, some("https://example.com/ld"));
        let ld_page = r#"{"@type": "Article", "mainEntityOfPage": {"@type": "WebPage", "@id": "http://example.com/id"}}"#;
        let html = format!("<head><script type='application/ld+json'>{ld_page}</script></head>");
        assert_eq!(page(&html).url, some("http://example.com/id"));
        assert_eq!(
            page("<head><link rel=canonical href='javascript:void(0)'></head>").url,
            None
        );
    }

    #[test]
    fn language_sources_in_their_order() {
        let head = "<head><meta property='og:locale' content='en_GB'>\
            <meta http-equiv='Content-Language' content='de'></head>";
        assert_eq!(
            page(&format!("<html lang=' fr-CA '>{head}")).language,
            some("fr-CA")
        );
        assert_eq!(page(&format!("<html>{head}")).language, some("en_GB"));
        let no_locale = head.replace("<meta property='og:locale' content='en_GB'>", "");
        assert_eq!(page(&format!("<html lang=''>{no_locale}")).language, some("de"));
    }

    #[test]
    fn byline_sources_in_their_order() {
        let ld = format!("<script type='application/ld+json'>{LD_ARTICLE}</script>");
        let meta = "<meta name='author' content='Meta Author'>";
        let property = "<span itemprop='author' itemscope><span itemprop='name'>Item Author</span></span>";
        let link = "<a rel='author' href='/jane'>Link Author</a>";
        let classed = "<div class='byline'>By <span class='author-name'>Classed Author</span></div>";
        let all = format!(
            "<head>{meta}{ld}</head><body><div id=article>{classed}{link}{property}<p>Text.</p></div></body>"
        );
        assert_eq!(page_with_article(&all).byline, some("Ld Author"));
        let all = all.replace(&ld, "");
        assert_eq!(page_with_article(&all).byline, some("Meta Author"));
        let all = all.replace(meta, "");
        assert_eq!(page_with_article(&all).byline, some("Item Author"));
        let all = all.replace(property, "");
        assert_eq!(page_with_article(&all).byline, some("Link Author"));
        let all = all.replace(link, "");
        assert_eq!(page_with_article(&all).byline, some("Classed Author"));
    }

    #[test]
    fn bylines_are_names() {
        let byline = |body: &str| page(&format!("<body>{body}</body>")).byline;
        // "By" goes, as it does from a text file's byline line.
        assert_eq!(byline("<p class=byline>By  Jane\nDoe</p>"), some("Jane Doe"));
        assert_eq!(byline("<p class=byline>Por Maria Souza</p>"), some("Maria Souza"));
        assert_eq!(
            byline("<p class=byline><span>By</span><br><span>Jane Doe</span></p>"),
            some("Jane Doe")
        );
        // The first line: the date under the name is not the name.
        assert_eq!(
            byline("<h3 class=byline>by Jeff Foust<br>Monday, November 18, 2019</h3>"),
            some("Jeff Foust")
        );
        // A date, an address, a bio, a photo: not a byline.
        assert_eq!(byline("<div class=byline>20 Nov 2019 08:00 GMT</div>"), None);
        assert_eq!(
            page("<head><meta name=author content='https://facebook.com/jane'></head>").byline,
            None
        );
        let bio = "Jane Doe has covered markets for twenty years, from Tokyo, London and New York, and \
            before that wrote about technology for a trade weekly.";
        assert_eq!(byline(&format!("<p class=author-info>{bio}</p>")), None);
        assert_eq!(
            byline("<img class=author-avatar alt=x><p class=author-bio>Jane</p>"),
            None
        );
        // Comment authors are not the article's.
        assert_eq!(
            byline("<div class=comments><span class=comment-author>Troll</span></div>"),
            None
        );
        // A microdata author given by its content.
        assert_eq!(
            byline("<meta itemprop=author content=' Jane  Doe '>"),
            some("Jane Doe")
        );
    }

    #[test]
    fn the_site_as_author_yields_to_a_person() {
        let ld = r#"{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Sky"}}"#;
        let html = format!(
            "<head><link rel=canonical href='https://news.sky.com/story'>\
             <script type='application/ld+json'>{ld}</script></head>\
             <body><div class=sdc-article-author>Tom Gillespie</div></body>"
        );
        assert_eq!(page(&html).byline, some("Tom Gillespie"));
        let alone = html.replace("Tom Gillespie", "");
        assert_eq!(page(&alone).byline, some("Sky"));
        // Not to a name outside the article: that is another story's.
        let outside = html.replace("<body>", "<body><div id=article><p>Text.</p></div>");
        assert_eq!(page_with_article(&outside).byline, some("Sky"));
    }

    #[test]
    fn an_outer_byline_yields_to_the_name_inside() {
        let html = "<body><div id=article><div class=c-byline>By <span class=c-byline__author-name>Chaim \
            Gartenberg</span> <span class=c-byline__item>Nov 19, 2019, 7:53pm EST</span></div></div></body>";
        assert_eq!(page_with_article(html).byline, some("Chaim Gartenberg"));
    }

    #[test]
    fn values_are_collapsed_and_empty_is_none() {
        let html = "<html lang='  '><head><title> \n </title><meta property='og:title' content='  '>\
            <meta property='og:site_name' content=' The\t Daily '><meta name=author content=''></head>\
            <body><h1>  Rates\n\n rise  </h1></body></html>";
        let found = page(html);
        assert_eq!(found.title, some("Rates rise"));
        assert_eq!(found.source, some("The Daily"));
        assert_eq!(
            (found.language, found.byline, found.published, found.url),
            (None, None, None, None)
        );
        assert_eq!(page(""), Metadata::default());
    }

    #[test]
    fn json_ld_article_fields() {
        let found = json_ld(&[LD_ARTICLE]).unwrap();
        assert_eq!(
            found,
            JsonLdArticle {
                headline: some("Ld headline"),
                body: some("The body.\n\nSecond paragraph."),
                published: some("2019-11-19T13:03:00Z"),
                author: some("Ld Author"),
                publisher: some("Ld Publisher"),
                url: some("https://example.com/ld"),
            }
        );
        // No article typed: nothing.
        assert_eq!(
            json_ld(&[r#"{"@type": "WebPage", "headline": "Not an article"}"#]),
            None
        );
        assert_eq!(json_ld(&[]), None);
    }

    #[test]
    fn json_ld_in_graphs_arrays_and_lists_of_types() {
        let graph = r#"{"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "@id": "https://s.com/#website", "name": "Site"},
            {"@type": "Organization", "@id": "https://s.com/#org", "name": "Site Inc"},
            {"@type": "Person", "@id": "https://s.com/#jane", "name": "Jane Doe"},
            {"@type": ["Article", "NewsArticle"], "headline": "In a graph",
             "author": [{"@id": "https://s.com/#jane"}, {"@type": "Person", "name": "John Roe"}, "Jane Doe"],
             "publisher": {"@id": "https://s.com/#org"}}]}"#;
        let found = json_ld(&[graph]).unwrap();
        assert_eq!(found.headline, some("In a graph"));
        assert_eq!(found.author, some("Jane Doe, John Roe"));
        assert_eq!(found.publisher, some("Site Inc"));
        let array = r#"[{"@type": "BreadcrumbList"}, {"@type": "http://schema.org/BlogPosting", "headline": "In an array"}]"#;
        assert_eq!(json_ld(&[array]).unwrap().headline, some("In an array"));
        let main_entity =
            r#"{"@type": "WebPage", "mainEntity": {"@type": "ReportageNewsArticle", "headline": "Main"}}"#;
        assert_eq!(json_ld(&[main_entity]).unwrap().headline, some("Main"));
        // The author's @id in another block of the page.
        let person = r##"{"@type": "Person", "@id": "#a", "name": "Ann Lee"}"##;
        let article = r##"{"@type": "LiveBlogPosting", "author": {"@id": "#a"}}"##;
        assert_eq!(json_ld(&[person, article]).unwrap().author, some("Ann Lee"));
    }

    #[test]
    fn broken_json_ld_is_read_as_far_as_it_goes() {
        let headline = |block: &str| json_ld(&[block]).and_then(|found| found.headline);
        let cases = [
            // Trailing and doubled commas, a JavaScript comment.
            r#"{"@type": "NewsArticle", "keywords": ["a", "b", ], "headline": "Read",, }"#,
            r#"{"@type": "NewsArticle", // "Person",
                "headline": "Read" /* a block comment */ }"#,
            // Wrapped in an HTML comment or a CDATA section.
            r#"<!-- {"@type": "NewsArticle", "headline": "Read"} -->"#,
            r#"//<![CDATA[
                {"@type": "NewsArticle", "headline": "Read"}
                //]]>"#,
            // A raw line break and tab inside a string, an escaped apostrophe, single quotes.
            "{\"@type\": \"NewsArticle\", \"description\": \"one\ntwo\tthree\", \"headline\": \"Read\"}",
            r#"{"@type": "NewsArticle", "description": "it\'s", "headline": "Read"}"#,
            r#"{"@type": "NewsArticle", 'description': 'say "hi"', "headline": "Read"}"#,
            // Several objects, one after another or comma-separated.
            r#"{"@type": "WebSite"} {"@type": "NewsArticle", "headline": "Read"}"#,
            r#"{"@type": "WebSite"}, {"@type": "NewsArticle", "headline": "Read"};"#,
            // A stray closing brace: what came before it is kept.
            r#"{"@type": "NewsArticle", "headline": "Read", "image": {"url": "x"}}, "description": "lost"}"#,
        ];
        for case in cases {
            assert_eq!(headline(case), some("Read"), "{case}");
        }
        // Beyond repair: nothing, and no panic.
        for case in [
            r#"{"@type": "NewsArticle", "description": "a "quoted" word", "headline": "Lost"}"#,
            "{\"@type\": \"NewsArticle\", \"headline\": \"unclosed",
            "\\",
            "'",
            "/*",
            "&#xFFFFFFFF; &#0; &",
        ] {
            assert_eq!(headline(case), None, "{case}");
        }
        let deep = "[".repeat(100_000);
        assert_eq!(headline(&deep), None);
    }

    #[test]
    fn character_references_in_json_ld_are_decoded() {
        let block = r#"{"@type": "Article", "headline": "Chelsea&#8217;s &#163;71.6m &amp; more&nbsp;here &#x2014; &bogus; & &#;"}"#;
        assert_eq!(
            json_ld(&[block]).unwrap().headline,
            some("Chelsea’s £71.6m & more here — &bogus; & &#;")
        );
    }

    #[test]
    fn a_large_json_ld_block_is_read_whole() {
        let paragraph = r#"A sentence of the article body, with \"quotes\" and \\ backslashes.\n"#;
        let body = paragraph.repeat(20_000);
        let block =
            format!("{{\"@type\": \"NewsArticle\", \"articleBody\": \"{body}\", \"headline\": \"Big\",}}");
        let found = json_ld(&[&block]).unwrap();
        assert_eq!(found.headline, some("Big"));
        assert_eq!(
            found.body.map(|body| body.len()),
            Some(body.len() - 20_000 * 4 - 1)
        );
    }
}

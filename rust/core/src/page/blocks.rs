//! A page's visible text as blocks: the runs of inline content between block-level
//! boundaries, each with the element that holds it and how much of it is link text.
//!
//! Blocks are what the article detector scores. What a reader never sees (scripts,
//! styles, hidden elements, svg and math, form controls) and what is surely not the article
//! (navigation, comment sections, share rows, related links, cookie dialogs: see
//! [`furniture`]) is left out as the caller decides.

use super::tree::{NodeData, Tree, DOCUMENT};
use crate::pyunicode::is_space;

pub struct Block {
    /// Words separated by single spaces; a `<br>` is a line break.
    pub text: String,
    /// The block-level element the text sits in directly.
    pub owner: usize,
    /// Characters that are not white space, and how many of them are inside links.
    pub chars: usize,
    pub link_chars: usize,
    /// Inside `<h1>`..`<h6>`, and which level.
    pub heading: Option<u8>,
}

pub struct Walk {
    pub blocks: Vec<Block>,
    /// The elements walked (not left out), parents before their children.
    pub elements: Vec<usize>,
    /// Each text node's characters, the element it sits in and the block it joined: what an
    /// inline element (a `<span>` around a whole post) holds, which its blocks do not say.
    pub texts: Vec<TextPiece>,
}

pub struct TextPiece {
    pub element: usize,
    pub block: usize,
    pub chars: usize,
}

/// Elements never shown, or never part of an article's text.
const INVISIBLE: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "object", "embed", "canvas", "select",
    "textarea", "button", "input", "option", "datalist", "map", "audio", "video", "dialog", "title",
];

/// Elements whose start and end break the text into blocks (a browser shows them on lines of their own).
const BLOCK_LEVEL: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "caption",
    "ul",
    "legend",
    "html",
];

/// Elements that are furniture by their kind, unless they hold the page's prose (an `<aside
/// class=blogPost>` that is the post).
const FURNITURE_TAGS: &[&str] = &["nav", "aside", "figcaption", "menu"];

/// Words in a class or id that mark a comment section.
const COMMENT_WORDS: &[&str] = &["comment", "disqus"];

/// Words in a class that name a line of text about the article (a caption, a byline), never
/// paragraphs of it: an element so named that holds paragraphs was named by accident (a post
/// pasted into a caption's `<div>`).
const LABEL_WORDS: &[&str] = &["caption", "byline", "credit", "author"];

pub fn names_a_label(tree: &Tree, node: usize) -> bool {
    let words = lowered_class_and_id(tree, node);
    LABEL_WORDS.iter().any(|word| words.contains(word))
}

/// Whether an element starts and ends a block of its own.
pub fn is_block_level(name: &str) -> bool {
    BLOCK_LEVEL.contains(&name)
}

/// Roles that mark page furniture (WAI-ARIA landmarks and widgets that are never the story).
const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
    "search",
    "alert",
    "tablist",
];

/// Words in a class or id that mark furniture whatever else the class says (unless it holds the
/// page's prose).
const FURNITURE_ALWAYS: &[&str] = &[
    "related",
    "share",
    "sharing",
    "social",
    "newsletter",
    "cookie",
    "consent",
    "gdpr",
    "outbrain",
    "taboola",
    "recirc",
    "byline",
    "caption",
    "paywall",
    "guideline",
];

/// Words in a class or id that mark furniture unless the class also says it is content.
const FURNITURE_UNLESS_CONTENT: &[&str] = &[
    "footer",
    "header",
    "masthead",
    "menu",
    "nav",
    "banner",
    "widget",
    "toolbar",
    "popup",
    "modal",
    "overlay",
    "login",
    "author",
    "dateline",
    "timestamp",
    "date",
    "credit",
    "meta",
    "extra",
    "hidden",
    "sidebar",
    "pager",
    "pagination",
    "breadcrumb",
    "read-more",
    "readmore",
    "also-read",
    "more-stories",
    "subscri",
    "signup",
    "sign-up",
    "promo",
    "recommend",
    "trending",
    "popular",
    "most-read",
    "mostread",
    "advert",
    "sponsor",
    "copyright",
    "disclaim",
    "profile",
    "legal",
    "tags",
    "tag-list",
    "taglist",
    "keywords",
    "respond",
    "skip-link",
    "sr-only",
    "visually-hidden",
    "screen-reader",
    "print-only",
];

/// Words in a class or id that mark the article's content.
const CONTENT_WORDS: &[&str] = &[
    "article", "content", "entry", "main", "post", "story", "body", "text", "blog",
];

/// Elements that frame the whole page: their classes describe the page, not a part of it.
const PAGE_FRAMES: &[&str] = &["html", "body", "main", "article"];

/// How surely an element is furniture by its markup.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Furniture {
    No,
    /// A class that often names furniture but could be the article's too.
    Likely,
    /// A furniture element (`<nav>`, `<aside>`), or a class that names furniture whatever
    /// else it says (a share row, a byline, related links).
    Named,
    /// A landmark role, a comment section: never the article.
    Surely,
}

pub fn lowered_class_and_id(tree: &Tree, node: usize) -> String {
    let class = tree.attribute(node, "class").unwrap_or("");
    let id = tree.attribute(node, "id").unwrap_or("");
    format!("{class} {id}").to_lowercase()
}

/// An `ad`/`ads` word of a class or id (`ad-slot`, `top-ads`), not `head` or `shadow`.
fn names_an_ad(words: &str) -> bool {
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == "ad" || word == "ads" || word == "adv" || word == "advertisement")
}

/// Page furniture by its markup: a landmark role, or a class or id that names it.
pub fn furniture(tree: &Tree, node: usize) -> Furniture {
    let name = tree.html_name(node);
    if PAGE_FRAMES.contains(&name) {
        return Furniture::No;
    }
    if let Some(role) = tree.attribute(node, "role") {
        if FURNITURE_ROLES.contains(&role.trim().to_ascii_lowercase().as_str()) {
            return Furniture::Surely;
        }
    }
    if tree
        .attribute(node, "itemprop")
        .is_some_and(|value| value.to_ascii_lowercase().contains("comment"))
    {
        return Furniture::Surely;
    }
    let words = lowered_class_and_id(tree, node);
    if words.trim().is_empty() {
        return if FURNITURE_TAGS.contains(&name) {
            Furniture::Named
        } else {
            Furniture::No
        };
    }
    if COMMENT_WORDS.iter().any(|word| words.contains(word)) && !words.contains("commentary") {
        return Furniture::Surely;
    }
    if FURNITURE_TAGS.contains(&name) || FURNITURE_ALWAYS.iter().any(|word| words.contains(word)) {
        return Furniture::Named;
    }
    // Content words begin a word of the class (`article-body`, `entry-content`), not end one (`dfp-incontent`).
    let content = words
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| CONTENT_WORDS.iter().any(|content| word.starts_with(content)));
    if !content && (names_an_ad(&words) || FURNITURE_UNLESS_CONTENT.iter().any(|word| words.contains(word))) {
        return Furniture::Likely;
    }
    Furniture::No
}

/// Not shown: the `hidden` attribute, `aria-hidden`, or an inline style that hides it.
pub fn is_hidden(tree: &Tree, node: usize) -> bool {
    if tree.attribute(node, "hidden").is_some() {
        return true;
    }
    if tree
        .attribute(node, "aria-hidden")
        .is_some_and(|value| value.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    tree.attribute(node, "style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|&c| !is_space(c))
            .collect::<String>()
            .to_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The block being gathered.
#[derive(Default)]
struct Pending {
    text: String,
    chars: usize,
    link_chars: usize,
    /// A space is owed before the next word.
    space: bool,
}

impl Pending {
    /// Adds a text node's text; returns its characters that are not white space.
    fn add(&mut self, text: &str, in_link: bool, preformatted: bool) -> usize {
        let before = self.chars;
        for character in text.chars() {
            if preformatted && character == '\n' {
                self.line_break();
            } else if is_space(character) {
                self.space = !self.text.is_empty() && !self.text.ends_with('\n');
            } else {
                if self.space {
                    self.text.push(' ');
                    self.space = false;
                }
                self.text.push(character);
                self.chars += 1;
                self.link_chars += usize::from(in_link);
            }
        }
        self.chars - before
    }

    fn line_break(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.space = false;
    }
}

enum Step {
    Enter(usize),
    Leave(usize),
}

/// The visible blocks of the page under `<body>` (or the whole document when there is none),
/// leaving out the elements `left_out` names (furniture, by the caller's judgement).
pub fn walk(tree: &Tree, left_out: impl Fn(usize) -> bool) -> Walk {
    let root = tree.first("body").unwrap_or(DOCUMENT);
    let mut walk = Walk {
        blocks: Vec::new(),
        elements: Vec::new(),
        texts: Vec::new(),
    };
    let mut pending = Pending::default();
    // The block-level elements open around the text, innermost last.
    let mut owners: Vec<usize> = vec![root];
    let mut links = 0usize;
    let mut preformatted = 0usize;
    let mut headings: Vec<u8> = Vec::new();
    let mut steps = vec![Step::Enter(root)];
    while let Some(step) = steps.pop() {
        match step {
            Step::Enter(node) => match &tree.nodes[node].data {
                NodeData::Text(text) => {
                    let chars = pending.add(text, links > 0, preformatted > 0);
                    if let (true, Some(element)) = (chars > 0, tree.nodes[node].parent) {
                        walk.texts.push(TextPiece {
                            element,
                            block: walk.blocks.len(),
                            chars,
                        });
                    }
                }
                NodeData::Element(element) => {
                    let name: &str = &element.name;
                    let shown = element.html && !INVISIBLE.contains(&name) && !is_hidden(tree, node);
                    if node != root && (!shown || left_out(node)) {
                        continue;
                    }
                    walk.elements.push(node);
                    if name == "br" {
                        pending.line_break();
                        continue;
                    }
                    if name == "td" || name == "th" || name == "img" {
                        pending.space = !pending.text.is_empty();
                    }
                    if BLOCK_LEVEL.contains(&name) {
                        flush(&mut pending, &mut walk, &owners, &headings);
                        owners.push(node);
                    }
                    if name == "a" {
                        links += 1;
                    }
                    if name == "pre" {
                        preformatted += 1;
                    }
                    if let Some(level) = heading_level(name) {
                        headings.push(level);
                    }
                    steps.push(Step::Leave(node));
                    enter_children(tree, node, &mut steps);
                }
                NodeData::Document => enter_children(tree, node, &mut steps),
                NodeData::Other => {}
            },
            Step::Leave(node) => {
                let name = tree.html_name(node);
                if BLOCK_LEVEL.contains(&name) {
                    flush(&mut pending, &mut walk, &owners, &headings);
                    owners.pop();
                }
                if name == "td" || name == "th" {
                    pending.space = !pending.text.is_empty();
                }
                if name == "a" {
                    links = links.saturating_sub(1);
                }
                if name == "pre" {
                    preformatted = preformatted.saturating_sub(1);
                }
                if heading_level(name).is_some() {
                    headings.pop();
                }
            }
        }
    }
    flush(&mut pending, &mut walk, &owners, &headings);
    walk
}

/// Queues `node`'s children to be entered next, in document order.
fn enter_children(tree: &Tree, node: usize, steps: &mut Vec<Step>) {
    steps.extend(
        tree.nodes[node]
            .children
            .iter()
            .rev()
            .map(|&child| Step::Enter(child)),
    );
}

fn flush(pending: &mut Pending, walk: &mut Walk, owners: &[usize], headings: &[u8]) {
    let gathered = std::mem::take(pending);
    let text = gathered.text.trim_end_matches('\n').to_string();
    if gathered.chars == 0 {
        return;
    }
    walk.blocks.push(Block {
        text,
        owner: owners.last().copied().unwrap_or(DOCUMENT),
        chars: gathered.chars,
        link_chars: gathered.link_chars,
        heading: headings.last().copied(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::tree::Tree;

    fn texts(html: &str) -> Vec<String> {
        let tree = Tree::parse(html);
        walk(&tree, |_| false)
            .blocks
            .into_iter()
            .map(|block| block.text)
            .collect()
    }

    #[test]
    fn br_separated_text_keeps_its_lines() {
        let html = "<body><div>First line of the story.<br>Second line.<br><br>Third   line.</div></body>";
        assert_eq!(
            texts(html),
            ["First line of the story.\nSecond line.\nThird line."]
        );
    }

    #[test]
    fn scripts_styles_noscript_and_svg_are_not_text() {
        let html =
            "<html><head><noscript><p>Please enable JavaScript.</p></noscript><style>p{}</style></head>\
                    <body><p>Share <svg><title>Twitter</title><path d='M0 0'/></svg> this.</p>\
                    <script>var a = '<p>no</p>';</script><svg><p>Breakout paragraph.</p></svg></body></html>";
        assert_eq!(texts(html), ["Share this.", "Breakout paragraph."]);
    }

    #[test]
    fn a_conditional_comment_and_a_stray_endif_hide_nothing_after_them() {
        let html = "<body><!--[if lt IE 9]><p>Old browser.</p><![endif]--><p>Lead paragraph.</p><![endif]-->\
                    <p>Article text after the stray marker.</p><script>if (a[b[0]]> 1) {}</script><p>Tail.</p></body>";
        assert_eq!(
            texts(html),
            ["Lead paragraph.", "Article text after the stray marker.", "Tail."]
        );
    }

    #[test]
    fn layout_tables_and_fostered_paragraphs_read_in_order() {
        let html = "<body><table><tr><td><a href=/>Home</a></td><td><p>Article text in a cell.</p></td></tr></table>\
                    <table><p>Fostered paragraph.<tr><td>Cell one</td><td>cell two.</td></tr></table></body>";
        assert_eq!(
            texts(html),
            [
                "Home",
                "Article text in a cell.",
                "Fostered paragraph.",
                "Cell one cell two."
            ]
        );
    }

    #[test]
    fn a_nul_byte_in_a_word_is_dropped_as_a_browser_drops_it() {
        assert_eq!(texts("<body><p>Arti\u{0}cle text.</p></body>"), ["Article text."]);
    }

    #[test]
    fn hidden_elements_are_not_text() {
        let html =
            "<body><p hidden>One.</p><p aria-hidden=\"true\">Two.</p><p style=\"display: none\">Three.</p>\
                    <p>Four.</p></body>";
        assert_eq!(texts(html), ["Four."]);
    }

    #[test]
    fn furniture_by_role_and_class() {
        let tree = Tree::parse(
            "<body><div role=navigation id=a></div><div class='comments-area' id=b></div>\
             <div class='l-sidebar-fixed l-article-body' id=c></div><div class='sidebar' id=d></div>\
             <div class='commentary' id=e></div><div class='top-ad' id=f></div><div class='header' id=g></div></body>",
        );
        let judged: Vec<(String, Furniture)> = tree
            .descendants(DOCUMENT)
            .filter_map(|node| {
                tree.attribute(node, "id")
                    .map(|id| (id.to_string(), furniture(&tree, node)))
            })
            .collect();
        let expected = [
            ("a", Furniture::Surely),
            ("b", Furniture::Surely),
            ("c", Furniture::No),
            ("d", Furniture::Likely),
            ("e", Furniture::No),
            ("f", Furniture::Likely),
            ("g", Furniture::Likely),
        ];
        let expected: Vec<(String, Furniture)> = expected
            .iter()
            .map(|(id, kind)| (id.to_string(), *kind))
            .collect();
        assert_eq!(judged, expected);
    }
}

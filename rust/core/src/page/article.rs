//! Where the article is in a page's tree, and its paragraphs.
//!
//! The page's own marks come first: the elements marked `itemprop=articleBody`, when they
//! hold a story's worth of text, are the article. Otherwise the container is found by where
//! the prose concentrates, the signal of the boilerpipe / readability family: each paragraph
//! of some length scores the element that holds it fully and its further ancestors less, by
//! its length and its commas; an element's score is discounted by its share of link text
//! (lists of other stories are mostly links) and moved by its kind and by what its class
//! says. The best element (inside the page's one `<article>` when that holds a good share of
//! the prose) is widened to a parent that scores higher, and joined by siblings that score
//! close to it and by nearby elements of its own class (sections of one template). Within
//! them, the page's headline (`<h1>`) and blocks that are mostly links are left out.
//!
//! Furniture is judged before any of this (`blocks::furniture`): what is surely furniture
//! (comment sections, landmarks) never counts; what is named like furniture counts only
//! when it holds a good share of the page's prose (see `prose_holders`), which a class
//! name chosen by accident does and a real sidebar seldom does.

use super::blocks::{
    furniture, is_block_level, lowered_class_and_id, names_a_label, walk, Block, Furniture, Walk,
};
use super::tree::{Tree, DOCUMENT};
use crate::pyunicode::is_space;
use crate::text::tokens;
use std::collections::HashSet;

/// A paragraph shorter than this (in characters) scores nothing: captions, labels, buttons.
const SCORED_PARAGRAPH_CHARS: usize = 25;
/// Ancestors a paragraph scores, nearest first, and the divisor of its score at each.
const ANCESTOR_DIVISORS: [f64; 5] = [1.0, 2.0, 6.0, 9.0, 12.0];
/// The `articleBody` elements are the article when they hold at least this many characters
/// (one element, or one per paragraph as some sites mark them).
const MARKED_BODY_CHARS: usize = 200;
/// Blocks more than this share link text are link lists, not the article's paragraphs.
const LINK_BLOCK_SHARE: f64 = 0.5;
/// A block mostly of links is still a paragraph when this many of its characters are not links.
const LINKED_PARAGRAPH_OWN_CHARS: usize = 100;
/// A sibling of the best element joins it when it scores this share of the best's score.
const SIBLING_SHARE: f64 = 0.2;
/// The page's one `<article>` holds the article when it holds this share of the page's prose.
const ARTICLE_PROSE_SHARE: f64 = 0.4;
/// An element that sounds like furniture but holds this share of the page's prose (walked with
/// only comment sections and landmarks left out) stays: a post pasted inside three
/// `<span class=byline-author>`s holds about a third of it in each.
const PROSE_HOLDER_SHARE: f64 = 0.25;
/// ... and at least this much of it: on a page of two lines, a comment form's line is no article.
const PROSE_HOLDER_CHARS: usize = 300;
/// An inline element (a `<span>`) holding this much prose is no byline or caption, whatever its class.
const INLINE_PROSE_CHARS: usize = 200;
/// A caption or byline holding this much prose holds paragraphs: the article's, named by accident.
const LABEL_PROSE_CHARS: usize = 400;
/// A JSON-LD `articleBody` this long checks the article found (shorter ones are teasers).
const DECLARED_BODY_CHARS: usize = 500;
/// The article found stands when it holds this share of the declared body's words, and this
/// share of its own words (each time written) are the body's.
const DECLARED_BODY_SHARE: f64 = 0.5;
const DECLARED_OWN_SHARE: f64 = 0.75;
/// A block is the declared body's when it has this many words, and this share of them is the body's.
const DECLARED_BLOCK_WORDS: usize = 5;
const DECLARED_BLOCK_SHARE: f64 = 0.8;
/// How far above the best element its cousins (see [`cousins`]) may meet it.
const COUSIN_LEVELS: usize = 6;
/// What the class or id of an element adds to its score when it names content or furniture.
const CLASS_WEIGHT: f64 = 25.0;

/// Elements that are a paragraph themselves: their text scores the element around them.
const PARAGRAPHS: &[&str] = &[
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "dd", "tr", "caption", "summary", "legend",
    "address", "figure", "hr",
];

const CONTENT_CLASSES: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog",
    "story",
];
const FURNITURE_CLASSES: &[&str] = &[
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "foot",
    "footer",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
    "teaser",
    "card",
    "list",
];

/// The article found in a page: the element that holds it (None when nothing scored and
/// the page's visible text was taken whole) and its paragraphs in order.
pub struct Found {
    pub container: Option<usize>,
    pub paragraphs: Vec<String>,
}

fn class_weight(tree: &Tree, node: usize) -> f64 {
    let words = lowered_class_and_id(tree, node);
    let mut weight = 0.0;
    if CONTENT_CLASSES.iter().any(|word| words.contains(word)) {
        weight += CLASS_WEIGHT;
    }
    if FURNITURE_CLASSES.iter().any(|word| words.contains(word)) {
        weight -= CLASS_WEIGHT;
    }
    weight
}

/// What an element's kind says before its paragraphs speak: prose sits in divisions and
/// cells, lists and headings hold little of it.
fn tag_weight(name: &str) -> f64 {
    match name {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// What a paragraph adds to the elements around it: more for a long one, and for each comma
/// (prose has clauses, furniture lists and labels seldom do). Each line of a block is a
/// paragraph of its own, as text separated by `<br>`s is.
fn paragraph_score(block: &Block) -> f64 {
    block
        .text
        .split('\n')
        .map(|line| (line, line.chars().filter(|&c| !is_space(c)).count()))
        .filter(|(_, chars)| *chars >= SCORED_PARAGRAPH_CHARS)
        .map(|(line, chars)| {
            let commas = line
                .chars()
                .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
                .count();
            1.0 + commas as f64 + (chars as f64 / 100.0).min(3.0)
        })
        .sum()
}

fn is_marked_body(tree: &Tree, node: usize) -> bool {
    tree.attribute(node, "itemprop").is_some_and(|value| {
        value
            .split_ascii_whitespace()
            .any(|word| word.eq_ignore_ascii_case("articlebody"))
    })
}

/// Per element: characters of text below it, and how many are link text.
struct Totals {
    chars: Vec<usize>,
    link_chars: Vec<usize>,
}

impl Totals {
    fn of(tree: &Tree, walk: &Walk) -> Totals {
        let mut totals = Totals {
            chars: vec![0; tree.nodes.len()],
            link_chars: vec![0; tree.nodes.len()],
        };
        for block in &walk.blocks {
            totals.chars[block.owner] += block.chars;
            totals.link_chars[block.owner] += block.link_chars;
        }
        for &element in walk.elements.iter().rev() {
            if let Some(parent) = tree.nodes[element].parent {
                totals.chars[parent] += totals.chars[element];
                totals.link_chars[parent] += totals.link_chars[element];
            }
        }
        totals
    }

    fn link_share(&self, node: usize) -> f64 {
        if self.chars[node] == 0 {
            return 0.0;
        }
        self.link_chars[node] as f64 / self.chars[node] as f64
    }
}

/// The nodes not below another of them, in document order (`nodes` in document order).
fn outermost(tree: &Tree, nodes: &[usize]) -> Vec<usize> {
    let mut covered = vec![false; tree.nodes.len()];
    let mut kept = Vec::new();
    for &node in nodes {
        if !covered[node] {
            kept.push(node);
            for below in tree.descendants(node) {
                covered[below] = true;
            }
        }
    }
    kept
}

/// The elements that hold the page's own marks of the article, and their ancestors: never furniture.
/// The page's marks: its `articleBody` elements, its one `<article>` (None when it has
/// several, a list of teasers), and the elements that hold either (never furniture).
fn marked(tree: &Tree) -> (Vec<usize>, Option<usize>, HashSet<usize>) {
    let bodies: Vec<usize> = tree
        .descendants(DOCUMENT)
        .filter(|&node| is_marked_body(tree, node))
        .collect();
    let articles: Vec<usize> = tree
        .descendants(DOCUMENT)
        .filter(|&node| tree.html_name(node) == "article")
        .collect();
    let mut kept = HashSet::new();
    let single_article = if articles.len() == 1 {
        articles.clone()
    } else {
        Vec::new()
    };
    for &mark in bodies.iter().chain(&single_article) {
        let mut node = Some(mark);
        while let Some(current) = node {
            if !kept.insert(current) {
                break;
            }
            node = tree.nodes[current].parent;
        }
    }
    (bodies, single_article.first().copied(), kept)
}

/// A paragraph of prose: long enough to score, and mostly not links.
fn is_prose(block: &Block) -> bool {
    block.heading.is_none()
        && block.chars >= SCORED_PARAGRAPH_CHARS
        && (block.link_chars as f64) <= LINK_BLOCK_SHARE * block.chars as f64
}

/// The elements that hold at least a quarter of the page's prose (walked with only what is surely
/// furniture left out), and their ancestors: a class that merely sounds like furniture
/// (`l-sidebar-fixed`, `pagebuilder-pagerow`) does not take the article away.
fn prose_holders(tree: &Tree, judged: &[Furniture]) -> HashSet<usize> {
    let walked = walk(tree, |node| judged[node] == Furniture::Surely);
    let mut prose = vec![0usize; tree.nodes.len()];
    for piece in walked
        .texts
        .iter()
        .filter(|piece| walked.blocks.get(piece.block).is_some_and(is_prose))
    {
        prose[piece.element] += piece.chars;
    }
    for &element in walked.elements.iter().rev() {
        if let Some(parent) = tree.nodes[element].parent {
            prose[parent] += prose[element];
        }
    }
    let total: usize = walked
        .blocks
        .iter()
        .filter(|block| is_prose(block))
        .map(|block| block.chars)
        .sum();
    walked
        .elements
        .iter()
        .copied()
        .filter(|&element| {
            let held = prose[element];
            total > 0
                && (held as f64 >= PROSE_HOLDER_SHARE * total as f64 && held >= PROSE_HOLDER_CHARS
                    || (held >= INLINE_PROSE_CHARS && !is_block_level(tree.html_name(element)))
                    || (held >= LABEL_PROSE_CHARS && names_a_label(tree, element)))
        })
        .collect()
}

/// Scores of the elements that paragraphs scored (None for the others), link share applied.
fn scores(tree: &Tree, walk: &Walk, totals: &Totals) -> Vec<Option<f64>> {
    let mut raw: Vec<Option<f64>> = vec![None; tree.nodes.len()];
    for block in walk.blocks.iter().filter(|block| block.heading.is_none()) {
        if block.chars < SCORED_PARAGRAPH_CHARS {
            continue;
        }
        let score = paragraph_score(block);
        // Text directly in a division is a paragraph of that division's, which holds it.
        let mut ancestor = if PARAGRAPHS.contains(&tree.html_name(block.owner)) {
            tree.nodes[block.owner].parent
        } else {
            Some(block.owner)
        };
        for divisor in ANCESTOR_DIVISORS {
            let Some(node) = ancestor.filter(|&node| tree.element(node).is_some()) else {
                break;
            };
            let entry =
                raw[node].get_or_insert_with(|| tag_weight(tree.html_name(node)) + class_weight(tree, node));
            *entry += score / divisor;
            ancestor = tree.nodes[node].parent;
        }
    }
    raw.iter()
        .enumerate()
        .map(|(node, score)| score.map(|score| score * (1.0 - totals.link_share(node))))
        .collect()
}

/// The best-scoring element (the first in document order on a tie), inside `article` when given.
fn best(tree: &Tree, walk: &Walk, scores: &[Option<f64>], article: Option<usize>) -> Option<usize> {
    let in_article = article.map(|article| inside(tree, &[article]));
    let mut best: Option<(usize, f64)> = None;
    for &element in walk
        .elements
        .iter()
        .filter(|&&element| in_article.as_ref().is_none_or(|inside| inside[element]))
    {
        if let Some(score) = scores[element] {
            if best.is_none_or(|(_, top)| score > top) {
                best = Some((element, score));
            }
        }
    }
    best.map(|(element, _)| element)
}

/// The best element, widened to a parent that scores higher still (the article's paragraphs
/// split between sections), and its siblings that score close to it.
fn containers(
    tree: &Tree,
    best: usize,
    scores: &[Option<f64>],
    totals: &Totals,
    elements: &[usize],
) -> Vec<usize> {
    let top_score = scores[best].unwrap_or(0.0);
    let mut top = best;
    let mut last = top_score;
    let mut parent = tree.nodes[top].parent;
    while let Some(node) =
        parent.filter(|&node| tree.html_name(node) != "body" && tree.element(node).is_some())
    {
        let Some(score) = scores[node] else { break };
        if score < top_score / 3.0 {
            break;
        }
        if score > last {
            top = node;
        }
        last = score;
        parent = tree.nodes[node].parent;
    }
    let Some(parent) = tree.nodes[top].parent else {
        return vec![top];
    };
    let top_score = scores[top].unwrap_or(top_score);
    let threshold = (top_score * SIBLING_SHARE).max(10.0);
    let top_class = tree.attribute(top, "class").unwrap_or("");
    let mut chosen: Vec<usize> = tree.nodes[parent]
        .children
        .iter()
        .copied()
        .filter(|&sibling| {
            if sibling == top {
                return true;
            }
            if tree.element(sibling).is_none() || totals.chars[sibling] == 0 {
                return false;
            }
            let bonus = if !top_class.is_empty() && tree.attribute(sibling, "class") == Some(top_class) {
                top_score * SIBLING_SHARE
            } else {
                0.0
            };
            scores[sibling].is_some_and(|score| score + bonus >= threshold)
        })
        .collect();
    chosen.extend(cousins(tree, top, scores, elements, threshold));
    chosen
}

/// Elements of the best's kind and class near it that score above `threshold`: an article
/// split into sections made from one template (each section its own `div.post__content`).
fn cousins(
    tree: &Tree,
    top: usize,
    scores: &[Option<f64>],
    elements: &[usize],
    threshold: f64,
) -> Vec<usize> {
    let class = tree.attribute(top, "class").unwrap_or("");
    if class.trim().is_empty() {
        return Vec::new();
    }
    let mut near = top;
    for _ in 0..COUSIN_LEVELS {
        match tree.nodes[near].parent {
            Some(parent) if tree.html_name(parent) != "body" && tree.element(parent).is_some() => {
                near = parent
            }
            _ => break,
        }
    }
    let (near_by, below_top) = (inside(tree, &[near]), inside(tree, &[top]));
    let mut above_top = HashSet::new();
    let mut ancestor = tree.nodes[top].parent;
    while let Some(node) = ancestor {
        above_top.insert(node);
        ancestor = tree.nodes[node].parent;
    }
    elements
        .iter()
        .copied()
        .filter(|&element| {
            near_by[element]
                && !below_top[element]
                && !above_top.contains(&element)
                && tree.html_name(element) == tree.html_name(top)
                && tree.attribute(element, "class") == Some(class)
                && scores[element].is_some_and(|score| score >= threshold)
        })
        .collect()
}

/// Whether a block belongs in the article's text: not the page's headline, and not mostly
/// links unless the words around the links make a paragraph (a lede whose names are links).
fn is_article_text(block: &Block) -> bool {
    if block.heading == Some(1) {
        return false;
    }
    (block.link_chars as f64) <= LINK_BLOCK_SHARE * block.chars as f64
        || block.chars - block.link_chars >= LINKED_PARAGRAPH_OWN_CHARS
}

fn inside(tree: &Tree, containers: &[usize]) -> Vec<bool> {
    let mut within = vec![false; tree.nodes.len()];
    for &container in containers {
        for node in tree.descendants(container) {
            within[node] = true;
        }
    }
    within
}

/// What the detector saw of a page: its blocks, the marked body if one holds the article,
/// and every scored element with its score (link share applied).
pub struct Analysis {
    pub walk: Walk,
    /// The elements marked `itemprop=articleBody` (the outermost, shown), when they hold a story's worth.
    pub marked_bodies: Vec<usize>,
    pub scores: Vec<Option<f64>>,
    /// The page's one `<article>` when it holds a good share of the prose: the article is in it.
    pub article: Option<usize>,
    totals: Totals,
}

impl Analysis {
    pub fn of(tree: &Tree) -> Analysis {
        let (bodies, article, kept) = marked(tree);
        let judged: Vec<Furniture> = (0..tree.nodes.len()).map(|node| furniture(tree, node)).collect();
        let prose = prose_holders(tree, &judged);
        let walk = walk(tree, |node| {
            !kept.contains(&node)
                && match judged[node] {
                    Furniture::No => false,
                    Furniture::Likely | Furniture::Named => !prose.contains(&node),
                    Furniture::Surely => true,
                }
        });
        let totals = Totals::of(tree, &walk);
        let marked_bodies = outermost(tree, &bodies)
            .into_iter()
            .filter(|&body| totals.chars[body] > 0)
            .collect::<Vec<_>>();
        let marked_chars: usize = marked_bodies.iter().map(|&body| totals.chars[body]).sum();
        let marked_bodies = if marked_chars >= MARKED_BODY_CHARS {
            marked_bodies
        } else {
            Vec::new()
        };
        let scores = if marked_bodies.is_empty() {
            scores(tree, &walk, &totals)
        } else {
            Vec::new()
        };
        let prose_within = |flags: Option<&[bool]>| -> usize {
            walk.blocks
                .iter()
                .filter(|block| is_prose(block) && flags.is_none_or(|flags| flags[block.owner]))
                .map(|block| block.chars)
                .sum()
        };
        let article = article.filter(|&article| {
            prose_within(Some(&inside(tree, &[article]))) as f64
                >= ARTICLE_PROSE_SHARE * prose_within(None) as f64
        });
        Analysis {
            walk,
            marked_bodies,
            scores,
            article,
            totals,
        }
    }

    /// The elements that hold the article: the marked body, or the best-scoring element with its kin.
    pub fn containers(&self, tree: &Tree) -> Option<Vec<usize>> {
        match self.marked_bodies.is_empty() {
            false => Some(self.marked_bodies.clone()),
            true => best(tree, &self.walk, &self.scores, self.article)
                .map(|top| containers(tree, top, &self.scores, &self.totals, &self.walk.elements)),
        }
    }

    fn paragraphs(&self, within: Option<&[bool]>) -> Vec<String> {
        self.walk
            .blocks
            .iter()
            .filter(|block| within.is_none_or(|within| within[block.owner]) && is_article_text(block))
            .map(|block| block.text.clone())
            .collect()
    }
}

/// The article of a page (its tree already repaired). `declared_body` is the page's JSON-LD
/// `articleBody`, a check on the choice: when the paragraphs found hold little of it, or
/// much besides it, and the element holding the page's paragraphs that are its words fits
/// it on both counts, that element is the article.
pub fn find(tree: &Tree, declared_body: Option<&str>) -> Found {
    let analysis = Analysis::of(tree);
    let mut found = analysis.containers(tree).and_then(|containers| {
        let paragraphs = analysis.paragraphs(Some(&inside(tree, &containers)));
        (!paragraphs.is_empty()).then(|| Found {
            container: containers.first().copied(),
            paragraphs,
        })
    });
    let declared = declared_body
        .filter(|body| body.len() >= DECLARED_BODY_CHARS && analysis.marked_bodies.is_empty())
        .map(words_of);
    if let Some(declared) = declared.filter(|words| !words.is_empty()) {
        // (the share of the declared body held, the share of what is held that is the body's)
        let judge = |paragraphs: &[String]| {
            (
                share_held(&declared, paragraphs),
                share_declared(&declared, paragraphs),
            )
        };
        let fits = |(held, own): (f64, f64)| held >= DECLARED_BODY_SHARE && own >= DECLARED_OWN_SHARE;
        if !found.as_ref().is_some_and(|found| fits(judge(&found.paragraphs))) {
            if let Some(holder) = declared_holder(tree, &analysis, &declared) {
                let paragraphs = analysis.paragraphs(Some(&inside(tree, &[holder])));
                if fits(judge(&paragraphs)) {
                    found = Some(Found {
                        container: Some(holder),
                        paragraphs,
                    });
                }
            }
        }
    }
    found.unwrap_or_else(|| Found {
        container: None,
        paragraphs: analysis.paragraphs(None),
    })
}

/// The words of a text as the fingerprint reads them (`text::tokens`), markup left out (a
/// JSON-LD body may hold tags).
fn words_of(text: &str) -> HashSet<String> {
    let mut visible = String::with_capacity(text.len());
    let mut in_tag = false;
    for character in text.chars() {
        match character {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => visible.push(character),
            _ => {}
        }
    }
    tokens(&visible).iter().map(str::to_string).collect()
}

/// The share of `declared`'s words that the paragraphs hold.
fn share_held(declared: &HashSet<String>, paragraphs: &[String]) -> f64 {
    let found: HashSet<String> = paragraphs
        .iter()
        .flat_map(|paragraph| words_of(paragraph))
        .collect();
    declared.intersection(&found).count() as f64 / declared.len() as f64
}

/// The share of the paragraphs' words (each time it is written) that are the declared
/// body's: not a whole page around it.
fn share_declared(declared: &HashSet<String>, paragraphs: &[String]) -> f64 {
    let (mut own, mut all) = (0usize, 0usize);
    for paragraph in paragraphs {
        for word in tokens(paragraph).iter() {
            all += 1;
            own += usize::from(declared.contains(word));
        }
    }
    own as f64 / all.max(1) as f64
}

/// The nearest element holding every block whose words are mostly the declared body's.
fn declared_holder(tree: &Tree, analysis: &Analysis, declared: &HashSet<String>) -> Option<usize> {
    let owners: Vec<usize> = analysis
        .walk
        .blocks
        .iter()
        .filter(|block| {
            let words = words_of(&block.text);
            words.len() >= DECLARED_BLOCK_WORDS
                && words.iter().filter(|word| declared.contains(*word)).count() as f64
                    >= DECLARED_BLOCK_SHARE * words.len() as f64
        })
        .map(|block| block.owner)
        .collect();
    let depths = depths(tree);
    owners
        .into_iter()
        .reduce(|holder, owner| common_ancestor(tree, &depths, holder, owner))
}

/// Each node's depth below the document.
fn depths(tree: &Tree) -> Vec<usize> {
    let mut depths = vec![0; tree.nodes.len()];
    for node in tree.descendants(DOCUMENT) {
        for &child in &tree.nodes[node].children {
            depths[child] = depths[node] + 1;
        }
    }
    depths
}

fn common_ancestor(tree: &Tree, depths: &[usize], mut a: usize, mut b: usize) -> usize {
    while a != b {
        let (deeper, other) = if depths[a] >= depths[b] { (a, b) } else { (b, a) };
        match tree.nodes[deeper].parent {
            Some(parent) => {
                a = parent;
                b = other;
            }
            None => return DOCUMENT,
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use crate::page::read;
    use crate::page::tree::MAX_DEPTH;

    const PARAGRAPHS: [&str; 3] = [
        "MOSCOW, Oct 24 (Reuters) - President Vladimir Putin on Thursday did not deny that North Korean \
         troops were in Russia, saying it was Moscow's sovereign business how it implemented its treaty.",
        "Asked about satellite images, Putin said: \"Images are a serious thing. If there are images, they \
         reflect something.\" He said the treaty's article four covered mutual assistance.",
        "South Korea and Ukraine say thousands of troops have been sent, and officials in Kyiv said the \
         first units could be deployed to the Kursk region, where Ukraine holds ground, within days.",
    ];

    fn story() -> String {
        PARAGRAPHS
            .iter()
            .map(|paragraph| format!("<p>{paragraph}</p>"))
            .collect()
    }

    fn body() -> String {
        PARAGRAPHS.join("\n\n")
    }

    /// Lists of other stories: links, with a line of summary each.
    fn teasers(class: &str) -> String {
        let items: String = (1..=6)
            .map(|n| {
                format!(
                    "<li><a href=/s{n}>Other headline number {n} about markets and politics</a>\
                     <p>A summary of story {n}, in a sentence.</p></li>"
                )
            })
            .collect();
        format!("<div class='{class}'><ul>{items}</ul></div>")
    }

    #[test]
    fn an_article_inside_one_form_is_found() {
        let page = format!(
            "<html><body><form id=aspnetForm method=post><input type=hidden name=__VIEWSTATE value=x>\
             <div id=menu><a href=/>Home</a> <a href=/world>World</a></div><div id=main><h1>Putin on troops</h1>\
             {}</div>{}</form></body></html>",
            story(),
            teasers("more")
        );
        assert_eq!(read(&page).text, body());
    }

    #[test]
    fn a_short_post_wins_over_its_long_comment_thread() {
        let comments: String = (1..=12)
            .map(|n| {
                format!(
                    "<li class=comment><p>Reader {n} writes, at some length, that the treaty means something \
                     else entirely, and that the satellite images prove nothing at all, in their opinion.</p></li>"
                )
            })
            .collect();
        let page = format!(
            "<body><div class=post><h1>Open thread</h1><p>{}</p></div><section id=comments><ol>{comments}</ol>\
             </section></body>",
            PARAGRAPHS[0]
        );
        assert_eq!(read(&page).text, PARAGRAPHS[0]);
    }

    #[test]
    fn related_links_and_teaser_lists_stay_out() {
        let page = format!(
            "<body><div class=wrapper><div class=story-body>{}</div>{}<div class=related><h3>Related</h3>\
             <ul><li><a href=/r1>Kremlin says talks with Kyiv are frozen, and will stay frozen</a></li></ul></div>\
             </div></body>",
            story(),
            teasers("teaser-list")
        );
        assert_eq!(read(&page).text, body());
    }

    #[test]
    fn captions_bylines_and_date_lines_stay_out() {
        let page = format!(
            "<body><article><h1>Putin on troops</h1><p class=byline>By Guy Faulconbridge</p>\
             <p class=date>October 24, 2024 4:02 PM GMT</p><figure><img src=a.jpg>\
             <figcaption>Russian President Vladimir Putin attends a news conference in Kazan.</figcaption></figure>\
             {}</article></body>",
            story()
        );
        assert_eq!(read(&page).text, body());
    }

    #[test]
    fn the_marked_article_body_wins() {
        let page = format!(
            "<body><div class=content><p>{}</p><p>{}</p></div><div itemprop=articleBody>{}</div></body>",
            PARAGRAPHS[2].repeat(2),
            PARAGRAPHS[1].repeat(2),
            story()
        );
        assert_eq!(read(&page).text, body());
    }

    #[test]
    fn an_article_split_into_sections_of_one_template_is_read_whole() {
        let section = |paragraph: &str| {
            format!(
                "<section class=outer><div class=wrap><div class='post__content wysiwyg'><p>{paragraph}</p>\
                 <p>{paragraph}</p></div></div></section><div class=inline-ad><a href=/x>Subscribe today</a></div>"
            )
        };
        let page = format!(
            "<body><div class=post>{}</div></body>",
            PARAGRAPHS.map(section).join("")
        );
        let doubled: Vec<String> = PARAGRAPHS
            .iter()
            .flat_map(|paragraph| [*paragraph; 2])
            .map(String::from)
            .collect();
        assert_eq!(read(&page).text, doubled.join("\n\n"));
    }

    #[test]
    fn every_paragraph_marked_as_the_article_body_is_read() {
        let marked: String = PARAGRAPHS
            .iter()
            .map(|paragraph| {
                format!("<p itemprop=articleBody>{paragraph}</p><div class=ad>Advertisement</div>")
            })
            .collect();
        let page = format!("<body><div class=story>{marked}</div>{}</body>", teasers("more"));
        assert_eq!(read(&page).text, body());
    }

    #[test]
    fn a_post_inside_elements_named_like_furniture_is_kept() {
        // A post pasted as three spans of two paragraphs, each span a third of the page's prose.
        let spans: String = PARAGRAPHS
            .iter()
            .map(|paragraph| format!("<span class=byline-author><p>{paragraph}</p><p>{paragraph}</p></span>"))
            .collect();
        let doubled: Vec<&str> = PARAGRAPHS.iter().flat_map(|paragraph| [*paragraph; 2]).collect();
        let page = format!("<body><div class=post-body>{spans}</div></body>");
        assert_eq!(read(&page).text, doubled.join("\n\n"));
        let aside = format!("<body><aside class=blogPost>{}</aside></body>", story());
        assert_eq!(read(&aside).text, body());
        // On a page of two lines, a line in a furniture element is furniture.
        let short = format!(
            "<body><p>{}</p><div class=guidelines>Comments may be no longer than 2000 \
                             characters and will post shortly.</div></body>",
            &PARAGRAPHS[0][..100]
        );
        assert_eq!(read(&short).text, &PARAGRAPHS[0][..100]);
    }

    #[test]
    fn the_json_ld_article_body_corrects_a_wrong_choice() {
        let others: String = (1..=4)
            .map(|n| {
                format!(
                    "<p>Story {n} of the day, told at length: the council met on Tuesday, and after a long, \
                     heated debate, with many speakers, amendments and votes, it passed the budget, which \
                     raises taxes, cuts services, and delays the new bridge, again, by a year.</p>"
                )
            })
            .collect();
        let page = format!(
            "<body><div class=short>{}</div><div class=digest>{others}</div></body>",
            story()
        );
        assert!(
            read(&page).text.contains("Story 1 of the day"),
            "the digest outscores the story"
        );
        let declared = body().replace('"', "\\\"");
        let json_ld = format!(
            "<script type=application/ld+json>{{\"@type\": \"NewsArticle\", \"articleBody\": \"{declared}\"}}</script>"
        );
        assert_eq!(
            read(&page.replace("<body>", &format!("<body>{json_ld}"))).text,
            body()
        );
    }

    #[test]
    fn a_page_of_short_lines_gives_them_all_rather_than_nothing() {
        let page =
            "<body><div><span>Closed today.</span></div><div><span>Back on Monday.</span></div></body>";
        assert_eq!(read(page).text, "Closed today.\n\nBack on Monday.");
    }

    #[test]
    fn a_page_nested_past_the_limit_is_read_to_the_limit() {
        let depth = 30_000;
        let page = format!(
            "<body><article>{}{}</article></body>",
            "<div class=post>A line of text in a division, long enough to score.".repeat(depth),
            "</div>".repeat(depth)
        );
        let lines = read(&page).text.matches("A line of text").count();
        assert!(
            (MAX_DEPTH as usize - 10..MAX_DEPTH as usize + 1_000).contains(&lines),
            "{lines}"
        );
        let siblings =
            "<div class=post>A line of text in a division, long enough to score.</div>".repeat(depth);
        let text = read(&format!("<body><article>{siblings}</article></body>")).text;
        assert_eq!(text.matches("A line of text").count(), depth);
    }

    #[test]
    fn an_empty_page_gives_no_text() {
        assert_eq!(
            read("<html><head><title>T</title></head><body> </body></html>").text,
            ""
        );
        assert_eq!(read("").text, "");
    }
}

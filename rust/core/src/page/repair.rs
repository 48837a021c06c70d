//! Markup that a broken tag turned into text, read again as markup.
//!
//! A browser hides it too, but the page's author meant it as the article: an unclosed
//! `<title>` runs to the end of the file, so the whole page is its title and the body is
//! empty; a `<script src=...>` that was never closed (`<script src="a.js"/>`, or missing its
//! `>`) swallows the markup after it up to the next `</script>`. A script with a `src` has
//! no code of its own to run, so markup inside one is such a swallowed page. Each is parsed
//! on its own once (never again inside what it gives), so the work stays within twice the page.

use super::tree::{NodeData, Tree, DOCUMENT};

/// Where swallowed text starts being markup: the first `<` that opens a tag.
fn first_tag(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&at| {
        bytes[at] == b'<'
            && bytes
                .get(at + 1)
                .is_some_and(|next| next.is_ascii_alphabetic() || *next == b'/')
    })
}

/// Tags of markup that holds text a reader would see.
const SHOWN_TAGS: &[&str] = &[
    "p", "div", "h1", "h2", "h3", "h4", "article", "section", "br", "span", "a", "table", "ul", "li", "b",
    "i",
];

/// Whether swallowed text holds markup a reader would see: a tag (opening or closing) of a
/// paragraph, a heading, a link...
fn holds_markup(text: &str) -> bool {
    let lowered = text.to_ascii_lowercase();
    lowered.match_indices('<').any(|(at, _)| {
        let rest = lowered[at + 1..].strip_prefix('/').unwrap_or(&lowered[at + 1..]);
        SHOWN_TAGS.iter().any(|tag| {
            rest.starts_with(tag)
                && rest[tag.len()..]
                    .chars()
                    .next()
                    .is_some_and(|next| next == '>' || next == '/' || next.is_ascii_whitespace())
        })
    })
}

/// Whether a reader sees no text under `node`.
fn blank(tree: &Tree, node: usize) -> bool {
    tree.descendants(node).all(|inner| match &tree.nodes[inner].data {
        NodeData::Text(text) => text.trim().is_empty(),
        _ => true,
    })
}

fn set_text(tree: &mut Tree, node: usize, text: String) {
    let child = tree.nodes.len();
    tree.nodes.push(super::tree::Node {
        parent: Some(node),
        children: Vec::new(),
        data: NodeData::Text(text),
    });
    tree.nodes[node].children = vec![child];
}

/// Reads again the markup an unclosed `<title>` or a `<script src>` swallowed.
pub fn swallowed_markup(tree: &mut Tree) {
    let title = tree
        .first("title")
        .filter(|&title| holds_markup(&tree.own_text(title)));
    if let (Some(title), Some(body)) = (title, tree.first("body").filter(|&body| blank(tree, body))) {
        let text = tree.own_text(title);
        let start = first_tag(&text).unwrap_or(text.len());
        let (kept, rest) = text.split_at(start);
        let rest = Tree::parse(rest);
        let from = rest.first("body").unwrap_or(DOCUMENT);
        set_text(tree, title, kept.to_string());
        tree.graft(rest, from, body);
    }
    let scripts: Vec<usize> = tree
        .descendants(DOCUMENT)
        .filter(|&node| tree.html_name(node) == "script" && tree.attribute(node, "src").is_some())
        .filter(|&node| holds_markup(&tree.own_text(node)))
        .collect();
    for script in scripts {
        let text = tree.own_text(script);
        let swallowed = Tree::parse(&text);
        let from = swallowed.first("body").unwrap_or(DOCUMENT);
        tree.nodes[script].children.clear();
        if let NodeData::Element(element) = &mut tree.nodes[script].data {
            element.name = html5ever::local_name!("div");
            element.attributes.clear();
        }
        tree.graft(swallowed, from, script);
    }
}

#[cfg(test)]
mod tests {
    use crate::page::read;

    const STORY: &str = "NASA picked three companies on Monday to build lunar landers, the agency said, \
                         in a contract worth nearly one billion dollars over the next decade.";

    #[test]
    fn an_unclosed_title_gives_back_the_page_it_swallowed() {
        let page =
            format!("<html><head><title>Moon shot | Example News</head><body><p>{STORY}</p></body></html>");
        let read = read(&page);
        assert_eq!(read.text, STORY);
    }

    #[test]
    fn a_closed_title_holding_markup_characters_is_a_title() {
        let page = format!("<title>a <p> in a title</title><body><p>{STORY}</p></body>");
        assert_eq!(read(&page).text, STORY);
    }

    #[test]
    fn a_script_src_that_swallowed_the_article_gives_it_back() {
        for opening in ["<script src=\"/js/a.js\"/>", "<script src=\"/js/a.js\""] {
            let page = format!("<body><div>{opening}<p>{STORY}</p><script>var x = 1;</script></div></body>");
            assert_eq!(read(&page).text, STORY, "{opening}");
        }
    }

    #[test]
    fn an_inline_script_with_markup_in_its_strings_stays_a_script() {
        let page = format!("<body><p>{STORY}</p><script>document.write('<p>Ad text</p>');</script></body>");
        assert_eq!(read(&page).text, STORY);
    }
}

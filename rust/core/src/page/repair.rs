//! Markup that a broken tag turned into text, read again as markup.
//!
//! A browser hides it too, but the page's author meant it as the article: an unclosed
//! `<title>` runs to the end of the file, so the whole page is its title and the body is
//! empty (so does an unclosed `<noscript>`, `<textarea>`...); a `<script src=...>` that was never closed (`<script src="a.js"/>`, or missing its
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

/// Elements whose content is text up to their end tag: left open, they run to the end of the file.
const RAW_TEXT: &[&str] = &[
    "noscript",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// Whether an element's text ran to the end of the page: it holds the page's own end tags.
fn ran_to_the_end(text: &str) -> bool {
    let lowered = text.to_ascii_lowercase();
    lowered.contains("</body") || lowered.contains("</html")
}

/// Makes `node` a plain division holding `markup` read as a page's body.
fn read_in_place(tree: &mut Tree, node: usize, markup: &str) {
    let swallowed = Tree::parse(markup);
    let from = swallowed.first("body").unwrap_or(DOCUMENT);
    tree.nodes[node].children.clear();
    if let NodeData::Element(element) = &mut tree.nodes[node].data {
        element.name = html5ever::local_name!("div");
        element.attributes.clear();
    }
    tree.graft(swallowed, from, node);
}

/// Reads again the markup that an unclosed `<title>`, `<noscript>`, `<textarea>` (or another
/// element of raw text) or a `<script src>` swallowed.
pub fn swallowed_markup(tree: &mut Tree) {
    let title = tree.first("title").filter(|&title| {
        let text = tree.own_text(title);
        holds_markup(&text)
            && (ran_to_the_end(&text) || tree.first("body").is_some_and(|body| blank(tree, body)))
    });
    if let (Some(title), Some(body)) = (title, tree.first("body")) {
        let text = tree.own_text(title);
        let start = first_tag(&text).unwrap_or(text.len());
        let (kept, rest) = text.split_at(start);
        let rest = Tree::parse(rest);
        let from = rest.first("body").unwrap_or(DOCUMENT);
        set_text(tree, title, kept.to_string());
        tree.graft(rest, from, body);
    }
    let swallowers: Vec<usize> = tree
        .descendants(DOCUMENT)
        .filter(|&node| {
            let name = tree.html_name(node);
            let script_src = name == "script" && tree.attribute(node, "src").is_some();
            (script_src || RAW_TEXT.contains(&name)) && {
                let text = tree.own_text(node);
                holds_markup(&text) && (script_src || ran_to_the_end(&text))
            }
        })
        .collect();
    for node in swallowers {
        let text = tree.own_text(node);
        read_in_place(tree, node, &text);
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
    fn an_unclosed_noscript_or_textarea_gives_back_the_page_it_swallowed() {
        for opening in ["<noscript><img src=pixel.gif>", "<textarea name=comment>"] {
            let page = format!("<html><body><div>{opening}<p>{STORY}</p></div></body></html>");
            assert_eq!(read(&page).text, STORY, "{opening}");
        }
        let closed =
            format!("<body><noscript><p>Please enable JavaScript.</p></noscript><p>{STORY}</p></body>");
        assert_eq!(read(&closed).text, STORY);
    }

    #[test]
    fn an_inline_script_with_markup_in_its_strings_stays_a_script() {
        let page = format!("<body><p>{STORY}</p><script>document.write('<p>Ad text</p>');</script></body>");
        assert_eq!(read(&page).text, STORY);
    }
}

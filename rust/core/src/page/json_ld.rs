//! A page's JSON-LD: the article it describes (headline, body, date, authors, publisher, URL),
//! read from `<script type="application/ld+json">` blocks even when they are broken (HTML
//! comments or CDATA around them, comments, trailing commas, several objects in one block),
//! `@graph`s and `@id` references followed. Nesting is bounded by serde_json's 128 levels.

use std::collections::HashMap;

use serde_json::Value;

use crate::page::meta::{collapse, is_address, is_inside, is_web_address};
use crate::page::tree::{NodeData, Tree, DOCUMENT};
use crate::pyunicode::strip;

/// Authors named in one JSON-LD article (a list of 5,000 is not a byline).
const MOST_AUTHORS: usize = 20;

/// What a JSON-LD block says of the article it describes (`@type` Article, NewsArticle,
/// BlogPosting and their kin, alone, in an array, in an `@graph` or as a page's `mainEntity`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct JsonLdArticle {
    /// `headline`, else `name`.
    pub headline: Option<String>,
    /// `articleBody` as given (only trimmed): paragraph breaks kept for comparing with the page.
    pub body: Option<String>,
    pub published: Option<String>,
    /// The authors' names, ", "-joined.
    pub author: Option<String>,
    /// The publisher's name.
    pub publisher: Option<String>,
    /// `url`, else `mainEntityOfPage`: absolute http(s) only.
    pub url: Option<String>,
}

/// The page's JSON-LD article: the first node typed as an article in its
/// `<script type="application/ld+json">` blocks, with `@id` references to other nodes of the
/// page's JSON-LD (authors, publisher) followed. Broken blocks are read as far as they can be.
pub fn json_ld_article(tree: &Tree) -> Option<JsonLdArticle> {
    // The nodes in the order the parser made them (the source's): no walk of the whole tree for
    // a few scripts; one a template holds or the parser left out is not the page's.
    let blocks: Vec<Value> = (0..tree.nodes.len())
        .filter(|&node| tree.html_name(node) == "script" && is_json_ld(tree.attribute(node, "type")))
        .filter(|&node| is_inside(tree, node, DOCUMENT))
        .flat_map(|node| parse_json_ld(&script_text(tree, node)))
        .collect();
    let mut nodes = Vec::new();
    for block in &blocks {
        graph_nodes(block, &mut nodes);
    }
    let mut ids: HashMap<&str, &Value> = HashMap::new();
    for node in &nodes {
        if let Some(id) = node.get("@id").and_then(Value::as_str) {
            ids.entry(id).or_insert(node);
        }
    }
    let article = nodes.iter().find(|node| is_article(node))?;
    let url = ["url", "mainEntityOfPage"]
        .iter()
        .filter_map(|key| article.get(key))
        .filter_map(address)
        .find(|url| is_web_address(url));
    let mut authors = Vec::new();
    if let Some(author) = article.get("author") {
        names(author, &ids, &mut authors);
    }
    Some(JsonLdArticle {
        headline: article
            .get("headline")
            .and_then(text)
            .or_else(|| article.get("name").and_then(text)),
        body: article.get("articleBody").and_then(body),
        published: article.get("datePublished").and_then(text),
        author: (!authors.is_empty()).then(|| authors.join(", ")),
        publisher: article.get("publisher").and_then(|publisher| {
            let mut found = Vec::new();
            names(publisher, &ids, &mut found);
            found.into_iter().next()
        }),
        url,
    })
}

fn is_json_ld(kind: Option<&str>) -> bool {
    kind.and_then(|kind| kind.split(';').next())
        .is_some_and(|kind| strip(kind).eq_ignore_ascii_case("application/ld+json"))
}

fn script_text(tree: &Tree, node: usize) -> String {
    let mut text = String::new();
    for &child in tree
        .nodes
        .get(node)
        .map(|data| data.children.as_slice())
        .unwrap_or_default()
    {
        if let Some(NodeData::Text(part)) = tree.nodes.get(child).map(|data| &data.data) {
            text.push_str(part);
        }
    }
    text
}

/// Every node a block describes: the block itself, the items of an array, an `@graph`'s
/// nodes, a page's `mainEntity`, in document order.
fn graph_nodes<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| graph_nodes(item, out)),
        Value::Object(map) => {
            out.push(value);
            for key in ["@graph", "mainEntity"] {
                if let Some(inner) = map.get(key) {
                    graph_nodes(inner, out);
                }
            }
        }
        _ => {}
    }
}

/// Typed NewsArticle, Article, BlogPosting, ReportageNewsArticle, LiveBlogPosting... (one type
/// or a list; "schema:" and schema.org prefixes allowed).
fn is_article(node: &Value) -> bool {
    let is_article_type = |kind: &str| {
        let kind = kind
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(kind)
            .to_ascii_lowercase();
        kind.ends_with("article") || kind.ends_with("blogposting")
    };
    match node.get("@type") {
        Some(Value::String(kind)) => is_article_type(kind),
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).any(is_article_type),
        _ => false,
    }
}

/// A string value (the first of a list), character references decoded, whitespace collapsed.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => collapse(&decode_references(text)),
        Value::Array(items) => items.iter().find_map(|item| match item {
            Value::String(text) => collapse(&decode_references(text)),
            _ => None,
        }),
        _ => None,
    }
}

fn body(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => {
            Some(strip(&decode_references(text)).to_string()).filter(|text| !text.is_empty())
        }
        Value::Array(items) => items.iter().find_map(body),
        _ => None,
    }
}

/// An address given as a string, or as a node's `@id` or `url`.
fn address(value: &Value) -> Option<String> {
    match value {
        Value::String(_) | Value::Array(_) => text(value),
        Value::Object(map) => ["@id", "url"].iter().find_map(|key| map.get(*key).and_then(text)),
        _ => None,
    }
}

/// The names of a person, an organisation or a list of them (an `@id` reference followed),
/// without repeats or addresses, at most [`MOST_AUTHORS`].
fn names(value: &Value, ids: &HashMap<&str, &Value>, out: &mut Vec<String>) {
    let mut add = |name: Option<String>| {
        if let Some(name) = name.filter(|name| !is_address(name)) {
            if out.len() < MOST_AUTHORS && !out.contains(&name) {
                out.push(name);
            }
        }
    };
    match value {
        Value::String(_) => add(text(value)),
        Value::Array(items) => {
            for item in items.iter().take(MOST_AUTHORS) {
                match item {
                    Value::String(_) => add(text(item)),
                    Value::Object(_) => add(node_name(item, ids)),
                    _ => {}
                }
            }
        }
        Value::Object(_) => add(node_name(value, ids)),
        _ => {}
    }
}

fn node_name(node: &Value, ids: &HashMap<&str, &Value>) -> Option<String> {
    let node = match (node.get("name"), node.get("@id").and_then(Value::as_str)) {
        (None, Some(id)) => ids.get(id).copied().unwrap_or(node),
        _ => node,
    };
    node.get("name").and_then(text)
}

/// Named references a CMS leaves in JSON-LD strings ("&#8217;", "&amp;"): JSON is not HTML,
/// so the parser has not decoded them. The common ones; any numeric one.
const NAMED_REFERENCES: [(&str, char); 18] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("hellip", '…'),
    ("pound", '£'),
    ("euro", '€'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
];

/// `text` with its character references decoded (an unknown or broken one is left as it is).
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let (before, reference) = rest.split_at(at);
        out.push_str(before);
        match decode_reference(reference) {
            Some((decoded, length)) => {
                out.push(decoded);
                rest = reference.get(length..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = reference.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of the reference `text` opens with ("&#163;..."), and the reference's length.
fn decode_reference(text: &str) -> Option<(char, usize)> {
    let (end, _) = text.char_indices().take(12).find(|&(_, c)| c == ';')?;
    let name = text.get(1..end)?;
    let decoded = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        NAMED_REFERENCES.iter().find(|(known, _)| *known == name)?.1
    };
    Some((decoded, end + 1))
}

/// The values of one JSON-LD block, read as far as they can be: as given, else repaired
/// ([`repair`]); whichever reads more values wins. Linear in the block's size.
fn parse_json_ld(text: &str) -> Vec<Value> {
    let text = unwrap_markup(text);
    let (values, complete) = read_values(text);
    if complete {
        return values;
    }
    let (repaired, _) = read_values(&repair(text));
    if repaired.len() >= values.len() {
        repaired
    } else {
        values
    }
}

/// The values one after another, and whether the text ended cleanly after them.
fn read_values(text: &str) -> (Vec<Value>, bool) {
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match value {
            Ok(value) => values.push(value),
            Err(_) => return (values, false),
        }
    }
    (values, true)
}

/// The block without the HTML comment or CDATA section wrapped around it.
fn unwrap_markup(text: &str) -> &str {
    let mut text = strip(text);
    loop {
        let before = text.len();
        for opening in ["<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["] {
            if let Some(rest) = text.strip_prefix(opening) {
                text = strip(rest);
            }
        }
        for closing in ["-->", "//]]>", "/*]]>*/", "]]>"] {
            if let Some(rest) = text.strip_suffix(closing) {
                text = strip(rest);
            }
        }
        if text.len() == before {
            return text;
        }
    }
}

/// JSON from the JavaScript-ish text pages write, in one pass: `//` and `/* */` comments and
/// `;` dropped, trailing and doubled commas dropped, commas between top-level values dropped
/// (so several objects read one after another), single-quoted strings double-quoted, control
/// characters in strings made spaces, unknown escapes (`\'`) unescaped, an unclosed string closed.
fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut chars = text.chars().peekable();
    let mut depth = 0usize;
    let mut comma = false;
    // The last character written that is not a space: a comma after "{", "[" or "," is dropped.
    let mut last = ',';
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        break;
                    }
                }
                out.push(' ');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = ' ';
                for skipped in chars.by_ref() {
                    if previous == '*' && skipped == '/' {
                        break;
                    }
                    previous = skipped;
                }
                out.push(' ');
            }
            ',' => comma = !matches!(last, '{' | '[' | ','),
            '}' | ']' => {
                comma = false;
                depth = depth.saturating_sub(1);
                out.push(c);
                last = c;
            }
            ';' => out.push(' '),
            c if c.is_ascii_whitespace() || c.is_control() => out.push(' '),
            c => {
                if comma && depth > 0 {
                    out.push(',');
                }
                comma = false;
                last = c;
                match c {
                    '"' | '\'' => copy_string(c, &mut chars, &mut out),
                    '{' | '[' => {
                        depth += 1;
                        out.push(c);
                    }
                    c => out.push(c),
                }
            }
        }
    }
    out
}

/// The rest of a string opened by `quote`, written as a JSON string.
fn copy_string(quote: char, chars: &mut impl Iterator<Item = char>, out: &mut String) {
    out.push('"');
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped @ ('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u')) => {
                    out.push('\\');
                    out.push(escaped);
                }
                Some(escaped) if escaped.is_control() => out.push(' '),
                Some(escaped) => out.push(escaped),
                None => break,
            },
            c if c == quote => {
                out.push('"');
                return;
            }
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
}

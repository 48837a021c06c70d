//! A page's tree as a browser builds it: html5ever's tree builder (the HTML standard's
//! algorithm: foster parenting, the adoption agency, `<form>` and `<table>` rules, foreign
//! content) into nodes kept in one vector, where a handle is an index.
//!
//! html5ever asks its sink for shared access while it builds, so the nodes sit in `RefCell`s
//! during the parse (`Builder`) and move into a plain [`Tree`] afterwards.

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, parse_document, Attribute, LocalName, Namespace, ParseOpts, QualName};
use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

/// The root: every tree's node 0 is its document.
pub const DOCUMENT: usize = 0;
/// Nesting past which a page is read no further (browsers cap the depth of their trees too).
pub const MAX_DEPTH: u32 = 2_000;
/// The text fed to the tree builder at a time, between checks of the nesting.
const FEED_BYTES: usize = 16 * 1024;

pub struct Element {
    pub name: LocalName,
    /// In the HTML namespace: an `<svg>`'s `<title>` is not the page's title.
    pub html: bool,
    pub attributes: Vec<(LocalName, String)>,
}

pub enum NodeData {
    Document,
    Element(Element),
    Text(String),
    /// A comment, a processing instruction, a template's contents: kept in the tree, never read.
    Other,
}

pub struct Node {
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub data: NodeData,
}

pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    /// The tree a browser with scripting on builds from `html` (a `<noscript>`'s content is text).
    ///
    /// The tree builder checks the open elements at each tag, so its time grows with the
    /// square of the nesting: a page nested more than [`MAX_DEPTH`] deep (no real page is; a
    /// hostile one of 1 MB of `<div>`s would take minutes) is read up to that depth only.
    pub fn parse(html: &str) -> Tree {
        let mut options = ParseOpts::default();
        options.tree_builder.scripting_enabled = true;
        let mut parser = parse_document(Builder::new(), options);
        let mut rest = html;
        while !rest.is_empty() && !parser.tokenizer.sink.sink.too_deep.get() {
            let mut end = rest.len().min(FEED_BYTES);
            while !rest.is_char_boundary(end) {
                end += 1;
            }
            let (chunk, after) = rest.split_at(end);
            parser.process(StrTendril::from_slice(chunk));
            rest = after;
        }
        parser.finish()
    }

    pub fn element(&self, node: usize) -> Option<&Element> {
        match &self.nodes[node].data {
            NodeData::Element(element) => Some(element),
            _ => None,
        }
    }

    /// The element's local name when it is an HTML element (`""` for anything else).
    pub fn html_name(&self, node: usize) -> &str {
        match self.element(node) {
            Some(element) if element.html => &element.name,
            _ => "",
        }
    }

    pub fn attribute(&self, node: usize, name: &str) -> Option<&str> {
        let element = self.element(node)?;
        element
            .attributes
            .iter()
            .find(|(key, _)| &**key == name)
            .map(|(_, value)| value.as_str())
    }

    /// `node` and every node below it, in document order.
    pub fn descendants(&self, node: usize) -> Descendants<'_> {
        Descendants {
            tree: self,
            pending: vec![node],
        }
    }

    /// The first HTML element named `name` in document order.
    pub fn first(&self, name: &str) -> Option<usize> {
        self.descendants(DOCUMENT)
            .find(|&node| self.html_name(node) == name)
    }
}

pub struct Descendants<'a> {
    tree: &'a Tree,
    pending: Vec<usize>,
}

impl Iterator for Descendants<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let node = self.pending.pop()?;
        self.pending
            .extend(self.tree.nodes[node].children.iter().rev().copied());
        Some(node)
    }
}

/// A node while the parse runs: its name apart, because html5ever borrows names while it builds.
struct Building {
    depth: u32,
    parent: Option<usize>,
    children: Vec<usize>,
    data: NodeData,
    template_contents: Option<usize>,
    integration_point: bool,
}

struct Builder {
    nodes: RefCell<Vec<Building>>,
    names: RefCell<Vec<QualName>>,
    /// An element was put deeper than `MAX_DEPTH`: the parse stops at the next chunk.
    too_deep: Cell<bool>,
}

impl Builder {
    fn new() -> Builder {
        let builder = Builder {
            nodes: RefCell::new(Vec::new()),
            names: RefCell::new(Vec::new()),
            too_deep: Cell::new(false),
        };
        builder.push(NodeData::Document, None);
        builder
    }

    fn push(&self, data: NodeData, name: Option<QualName>) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Building {
            depth: 0,
            parent: None,
            children: Vec::new(),
            data,
            template_contents: None,
            integration_point: false,
        });
        let unnamed = || QualName::new(None, Namespace::from(""), LocalName::from(""));
        self.names.borrow_mut().push(name.unwrap_or_else(unnamed));
        nodes.len() - 1
    }

    /// Text joins a text node just before it, as in a browser's tree.
    fn insert(&self, parent: usize, position: usize, child: NodeOrText<usize>) {
        match child {
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                let previous = position
                    .checked_sub(1)
                    .and_then(|index| nodes[parent].children.get(index).copied());
                if let Some(NodeData::Text(existing)) = previous.map(|index| &mut nodes[index].data) {
                    existing.push_str(&text);
                    return;
                }
                drop(nodes);
                let node = self.push(NodeData::Text(text.to_string()), None);
                self.attach(parent, position, node);
            }
            NodeOrText::AppendNode(node) => {
                self.remove_from_parent(&node);
                let position = position.min(self.nodes.borrow()[parent].children.len());
                self.attach(parent, position, node);
            }
        }
    }

    fn attach(&self, parent: usize, position: usize, node: usize) {
        let mut nodes = self.nodes.borrow_mut();
        nodes[node].parent = Some(parent);
        nodes[node].depth = nodes[parent].depth + 1;
        if nodes[node].depth > MAX_DEPTH {
            self.too_deep.set(true);
        }
        let position = position.min(nodes[parent].children.len());
        nodes[parent].children.insert(position, node);
    }

    fn position_in_parent(&self, node: usize) -> Option<(usize, usize)> {
        let nodes = self.nodes.borrow();
        let parent = nodes[node].parent?;
        let position = nodes[parent].children.iter().position(|&child| child == node)?;
        Some((parent, position))
    }
}

impl TreeSink for Builder {
    type Handle = usize;
    type Output = Tree;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Tree {
        let names = self.names.into_inner();
        let nodes = self
            .nodes
            .into_inner()
            .into_iter()
            .zip(names)
            .map(|(node, name)| Node {
                parent: node.parent,
                children: node.children,
                data: match node.data {
                    NodeData::Element(mut element) => {
                        element.html = name.ns == ns!(html);
                        element.name = name.local;
                        NodeData::Element(element)
                    }
                    other => other,
                },
            })
            .collect();
        Tree { nodes }
    }

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.names.borrow(), |names| &names[*target])
    }

    fn create_element(&self, name: QualName, attributes: Vec<Attribute>, flags: ElementFlags) -> usize {
        let element = Element {
            name: local_name!(""),
            html: false,
            attributes: attributes
                .into_iter()
                .map(|attribute| (attribute.name.local, attribute.value.to_string()))
                .collect(),
        };
        let node = self.push(NodeData::Element(element), Some(name));
        let contents = flags.template.then(|| self.push(NodeData::Other, None));
        let mut nodes = self.nodes.borrow_mut();
        nodes[node].template_contents = contents;
        nodes[node].integration_point = flags.mathml_annotation_xml_integration_point;
        node
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.push(NodeData::Other, None)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.push(NodeData::Other, None)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let end = self.nodes.borrow()[*parent].children.len();
        self.insert(*parent, end, child);
    }

    fn append_based_on_parent_node(&self, element: &usize, previous: &usize, child: NodeOrText<usize>) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(previous, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public: StrTendril, _system: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        self.nodes.borrow()[*target].template_contents.unwrap_or(*target)
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, child: NodeOrText<usize>) {
        if let Some((parent, position)) = self.position_in_parent(*sibling) {
            // A node moved from before the sibling in the same parent shifts the sibling left.
            let moving_before = matches!(child, NodeOrText::AppendNode(node)
                if self.position_in_parent(node).is_some_and(|(from, at)| from == parent && at < position));
            self.insert(parent, position - usize::from(moving_before), child);
        }
    }

    fn add_attrs_if_missing(&self, target: &usize, attributes: Vec<Attribute>) {
        if let NodeData::Element(element) = &mut self.nodes.borrow_mut()[*target].data {
            for attribute in attributes {
                if !element
                    .attributes
                    .iter()
                    .any(|(name, _)| *name == attribute.name.local)
                {
                    element
                        .attributes
                        .push((attribute.name.local, attribute.value.to_string()));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        if let Some((parent, position)) = self.position_in_parent(*target) {
            let mut nodes = self.nodes.borrow_mut();
            nodes[parent].children.remove(position);
            nodes[*target].parent = None;
        }
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for &child in &children {
            nodes[child].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &usize) -> bool {
        self.nodes.borrow()[*handle].integration_point
    }
}

impl Tree {
    /// Moves the children of `from` (a node of `other`, with everything below them) to the end
    /// of `onto`'s children: markup a broken tag had hidden, parsed on its own, put back.
    pub fn graft(&mut self, other: Tree, from: usize, onto: usize) {
        let offset = self.nodes.len();
        let moved: Vec<usize> = other
            .nodes
            .get(from)
            .map(|node| node.children.iter().map(|&child| child + offset).collect())
            .unwrap_or_default();
        self.nodes.extend(other.nodes.into_iter().map(|node| Node {
            parent: node.parent.map(|parent| parent + offset),
            children: node.children.into_iter().map(|child| child + offset).collect(),
            data: node.data,
        }));
        for &child in &moved {
            self.nodes[child].parent = Some(onto);
        }
        self.nodes[onto].children.extend(moved);
    }

    /// The text of `node`'s text children, joined.
    pub fn own_text(&self, node: usize) -> String {
        self.nodes[node]
            .children
            .iter()
            .filter_map(|&child| match &self.nodes[child].data {
                NodeData::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

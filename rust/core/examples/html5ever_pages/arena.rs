//! A minimal html5ever tree: nodes in one vector, handles are indexes. The shape the core's own
//! tree would take (no CSS selectors, no reference counting), measured beside scraper's.

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, Namespace, QualName};
use std::borrow::Cow;
use std::cell::{Ref, RefCell};

pub enum Kind {
    Document,
    Element {
        attributes: Vec<Attribute>,
        template_contents: Option<usize>,
        integration_point: bool,
    },
    Text(String),
    /// A comment, a processing instruction: kept in the tree, never read.
    Other,
}

pub struct Node {
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub kind: Kind,
}

/// The tree: node 0 is the document; `names[i]` is node i's name (empty for what is not an element).
#[derive(Default)]
pub struct Arena {
    pub nodes: RefCell<Vec<Node>>,
    pub names: RefCell<Vec<QualName>>,
}

impl Arena {
    pub fn new() -> Arena {
        let arena = Arena::default();
        arena.push(Kind::Document, None);
        arena
    }

    fn push(&self, kind: Kind, name: Option<QualName>) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            kind,
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
                let previous = position.checked_sub(1).map(|index| nodes[parent].children[index]);
                if let Some(Kind::Text(existing)) = previous.map(|index| &mut nodes[index].kind) {
                    existing.push_str(&text);
                    return;
                }
                drop(nodes);
                let node = self.push(Kind::Text(text.to_string()), None);
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
        nodes[parent].children.insert(position, node);
    }

    fn position_in_parent(&self, node: usize) -> Option<(usize, usize)> {
        let nodes = self.nodes.borrow();
        let parent = nodes[node].parent?;
        let position = nodes[parent].children.iter().position(|&child| child == node)?;
        Some((parent, position))
    }
}

impl TreeSink for Arena {
    type Handle = usize;
    type Output = Arena;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Arena {
        self
    }

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.names.borrow(), |names| &names[*target])
    }

    fn create_element(&self, name: QualName, attributes: Vec<Attribute>, flags: ElementFlags) -> usize {
        let template_contents = flags.template.then(|| self.push(Kind::Document, None));
        let integration_point = flags.mathml_annotation_xml_integration_point;
        self.push(
            Kind::Element {
                attributes,
                template_contents,
                integration_point,
            },
            Some(name),
        )
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.push(Kind::Other, None)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.push(Kind::Other, None)
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
        match self.nodes.borrow()[*target].kind {
            Kind::Element {
                template_contents: Some(contents),
                ..
            } => contents,
            _ => *target,
        }
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
        if let Kind::Element {
            attributes: existing, ..
        } = &mut self.nodes.borrow_mut()[*target].kind
        {
            for attribute in attributes {
                if !existing.iter().any(|present| present.name == attribute.name) {
                    existing.push(attribute);
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
        matches!(
            self.nodes.borrow()[*handle].kind,
            Kind::Element {
                integration_point: true,
                ..
            }
        )
    }
}

//! A cluster of the JSON report as Python's `json.dumps(cluster, ensure_ascii=False, indent=2)`
//! writes it (every line moved right four spaces), and its members' JSON Lines records as
//! `json.dumps(record, ensure_ascii=False)` does, straight from the document table.
//!
//! Making a `Cluster`, its `Document`s and their dicts in Python cost most of the report
//! stage. Each writer returns false where its text would not be the standard library's
//! (a lone surrogate, a float `repr` writes in exponent form, a count past 2**53 in a
//! division): the caller then writes that cluster the Python way.

use std::fmt::Write as _;

use crate::changes::Changes;
use crate::documents::DocumentFields;
use crate::pyfloat;

/// One criterion of `canonical_reasons`.
#[derive(Clone, Copy, Debug)]
pub struct ReasonText<'a> {
    pub criterion: &'a [u8],
    pub detail: &'a [u8],
    pub decisive: bool,
}

/// A member of a cluster: its document, its scores against the canonical article and what it
/// changed (None for the canonical, or a run that did not align its copies).
#[derive(Clone, Copy, Debug)]
pub struct MemberFields<'a> {
    pub document: DocumentFields<'a>,
    pub similarity: f64,
    pub containment: f64,
    pub changes: Option<&'a Changes>,
}

/// The counts of `changes.Changes`, in the report's key order (the substitutions come after).
fn counts(changes: &Changes) -> [(&'static str, u32); 7] {
    [
        ("words_kept", changes.words_kept),
        ("words_cut", changes.words_cut),
        ("words_added", changes.words_added),
        ("passages_kept", changes.passages_kept),
        ("passages_cut", changes.passages_cut),
        ("passages_added", changes.passages_added),
        ("substitution_count", changes.substitution_count),
    ]
}

/// `report._changes` at depth 4 of the indented report.
fn indented_changes(json: &mut Indented<'_>, changes: Option<&Changes>) -> bool {
    let Some(changes) = changes else {
        json.raw("null");
        return true;
    };
    json.raw("{");
    for (index, (name, value)) in counts(changes).into_iter().enumerate() {
        json.key(4, name, index == 0);
        json.number(u64::from(value));
    }
    json.key(4, "substitutions", false);
    let mut written = true;
    if changes.substitutions.is_empty() {
        json.raw("[]");
    } else {
        json.raw("[");
        for (index, edit) in changes.substitutions.iter().enumerate() {
            if index > 0 {
                json.raw(",");
            }
            json.line(5);
            json.raw("{");
            json.key(6, "before", true);
            written &= json.string(edit.before.as_bytes());
            json.key(6, "after", false);
            written &= json.string(edit.after.as_bytes());
            json.key(6, "figure", false);
            json.boolean(edit.figure);
            json.key(6, "name", false);
            json.boolean(edit.name);
            json.line(5);
            json.raw("}");
        }
        json.line(4);
        json.raw("]");
    }
    json.key(4, "headline_differs", false);
    json.boolean(changes.headline_differs);
    json.line(3);
    json.raw("}");
    written
}

/// `report._changes` as `json.dumps` writes it on one line.
fn flat_changes(out: &mut Vec<u8>, changes: Option<&Changes>) -> bool {
    let Some(changes) = changes else {
        out.extend_from_slice(b"null");
        return true;
    };
    let mut text = String::from("{");
    for (index, (name, value)) in counts(changes).into_iter().enumerate() {
        let _ = write!(text, "{}\"{name}\": {value}", if index > 0 { ", " } else { "" });
    }
    text.push_str(", \"substitutions\": [");
    out.extend_from_slice(text.as_bytes());
    let mut written = true;
    for (index, edit) in changes.substitutions.iter().enumerate() {
        out.extend_from_slice(if index > 0 {
            b", {\"before\": "
        } else {
            b"{\"before\": "
        });
        written &= write_string(out, edit.before.as_bytes());
        out.extend_from_slice(b", \"after\": ");
        written &= write_string(out, edit.after.as_bytes());
        out.extend_from_slice(format!(", \"figure\": {}, \"name\": {}}}", edit.figure, edit.name).as_bytes());
    }
    out.extend_from_slice(format!("], \"headline_differs\": {}}}", changes.headline_differs).as_bytes());
    written
}

/// Appends `text` as a JSON string, escaped as `json.dumps(..., ensure_ascii=False)` does:
/// short forms for `"` `\` and five controls, `\u00XX` for the other controls below 0x20,
/// everything else as it is. False for bytes that are not UTF-8 (a lone surrogate).
pub fn write_string(out: &mut Vec<u8>, text: &[u8]) -> bool {
    if std::str::from_utf8(text).is_err() {
        return false;
    }
    out.push(b'"');
    let mut start = 0;
    for (at, &byte) in text.iter().enumerate() {
        let short: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&text[start..at]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.extend_from_slice(short);
        }
        start = at + 1;
    }
    out.extend_from_slice(&text[start..]);
    out.push(b'"');
    true
}

/// Appends `round(value, 4)` as `repr` writes it, when that is zero or from 0.0001 to 1,
/// where `repr` and Rust's `{:?}` both write the shortest decimal that reads back in plain
/// form. False otherwise.
pub fn write_score(out: &mut Vec<u8>, value: f64) -> bool {
    let rounded = pyfloat::round(value, 4);
    if !(rounded == 0.0 || (0.0001..=1.0).contains(&rounded)) {
        return false;
    }
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = write!(text, "{rounded:?}");
    out.extend_from_slice(text.as_bytes());
    true
}

/// `removed / total` as Python divides two ints (0.0 for no characters); None past 2**53,
/// where converting first would round twice.
fn share(removed: u64, total: u64) -> Option<f64> {
    const EXACT: u64 = 1 << 53;
    if total == 0 {
        return Some(0.0);
    }
    (removed <= EXACT && total <= EXACT).then(|| removed as f64 / total as f64)
}

/// Writes indented JSON: a line break and the indentation of a nesting depth (four spaces
/// for the report's clusters array, two more per level).
struct Indented<'a> {
    out: &'a mut Vec<u8>,
}

impl Indented<'_> {
    fn line(&mut self, depth: usize) {
        self.out.push(b'\n');
        self.out.resize(self.out.len() + 4 + 2 * depth, b' ');
    }

    /// `"name": ` on a new line at `depth`, after a comma unless it is the first key.
    fn key(&mut self, depth: usize, name: &str, first: bool) {
        if !first {
            self.out.push(b',');
        }
        self.line(depth);
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    fn number(&mut self, value: u64) {
        self.raw(&value.to_string());
    }

    fn boolean(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    fn string(&mut self, text: &[u8]) -> bool {
        write_string(self.out, text)
    }

    fn optional(&mut self, text: Option<&[u8]>) -> bool {
        match text {
            Some(text) => self.string(text),
            None => {
                self.raw("null");
                true
            }
        }
    }
}

/// Appends cluster number `id` as `report._cluster` and `json.dumps(..., indent=2)` make
/// it, each line moved right four spaces, after `"\n    "`. Returns false, with `out` as
/// it was, where that text would differ from the standard library's.
pub fn write_cluster(
    out: &mut Vec<u8>,
    id: u64,
    members: &[MemberFields<'_>],
    reasons: &[ReasonText<'_>],
) -> bool {
    let length = out.len();
    let written = cluster(&mut Indented { out }, id, members, reasons);
    if !written {
        out.truncate(length);
    }
    written
}

fn cluster(
    json: &mut Indented<'_>,
    id: u64,
    members: &[MemberFields<'_>],
    reasons: &[ReasonText<'_>],
) -> bool {
    let Some(canonical) = members.first() else {
        return false;
    };
    json.line(0);
    json.raw("{");
    json.key(1, "id", true);
    json.number(id);
    json.key(1, "size", false);
    json.number(members.len() as u64);
    json.key(1, "canonical", false);
    if !json.string(canonical.document.id) {
        return false;
    }
    json.key(1, "canonical_reasons", false);
    if reasons.is_empty() {
        json.raw("[]");
    } else {
        json.raw("[");
        for (index, reason) in reasons.iter().enumerate() {
            if index > 0 {
                json.raw(",");
            }
            json.line(2);
            json.raw("{");
            json.key(3, "criterion", true);
            if !json.string(reason.criterion) {
                return false;
            }
            json.key(3, "detail", false);
            if !json.string(reason.detail) {
                return false;
            }
            json.key(3, "decisive", false);
            json.boolean(reason.decisive);
            json.line(2);
            json.raw("}");
        }
        json.line(1);
        json.raw("]");
    }
    json.key(1, "members", false);
    json.raw("[");
    for (index, member) in members.iter().enumerate() {
        if index > 0 {
            json.raw(",");
        }
        json.line(2);
        json.raw("{");
        if !member_fields(json, member, index == 0) {
            return false;
        }
        json.line(2);
        json.raw("}");
    }
    json.line(1);
    json.raw("]");
    json.line(0);
    json.raw("}");
    true
}

/// The keys of `report._member`, in its order, at depth 3.
fn member_fields(json: &mut Indented<'_>, member: &MemberFields<'_>, canonical: bool) -> bool {
    let document = &member.document;
    json.key(3, "id", true);
    let mut written = json.string(document.id);
    json.key(3, "path", false);
    written &= json.string(document.path);
    json.key(3, "title", false);
    written &= json.optional(document.title);
    json.key(3, "source", false);
    written &= json.optional(document.source);
    json.key(3, "published", false);
    written &= json.optional(document.published);
    json.key(3, "published_ambiguous", false);
    json.boolean(document.published_ambiguous);
    json.key(3, "url", false);
    written &= json.optional(document.url);
    json.key(3, "byline", false);
    written &= json.optional(document.byline);
    json.key(3, "dateline", false);
    written &= json.optional(document.dateline);
    json.key(3, "wire_credit", false);
    match &document.wire_credit {
        None => json.raw("null"),
        Some(credit) => {
            json.raw("{");
            json.key(4, "agency", true);
            written &= json.string(credit.agency);
            json.key(4, "kind", false);
            written &= json.string(credit.kind.as_str().as_bytes());
            json.key(4, "evidence", false);
            written &= json.string(credit.evidence);
            json.line(3);
            json.raw("}");
        }
    }
    json.key(3, "role", false);
    json.raw(if canonical {
        "\"canonical\""
    } else {
        "\"duplicate\""
    });
    json.key(3, "similarity", false);
    written &= write_score(json.out, member.similarity);
    json.key(3, "containment", false);
    written &= write_score(json.out, member.containment);
    json.key(3, "changes", false);
    written &= indented_changes(json, member.changes);
    json.key(3, "body_chars", false);
    json.number(document.body_chars);
    json.key(3, "boilerplate_share", false);
    written &= share(document.boilerplate_chars_removed, document.total_chars)
        .is_some_and(|value| write_score(json.out, value));
    json.key(3, "encoding", false);
    written &= json.string(document.encoding);
    written
}

/// Appends the JSON Lines record of each member of cluster number `id` (`report._article_line`
/// as `json.dumps(..., ensure_ascii=False)` writes it, and a line break). Returns false, with
/// `out` as it was, where that text would differ from the standard library's.
pub fn write_lines(out: &mut Vec<u8>, id: u64, members: &[MemberFields<'_>]) -> bool {
    let length = out.len();
    let Some(canonical) = members.first() else {
        return false;
    };
    for (index, member) in members.iter().enumerate() {
        if !line(out, id, canonical.document.id, members.len(), member, index == 0) {
            out.truncate(length);
            return false;
        }
    }
    true
}

fn line(
    out: &mut Vec<u8>,
    id: u64,
    canonical: &[u8],
    size: usize,
    member: &MemberFields<'_>,
    first: bool,
) -> bool {
    let document = &member.document;
    out.extend_from_slice(b"{\"id\": ");
    let mut written = write_string(out, document.id);
    out.extend_from_slice(b", \"cluster\": ");
    written &= write_string(out, canonical);
    out.extend_from_slice(
        format!(", \"cluster_number\": {id}, \"cluster_size\": {size}, \"is_canonical\": {first}").as_bytes(),
    );
    out.extend_from_slice(b", \"similarity\": ");
    written &= write_score(out, member.similarity);
    out.extend_from_slice(b", \"containment\": ");
    written &= write_score(out, member.containment);
    out.extend_from_slice(b", \"changes\": ");
    written &= flat_changes(out, member.changes);
    out.extend_from_slice(b", \"path\": ");
    written &= write_string(out, document.path);
    for (key, value) in [
        ("title", document.title),
        ("source", document.source),
        ("published", document.published),
    ] {
        out.extend_from_slice(format!(", \"{key}\": ").as_bytes());
        written &= match value {
            Some(text) => write_string(out, text),
            None => {
                out.extend_from_slice(b"null");
                true
            }
        };
    }
    out.extend_from_slice(b"}\n");
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(value: f64) -> Option<String> {
        let mut out = Vec::new();
        write_score(&mut out, value).then(|| String::from_utf8(out).unwrap_or_default())
    }

    /// `repr(k / 10000)`: the decimal itself without trailing zeros (no shorter decimal reads
    /// back as the same double), with one digit after the point at least.
    fn python_repr(k: u32) -> String {
        let text = format!("{}.{:04}", k / 10000, k % 10000);
        let trimmed = text.trim_end_matches('0');
        if trimmed.ends_with('.') {
            format!("{trimmed}0")
        } else {
            trimmed.to_string()
        }
    }

    #[test]
    fn every_four_decimal_score_is_written_as_repr() {
        for k in 0..=10_000 {
            assert_eq!(score(f64::from(k) / 10000.0), Some(python_repr(k)), "{k}");
        }
        assert_eq!(score(-0.0).as_deref(), Some("-0.0"));
    }

    #[test]
    fn scores_are_rounded_and_the_others_refused() {
        assert_eq!(score(0.123_456).as_deref(), Some("0.1235"));
        assert_eq!(score(0.000_04).as_deref(), Some("0.0"));
        for value in [1.5, -0.3, f64::NAN, f64::INFINITY, 1e16] {
            assert_eq!(score(value), None, "{value}");
        }
    }

    #[test]
    fn strings_escape_as_json_dumps_without_ascii() {
        let mut out = Vec::new();
        assert!(write_string(
            &mut out,
            "a\"\\\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}\u{2028}é😀".as_bytes()
        ));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001f\u{7f}\u{2028}é😀\""
        );
        assert!(!write_string(&mut Vec::new(), b"\xed\xa0\x80"));
    }

    #[test]
    fn shares_divide_as_python_or_refuse() {
        assert_eq!(share(0, 0), Some(0.0));
        assert_eq!(share(1, 3), Some(1.0 / 3.0));
        assert_eq!(share(1, (1 << 53) + 1), None);
    }
}

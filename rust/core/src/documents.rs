//! The documents of a run, kept compactly for its whole length and read back by position.
//!
//! A Python `Document` costs about a kilobyte (an object, and a string object per field);
//! a million of them held from reading to report were most of a run's memory. Here each
//! document is one record of bytes (its text fields, each after its length, and three
//! counts) in chunks of at most a mebibyte, found through an 8-byte place per position:
//! its text plus a dozen bytes. The binding makes a Python `Document` of a record when one
//! is read.
//!
//! Text is kept as Python's `str.encode("utf-8", "surrogatepass")` writes it (generalized
//! UTF-8: a lone surrogate as its three-byte form), so every Python string comes back as
//! it went in, and byte order is code point order (Python's `str` order).

use std::fmt;

use crate::header::CreditKind;

/// Records are written into chunks of this many bytes (a longer record gets its own).
const CHUNK_BYTES: usize = 1 << 20;

// The first byte of a record: which optional fields are present, and the ambiguity flag.
const TITLE: u8 = 1;
const SOURCE: u8 = 1 << 1;
const URL: u8 = 1 << 2;
const PUBLISHED: u8 = 1 << 3;
const BYLINE: u8 = 1 << 4;
const DATELINE: u8 = 1 << 5;
const CREDIT: u8 = 1 << 6;
const AMBIGUOUS: u8 = 1 << 7;
const OPTIONAL_FIELDS: [u8; 6] = [TITLE, SOURCE, URL, PUBLISHED, BYLINE, DATELINE];
// The second byte: the credit's kind (two bits), and whether the encoding is "utf-8",
// the encoding of nearly every article, so that it is not written a million times.
const KIND_MASK: u8 = 0b11;
const UTF8_ENCODING: u8 = 1 << 2;
const UTF8: &[u8] = b"utf-8";

/// A wire credit as stored: agency, evidence, kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredCredit<'a> {
    pub agency: &'a [u8],
    pub evidence: &'a [u8],
    pub kind: CreditKind,
}

/// The fields of a `models.Document`, text as generalized UTF-8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentFields<'a> {
    pub id: &'a [u8],
    pub path: &'a [u8],
    pub body: &'a [u8],
    pub body_chars: u64,
    pub title: Option<&'a [u8]>,
    pub source: Option<&'a [u8]>,
    pub url: Option<&'a [u8]>,
    pub published: Option<&'a [u8]>,
    pub byline: Option<&'a [u8]>,
    pub dateline: Option<&'a [u8]>,
    pub wire_credit: Option<StoredCredit<'a>>,
    pub encoding: &'a [u8],
    pub total_chars: u64,
    pub boilerplate_chars_removed: u64,
    pub published_ambiguous: bool,
}

impl<'a> DocumentFields<'a> {
    fn optional_fields(&self) -> [Option<&'a [u8]>; 6] {
        [
            self.title,
            self.source,
            self.url,
            self.published,
            self.byline,
            self.dateline,
        ]
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum DocumentError {
    OutOfRange {
        position: usize,
        length: usize,
    },
    /// `reorder` was given something other than a permutation of the positions.
    NotAnOrder(String),
    /// More documents than positions of 32 bits.
    Full,
    /// `extend_encoded` was given bytes whose record starting there is not whole.
    Damaged(usize),
}

impl fmt::Display for DocumentError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentError::OutOfRange { position, length } => write!(
                formatter,
                "position {position} is out of range: the table holds {length} documents"
            ),
            DocumentError::NotAnOrder(why) => write!(formatter, "not an order of the documents: {why}"),
            DocumentError::Full => write!(formatter, "the document table holds 2**32 documents already"),
            DocumentError::Damaged(at) => write!(formatter, "the encoded document at byte {at} is cut short"),
        }
    }
}

impl std::error::Error for DocumentError {}

/// Where a record starts: its chunk and its offset there.
#[derive(Clone, Copy, Debug)]
struct Place {
    chunk: u32,
    offset: u32,
}

/// The documents of a run, by position (the order of appending until `reorder`).
#[derive(Debug, Default)]
pub struct DocumentTable {
    chunks: Vec<Vec<u8>>,
    places: Vec<Place>,
}

impl DocumentTable {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Bytes held: chunks (with their spare room) and places.
    pub fn held_bytes(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum::<usize>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<u8>>()
            + self.places.capacity() * std::mem::size_of::<Place>()
    }

    /// Appends a document at the next position.
    pub fn push(&mut self, document: &DocumentFields<'_>) -> Result<(), DocumentError> {
        let mut record = Vec::new();
        write_record(&mut record, document);
        self.push_record(&record)
    }

    /// Appends every document of `other`, in its position order.
    pub fn extend(&mut self, other: &DocumentTable) -> Result<(), DocumentError> {
        for position in 0..other.len() {
            let record = other.record(position)?;
            self.push_record(record)?;
        }
        Ok(())
    }

    /// Appends the documents `encode_document` wrote one after another into `encoded` (a
    /// table's documents sent to another process); nothing is appended from damaged bytes.
    pub fn extend_encoded(&mut self, encoded: &[u8]) -> Result<(), DocumentError> {
        let mut ends = Vec::new();
        let mut reader = Reader {
            bytes: encoded,
            at: 0,
            past_end: false,
        };
        while reader.at < encoded.len() {
            let start = reader.at;
            read_fields(&mut reader);
            if reader.at > encoded.len() || reader.past_end {
                return Err(DocumentError::Damaged(start));
            }
            ends.push(reader.at);
        }
        let mut start = 0;
        for end in ends {
            self.push_record(&encoded[start..end])?;
            start = end;
        }
        Ok(())
    }

    fn push_record(&mut self, record: &[u8]) -> Result<(), DocumentError> {
        if u32::try_from(self.places.len()).is_err() {
            return Err(DocumentError::Full);
        }
        let fits = self
            .chunks
            .last()
            .is_some_and(|chunk| chunk.len() + record.len() <= CHUNK_BYTES);
        if !fits {
            self.chunks.push(Vec::new());
        }
        let chunk = self.chunks.len() - 1;
        let Some(bytes) = self.chunks.last_mut() else {
            return Err(DocumentError::Full);
        };
        // A chunk's records start below CHUNK_BYTES (a longer record starts a chunk).
        let offset = u32::try_from(bytes.len()).map_err(|_| DocumentError::Full)?;
        let chunk = u32::try_from(chunk).map_err(|_| DocumentError::Full)?;
        let needed = bytes.len() + record.len();
        if needed > bytes.capacity() {
            // Doubling, but never past a chunk's size: the spare room stays below a chunk.
            let room = (bytes.capacity() * 2).clamp(needed, needed.max(CHUNK_BYTES));
            bytes.reserve_exact(room - bytes.len());
        }
        bytes.extend_from_slice(record);
        self.places.push(Place { chunk, offset });
        Ok(())
    }

    /// A reader at the start of the record at `position` (its chunk runs on after it).
    fn reader(&self, position: usize) -> Result<Reader<'_>, DocumentError> {
        let out_of_range = DocumentError::OutOfRange {
            position,
            length: self.len(),
        };
        let place = self.places.get(position).ok_or(out_of_range)?;
        let chunk = self
            .chunks
            .get(place.chunk as usize)
            .map_or(&[][..], Vec::as_slice);
        Ok(Reader {
            bytes: chunk.get(place.offset as usize..).unwrap_or(&[]),
            at: 0,
            past_end: false,
        })
    }

    /// The bytes of the record at `position`.
    fn record(&self, position: usize) -> Result<&[u8], DocumentError> {
        let mut reader = self.reader(position)?;
        read_fields(&mut reader);
        Ok(&reader.bytes[..reader.at.min(reader.bytes.len())])
    }

    /// The document at `position`.
    pub fn get(&self, position: usize) -> Result<DocumentFields<'_>, DocumentError> {
        Ok(read_fields(&mut self.reader(position)?))
    }

    /// The id of the document at `position`, without reading the rest.
    pub fn id(&self, position: usize) -> Result<&[u8], DocumentError> {
        let mut reader = self.reader(position)?;
        reader.at = 2;
        Ok(reader.text())
    }

    /// Whether the document at `position` was read as "utf-8" (nearly all are), without reading it.
    pub fn read_as_utf8(&self, position: usize) -> Result<bool, DocumentError> {
        let mut reader = self.reader(position)?;
        reader.at = 1;
        Ok(reader.byte() & UTF8_ENCODING != 0)
    }

    /// The positions in id order (Python's `str` order), ties in position order.
    pub fn order_by_id(&self) -> Result<Vec<u32>, DocumentError> {
        let ids = (0..self.len())
            .map(|position| self.id(position))
            .collect::<Result<Vec<_>, _>>()?;
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_by(|&left, &right| ids[left as usize].cmp(ids[right as usize]));
        Ok(order)
    }

    /// From now on, position `i` is the document that was at position `order[i]`.
    pub fn reorder(&mut self, order: &[u32]) -> Result<(), DocumentError> {
        check_order(order, self.len())?;
        self.places = order
            .iter()
            .map(|&position| self.places[position as usize])
            .collect();
        Ok(())
    }
}

/// Checks that `order` lists each of `0..length` once.
fn check_order(order: &[u32], length: usize) -> Result<(), DocumentError> {
    if order.len() != length {
        return Err(DocumentError::NotAnOrder(format!(
            "{} positions for {length} documents",
            order.len()
        )));
    }
    let mut seen = vec![false; length];
    for &position in order {
        match seen.get_mut(position as usize) {
            Some(slot) if !*slot => *slot = true,
            Some(_) => return Err(DocumentError::NotAnOrder(format!("{position} appears twice"))),
            None => return Err(DocumentError::NotAnOrder(format!("{position} is past the end"))),
        }
    }
    Ok(())
}

fn kind_code(kind: CreditKind) -> u8 {
    match kind {
        CreditKind::Dateline => 0,
        CreditKind::Byline => 1,
        CreditKind::CreditLine => 2,
    }
}

fn kind_of(code: u8) -> CreditKind {
    match code & KIND_MASK {
        0 => CreditKind::Dateline,
        1 => CreditKind::Byline,
        _ => CreditKind::CreditLine,
    }
}

/// Appends `document` to `encoded` as a table stores it: what `extend_encoded` reads.
pub fn encode_document(encoded: &mut Vec<u8>, document: &DocumentFields<'_>) {
    write_record(encoded, document);
}

/// Flags, id, the three counts, path, encoding (unless "utf-8"), body, the optional fields
/// present, the credit's agency and evidence; texts after their length, numbers as LEB128.
fn write_record(record: &mut Vec<u8>, document: &DocumentFields<'_>) {
    let mut present = 0;
    for (flag, field) in OPTIONAL_FIELDS.iter().zip(document.optional_fields()) {
        if field.is_some() {
            present |= flag;
        }
    }
    if document.wire_credit.is_some() {
        present |= CREDIT;
    }
    if document.published_ambiguous {
        present |= AMBIGUOUS;
    }
    let mut second = document.wire_credit.map_or(0, |credit| kind_code(credit.kind));
    if document.encoding == UTF8 {
        second |= UTF8_ENCODING;
    }
    record.push(present);
    record.push(second);
    write_text(record, document.id);
    for count in [
        document.body_chars,
        document.total_chars,
        document.boilerplate_chars_removed,
    ] {
        write_number(record, count);
    }
    write_text(record, document.path);
    if document.encoding != UTF8 {
        write_text(record, document.encoding);
    }
    write_text(record, document.body);
    for field in document.optional_fields().into_iter().flatten() {
        write_text(record, field);
    }
    if let Some(credit) = document.wire_credit {
        write_text(record, credit.agency);
        write_text(record, credit.evidence);
    }
}

fn write_number(record: &mut Vec<u8>, mut number: u64) {
    while number >= 0x80 {
        record.push((number as u8) | 0x80);
        number >>= 7;
    }
    record.push(number as u8);
}

fn write_text(record: &mut Vec<u8>, text: &[u8]) {
    write_number(record, text.len() as u64);
    record.extend_from_slice(text);
}

/// Reads a record `write_record` wrote. A short read gives empty fields rather than a panic,
/// and sets `past_end` (the table's own records never do; bytes from elsewhere may).
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    past_end: bool,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> u8 {
        let byte = self.bytes.get(self.at).copied();
        self.past_end |= byte.is_none();
        self.at += 1;
        byte.unwrap_or(0)
    }

    fn number(&mut self) -> u64 {
        let mut number = 0u64;
        let mut shift = 0;
        loop {
            let byte = self.byte();
            if shift < 64 {
                number |= u64::from(byte & 0x7f) << shift;
            }
            shift += 7;
            if byte & 0x80 == 0 {
                return number;
            }
        }
    }

    fn text(&mut self) -> &'a [u8] {
        let length = usize::try_from(self.number()).unwrap_or(usize::MAX);
        let start = self.at.min(self.bytes.len());
        let end = start.saturating_add(length).min(self.bytes.len());
        self.past_end |= end - start < length;
        self.at = end;
        &self.bytes[start..end]
    }
}

fn read_fields<'a>(reader: &mut Reader<'a>) -> DocumentFields<'a> {
    let present = reader.byte();
    let second = reader.byte();
    let id = reader.text();
    let body_chars = reader.number();
    let total_chars = reader.number();
    let boilerplate_chars_removed = reader.number();
    let path = reader.text();
    let encoding = if second & UTF8_ENCODING != 0 {
        UTF8
    } else {
        reader.text()
    };
    let body = reader.text();
    let mut optional = [None; 6];
    for (flag, field) in OPTIONAL_FIELDS.iter().zip(optional.iter_mut()) {
        if present & flag != 0 {
            *field = Some(reader.text());
        }
    }
    let wire_credit = if present & CREDIT != 0 {
        Some(StoredCredit {
            agency: reader.text(),
            evidence: reader.text(),
            kind: kind_of(second),
        })
    } else {
        None
    };
    let [title, source, url, published, byline, dateline] = optional;
    DocumentFields {
        id,
        path,
        body,
        body_chars,
        title,
        source,
        url,
        published,
        byline,
        dateline,
        wire_credit,
        encoding,
        total_chars,
        boilerplate_chars_removed,
        published_ambiguous: present & AMBIGUOUS != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document<'a>(id: &'a str, body: &'a str) -> DocumentFields<'a> {
        DocumentFields {
            id: id.as_bytes(),
            path: b"feed.jsonl:1",
            body: body.as_bytes(),
            body_chars: body.chars().count() as u64,
            title: Some(b"A title"),
            source: None,
            url: Some(b""),
            published: Some(b"2024-05-10T12:00:00+02:00"),
            byline: None,
            dateline: Some(b"LONDON (Reuters) -"),
            wire_credit: Some(StoredCredit {
                agency: b"Reuters",
                evidence: b"(Reuters)",
                kind: CreditKind::Dateline,
            }),
            encoding: b"utf-8",
            total_chars: 300_000,
            boilerplate_chars_removed: 127,
            published_ambiguous: true,
        }
    }

    #[test]
    fn encoded_documents_come_back_in_another_table_and_damaged_bytes_add_nothing() {
        let mut encoded = Vec::new();
        let mut other = document("z", "Another body.");
        other.encoding = b"cp1252";
        other.wire_credit = None;
        let mut starts = Vec::new();
        for fields in [document("b", "Body text."), other, document("a", "")] {
            starts.push(encoded.len());
            encode_document(&mut encoded, &fields);
        }
        let mut table = DocumentTable::new();
        table.push(&document("first", "kept")).unwrap();
        table.extend_encoded(&encoded).unwrap();
        assert_eq!(table.len(), 4);
        assert_eq!(table.get(1).unwrap(), document("b", "Body text."));
        assert_eq!(table.get(2).unwrap(), other);
        assert_eq!(table.get(3).unwrap(), document("a", ""));
        for (cut, record) in [(1, 0), (starts[1] + 3, 1), (encoded.len() - 1, 2)] {
            let mut fresh = DocumentTable::new();
            assert_eq!(
                fresh.extend_encoded(&encoded[..cut]),
                Err(DocumentError::Damaged(starts[record]))
            );
            assert!(fresh.is_empty());
        }
    }

    #[test]
    fn a_document_comes_back_as_it_went_in() {
        let mut table = DocumentTable::new();
        let first = document("b", "Body text.");
        let mut second = document("a\u{e9}", "");
        second.wire_credit = Some(StoredCredit {
            agency: b"AP",
            evidence: b"By AP",
            kind: CreditKind::CreditLine,
        });
        second.encoding = b"cp1252";
        second.title = None;
        second.published_ambiguous = false;
        let mut third = document("c", "x");
        third.wire_credit = None;
        third.url = None;
        third.encoding = b"";
        for fields in [&first, &second, &third] {
            table.push(fields).unwrap();
        }
        assert_eq!(table.len(), 3);
        assert_eq!(table.get(0).unwrap(), first);
        assert_eq!(table.get(1).unwrap(), second);
        assert_eq!(table.get(2).unwrap(), third);
        assert_eq!(table.id(1).unwrap(), "a\u{e9}".as_bytes());
        let utf8: Vec<bool> = (0..3)
            .map(|position| table.read_as_utf8(position).unwrap())
            .collect();
        assert_eq!(utf8, vec![true, false, false]);
        assert_eq!(
            table.get(3),
            Err(DocumentError::OutOfRange {
                position: 3,
                length: 3
            })
        );
    }

    #[test]
    fn records_past_a_chunk_start_their_own_and_extend_copies_in_order() {
        let long = "w".repeat(CHUNK_BYTES + 10);
        let mut batch = DocumentTable::new();
        for (id, body) in [("x", "short"), ("y", long.as_str()), ("z", "after")] {
            batch.push(&document(id, body)).unwrap();
        }
        let mut run = DocumentTable::new();
        run.push(&document("w", "first")).unwrap();
        run.extend(&batch).unwrap();
        let bodies: Vec<usize> = (0..run.len())
            .map(|position| run.get(position).unwrap().body.len())
            .collect();
        assert_eq!(bodies, vec![5, 5, CHUNK_BYTES + 10, 5]);
        assert_eq!(run.id(3).unwrap(), b"z");
        assert!(run.held_bytes() >= CHUNK_BYTES + 10);
    }

    #[test]
    fn id_order_is_code_point_order_and_reorder_follows_it() {
        let mut table = DocumentTable::new();
        // U+FF21 sorts after U+E9 and before a supplementary character, as Python's str does;
        // "\u{ed}\u{a0}\u{80}" stands for a lone surrogate's bytes (U+D800), below U+E000.
        let surrogate: &[u8] = b"\xed\xa0\x80";
        let ids: [&[u8]; 6] = [
            "\u{ff21}".as_bytes(),
            b"b",
            "\u{1f600}".as_bytes(),
            b"a",
            surrogate,
            "\u{e000}".as_bytes(),
        ];
        for id in ids {
            let mut fields = document("", "");
            fields.id = id;
            table.push(&fields).unwrap();
        }
        let order = table.order_by_id().unwrap();
        assert_eq!(order, vec![3, 1, 4, 5, 0, 2]);
        table.reorder(&order).unwrap();
        let sorted: Vec<&[u8]> = (0..table.len())
            .map(|position| table.id(position).unwrap())
            .collect();
        assert_eq!(
            sorted,
            vec![
                b"a" as &[u8],
                b"b",
                surrogate,
                "\u{e000}".as_bytes(),
                "\u{ff21}".as_bytes(),
                "\u{1f600}".as_bytes()
            ]
        );
    }

    #[test]
    fn reorder_refuses_what_is_not_a_permutation() {
        let mut table = DocumentTable::new();
        for id in ["a", "b"] {
            table.push(&document(id, "")).unwrap();
        }
        assert!(matches!(table.reorder(&[0]), Err(DocumentError::NotAnOrder(_))));
        assert!(matches!(
            table.reorder(&[1, 1]),
            Err(DocumentError::NotAnOrder(_))
        ));
        assert!(matches!(
            table.reorder(&[0, 2]),
            Err(DocumentError::NotAnOrder(_))
        ));
        table.reorder(&[1, 0]).unwrap();
        assert_eq!(table.id(0).unwrap(), b"b");
    }

    #[test]
    fn large_counts_survive() {
        let mut table = DocumentTable::new();
        let mut fields = document("a", "");
        fields.total_chars = u64::MAX;
        fields.body_chars = 1 << 40;
        table.push(&fields).unwrap();
        assert_eq!(table.get(0).unwrap(), fields);
    }
}

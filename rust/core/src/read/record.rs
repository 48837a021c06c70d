//! One JSON Lines record read as an article, when it surely is one by the Python rules.
//!
//! `newsdedup.load.article_from_record` is the rule book: an object whose `id` is a
//! non-empty string or an integer, whose `text` is a string with something besides white
//! space, and whose `title`, `source`, `url`, `published`, `language` and `byline` are strings or
//! null. This reads the records that pass those rules exactly as Python's `json` module
//! would, and answers `None` for every line it is not certain of (malformed JSON, lone
//! surrogates, repeated fields, NaN, numbers Python reads differently, nesting deeper than
//! serde_json's 128 levels): Python reads those again and names the reason.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{has_text, ArticleRecord};

/// What Python's "utf-8-sig" drops from the start of each line.
const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";
/// The optional string fields, in `ArticleRecord`'s order.
const OPTIONAL_FIELDS: [&str; 6] = ["title", "source", "url", "published", "language", "byline"];

/// The article a JSON line holds, named `path`, or `None` when Python must read the line.
pub fn article_from_line(line: &[u8], path: String) -> Option<ArticleRecord> {
    let line = line.strip_prefix(BYTE_ORDER_MARK).unwrap_or(line);
    let json = std::str::from_utf8(line).ok()?;
    let record: Record = serde_json::from_str(json).ok()?;
    record.into_article(path)
}

/// The fields of a record that `article_from_record` reads, each seen at most once.
#[derive(Default)]
struct Record {
    id: Option<String>,
    text: Option<String>,
    optional: [Option<Option<String>>; 6],
}

impl Record {
    fn into_article(self, path: String) -> Option<ArticleRecord> {
        let id = self.id.filter(|id| has_text(id))?;
        let text = self.text.filter(|text| has_text(text))?;
        // Python: `value or None`, so an empty string is no value.
        let [title, source, url, published, language, byline] = self
            .optional
            .map(|value| value.flatten().filter(|value| !value.is_empty()));
        Some(ArticleRecord {
            id,
            path,
            text,
            title,
            source,
            url,
            published,
            encoding: "utf-8".to_owned(),
            language,
            byline,
            web_page: false,
        })
    }
}

/// The only way a record is refused here: "not certain, let Python read it".
fn undecided<E: de::Error>() -> E {
    E::custom("left to Python")
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = Record;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let mut record = Record::default();
        while let Some(key) = map.next_key::<Key>()? {
            // A field given twice: Python keeps the last, with its own checks. Rare: leave it.
            match key {
                Key::Id if record.id.is_none() => record.id = Some(map.next_value::<Id>()?.0),
                Key::Text if record.text.is_none() => record.text = Some(map.next_value::<String>()?),
                Key::Optional(field) if record.optional[field].is_none() => {
                    record.optional[field] = Some(map.next_value::<Option<String>>()?)
                }
                Key::Other => map.next_value::<AnyValue>().map(drop)?,
                _ => return Err(undecided()),
            }
        }
        Ok(record)
    }
}

/// A key of the record, by the field it names.
enum Key {
    Id,
    Text,
    Optional(usize),
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(match name {
            "id" => Key::Id,
            "text" => Key::Text,
            _ => OPTIONAL_FIELDS
                .iter()
                .position(|&field| field == name)
                .map_or(Key::Other, Key::Optional),
        })
    }
}

/// `id`: a string, or an integer written as Python's `str(int)` writes it. Integers beyond
/// 64 bits, floats ("1.0", and "-0", which serde_json reads as a float) are left to Python.
struct Id(String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor)
    }
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = Id;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string or an integer")
    }

    fn visit_str<E: de::Error>(self, id: &str) -> Result<Id, E> {
        Ok(Id(id.to_owned()))
    }

    fn visit_string<E: de::Error>(self, id: String) -> Result<Id, E> {
        Ok(Id(id))
    }

    fn visit_u64<E: de::Error>(self, id: u64) -> Result<Id, E> {
        Ok(Id(id.to_string()))
    }

    fn visit_i64<E: de::Error>(self, id: i64) -> Result<Id, E> {
        Ok(Id(id.to_string()))
    }
}

/// Any other field's value, read whole (not skipped unseen), so that what serde_json
/// refuses and Python accepts (an integer over 300 digits, 1e400, NaN) goes to Python.
struct AnyValue;

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyVisitor)
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = AnyValue;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<AnyValue, E> {
        Ok(AnyValue)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<AnyValue, E> {
        Ok(AnyValue)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<AnyValue, E> {
        Ok(AnyValue)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<AnyValue, E> {
        Ok(AnyValue)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<AnyValue, E> {
        Ok(AnyValue)
    }

    fn visit_unit<E: de::Error>(self) -> Result<AnyValue, E> {
        Ok(AnyValue)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyValue, A::Error> {
        while seq.next_element::<AnyValue>()?.is_some() {}
        Ok(AnyValue)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyValue, A::Error> {
        while map.next_entry::<AnyValue, AnyValue>()?.is_some() {}
        Ok(AnyValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Option<ArticleRecord> {
        article_from_line(line.as_bytes(), "a.jsonl:1".to_owned())
    }

    #[test]
    fn a_valid_record_is_read_with_its_fields() {
        let article = read("\u{feff}{\"id\": 7, \"text\": \" body\", \"title\": \"\", \"url\": \"u\", \"x\": [1.5, {\"y\": null}]}\r\n");
        let article = article.expect("a valid record");
        assert_eq!(article.id, "7");
        assert_eq!(article.text, " body");
        assert_eq!(article.title, None);
        assert_eq!(article.url.as_deref(), Some("u"));
        assert_eq!(article.encoding, "utf-8");
        assert_eq!(article.path, "a.jsonl:1");
    }

    #[test]
    fn escapes_and_surrogate_pairs_are_read() {
        let article =
            read(r#"{"\u0069d": "a\ud83d\ude00", "text": "\u00e9t\u00e9"}"#).expect("a valid record");
        assert_eq!(article.id, "a\u{1F600}");
        assert_eq!(article.text, "été");
    }

    #[test]
    fn what_python_decides_is_left_to_it() {
        for line in [
            "",
            "[]",
            "{\"id\": \"a\", \"text\": \"t\"} x",
            r#"{"id": "a", "text": "\ud800"}"#,
            r#"{"id": "a", "text": "t", "other": "\udfff"}"#,
            r#"{"id": "a", "id": "b", "text": "t"}"#,
            r#"{"id": "a", "text": "t", "n": NaN}"#,
            r#"{"id": "a", "text": "t", "n": 1e400}"#,
            r#"{"id": 1.0, "text": "t"}"#,
            r#"{"id": -0, "text": "t"}"#,
            r#"{"id": 123456789012345678901234567890, "text": "t"}"#,
            r#"{"id": true, "text": "t"}"#,
            r#"{"id": null, "text": "t"}"#,
            r#"{"id": " ", "text": "t"}"#,
            r#"{"id": "a", "text": "\u2003\n"}"#,
            r#"{"id": "a", "text": 5}"#,
            r#"{"id": "a", "text": "t", "title": 5}"#,
            r#"{"text": "t"}"#,
        ] {
            assert!(read(line).is_none(), "{line}");
        }
        let nested = format!(
            "{{\"id\": \"a\", \"text\": \"t\", \"n\": {}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(read(&nested).is_none());
        assert!(article_from_line(b"{\"id\": \"a\", \"text\": \"caf\xe9\"}", String::new()).is_none());
    }
}

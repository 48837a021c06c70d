//! Separate an article's body from its header lines and the site furniture around it
//! (the port of `newsdedup.clean.clean`): segment, classify, find the body, read the
//! header fields, strip datelines.

use crate::classify::{body_start, classify, main_segments, url_search, BlockSettings, FurniturePhrases};
use crate::dates::{
    day_first_from_language, day_first_from_text, parse_timestamp, timestamp_line, Timestamp,
};
use crate::header::{
    agency_in, byline, credit_line, date_header, dateline, is_photo_credit, Agencies, CreditKind, WireCredit,
};
use crate::pystr::{chars, push_chars, strip};
use crate::segment::{blank_line_pieces, segment, Block, Kind, PIECE_BYTES};

/// `BoilerplateSettings` and the wire agencies (`CanonicalSettings.wire_agencies`),
/// prepared once for many articles.
#[derive(Clone, Debug)]
pub struct CleanSettings {
    pub enabled: bool,
    pub min_body_words: usize,
    pub blocks: BlockSettings,
    pub agencies: Agencies,
}

/// The settings' fields as `BoilerplateSettings` names them.
#[derive(Clone, Debug)]
pub struct BoilerplateSettings {
    pub enabled: bool,
    pub min_prose_words: usize,
    pub long_prose_words: usize,
    pub max_symbol_share: f64,
    pub max_furniture_words: usize,
    pub min_body_words: usize,
    pub segment_gap: usize,
    pub min_segment_share: f64,
    pub phrases: Vec<String>,
}

impl CleanSettings {
    pub fn new(boilerplate: BoilerplateSettings, wire_agencies: &[String]) -> Self {
        let blocks = BlockSettings {
            min_prose_words: boilerplate.min_prose_words,
            long_prose_words: boilerplate.long_prose_words,
            max_symbol_share: boilerplate.max_symbol_share,
            max_furniture_words: boilerplate.max_furniture_words,
            segment_gap: boilerplate.segment_gap,
            min_segment_share: boilerplate.min_segment_share,
            phrases: FurniturePhrases::new(&boilerplate.phrases),
        };
        CleanSettings {
            enabled: boilerplate.enabled,
            min_body_words: boilerplate.min_body_words,
            blocks,
            agencies: Agencies::new(wire_agencies),
        }
    }
}

/// What `clean` reads of an `Article`: its text and the fields the input declared.
#[derive(Clone, Debug, Default)]
pub struct Article<'a> {
    pub text: &'a str,
    pub title: Option<&'a str>,
    pub source: Option<&'a str>,
    pub published: Option<&'a str>,
    /// A BCP 47 tag (`<html lang>`, `og:locale`, a JSON Lines field): how to read 05/10/2024.
    pub language: Option<&'a str>,
    /// The byline a JSON Lines record or a web page declares (its author meta tag, JSON-LD):
    /// it wins over the text's header lines, as a declared title does.
    pub byline: Option<&'a str>,
    /// The text is the article a web page's reader found in the page's tree: its paragraphs
    /// are kept whatever their shape (lists, short lines), only lines shaped like furniture go.
    pub body_found: bool,
}

/// The `Document` fields that `clean` works out (id, path, url and encoding pass through).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cleaned {
    pub body: String,
    /// Code points, as Python's `len`.
    pub body_chars: usize,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub byline: Option<String>,
    pub dateline: Option<String>,
    pub wire_credit: Option<WireCredit>,
    pub total_chars: usize,
    pub boilerplate_chars_removed: usize,
    /// The published date's day and month could swap and nothing settled the order.
    pub published_ambiguous: bool,
}

/// `_HeaderFields`: what the header lines before the body say.
#[derive(Default)]
struct HeaderFields {
    title: Option<Vec<char>>,
    source: Option<Vec<char>>,
    published: Option<Timestamp>,
    /// Where `published` was read, to read it again in a settled day/month order.
    published_line: Vec<char>,
    byline: Option<Vec<char>>,
    credit: Option<WireCredit>,
}

/// `_read_header`: title, source, date, byline and wire credit from the blocks before the body.
fn read_header(blocks: &[Block], agencies: &Agencies) -> HeaderFields {
    let mut found = HeaderFields::default();
    for block in blocks {
        let text = block.text();
        let text = strip(&text);
        if let Some((date, source)) = date_header(text) {
            if found.published.is_none() {
                found.published = Some(Timestamp {
                    iso: date.iter().collect(),
                    ambiguous: false,
                });
                found.published_line = date.to_vec();
            }
            if found.source.is_none() {
                found.source = source.map(<[char]>::to_vec);
            }
            continue;
        }
        if let Some(name) = byline(text) {
            found.byline.get_or_insert_with(|| name.to_vec());
            if let Some(agency) = agency_in(name, agencies).filter(|agency| !agency.is_empty()) {
                if found.credit.is_none() {
                    let evidence = text.iter().collect();
                    found.credit = Some(WireCredit {
                        agency: agency.to_string(),
                        evidence,
                        kind: CreditKind::Byline,
                    });
                }
            }
            continue;
        }
        if let Some(stamp) = timestamp_line(text) {
            // The most precise stamp wins; among equals, the first.
            let replaces = found
                .published
                .as_ref()
                .is_none_or(|published| stamp.has_time() && !published.has_time());
            if replaces {
                found.published = Some(stamp);
                found.published_line = text.to_vec();
            }
            continue;
        }
        if let Some(credit) = credit_line(text, agencies) {
            found.credit.get_or_insert(credit);
            continue;
        }
        let words = block.words;
        if found.title.is_none() && (3..=30).contains(&words) && !is_photo_credit(text) && !url_search(text) {
            found.title = Some(text.to_vec());
        }
    }
    found
}

/// The article's blocks, each with its kind judged from its own shape (see `classify` for
/// a body a page's tree gave).
pub fn classified_blocks(text: &str, settings: &CleanSettings, body_found: bool) -> Vec<Block> {
    // A long article's blocks all wait until its body is found: as characters, they and
    // its text would take eight times its size.
    let pack = text.len() > PIECE_BYTES;
    let mut blocks = Vec::new();
    for piece in blank_line_pieces(text, PIECE_BYTES) {
        let first = blocks.len();
        blocks.extend(segment(&chars(piece)));
        for block in &mut blocks[first..] {
            block.kind = classify(block, &settings.blocks, &settings.agencies, body_found);
            if pack {
                block.pack();
            }
        }
    }
    blocks
}

/// `clean`: split an article into body and the rest, and read the metadata from its header lines.
pub fn clean(article: &Article, settings: &CleanSettings) -> Cleaned {
    let agencies = &settings.agencies;
    let blocks = classified_blocks(article.text, settings, article.body_found);
    // A body a page's tree gave starts after its header lines (a date, a byline), not at its first long paragraph.
    let start = if article.body_found {
        blocks
            .iter()
            .position(|block| block.kind != Kind::Metadata)
            .unwrap_or(blocks.len())
    } else {
        body_start(&blocks)
    };
    let mut found = read_header(&blocks[..start], agencies);
    // A declared byline (a JSON Lines field, a page's author) wins, as a declared title does,
    // and credits the wire it names when the text credits none.
    if let Some(name) = non_empty(article.byline) {
        found.byline = Some(name.chars().collect());
        let agency = agency_in(&chars(name), agencies).filter(|agency| !agency.is_empty());
        if let (None, Some(agency)) = (&found.credit, agency) {
            found.credit = Some(WireCredit {
                agency: agency.to_string(),
                evidence: name.to_string(),
                kind: CreditKind::Byline,
            });
        }
    }

    let kept: Vec<usize> = if settings.enabled && article.body_found {
        (start..blocks.len())
            .filter(|&index| matches!(blocks[index].kind, Kind::Prose | Kind::Short))
            .collect()
    } else if settings.enabled {
        let flags = main_segments(&blocks, start, &settings.blocks);
        (0..blocks.len()).filter(|&index| flags[index]).collect()
    } else {
        (start..blocks.len()).collect()
    };
    if let Some(&last) = kept.last() {
        if let Some(trailing) = blocks.get(last + 1) {
            if found.credit.is_none() {
                found.credit = credit_line(&trailing.text(), agencies);
            }
        }
    }
    let kept_words: usize = kept.iter().map(|&index| blocks[index].words).sum();
    let mut paragraphs = kept;
    if kept_words < settings.min_body_words {
        // A brief (a figures table, a one-line item) has little prose: its lines are the story.
        let title = found.title.as_deref();
        paragraphs = (0..blocks.len())
            .filter(|&index| {
                let block = &blocks[index];
                block.kind != Kind::Metadata
                    && block.words > 0
                    && (article.title.is_some() || Some(strip(&block.text())) != title)
            })
            .collect();
        if paragraphs.is_empty() {
            paragraphs = (0..blocks.len())
                .filter(|&index| blocks[index].words > 0)
                .collect();
        }
    }

    // Each paragraph's text is made (a packed block's decoded) only while it is joined.
    let mut dateline_text = None;
    let mut credit = found.credit.take();
    let mut body = String::new();
    let mut body_chars = 0;
    // Paragraphs hold no line breaks, so the body less its "\n\n" joints is their length.
    let mut paragraph_chars = 0;
    for (position, &index) in paragraphs.iter().enumerate() {
        let text = blocks[index].text();
        let mut paragraph = strip(&text);
        // The article's own dateline opens its first paragraph; in a digest, each story opens with one.
        if let Some(opening) = dateline(paragraph, agencies, position > 0) {
            let written = &paragraph[..opening.length];
            paragraph = &paragraph[opening.length..];
            if dateline_text.is_none() {
                dateline_text = Some(strip(written).iter().collect::<String>());
                if opening.credit.is_some() {
                    credit = opening.credit;
                }
            }
        }
        if position > 0 {
            body.push_str("\n\n");
            body_chars += 2;
        }
        push_chars(&mut body, paragraph);
        body_chars += paragraph.len();
        paragraph_chars += paragraph.len();
    }
    let total_chars: usize = blocks.iter().map(|block| strip(&block.text()).len()).sum();
    drop(blocks);
    let (published, published_ambiguous) = published_date(article, found.published, &found.published_line);
    Cleaned {
        body,
        body_chars,
        title: non_empty(article.title)
            .map(str::to_string)
            .or_else(|| found.title.map(|title| title.iter().collect())),
        source: non_empty(article.source)
            .map(str::to_string)
            .or_else(|| found.source.map(|source| source.iter().collect())),
        published,
        byline: found.byline.map(|name| name.iter().collect()),
        dateline: dateline_text,
        wire_credit: credit,
        total_chars,
        boilerplate_chars_removed: total_chars.saturating_sub(paragraph_chars),
        published_ambiguous,
    }
}

/// Python's `value or other` for an optional string: an empty string counts as missing.
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|value| !value.is_empty())
}

/// `_published`: the publication date (declared, else from a header line) and whether it stayed ambiguous.
///
/// A declared value that is no date is kept as given (it then counts as undated). When day
/// and month could swap (05/10/2024), the page's language settles the order, else the order
/// its other dates are written in; when neither does, the default order stands, reported.
fn published_date(
    article: &Article,
    found: Option<Timestamp>,
    found_line: &[char],
) -> (Option<String>, bool) {
    let declared_text;
    let (stamp, written) = match (non_empty(article.published), found) {
        (Some(declared), _) => {
            declared_text = chars(declared);
            match parse_timestamp(&declared_text, None) {
                Some(stamp) => (stamp, declared_text.as_slice()),
                None => return (Some(declared.to_string()), false),
            }
        }
        (None, Some(stamp)) => (stamp, found_line),
        (None, None) => return (None, false),
    };
    if !stamp.ambiguous {
        return (Some(stamp.iso), false);
    }
    let day_first =
        day_first_from_language(article.language).or_else(|| day_first_from_text(&chars(article.text)));
    let stamp = match day_first {
        Some(day_first) => parse_timestamp(written, Some(day_first)).unwrap_or(stamp),
        None => stamp,
    };
    (Some(stamp.iso), stamp.ambiguous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> CleanSettings {
        let boilerplate = BoilerplateSettings {
            enabled: true,
            min_prose_words: 8,
            long_prose_words: 15,
            max_symbol_share: 0.3,
            max_furniture_words: 120,
            min_body_words: 40,
            segment_gap: 4,
            min_segment_share: 0.25,
            phrases: vec!["Share this article".into(), "Read more:".into()],
        };
        CleanSettings::new(boilerplate, &["Reuters".into(), "AP".into(), "AFP".into()])
    }

    #[test]
    fn a_web_article() {
        let text = "Home\nWorld\nBusiness\n\nMarkets rally as rates hold steady\n\nBy Jane Doe, Reuters\n\n\
                    Updated: October 24, 2024 19:25\n\n\
                    LONDON (Reuters) - Stocks rose on Thursday after the central bank left interest rates \
                    unchanged, as investors bet that inflation had peaked and growth would hold up.\n\n\
                    Traders said the decision had been widely expected, but the tone of the statement \
                    surprised some who had feared a warning about wages.\n\nShare this article\n\n© Reuters";
        let cleaned = clean(
            &Article {
                text,
                ..Default::default()
            },
            &settings(),
        );
        assert!(cleaned.body.starts_with("Stocks rose on Thursday"));
        assert!(cleaned.body.ends_with("about wages."));
        assert_eq!(
            cleaned.title.as_deref(),
            Some("Markets rally as rates hold steady")
        );
        assert_eq!(cleaned.byline.as_deref(), Some("Jane Doe, Reuters"));
        assert_eq!(cleaned.published.as_deref(), Some("2024-10-24T19:25"));
        assert_eq!(cleaned.dateline.as_deref(), Some("LONDON (Reuters) -"));
        let credit = cleaned.wire_credit.unwrap();
        assert_eq!(
            (credit.agency.as_str(), credit.kind),
            ("Reuters", CreditKind::Dateline)
        );
        assert_eq!(cleaned.body_chars, cleaned.body.chars().count());
    }

    #[test]
    fn a_body_a_page_gave_keeps_its_lists_and_its_declared_byline_credits_the_wire() {
        let text = "Stocks rose on Thursday after the central bank left interest rates unchanged, as \
                    investors bet that inflation had peaked and that growth would hold up into next year.\n\n\
                    Traders said the decision had been widely expected, but the tone of the statement \
                    surprised some who had feared a warning about wages and prices.\n\n\
                    The best performers:\n\n1 Acme Corp 5040 5 1\n\n2 Beta Ltd 5035 7 0\n\n\
                    https://example.com/markets/live\n\nShare this article";
        let article = Article {
            text,
            byline: Some("Jane Doe, Reuters"),
            body_found: true,
            ..Default::default()
        };
        let cleaned = clean(&article, &settings());
        assert!(cleaned
            .body
            .contains("1 Acme Corp 5040 5 1\n\n2 Beta Ltd 5035 7 0"));
        assert!(cleaned.body.contains("https://example.com/markets/live"));
        assert!(!cleaned.body.contains("Share this"));
        assert_eq!(cleaned.byline.as_deref(), Some("Jane Doe, Reuters"));
        let credit = cleaned.wire_credit.unwrap();
        assert_eq!(
            (credit.agency.as_str(), credit.kind),
            ("Reuters", CreditKind::Byline)
        );
        // The same text as a text file: the list and the link are furniture by their shape.
        let as_text = clean(
            &Article {
                body_found: false,
                ..article
            },
            &settings(),
        );
        assert!(!as_text.body.contains("Acme") && !as_text.body.contains("example.com"));
    }

    #[test]
    fn a_brief_keeps_its_lines_and_a_declared_date_wins() {
        let text = "Shell said it would pay 1.5 billion dlrs.\nQtr shr 10 cts vs 20 cts";
        let article = Article {
            text,
            published: Some("26-FEB-1987 15:01:01.79"),
            ..Default::default()
        };
        let cleaned = clean(&article, &settings());
        assert_eq!(
            cleaned.body,
            "Shell said it would pay 1.5 billion dlrs.\n\nQtr shr 10 cts vs 20 cts"
        );
        assert_eq!(cleaned.published.as_deref(), Some("1987-02-26T15:01:01"));
    }

    #[test]
    fn empty_text() {
        let cleaned = clean(&Article::default(), &settings());
        assert_eq!(
            (cleaned.body.as_str(), cleaned.total_chars, cleaned.title),
            ("", 0, None)
        );
    }
}

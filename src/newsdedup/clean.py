"""Separate an article's body from its header lines and the site furniture around it.

The work is done by the compiled core (rust/core/src/clean.rs with segment.rs,
classify.rs, header.rs and dates.rs): it judges blocks by shape (length, sentence
punctuation, share of numbers and symbols, position among other blocks) with the
configured furniture phrases as a further hint, re-joins hard-wrapped paragraphs,
and reads the metadata of the header lines. This module turns the stage's settings
and nouns into the core's and back.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import _core
from .config import BoilerplateSettings, CanonicalSettings
from .models import Article, Document, WireCredit


def article_row(article: Article) -> _core.ArticleRow:
    """An Article as the core takes it: its fields in their order."""
    return (article.id, article.path, article.text, article.title, article.source, article.url,
            article.published, article.encoding, article.language, article.byline, article.web_page)


def document_of(article_id: str, path: str, row: _core.DocumentRow) -> Document:
    """The Document of an article from the core's row (the Document's fields after id and path)."""
    credit = row[8]
    return Document(article_id, path, *row[:8], None if credit is None else WireCredit(*credit), *row[9:])


def clean_settings(boilerplate: BoilerplateSettings, canonical: CanonicalSettings) -> _core.CleanSettings:
    """The core's cleaning settings (phrases lowered, agencies ordered once): make one per run, not per article."""
    return _core.CleanSettings(
        enabled=boilerplate.enabled, min_prose_words=boilerplate.min_prose_words,
        long_prose_words=boilerplate.long_prose_words, max_symbol_share=boilerplate.max_symbol_share,
        max_furniture_words=boilerplate.max_furniture_words, min_body_words=boilerplate.min_body_words,
        segment_gap=boilerplate.segment_gap, min_segment_share=boilerplate.min_segment_share,
        phrases=list(boilerplate.phrases), wire_agencies=list(canonical.wire_agencies))


def clean_all(articles: Sequence[Article], boilerplate: BoilerplateSettings, canonical: CanonicalSettings,
              threads: int = 1) -> list[Document]:
    """Each article split into body and metadata, in order, on ``threads`` threads (0: every core)."""
    rows = _core.clean_batch([article_row(article) for article in articles],
                             clean_settings(boilerplate, canonical), threads)
    return [document_of(article.id, article.path, row) for article, row in zip(articles, rows)]


def clean(article: Article, boilerplate: BoilerplateSettings, canonical: CanonicalSettings) -> Document:
    """Split one article into body and the rest, and read the metadata from its header lines."""
    return clean_all([article], boilerplate, canonical)[0]

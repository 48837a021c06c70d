"""Saved web pages: the article and the metadata the core reads from each (rust/core/src/page).

The core parses a page as a browser does (html5ever), reads again the markup an unclosed
``<title>`` or ``<script src>`` swallowed, finds the article in the tree (the page's
``itemprop=articleBody``, else where the prose concentrates, with navigation, comment
sections and link lists left out) and its metadata (meta tags, JSON-LD, ``<time>``).
The article's paragraphs are separated by blank lines, so the clean stage sees them.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _core
from .models import Article, Skipped

PAGE_ENDINGS = (".html", ".htm")


@dataclass(frozen=True)
class Page:
    """What a page gives: its article's text (empty when it holds none) and metadata."""

    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    byline: str | None = None


def read_pages(pages: list[str], threads: int = 0) -> list[Page]:
    """Each page (decoded text) read, in order, on ``threads`` threads (0: every core)."""
    return [Page(*row) for row in _core.read_pages(pages, threads)]


def read_page(html: str) -> Page:
    """One page read."""
    return read_pages([html], threads=1)[0]


def page_article(page: Page, article_id: str, path: str, encoding: str = "utf-8") -> Article | Skipped:
    """The Article a page read gives (``web_page``: the clean stage keeps its paragraphs), or why none."""
    if not page.text.strip():
        return Skipped(path, "no text in the page")
    return Article(id=article_id, path=path, text=page.text, title=page.title, source=page.source, url=page.url,
                   published=page.published, encoding=encoding, language=page.language, byline=page.byline,
                   web_page=True)


def is_html(name: str) -> bool:
    return name.lower().endswith(PAGE_ENDINGS)

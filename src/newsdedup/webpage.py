"""Turn a saved web page into article text and metadata, with the standard library's HTML parser.

Block elements become paragraph breaks, so the clean stage sees the page's structure.
Elements that are never the article (scripts, styles, navigation, asides, footers,
forms, figure captions) are dropped here already; the rest of the furniture is left to
the clean stage. Metadata comes from the usual <meta> tags, the first <h1> and <title>.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = {
    "script", "style", "noscript", "template", "svg", "nav", "aside", "footer", "form", "button",
    "iframe", "select", "textarea", "canvas", "figcaption", "head",
}
_PARAGRAPHS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "article", "section", "div", "tr",
    "table", "ul", "ol", "header", "main", "pre", "dd", "dt", "figure", "address", "hr",
}
_META_FIELDS = {
    "og:title": "title", "twitter:title": "title",
    "og:site_name": "source", "application-name": "source",
    "article:published_time": "published", "datepublished": "published", "date": "published",
    "pubdate": "published", "publishdate": "published", "dc.date": "published", "sailthru.date": "published",
    "og:url": "url", "og:locale": "language",
}
_VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "source", "track", "wbr"}


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.in_h1 = False
        self.page_title: list[str] = []
        self.heading: list[str] = []
        self.first_heading: str | None = None

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.current)).strip()
        text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag == "html" and attributes.get("lang", "").strip():
            self.meta.setdefault("language", attributes["lang"].strip())
            return
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or attributes.get("itemprop") or "").lower()
            field = _META_FIELDS.get(key)
            if field and attributes.get("content") and field not in self.meta:
                self.meta[field] = attributes["content"].strip()
            return
        if tag == "link" and attributes.get("rel", "").lower() == "canonical" and attributes.get("href"):
            self.meta.setdefault("url", attributes["href"].strip())
            return
        if tag == "title":
            self.in_title = True
            return
        if tag in _SKIPPED and tag != "head" and tag not in _VOID:
            self.skipping.append(tag)
            return
        if self.skipping:
            return
        if tag == "br":
            self.current.append("\n")
        elif tag in _PARAGRAPHS:
            self._flush()
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _PARAGRAPHS:
            self._flush()
        if tag == "h1" and self.in_h1:
            self.in_h1 = False
            if self.first_heading is None:
                self.first_heading = " ".join("".join(self.heading).split()) or None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page_title.append(data)
            return
        if self.skipping:
            return
        if self.in_h1:
            self.heading.append(data)
        self.current.append(data.replace("\n", " "))


def read_page(html: str) -> tuple[str, dict[str, str | None]]:
    """(article text with paragraph breaks, metadata: title, source, published, url, language)."""
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    reader._flush()
    page_title = " ".join("".join(reader.page_title).split()) or None
    metadata = {
        "title": reader.first_heading or reader.meta.get("title") or page_title,
        "source": reader.meta.get("source"),
        "published": reader.meta.get("published"),
        "url": reader.meta.get("url"),
        "language": reader.meta.get("language"),
    }
    return "\n\n".join(reader.blocks), metadata


def is_html(name: str) -> bool:
    return name.lower().endswith((".html", ".htm"))

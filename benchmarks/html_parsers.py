"""Which HTML5 parser for issue 13: parse speed on real pages, and the tree each builds from hostile markup.

    pip install -e '.[pages]'
    (cd rust && cargo build --release --example pages -p newsdedup-core)
    python benchmarks/html_parsers.py /work/scratch/pages [--repeat 3]

Parsers: html5ever (Rust, into the core's own tree, rust/core/src/page/tree.rs, through
rust/core/examples/pages.rs),
lexbor (selectolax, with scripting on and the charset detected from the bytes, as a browser
does), html5lib (pure Python; lxml's html5parser is html5lib building an lxml tree, the same
parse) and lxml.html (libxml2's HTML 4 parser, not HTML5: for reference). The speed table also
times newsdedup's whole page reader (newsdedup.webpage: html5ever, repair and article detection
in the core; it gives the article's text, not a tree, so it is not in the tree table). Before
issue 13 that reader was the standard library's tokenizer: docs/pages-groundwork.md has its
figures.

Speed: pages parsed per second on one thread over the benchmark's pages (page_corpus.py), the
median of ``--repeat`` runs (html5ever: the mean, timed inside the example). Trees: for each hand-made hostile page, the visible text (the text
under <body>, leaving out script, style, noscript, template, svg and math) beside the text a
browser shows (the HTML standard's answer; for a mis-declared charset, the article's true
text), compared as sequences of words. "lexbor + walk" also times visiting every node of
lexbor's tree from Python, the least a main-text detector written in Python would do.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newsdedup.charset import decode_page
from newsdedup.webpage import read_page

INVISIBLE = {"script", "style", "noscript", "template", "svg", "math"}
HTML5EVER = Path(__file__).resolve().parent.parent / "rust" / "target" / "release" / "examples" / "pages"

# (name, page bytes, the expected visible text, why). The expected text is what a browser shows
# (the HTML standard's tokenizer and tree builder with scripting on, as Chrome and Firefox build
# the page), except for the mis-declared charset, where it is the article's own text.
HOSTILE: list[tuple[str, bytes, str, str]] = [
    ("form wrapper", b'<html><body><form id="aspnetForm" method="post"><input type="hidden" name="__VIEWSTATE" '
     b'value="x"><div id="main"><h1>Moon shot</h1><p>NASA picked three firms.</p></div></form></body></html>',
     "Moon shot NASA picked three firms.", "the whole article inside one <form>, as ASP.NET and Al Jazeera pages are"),
    ("unclosed <title> in head", b"<html><head><title>Site name</head><body><p>Article text here.</p></body></html>",
     "", "a title is text up to </title>: without one the rest of the page is the title, and the page is blank"),
    ("unclosed <title> in svg", b"<body><p>Lead.</p><svg><title>Share</svg><p>Article text here.</p></body>",
     "Lead. Article text here.", "inside svg a title is an svg element, closed with its svg"),
    ("IE conditional comment", b"<body><!--[if lt IE 9]><p>Old browser.</p><![endif]--><p>Lead paragraph.</p>"
     b"<![endif]--><p>Article text after the stray marker.</p><script>if (a[b[0]]> 1) {}</script><p>Tail.</p></body>",
     "Lead paragraph. Article text after the stray marker. Tail.", "a stray <![endif]--> is a comment up to its >"),
    ("self-closed <script src=/>", b'<body><p>Lead.</p><script src="/js/a.js"/><p>Article text.</p>'
     b"<script>var x = 1;</script><p>Tail.</p></body>",
     "Lead. Tail.", "<script/> is not closed: the page up to the next </script> is script, hidden in a browser too"),
    ("<script src= missing its >", b'<body><p>Lead.</p><script src="/js/a.js"<p>Article text.</p></script>'
     b"<p>Tail.</p></body>",
     "Lead. Tail.", "the tag runs on to the next >, and the script to </script>"),
    ("<br>-separated text", b'<body><div class="story">First line of the story.<br>Second line.<br><br>Third line.'
     b"</div></body>", "First line of the story. Second line. Third line.", "text between <br>s, no paragraphs"),
    ("layout table, misnested", b"<body><table><tr><td><a href=/>Home</a></td><td><p>Article text in a cell.</p>"
     b"</td></tr></table><table><p>Fostered paragraph.<tr><td>Cell.</td></tr></table></body>",
     "Home Article text in a cell. Fostered paragraph. Cell.", "a <p> inside <table> is moved before the table"),
    ("<noscript> in head", b"<html><head><noscript><p>Please enable JavaScript.</p></noscript></head>"
     b"<body><p>Article text.</p></body></html>",
     "Article text.", "with scripting on, noscript is raw text; parsed with it off, its <p> opens the body"),
    ("inline svg", b'<body><p>Share <svg viewBox="0 0 1 1"><title>Twitter</title><path d="M0 0"/></svg> this.</p>'
     b"<svg><p>Breakout paragraph.</p></svg></body>",
     "Share this. Breakout paragraph.", "an HTML <p> inside svg breaks out of it"),
    ("stray NUL byte", b"<body><p>Arti\x00cle text with a stray NUL.</p></body>",
     "Article text with a stray NUL.", "a NUL in text is dropped, the page is not binary"),
    ("mis-declared charset", '<html><head><meta charset="windows-1252"></head><body><p>NBC\u2019s report.</p>'
     "</body></html>".encode("utf-8"),
     "NBC\u2019s report.", "UTF-8 bytes declared windows-1252: a browser obeys and shows NBCâ€™s; the article says "
     "NBC’s, so the declaration must be judged (issue 13 item 3), not obeyed"),
]


def _element_text(element: Any, pieces: list[str]) -> None:
    """Visible text of an ElementTree/lxml element and its children (tails are the parent's text)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    local = tag.rsplit("}", 1)[-1].lower()
    if tag and local not in INVISIBLE:
        pieces.append(element.text or "")
        for child in element:
            _element_text(child, pieces)
    pieces.append(element.tail or "")


def _body_text(root: Any) -> str:
    body = next((element for element in root.iter() if isinstance(element.tag, str)
                 and element.tag.rsplit("}", 1)[-1].lower() == "body"), None)
    if body is None:
        return ""
    pieces: list[str] = []
    _element_text(body, pieces)
    pieces.pop()  # the body's own tail is outside it
    return " ".join(" ".join(pieces).split())


def lexbor_tree(html: bytes) -> Any:
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(html, encoding=True, scripting=True)


def lexbor_walk(html: bytes) -> int:
    """Parse, then visit every node from Python reading its tag and text: the floor of a Python-side detector."""
    tree = lexbor_tree(html)
    return sum(len(node.tag) + len(node.text_content or "") for node in tree.root.traverse(include_text=True)) \
        if tree.root is not None else 0


def lexbor_text(html: bytes) -> str:
    tree = lexbor_tree(html)
    if tree.body is None:
        return ""
    for node in tree.body.css(", ".join(sorted(INVISIBLE))):
        node.decompose()
    return " ".join((tree.body.text(separator=" ") or "").split())


def html5lib_tree(html: bytes) -> Any:
    import html5lib

    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def lxml_tree(html: bytes) -> Any:
    import lxml.html

    return lxml.html.document_fromstring(html)


def reader_text(html: bytes) -> str:
    """newsdedup's page reader: its charset choice (as load.py makes it), then webpage.read_page (the
    article's text: parse, repair, detection; timed beside the parsers, not compared as a tree)."""
    decoded = decode_page(html)
    return " ".join(read_page(decoded[0]).text.split()) if not isinstance(decoded, str) else ""


def html5ever(command: str, *arguments: str) -> list[str]:
    if not HTML5EVER.exists():
        sys.exit(f"{HTML5EVER} is missing: (cd rust && cargo build --release --example pages -p newsdedup-core)")
    done = subprocess.run([str(HTML5EVER), command, *arguments], capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def html5ever_texts(pages: list[bytes]) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, page in enumerate(pages):
            paths.append(Path(folder) / f"{number}.html")
            paths[-1].write_bytes(page)
        return [json.loads(line) for line in html5ever("visible", *map(str, paths))]


TEXT_READERS: dict[str, Callable[[bytes], str]] = {
    "lexbor": lexbor_text,
    "html5lib": lambda html: _body_text(html5lib_tree(html)),
    "lxml.html": lambda html: _body_text(lxml_tree(html)),
}


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def compare_trees() -> None:
    names = ["html5ever", *TEXT_READERS]
    texts = {"html5ever": html5ever_texts([page for _, page, _, _ in HOSTILE])}
    for name, reader in TEXT_READERS.items():
        texts[name] = [reader(page) for _, page, _, _ in HOSTILE]
    print("hostile pages: is the visible text the expected one? (a browser's; compared word by word)")
    print("  " + "case".ljust(28) + "".join(name.rjust(16) for name in names))
    for number, (case, _, browser, _) in enumerate(HOSTILE):
        cells = ["right" if words(texts[name][number]) == words(browser) else "WRONG" for name in names]
        print("  " + case.ljust(28) + "".join(cell.rjust(16) for cell in cells))
    print("\nwhat each shows where one is wrong (expected first):")
    for number, (case, _, browser, why) in enumerate(HOSTILE):
        wrong = [name for name in names if words(texts[name][number]) != words(browser)]
        if wrong:
            print(f"  {case}: {why}\n    {'expected'.ljust(15)} {browser!r}")
            for name in wrong:
                print(f"    {name.ljust(15)} {texts[name][number][:90]!r}")


def pages_per_second(parse: Callable[[bytes], object], pages: Iterable[bytes], repeat: int) -> float:
    pages = list(pages)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for page in pages:
            parse(page)
        runs.append(time.perf_counter() - start)
    return len(pages) / statistics.median(runs)


def measure_speed(corpus: Path, repeat: int) -> None:
    paths = sorted((corpus / "pages").glob("*.html"))
    pages = [path.read_bytes() for path in paths]
    sizes = sorted(len(page) for page in pages)
    print(f"\nparse speed, one thread, {len(pages)} pages (median {statistics.median(sizes) / 1024:.1f} KiB), "
          f"median of {repeat} runs:")
    print(f"  {'html5ever'.ljust(24)} {html5ever('time', str(repeat), *map(str, paths))[0]}")
    parsers: dict[str, Callable[[bytes], object]] = {
        "lexbor (selectolax)": lexbor_tree, "lexbor + walk": lexbor_walk, "lxml.html (libxml2)": lxml_tree,
        "newsdedup's page reader": reader_text, "html5lib": html5lib_tree,
    }
    for name, parse in parsers.items():
        print(f"  {name.ljust(24)} {pages_per_second(parse, pages, 1 if name == 'html5lib' else repeat):.1f} pages/s",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the folder page_corpus.py wrote (pages/, gold/)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per parser (html5lib: one)")
    arguments = parser.parse_args()
    compare_trees()
    measure_speed(arguments.corpus, arguments.repeat)


if __name__ == "__main__":
    main()

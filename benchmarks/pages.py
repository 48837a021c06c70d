"""Score reading saved web pages against human gold text: newsdedup beside trafilatura and readability-lxml.

    pip install -e '.[pages]'    # pip >= 24: pip 23.2's resolver fails on trafilatura beside readability-lxml
    python benchmarks/page_corpus.py /work/scratch/aeb /work/scratch/pages   # once, see there
    python benchmarks/pages.py /work/scratch/pages [--newsdedup PATH] [--per-page]

For each reader, on the same pages (the raw bytes: each reader decodes them its own way):

- extraction: word-level precision, recall and F1 of the extracted body against the gold
  text. Words are the ``\\w+`` runs of the text, casefolded, counted as a multiset (a word
  twice in the gold needs to be found twice). An empty extraction scores 0. Given as the
  mean over pages and micro (summed over all pages' words).
- trafilatura twice: with its defaults, which keep reader comments, and without comments
  ("trafilatura-nc"), as one extracts article bodies.
- clustering: `newsdedup cluster` on a folder holding each page and its gold text (newsdedup
  reads the .html pages itself; for the other readers the page is their extracted text, as a
  .txt), scored with newsdedup.evaluate.score, the truth being one cluster per page + gold.
  A skipped input counts as a cluster of its own (its pair is missed); "skipped" counts the
  pages skipped whose gold text has 80 words or more.
- speed: pages per second of the reader alone, one thread, median of ``--repeat`` runs
  (newsdedup: its loader and clean stage, the body it fingerprints), and the wall time of
  `newsdedup cluster` on the pages alone.

No network: the pages come from the folder page_corpus.py writes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from cluster_run import cluster_report, predicted_clusters
from newsdedup.clean import clean_all
from newsdedup.config import Config
from newsdedup.evaluate import score
from newsdedup.load import read_articles
from newsdedup.models import Article

WORD = re.compile(r"\w+")
LONG_GOLD_WORDS = 80


def words(text: str) -> Counter[str]:
    """The multiset of casefolded \\w+ runs: the unit every extraction figure counts."""
    return Counter(word.casefold() for word in WORD.findall(text))


@dataclass(frozen=True)
class Overlap:
    """Words of one extraction: found, extracted, in the gold."""

    common: int
    extracted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.common / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.common / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def overlap(extracted: str, gold: str) -> Overlap:
    found, wanted = words(extracted), words(gold)
    return Overlap(sum((found & wanted).values()), sum(found.values()), sum(wanted.values()))


def pooled(overlaps: Iterable[Overlap]) -> Overlap:
    """All pages' words as one extraction: its precision, recall and F1 are the micro figures."""
    overlaps = list(overlaps)
    return Overlap(sum(o.common for o in overlaps), sum(o.extracted for o in overlaps), sum(o.gold for o in overlaps))


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def newsdedup_bodies(pages: Path) -> dict[str, str]:
    """page id -> the body newsdedup fingerprints: its page loader, then its clean stage, one thread."""
    config = Config()
    articles = [item for item in read_articles([str(pages)], config.input) if isinstance(item, Article)]
    documents = clean_all(articles, config.boilerplate, config.canonical, threads=1)
    return {document.id: document.body for document in documents}


def trafilatura_text(html: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def trafilatura_without_comments(html: bytes) -> str:
    """trafilatura as one extracts article bodies: its default keeps reader comments, which no gold holds."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def readability_text(html: bytes) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return " ".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""


def extract_all(reader: Callable[[bytes], str], pages: dict[str, bytes]) -> dict[str, str]:
    """page id -> text, for a reader of one page's bytes; a reader that fails on a page gives ''."""
    texts = {}
    for page_id, html in pages.items():
        try:
            texts[page_id] = reader(html)
        except Exception:  # a competitor's crash on one page costs that page only
            texts[page_id] = ""
    return texts


def timed(run: Callable[[], dict[str, str]], repeat: int) -> tuple[dict[str, str], float]:
    """The texts of one run and the median seconds of ``repeat`` runs."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        texts = run()
        seconds.append(time.perf_counter() - start)
    return texts, statistics.median(seconds)


def cluster(newsdedup: str, folder: Path) -> tuple[dict[str, object], list[str], float]:
    """article id -> cluster id, the skipped paths and the wall time of `newsdedup cluster FOLDER`."""
    report, seconds = cluster_report(newsdedup, folder)
    return predicted_clusters(report), [skipped["path"] for skipped in report["skipped"]], seconds


def clustering_folder(root: Path, corpus: Path, texts: dict[str, str] | None) -> Path:
    """A folder of gold/ID.txt and pages/ID.html (texts None: the saved pages) or pages/ID.txt (a reader's text)."""
    folder = root / ("newsdedup" if texts is None else f"reader-{len(list(root.iterdir()))}")
    (folder / "pages").mkdir(parents=True)
    shutil.copytree(corpus / "gold", folder / "gold")  # copies: newsdedup does not follow links out of a folder
    for page in sorted((corpus / "pages").glob("*.html")):
        if texts is None:
            shutil.copyfile(page, folder / "pages" / page.name)
        else:
            (folder / "pages" / f"{page.stem}.txt").write_text(texts[page.stem], encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Row:
    name: str
    overlaps: dict[str, Overlap]
    pairwise: tuple[float | None, float | None, float | None]
    skipped_long: int
    pages_per_second: float
    apart: list[str]  # pages not in their gold text's cluster (skipped ones too)
    merged: list[list[str]]  # the pages of each cluster that holds more than one page's page or gold


def figures(name: str, texts: dict[str, str], gold: dict[str, str], newsdedup: str, folder: Path,
            seconds: float) -> Row:
    overlaps = {page_id: overlap(texts.get(page_id, ""), gold[page_id]) for page_id in gold}
    predicted, skipped, _ = cluster(newsdedup, folder)
    truth = {f"{kind}/{page_id}": page_id for page_id in gold for kind in ("pages", "gold")}
    # A skipped input is a cluster of its own here: score() leaves out unclustered ids, and a
    # page skipped as empty has lost its pair with the gold text.
    alone: dict[str, object] = {article_id: ("skipped", article_id) for article_id in truth if article_id not in predicted}
    scores = score({**predicted, **alone}, truth)
    long_gold = {page_id for page_id, text in gold.items() if word_count(text) >= LONG_GOLD_WORDS}
    skipped_long = sum(Path(path).stem in long_gold for path in skipped if "/pages/" in path.replace("\\", "/"))
    apart = [page_id for page_id in gold if f"pages/{page_id}" not in predicted
             or predicted[f"pages/{page_id}"] != predicted.get(f"gold/{page_id}")]
    members: dict[object, set[str]] = {}
    for article_id, cluster_id in predicted.items():
        members.setdefault(cluster_id, set()).add(article_id.split("/", 1)[-1])
    merged = sorted(sorted(page_ids) for page_ids in members.values() if len(page_ids) > 1)
    return Row(name, overlaps, (scores.pairwise_precision, scores.pairwise_recall, scores.pairwise_f1),
               skipped_long, len(gold) / seconds, apart, merged)


def show(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def print_rows(rows: list[Row]) -> None:
    header = ["", *(row.name for row in rows)]
    lines: list[list[str]] = []

    def add(label: str, values: list[str]) -> None:
        lines.append([label, *values])

    for label, figure in (("precision", "precision"), ("recall", "recall"), ("F1", "f1")):
        add(f"extraction {label}, mean",
            [show(statistics.mean(getattr(o, figure) for o in row.overlaps.values())) for row in rows])
    for label, figure in (("precision", "precision"), ("recall", "recall"), ("F1", "f1")):
        add(f"extraction {label}, micro", [show(getattr(pooled(row.overlaps.values()), figure)) for row in rows])
    add("pages with F1 < 0.5", [str(sum(o.f1 < 0.5 for o in row.overlaps.values())) for row in rows])
    add("clustering pairwise P", [show(row.pairwise[0]) for row in rows])
    add("clustering pairwise R", [show(row.pairwise[1]) for row in rows])
    add("clustering pairwise F1", [show(row.pairwise[2]) for row in rows])
    add(f"skipped, gold >= {LONG_GOLD_WORDS} words", [str(row.skipped_long) for row in rows])
    add("pages/s (reader, 1 thread)", [f"{row.pages_per_second:.1f}" for row in rows])
    add("pages apart from their gold", [str(len(row.apart)) for row in rows])
    add("clusters joining pages", [str(len(row.merged)) for row in rows])
    widths = [max(len(line[column]) for line in [header, *lines]) for column in range(len(header))]
    for line in [header, *lines]:
        print("  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                        for column, (cell, width) in enumerate(zip(line, widths))))


def print_per_page(rows: list[Row], gold: dict[str, str]) -> None:
    print("\nper page F1 (" + ", ".join(row.name for row in rows) + "), gold words")
    for page_id in sorted(gold):
        cells = "  ".join(f"{row.overlaps[page_id].f1:.3f}" for row in rows)
        print(f"{page_id[:16]}  {cells}  {word_count(gold[page_id])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the folder page_corpus.py wrote (pages/, gold/)")
    parser.add_argument("--newsdedup", default="newsdedup", help="the newsdedup executable that clusters")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per reader (the median is shown)")
    parser.add_argument("--per-page", action="store_true", help="print every page's F1 per reader")
    parser.add_argument("--only", action="append", help="score only this reader (repeatable): newsdedup, "
                        "trafilatura, trafilatura-nc, readability")
    arguments = parser.parse_args()
    corpus: Path = arguments.corpus
    pages = {path.stem: path.read_bytes() for path in sorted((corpus / "pages").glob("*.html"))}
    gold = {path.stem: path.read_text(encoding="utf-8") for path in sorted((corpus / "gold").glob("*.txt"))}
    if not pages or pages.keys() != gold.keys():
        sys.exit(f"{corpus}: expected pages/ID.html and gold/ID.txt for the same ids (see page_corpus.py)")
    sizes = sorted(len(html) for html in pages.values())
    print(f"{len(pages)} pages, median page size {statistics.median(sizes) / 1024:.1f} KiB, "
          f"median gold text {statistics.median(word_count(text) for text in gold.values())} words")
    readers: list[tuple[str, Callable[[], dict[str, str]]]] = [
        ("newsdedup", lambda: newsdedup_bodies(corpus / "pages")),
        ("trafilatura", lambda: extract_all(trafilatura_text, pages)),
        ("trafilatura-nc", lambda: extract_all(trafilatura_without_comments, pages)),
        ("readability", lambda: extract_all(readability_text, pages)),
    ]
    readers = [(name, run) for name, run in readers if not arguments.only or name in arguments.only]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name, run in readers:
            texts, seconds = timed(run, arguments.repeat)
            folder = clustering_folder(root, corpus, None if name == "newsdedup" else texts)
            rows.append(figures(name, texts, gold, arguments.newsdedup, folder, seconds))
        _, _, cluster_seconds = cluster(arguments.newsdedup, corpus / "pages")
    print_rows(rows)
    for row in rows:
        print(f"{row.name} keeps apart from their gold: " + (", ".join(page_id[:12] for page_id in row.apart) or "none"))
    for row in rows:
        print(f"{row.name} puts different pages together: "
              + ("; ".join(" ".join(page_id[:12] for page_id in group) for group in row.merged) or "none"))
    print(f"newsdedup cluster on the {len(pages)} pages alone: {cluster_seconds:.2f} s, "
          f"{len(pages) / cluster_seconds:.1f} pages/s (all cores)")
    if arguments.per_page:
        print_per_page(rows, gold)


if __name__ == "__main__":
    main()

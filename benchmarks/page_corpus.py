"""Build a page benchmark's folder: real news pages beside their human-marked article text.

    git clone https://github.com/scrapinghub/article-extraction-benchmark /work/scratch/aeb
    python benchmarks/page_corpus.py /work/scratch/aeb /work/scratch/pages
    python benchmarks/page_corpus.py --source dragnet --sample 400 /work/scratch/dragnet /work/scratch/dragnet400
    # /work/scratch/dragnet: HTML/ and Corrected/, or the mirror's dragnet_data/ (see below)

Two sources, neither shipped by a package registry, so each is built from a checkout and never
copied into this repository:

- ``scrapinghub`` (the default): Scrapinghub's article extraction benchmark (MIT licence,
  (c) 2020 Scrapinghub), 181 news and blog pages saved in 2019, each with the article body a
  person marked (``ground-truth.json``, field ``articleBody``).
- ``dragnet``: the data of Moz's Dragnet paper (github.com/seomoz/dragnet_data, collected in
  2012 by Kurtis Bohrnstedt; the data is under the AGPLv3, unlike Dragnet's MIT code: works
  derived from it must be open source too, so it stays a scratch corpus). 1,381 news and blog
  pages: ``HTML/X.html`` as crawled, ``Corrected/X.html.corrected.txt`` the text a person
  copied from the page, the article first, then the reader comments after a marker line
  ``!@#$%^&*()  COMMENTS`` (typed by hand: about 30 of the 419 markers are misspelt, see
  COMMENTS_MARKER). Only the article is kept as gold. The gold files are in several encodings
  (UTF-8, UTF-16 with a BOM, windows-1252) and are written out as UTF-8. CHECKOUT is a folder
  with ``HTML/`` and ``Corrected/`` (the two tarballs unpacked, as the source's README says),
  or one holding ``dragnet_HTML.tar.gz`` and ``dragnet_Corrected.tar.gz`` (a clone, or a bare
  git directory, read with ``git show``), or the ``dragnet_data/`` folder of
  github.com/j-szulc/html-cleaning-dataset-merged, a mirror holding the same pages as
  ``input/ID.html`` and ``GoldStandard/ID.txt`` (its 1,381 gold files are byte for byte the
  Corrected/ ones: use it where a snapshot of the original lacks its HTML tarball, Git LFS
  style). Pages whose article gold has no word are left out.

Writes, for each page id, ``OUT/pages/ID.html`` (the saved bytes, as crawled) and
``OUT/gold/ID.txt`` (the gold body, UTF-8), so that `newsdedup cluster OUT` sees each page and
its gold text as two inputs. ``--sample N`` keeps N pages, the ones whose ids come first in the
order of their SHA-256 (deterministic, and independent of how the source numbers its pages).
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import hashlib
import io
import json
import re
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

# The article/comments marker as the Dragnet annotators typed it: the README's
# "!@#$%^&*()  COMMENTS", but also "!@ $%^&*()", "#$%^&*()", "!@#$%^&*   COMMENTS", a bare
# "!@#$%^&*()" and one "CORRECTED": every variant holds "$%^&*" on a line of its own.
COMMENTS_MARKER = re.compile(r"^[ \t]*[!@#$% ]*\$%\^&\*.*$", re.MULTILINE)
WORD = re.compile(r"\w+")


def scrapinghub_pages(checkout: Path) -> Iterator[tuple[str, bytes, str]]:
    """(id, page bytes, gold text) of a scrapinghub/article-extraction-benchmark clone."""
    truth = json.loads((checkout / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, record in sorted(truth.items()):
        html = gzip.decompress((checkout / "html" / f"{page_id}.html.gz").read_bytes())
        yield page_id, html, record["articleBody"]


def decode_gold(data: bytes) -> str:
    """A Dragnet gold file's text: a BOM's encoding, else UTF-8, else windows-1252 (what the files hold)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def article_only(corrected: str) -> str:
    """The article part of a Dragnet gold text: everything before the comments marker."""
    marker = COMMENTS_MARKER.search(corrected)
    return (corrected[:marker.start()] if marker else corrected).strip()


def tarball(checkout: Path, name: str) -> bytes:
    """The bytes of one of the source's tarballs, from a folder or from a bare git directory."""
    if (checkout / name).is_file():
        return (checkout / name).read_bytes()
    shown = subprocess.run(["git", f"--git-dir={checkout}", "show", f"HEAD:{name}"], capture_output=True)
    if shown.returncode != 0:
        reason = shown.stderr.decode().strip()
        raise SystemExit(f"{checkout}: no HTML/ and Corrected/ folders, and no {name} ({reason})")
    return shown.stdout


# The source's folder and file suffix -> the same files in the j-szulc mirror.
MIRROR_LAYOUT = {("HTML", ".html"): ("input", ".html"), ("Corrected", ".html.corrected.txt"): ("GoldStandard", ".txt")}


def unpacked(checkout: Path, folder: str, suffix: str) -> dict[str, bytes]:
    """page id -> bytes of ``folder/ID{suffix}``, from the unpacked folder, the mirror's, or the tarball."""
    if not (checkout / folder).is_dir() and (checkout / MIRROR_LAYOUT[folder, suffix][0]).is_dir():
        folder, suffix = MIRROR_LAYOUT[folder, suffix]
    if (checkout / folder).is_dir():
        return {path.name.removesuffix(suffix): path.read_bytes()
                for path in (checkout / folder).glob(f"*{suffix}")}
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tarball(checkout, f"dragnet_{folder}.tar.gz"))) as archive:
        for member in archive.getmembers():
            name = Path(member.name).name
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None and name.endswith(suffix) and not name.startswith("."):
                files[name.removesuffix(suffix)] = handle.read()
    return files


def dragnet_pages(checkout: Path) -> Iterator[tuple[str, bytes, str]]:
    """(id, page bytes, article gold) of the Dragnet data; pages without an article word are left out."""
    pages = unpacked(checkout, "HTML", ".html")
    corrected = unpacked(checkout, "Corrected", ".html.corrected.txt")
    if not pages or pages.keys() != corrected.keys():
        raise SystemExit(f"{checkout}: expected HTML/ID.html and Corrected/ID.html.corrected.txt (or the"
                         " mirror's input/ID.html and GoldStandard/ID.txt) for the same ids")
    for page_id in sorted(pages):
        gold = article_only(decode_gold(corrected[page_id]))
        if WORD.search(gold):
            yield page_id, pages[page_id], gold


def sampled(pages: Iterator[tuple[str, bytes, str]], size: int | None) -> list[tuple[str, bytes, str]]:
    """All pages, or the ``size`` whose ids have the smallest SHA-256: a fixed sample of the source."""
    everything = list(pages)
    if size is None:
        return everything
    return sorted(everything, key=lambda page: hashlib.sha256(page[0].encode()).hexdigest())[:size]


SOURCES = {"scrapinghub": scrapinghub_pages, "dragnet": dragnet_pages}


def build(checkout: Path, out: Path, source: str = "scrapinghub", sample: int | None = None) -> int:
    """Write the pages and gold texts of the source's checkout into ``out``; the number of pages."""
    pages = sampled(SOURCES[source](checkout), sample)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    for page_id, html, gold in pages:
        (out / "pages" / f"{page_id}.html").write_bytes(html)
        (out / "gold" / f"{page_id}.txt").write_text(gold, encoding="utf-8")
    return len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkout", type=Path, help="the source's clone or folder (see above)")
    parser.add_argument("out", type=Path, help="the folder to write pages/ and gold/ into")
    parser.add_argument("--source", choices=sorted(SOURCES), default="scrapinghub", help="which benchmark")
    parser.add_argument("--sample", type=int, help="keep this many pages, chosen by the SHA-256 of their ids")
    arguments = parser.parse_args()
    count = build(arguments.checkout, arguments.out, arguments.source, arguments.sample)
    print(f"{count} pages written to {arguments.out}")


if __name__ == "__main__":
    main()

"""Build the page benchmark's folder: real news pages beside their human-marked article text.

    git clone https://github.com/scrapinghub/article-extraction-benchmark /work/scratch/aeb
    python benchmarks/page_corpus.py /work/scratch/aeb /work/scratch/pages

The source is Scrapinghub's article extraction benchmark (MIT licence, (c) 2020 Scrapinghub):
181 news and blog pages saved in 2019 from 181 sites, each with the article body a person
marked (``ground-truth.json``, field ``articleBody``). No package registry ships it, so it is
built here from a clone and never copied into this repository. Writes, for each page id,
``OUT/pages/ID.html`` (the saved bytes, as crawled) and ``OUT/gold/ID.txt`` (the gold body,
UTF-8), so that `newsdedup cluster OUT` sees each page and its gold text as two inputs.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path


def build(checkout: Path, out: Path) -> int:
    """Write the pages and gold texts of the benchmark checkout into ``out``; the number of pages."""
    truth = json.loads((checkout / "ground-truth.json").read_text(encoding="utf-8"))
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    for page_id, record in sorted(truth.items()):
        html = gzip.decompress((checkout / "html" / f"{page_id}.html.gz").read_bytes())
        (out / "pages" / f"{page_id}.html").write_bytes(html)
        (out / "gold" / f"{page_id}.txt").write_text(record["articleBody"], encoding="utf-8")
    return len(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkout", type=Path, help="a clone of scrapinghub/article-extraction-benchmark")
    parser.add_argument("out", type=Path, help="the folder to write pages/ and gold/ into")
    arguments = parser.parse_args()
    print(f"{build(arguments.checkout, arguments.out)} pages written to {arguments.out}")


if __name__ == "__main__":
    main()

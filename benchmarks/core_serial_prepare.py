"""Clean and fingerprint a corpus once with the Python pipeline and keep the result in a scratch file.

The serial-stage benchmarks and the golden generator start from fingerprints; making them
takes minutes at 100k articles, so each corpus is prepared once: the documents (bodies
emptied) and each fingerprint's NDF2 bytes (codec.encode_fingerprint), pickled under
SCRATCH/<name>.pickle. Never written into the repository.

    python benchmarks/core_serial_prepare.py --scratch /work/scratch/serial \\
        reuters=../shared/corpora/reuters21578/reuters21578.jsonl modern-20000=/work/scratch/modern-20000.jsonl
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

from newsdedup.config import Config
from newsdedup.load import read_articles
from newsdedup.models import Document
from newsdedup.pipeline import articles_only, prepare


def prepare_corpus(inputs: list[str], config: Config) -> tuple[list[Document], list[bytes]]:
    """Every usable article's document (body emptied) and NDF2 fingerprint, in input order."""
    documents, fingerprints = [], []
    for document, encoded in prepare(articles_only(read_articles(inputs, config.input), []), config):
        documents.append(document)
        fingerprints.append(encoded)
    return documents, fingerprints


def prepared(name: str, inputs: list[str], scratch: Path, config: Config | None = None) -> tuple[list[Document], list[bytes]]:
    """The cached preparation of ``inputs`` under ``name``, made now if missing."""
    path = scratch / f"{name}.pickle"
    if path.exists():
        with path.open("rb") as stream:
            return pickle.load(stream)
    started = time.perf_counter()
    result = prepare_corpus(inputs, config or Config())
    scratch.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"prepared {name}: {len(result[0]):,} articles in {time.perf_counter() - started:.0f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scratch", type=Path, required=True, help="where the prepared corpora are kept")
    parser.add_argument("corpora", nargs="+", help="NAME=PATH (a file or a directory of articles)")
    args = parser.parse_args()
    for corpus in args.corpora:
        name, _, path = corpus.partition("=")
        prepared(name, [path], args.scratch)


if __name__ == "__main__":
    main()

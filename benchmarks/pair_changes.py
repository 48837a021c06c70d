"""Which pairs of articles two installs put together differently, with why: for a corpus that
has no labels (Reuters-21578), the way to see whether a change of verification finds more
strangers.

Runs `newsdedup cluster CORPUS --format jsonl` with both installs, lists every pair of
articles one puts in a cluster and the other does not, and for each runs `newsdedup
explain` with the new install: the titles, containment, anchor agreement, the numbers and
names that counted against it, and the pieces of text that differ. A person reads the list
and judges each pair: the same story (a copy the change found or lost) or two stories (a
stranger). Issue 12's check on Reuters-21578:

    python benchmarks/pair_changes.py --corpus ../shared/corpora/reuters21578/reuters21578.jsonl \\
        --newsdedup .venv/bin/newsdedup --baseline /path/to/an/install/from/before/bin/newsdedup
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
from collections import defaultdict
from pathlib import Path


def clustered_pairs(newsdedup: Path, corpus: Path) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """The pairs of article ids in one cluster, and each article's title."""
    lines = subprocess.run([str(newsdedup), "cluster", str(corpus), "--format", "jsonl", "--quiet"], check=True,
                           stdout=subprocess.PIPE, text=True).stdout.splitlines()
    clusters: dict[str, list[str]] = defaultdict(list)
    titles: dict[str, str] = {}
    for line in lines:
        record = json.loads(line)
        if record.get("id") is not None:
            clusters[record["cluster"]].append(record["id"])
            titles[record["id"]] = record["title"] or ""
    pairs = {pair for members in clusters.values() for pair in itertools.combinations(sorted(members), 2)}
    return pairs, titles


def describe(newsdedup: Path, corpus: Path, a: str, b: str) -> list[str]:
    """What `explain` says of a pair, in a few lines."""
    document = json.loads(subprocess.run([str(newsdedup), "explain", a, b, str(corpus), "--format", "json", "-q"],
                                         check=True, stdout=subprocess.PIPE, text=True).stdout)
    tests = {test["name"]: test["value"] for test in document["tests"]}
    anchors = document["anchors"]
    differing = [piece for piece in document["diff"]["pieces"] if piece["kind"] != "kept"]
    lines = [f"    verified as copies: {document['verdict']['copies']} (failed: {document['verdict']['failed']}); "
             f"containment {tests['containment']}, anchor agreement {tests['anchor agreement']}; "
             f"changed {anchors['changed']}, own paragraphs {anchors['outside'][:8]} "
             f"(opening shared: {anchors['opening_shared']})"]
    for piece in differing[:4]:
        lines.append(f"    {piece['kind']:>7}: {piece['left'][:70]!r} -> {piece['right'][:70]!r}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="a JSON Lines corpus (read in place)")
    parser.add_argument("--newsdedup", type=Path, required=True, help="the install to judge")
    parser.add_argument("--baseline", type=Path, required=True, help="the install to compare with")
    args = parser.parse_args()
    new, titles = clustered_pairs(args.newsdedup, args.corpus)
    old, _ = clustered_pairs(args.baseline, args.corpus)
    print(f"{args.corpus.name}: {len(old)} pairs in clusters before, {len(new)} now; "
          f"{len(new - old)} joined, {len(old - new)} parted")
    for sign, pairs in (("joined", sorted(new - old)), ("parted", sorted(old - new))):
        for a, b in pairs:
            print(f"{sign} {a} {b}: {titles[a][:60]!r} / {titles[b][:60]!r}")
            print("\n".join(describe(args.newsdedup, args.corpus, a, b)))


if __name__ == "__main__":
    main()

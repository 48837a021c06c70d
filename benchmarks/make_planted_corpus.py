"""Build a labelled corpus of planted copies from real Reuters-21578 stories, with a fixed seed.

The yardstick of issue 12: a copy may be truncated and carry a paragraph of another story
(a local angle, a "related story" snippet) whose names and figures the original lacks.

    python benchmarks/make_planted_corpus.py \\
        --reuters ../shared/corpora/reuters21578/reuters21578.jsonl --out /tmp/planted --size 20000

Only Reuters text is used (read in place, never copied into the repo): the speed corpora
(/work/scratch/modern-*.jsonl, benchmarks/speed.py) swap half of every article's words for
random corpus words, which is not text a verifier should be judged on. Stories with copies
are long ones (>= 150 words, >= 4 paragraphs as Reuters marks them), so a cut leaves a story.
Reuters' own re-sends and rewrites are left out (a repeated title or opening, or 30% of 5-word
shingles shared with a story kept before): the tool rightly merges those, and the labels would
count it a false merge. Reuters then has about 16,000 stories to give, so past about 20,000
articles the corpus comes out smaller than --size.

Planted copies (each labelled a duplicate of its original, 1-5 per original, each from
another outlet, published within two days of it); every copy has one kind, so the misses
can be told apart:

- ``truncated``: the first 50-90% of the paragraphs. Containment carries it.
- ``appended``: one paragraph of ANOTHER story (20-45 words, the one with the most figures and
  names, at least 4, so with names and figures the original lacks) added at the end,
  sometimes at the start or in the middle. The copy is the longer text here.
- ``truncated+appended``: both; the cut is made longer than the added paragraph, so the copy
  is the shorter text and its foreign names and figures are judged against the original:
  the hard case of the issue, and the largest share of the copies. The addition is kept to
  at most a quarter of the copy, so containment alone (0.6 by default) does not decide it.
- ``furniture``: share appeal, related-headline list and a price ticker around the story.
- ``quotes``: straight quotes and apostrophes made curly.
- ``headline``: the headline rewritten.
- ``typo``: one word with two letters swapped.

Hard negatives (each article its own story; merging any two is a false merge):

- ``template``: a short templated item and 1-2 variants with other figures and another
  name (make_wire_corpus's template_variant): same wording, different story.
- ``quoting``: a story that quotes one whole paragraph of an original that has copies.
- ``boilerplate``: 2-3 different stories ending with the same long boilerplate paragraph
  (an "about the company" or disclaimer text, its own name and figures in each group).
Both are built on prose stories: a results table reads as page furniture, which would leave
the shared paragraph as the whole text.

The rest are real stories standing alone. Writes OUT/articles.jsonl (id, text, title, source,
url, published, as `newsdedup cluster` reads them), OUT/labels.tsv (article_id, cluster_id,
for `newsdedup eval`), OUT/kinds.tsv (article_id, kind) and OUT/manifest.json (the mix).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from newsdedup.text import normalize

from make_wire_corpus import COMPANY_NAMES, FURNITURE, OUTLETS, Builder, Story, headline, identity_key, read_stories

COPY_KINDS = {  # kind -> weight in the mix of copies
    "truncated": 2, "appended": 2, "truncated+appended": 4, "furniture": 1, "quotes": 1, "headline": 1, "typo": 1,
}
COPY_COUNTS = [1, 1, 1, 2, 2, 3, 4, 5]  # copies per original with copies

BOILERPLATE = [  # filled with a name and figures per group, so each group shares its own paragraph
    "About {name}: founded in {year}, the group operates in {count} countries and employs some {staff},000 "
    "people. Its shares are listed in New York, London and Tokyo. Statements in this release that are not "
    "historical facts are forward-looking statements that involve risks and uncertainties, and actual "
    "results may differ materially from those projected.",
    "This report is based on figures supplied by {name} and by {count} member firms, which have not been "
    "independently verified. Prices are indicative and may differ from those at which trades were made. "
    "Readers should consult their own advisers before acting on any of the information it contains, and "
    "no liability is accepted for any loss arising from its use since {year}.",
    "{name} publishes its monthly survey of producers, importers and merchants on the first working day "
    "of each month. The survey covers about {staff},000 firms in {count} regions and is weighted by the "
    "volume of trade each reported in {year}. Revisions to earlier months are published with each release.",
]


def identity_keys(story: Story) -> tuple[str, ...]:
    """make_wire_corpus's title and opening keys, and the first dozen words: re-sends often change the rest."""
    return (*identity_key(story), "start " + " ".join(normalize(" ".join(story.paragraphs)).split()[:12]))


def shingles(story: Story) -> set[str]:
    tokens = re.findall(r"\w+", normalize(" ".join(story.paragraphs)))
    return {" ".join(tokens[i: i + 5]) for i in range(max(1, len(tokens) - 4))}


def near_copies(stories: list[Story], share: float = 0.3) -> set[str]:
    """Keys of the stories that share ``share`` of the smaller one's 5-word shingles with one kept before.

    Reuters re-wrote stories under new titles and ran recurring templates; left in, the tool
    would rightly merge them and the labels would call it a false merge.
    """
    sets = {story.key: shingles(story) for story in stories}
    postings: dict[str, list[str]] = {}
    for key, hashes in sets.items():
        for value in hashes:
            postings.setdefault(value, []).append(key)
    shared: Counter[tuple[str, str]] = Counter()
    for keys in postings.values():
        if 1 < len(keys) <= 50:  # a shingle in more stories is a formula, not a copy
            shared.update((a, b) for i, a in enumerate(keys) for b in keys[i + 1:])
    near: dict[str, list[str]] = {}
    for (a, b), count in shared.items():
        if count >= share * min(len(sets[a]), len(sets[b])):
            near.setdefault(b, []).append(a)  # b comes after a in ``stories``
    dropped: set[str] = set()
    for story in stories:
        if any(other not in dropped for other in near.get(story.key, [])):
            dropped.add(story.key)
    return dropped


def words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def anchors(paragraph: str) -> set[str]:
    """The figures and the capitalised words after a sentence's first: the names a verifier checks."""
    return set(re.findall(r"\S*\d\S*|(?<=[a-z,] )[A-Z][\w.-]+", paragraph))


def foreign_paragraph(story: Story) -> str | None:
    """The paragraph of 20-45 words with the most figures and names (at least 4): what makes an addition hard."""
    fitting = [p for p in story.paragraphs[1:] if 20 <= len(p.split()) <= 45 and len(anchors(p)) >= 4]
    return max(fitting, key=lambda p: len(anchors(p)), default=None)


class Planter:
    """Collects articles as (title, body, source, published, label, kind)."""

    def __init__(self, stories: list[Story], seed: int) -> None:
        self.random = random.Random(seed)
        self.stories = stories
        self.articles: list[tuple[str, str, str, datetime, str, str]] = []
        self.applied: Counter[str] = Counter()

    def add(self, title: str, paragraphs: list[str], source: str, published: datetime, label: str, kind: str) -> None:
        self.articles.append((title, "\n\n".join(paragraphs), source, published, label, kind))
        self.applied[kind] += 1

    def original(self, story: Story, label: str, kind: str = "original") -> None:
        self.add(headline(story.title), story.paragraphs, "Reuters", story.published, label, kind)

    def copy(self, story: Story, kind: str, outlet: str, donor: Story, label: str) -> None:
        rng = self.random
        paragraphs = list(story.paragraphs)
        title = headline(story.title)
        added = foreign_paragraph(donor) or donor.paragraphs[-1]
        if kind == "truncated":
            paragraphs = paragraphs[: max(1, round(len(paragraphs) * rng.uniform(0.5, 0.9)))]
        elif kind == "appended":
            position = rng.choice([len(paragraphs)] * 3 + [0, rng.randint(1, len(paragraphs) - 1)])
            paragraphs.insert(position, added)
            self.applied["appended at " + ("end" if position == len(paragraphs) - 1 else
                                           "start" if position == 0 else "middle")] += 1
        elif kind == "truncated+appended":
            target = round(len(paragraphs) * rng.uniform(0.5, 0.9))
            size = len(added.split())
            # The copy is the shorter text, and the addition at most a quarter of it (else no
            # verifier could call it contained, whatever it does with the names and figures).
            fitting = [keep for keep in range(1, len(paragraphs))
                       if words(paragraphs[keep:]) > size and words(paragraphs[:keep]) >= 3 * size]
            keep = min(fitting, key=lambda keep: abs(keep - target), default=max(1, target))
            self.applied["truncated+appended: addition over a quarter"] += not fitting
            paragraphs = paragraphs[:keep] + [added]
            self.applied["truncated+appended: copy shorter"] += words(paragraphs) < story.words
        elif kind == "furniture":
            furniture = FURNITURE["en"]
            others = rng.sample(self.stories, 5)
            paragraphs += [furniture["share"], furniture["related"] + "\n" + "\n".join(
                headline(other.title) for other in others), "\n".join(
                f"{name} ({name[:3].upper()}) $ {rng.uniform(0.01, 900):.2f} {rng.uniform(-9, 9):.2f}%"
                for name in rng.sample(COMPANY_NAMES, 8))]
        elif kind == "quotes":
            paragraphs = [re.sub(r'"([^"]*)"', "\u201c\\1\u201d", p).replace("'", "\u2019") for p in paragraphs]
        elif kind == "headline":
            cut = " ".join(title.split()[: max(3, len(title.split()) - 2)])
            title = rng.choice(["UPDATE 1-" + title, cut, title + " | " + outlet, title.upper()])
        elif kind == "typo":
            candidates = [(i, m) for i, p in enumerate(paragraphs) for m in re.finditer(r"\b[a-z]{5,}\b", p)]
            number, match = rng.choice(candidates)
            word = match.group(0)
            at = rng.randint(1, len(word) - 2)
            typo = word[:at] + word[at + 1] + word[at] + word[at + 2:]
            text = paragraphs[number]
            paragraphs[number] = text[: match.start()] + typo + text[match.end():]
        published = story.published + timedelta(minutes=rng.randint(5, 2 * 24 * 60))
        self.add(title, paragraphs, outlet, published, label, kind)

    def template(self, story: Story, label: str) -> bool:
        """A variant with other figures and another name, by make_wire_corpus's template_variant."""
        wire = Builder(self.stories, self.random.randint(0, 2**31))
        if not wire.template_variant(story, label):
            return False
        text, _ = wire.articles[0]
        body = text.split("\n", 5)[5].strip()  # after make_wire_corpus's header lines
        self.add(headline(story.title), body.split("\n\n"), "Reuters", story.published + timedelta(hours=1),
                 label, "template")
        return True


def build(stories: list[Story], size: int, copy_share: float, seed: int) -> Planter:
    rng = random.Random(seed)
    keys = Counter(key for story in stories for key in identity_keys(story))
    # Reuters re-sent and corrected stories: leave out every story whose title or opening recurs.
    unique = [story for story in stories if all(keys[key] == 1 for key in identity_keys(story))]
    copied = near_copies(unique)
    unique = [story for story in unique if story.key not in copied]
    rng.shuffle(unique)
    long_stories = [s for s in unique if s.words >= 150 and len(s.paragraphs) >= 4]
    short_items = [s for s in unique if 25 <= s.words <= 90]
    donors = [s for s in long_stories if foreign_paragraph(s)]
    planter = Planter(unique, seed)
    used: set[str] = set()

    copies_wanted = round(size * copy_share)
    kinds, weights = list(COPY_KINDS), list(COPY_KINDS.values())
    originals: list[Story] = []
    copies = 0
    for story in long_stories:
        if copies >= copies_wanted:
            break
        label = f"story-{len(originals):05d}"
        originals.append(story)
        used.add(story.key)
        planter.original(story, label)
        count = min(rng.choice(COPY_COUNTS), copies_wanted - copies)
        for outlet in rng.sample(OUTLETS, count):
            donor = rng.choice(donors)
            while donor.key == story.key:
                donor = rng.choice(donors)
            planter.copy(story, rng.choices(kinds, weights)[0], outlet.name, donor, label)
        copies += count

    negatives = size // 20
    for number, story in enumerate(s for s in short_items if s.key not in used):
        if planter.applied["template"] >= negatives // 3:
            break
        used.add(story.key)
        planter.original(story, f"template-{number:05d}-0", "template")
        for variant in range(1, rng.choice([2, 3])):
            planter.template(story, f"template-{number:05d}-{variant}")

    # Negatives are built on prose: the lines of a results table read as page furniture, which
    # would leave the shared paragraph as the whole text.
    prose = [s for s in long_stories if sum(len(p.split()) >= 20 for p in s.paragraphs) >= 4]
    hosts = [s for s in prose if s.key not in used][: negatives // 3]
    for number, host in enumerate(hosts):
        used.add(host.key)
        quoted = rng.choice(originals)
        paragraph = rng.choice(quoted.paragraphs[1:])
        paragraphs = host.paragraphs[:2] + [f'In a statement, officials said: "{paragraph}"'] + host.paragraphs[2:]
        planter.add(headline(host.title), paragraphs, "Independent Wire", quoted.published + timedelta(hours=3),
                    f"quoting-{number:05d}", "quoting")

    sharers = [s for s in prose if s.key not in used]
    group = 0
    while planter.applied["boilerplate"] < negatives // 3 and len(sharers) >= 3:
        paragraph = rng.choice(BOILERPLATE).format(name=COMPANY_NAMES[group % len(COMPANY_NAMES)] + f" {group}",
                                                   year=rng.randint(1850, 1980), count=rng.randint(12, 90),
                                                   staff=rng.randint(2, 99))
        for _ in range(rng.choice([2, 3])):
            story = sharers.pop()
            used.add(story.key)
            planter.add(headline(story.title), story.paragraphs + [paragraph], "Business Desk", story.published,
                        f"boilerplate-{story.key}", "boilerplate")
        group += 1

    rest = [s for s in unique if s.key not in used and s.words >= 10]
    for story in rest[: max(0, size - len(planter.articles))]:
        planter.original(story, f"single-{story.key}", "single")
    return planter


def write_planted_corpus(reuters: Path, out: Path, size: int, copy_share: float, seed: int) -> dict[str, object]:
    """Build the corpus into ``out`` (replaced): articles.jsonl, labels.tsv, kinds.tsv, manifest.json."""
    planter = build(read_stories(reuters), size, copy_share, seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    order = list(range(len(planter.articles)))
    random.Random(seed + 1).shuffle(order)  # ids say nothing about the story
    with (out / "articles.jsonl").open("w", encoding="utf-8") as articles, \
            (out / "labels.tsv").open("w", encoding="utf-8") as labels, \
            (out / "kinds.tsv").open("w", encoding="utf-8") as kinds:
        labels.write("article_id\tcluster_id\n")
        kinds.write("article_id\tkind\n")
        for number, index in enumerate(order):
            title, body, source, published, label, kind = planter.articles[index]
            article_id = f"p{number:05d}"
            slug = re.sub(r"\W+", "-", source.lower())
            articles.write(json.dumps({"id": article_id, "text": body, "title": title, "source": source,
                                       "url": f"https://{slug}.example/{article_id}",
                                       "published": published.isoformat(timespec="minutes")}) + "\n")
            labels.write(f"{article_id}\t{label}\n")
            kinds.write(f"{article_id}\t{kind}\n")
    stories = Counter(label for *_, label, _ in planter.articles)
    manifest = {
        "seed": seed, "size": size, "copy_share": copy_share, "articles": len(planter.articles),
        "stories": len(stories), "stories_with_copies": sum(1 for n in stories.values() if n > 1),
        "kinds": dict(sorted(planter.applied.items())),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reuters", type=Path, help="reuters21578.jsonl (read in place)")
    parser.add_argument("--size", type=int, default=20000, help="about how many articles")
    parser.add_argument("--copy-share", type=float, default=0.2, help="share of the articles that are copies")
    parser.add_argument("--seed", type=int, default=1987)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_options(parser)
    parser.add_argument("--out", type=Path, required=True, help="output directory (replaced)")
    args = parser.parse_args()
    if not args.reuters:
        parser.error("--reuters is required")
    print(json.dumps(write_planted_corpus(args.reuters, args.out, args.size, args.copy_share, args.seed), indent=2))


if __name__ == "__main__":
    main()

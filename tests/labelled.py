"""Labelled reprint sets built from the real seed articles, for quality tests.

Each builder takes real paragraphs and applies one reprint habit an outlet has
(truncation, an added paragraph, furniture in another language, re-wrapping,
embedding in a longer page...) or plants a hard negative (a rewrite, an independent
report of the same event, templated items that differ in names and figures).
Labels map article id -> story id.
"""

from __future__ import annotations

import textwrap
from itertools import combinations

from conftest import SEEDS


def _paragraphs(name: str) -> list[str]:
    """Body paragraphs of a seed, without its header lines and furniture."""
    text = next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    blocks = [block.strip() for block in text.split("\n\n") if len(block.split()) >= 12]
    return [block for block in blocks if "\n" not in block]


WIRE = _paragraphs("001")[:8]
REWRITE = _paragraphs("003")
INDEPENDENT = _paragraphs("004")[:5]

NAV_PT = "Início\nMundo\nEconomia\nEsportes\nCultura\nOpinião"
COOKIE_FR = "Nous utilisons des cookies pour améliorer votre expérience sur notre site. Tous droits réservés."
SHARE_ID = "Bagikan artikel ini\nBaca juga: Harga minyak dunia turun\nBerita terkait"
RELATED_EN = "\n".join(f"Other headline number {n} from the newsroom today\nBy STAFF\n10/2{n}/2024 0{n}:15 PM"
                       for n in range(1, 7))
LOCAL = ("Local officials in our region said they were following the developments closely and would "
         "brief residents at a town hall meeting next week.")


def _straight(text: str) -> str:
    return text.replace("“", '"').replace("”", '"').replace("’", "'")


def wire_copies() -> dict[str, str]:
    """Copies of the one wire story, each with an outlet's habits."""
    body = "\n\n".join(WIRE)
    return {
        "wire/original": "Putin does not deny reports\n\nKAZAN, Russia (Reuters) -" + body,
        "wire/web-pt": NAV_PT + "\n\nPutin não nega\n\n" + body + "\n\n" + COOKIE_FR + "\n\n" + SHARE_ID,
        "wire/truncated": "Putin on troops\n\n" + "\n\n".join(WIRE[:4]),
        "wire/added-paragraph": "\n\n".join(WIRE[:6]) + "\n\n" + LOCAL,
        "wire/rewrapped": "\n".join(textwrap.fill(_straight(p), 65) for p in WIRE),
        "wire/related-list": "Breaking\n\n" + body + "\n\n" + RELATED_EN,
        "wire/embedded": "\n\n".join(INDEPENDENT[3:]) + "\n\nFrom the wires:\n\n" + body + "\n\n" + LOCAL,
        "wire/revised": body.replace("accused the West of escalating", "blamed the West for escalating"),
    }


def negatives() -> dict[str, str]:
    """Articles that share words or quotations with the wire story but are other stories."""
    return {
        "rewrite": "\n\n".join(REWRITE),
        "independent": "\n\n".join(INDEPENDENT),
    }


def templated_items() -> dict[str, str]:
    """Short items cut from one template, differing only in names and figures: all different stories."""
    template = ("{bank} said it is raising its prime lending rate to {new} pct from {old} pct, effective "
                "immediately. The move follows a similar increase announced by {rival} earlier in the day, "
                "and bank economists said more banks were expected to follow.")
    items = [("Chemical Bank", "7-3/4", "7-1/2", "Citibank"), ("Marine Midland Bank", "7-3/4", "7-1/2", "Citibank"),
             ("Mercantile Bank", "8", "7-3/4", "Chase Manhattan"), ("First Chicago", "8", "7-1/2", "Citibank")]
    return {
        f"template/{n}": template.format(bank=bank, new=new, old=old, rival=rival)
        for n, (bank, new, old, rival) in enumerate(items)
    }


def labelled_set() -> tuple[dict[str, str], dict[str, str]]:
    """(texts by id, story by id) for the whole set."""
    texts = {**wire_copies(), **negatives(), **templated_items()}
    labels = {article_id: ("wire" if article_id.startswith("wire/") else article_id) for article_id in texts}
    return texts, labels


def pairwise_scores(predicted: dict[str, int | str], truth: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a predicted clustering against the labels."""
    ids = sorted(truth)
    same_predicted = {(a, b) for a, b in combinations(ids, 2) if predicted[a] == predicted[b]}
    same_true = {(a, b) for a, b in combinations(ids, 2) if truth[a] == truth[b]}
    correct = len(same_predicted & same_true)
    precision = correct / len(same_predicted) if same_predicted else 1.0
    recall = correct / len(same_true) if same_true else 1.0
    return precision, recall

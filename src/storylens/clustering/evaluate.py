"""Clustering quality metrics (B-cubed, pairwise) and loading of gold-labelled JSON Lines sets."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Labels = Mapping[str, Hashable] | Sequence[Hashable]

DATE_HEADER = re.compile(r"^\s*date\s+\d{4}(?:-\d{2}){0,2}[ \t]*")


def _as_dict(labels: Labels) -> dict[str, Hashable]:
    return dict(labels) if isinstance(labels, Mapping) else {str(i): label for i, label in enumerate(labels)}


def bcubed(pred: Labels, gold: Labels) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted partition against gold (same item ids)."""
    predicted, reference = _as_dict(pred), _as_dict(gold)
    if predicted.keys() != reference.keys():
        raise ValueError("pred and gold must label the same items")
    if not reference:
        return 1.0, 1.0, 1.0
    pair_counts = Counter((predicted[item], reference[item]) for item in reference)
    pred_sizes, gold_sizes = Counter(predicted.values()), Counter(reference.values())
    precision = recall = 0.0
    for (pred_label, gold_label), shared in pair_counts.items():
        precision += shared * shared / pred_sizes[pred_label]
        recall += shared * shared / gold_sizes[gold_label]
    precision /= len(reference)
    recall /= len(reference)
    return precision, recall, _f1(precision, recall)


def pairwise(
    pred: Labels,
    gold: Labels,
    cross_language_only: bool = False,
    langs: Labels | None = None,
) -> tuple[float, float, float]:
    """Precision, recall and F1 over item pairs put together; optionally only pairs in two languages."""
    predicted, reference = _as_dict(pred), _as_dict(gold)
    if predicted.keys() != reference.keys():
        raise ValueError("pred and gold must label the same items")
    languages = _as_dict(langs) if langs is not None else {}
    if cross_language_only and languages.keys() != reference.keys():
        raise ValueError("cross_language_only needs a language for every item")
    items = sorted(reference)
    both = in_pred = in_gold = 0
    for index, first in enumerate(items):
        for second in items[index + 1 :]:
            if cross_language_only and languages[first] == languages[second]:
                continue
            same_pred = predicted[first] == predicted[second]
            same_gold = reference[first] == reference[second]
            both += same_pred and same_gold
            in_pred += same_pred
            in_gold += same_gold
    precision = both / in_pred if in_pred else 1.0
    recall = both / in_gold if in_gold else 1.0
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class GoldArticle:
    """One line of a gold set: the fields clustering needs, plus the gold story."""

    id: str
    lang: str
    date: str | None
    title: str
    body: str  # text with a leading " date ..." header line removed (a stand-in for the cleaning stage)
    story: str
    text: str = ""  # the record's text as given
    url: str | None = None


def load_gold_set(path: Path) -> list[GoldArticle]:
    """Read a gold JSON Lines set ({id, lang, date, title, text, story} per line, optionally url)."""
    articles = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        articles.append(
            GoldArticle(
                id=row["id"],
                lang=row["lang"],
                date=(row.get("date") or None) and row["date"][:10],
                title=row.get("title") or "",
                body=DATE_HEADER.sub("", row["text"], count=1).strip(),
                story=row["story"],
                text=row["text"],
                url=row.get("url") or None,
            )
        )
    return articles

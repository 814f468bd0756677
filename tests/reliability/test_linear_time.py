"""Every stage costs time linear in the article's length: an article 8 times longer costs at most 20 times
more (linear gives at most 8; the quadratic search issue 13 found gave about 64).

Costs are CPU seconds of this process (``time.process_time``), measured in the same run, so other work
on a loaded machine changes them far less than wall time; the bound leaves 2.5x for what remains. Stand-in
encoders keep the neural models out: they cost the same per article and per quote whatever the length.
"""

from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

import numpy as np
import pytest

from storylens.clustering.stage import ClusteringStage
from storylens.clustering.storyline_stage import StorylineStage
from storylens.extraction.stage import ExtractionStage
from storylens.models import RawDocument
from storylens.pipeline import Ingestor
from storylens.store.db import Store

SMALL = 16_000  # characters
GROWTH = 8
MAX_COST_RATIO = 20.0

# Invented sentences: names, numbers, dates and quotes, so that every extractor finds work.
SENTENCES = {
    "en": [
        "The council of Northbridge met on Tuesday to discuss a budget of {n} million.",
        "Minister Carlo Ventresca said the plan would take effect on 12 March 2024.",
        '"We will not accept this," said Maria Delacroix, the head of the union.',
        "About {n} workers gathered outside the ministry, police said.",
        "The report found that {n}.5 percent of households in Eastvale were affected.",
    ],
    "he": [
        "מועצת העיר רמת גלבוע התכנסה ביום שלישי כדי לדון בתקציב של {n} מיליון.",
        "השר קרלו ונטרסקה אמר כי התוכנית תיכנס לתוקף ב-12 במרץ 2024.",
        '"לא נקבל את זה", אמרה מריה דלקרואה, ראש האיגוד.',
        "כ-{n} עובדים התאספו מחוץ למשרד, כך מסרה המשטרה.",
    ],
    "ar": [
        "اجتمع مجلس مدينة نورثبريدج يوم الثلاثاء لمناقشة ميزانية قدرها {n} مليون.",
        "قال الوزير كارلو فنتريسكا إن الخطة ستدخل حيز التنفيذ في 12 مارس 2024.",
        '"لن نقبل هذا"، قالت ماريا ديلاكروا، رئيسة النقابة.',
        "تجمع نحو {n} عاملا خارج الوزارة، بحسب الشرطة.",
    ],
}


def article(lang: str, size: int, paragraphs: bool, seed: int) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(SENTENCES[lang]).format(n=rng.randint(10, 99_999))
        sentence += "\n\n" if paragraphs and rng.random() < 0.2 else " "
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:size]


class HashEncoder:
    """A stand-in encoder: a fixed-cost vector per text from its hash."""

    name = "hash-test"
    dim = 16

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[: self.dim], dtype=np.uint8) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32) + 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    encode_queries = encode


def ingest_cost(folder: Path, text: str, lang: str, tag: str) -> float:
    """CPU seconds to ingest one article into a fresh store, through every stage."""
    encoder = HashEncoder()
    stages = [ClusteringStage(encoder=encoder), ExtractionStage(quote_encoder=encoder.encode), StorylineStage()]
    with Store(folder / f"{tag}.db") as store:
        doc = RawDocument(origin=tag, kind="jsonl", text=text, external_id=tag, lang=lang, title="Budget talks")
        start = time.process_time()
        report = Ingestor(store, stages).ingest([doc])
        cost = time.process_time() - start
    assert report.new_articles == 1 and not report.errors, report.as_dict()
    return cost


@pytest.mark.parametrize(
    ("lang", "paragraphs"),
    [("en", True), ("he", True), ("ar", True), ("en", False)],
    ids=["en", "he", "ar", "en-1line"],
)
def test_cost_grows_linearly_with_article_length(tmp_path: Path, lang: str, paragraphs: bool) -> None:
    ingest_cost(tmp_path, article(lang, SMALL // 4, paragraphs, seed=1), lang, "warm")  # models and word lists
    small = min(ingest_cost(tmp_path, article(lang, SMALL, paragraphs, seed=2 + k), lang, f"s{k}") for k in range(2))
    large = ingest_cost(tmp_path, article(lang, SMALL * GROWTH, paragraphs, seed=9), lang, "large")
    print(f"{lang}: {GROWTH}x the text cost {large / small:.1f}x the CPU time ({small:.2f} s, {large:.2f} s)")
    assert large <= MAX_COST_RATIO * max(small, 0.05), f"{GROWTH}x the text cost {large / small:.1f}x the time"

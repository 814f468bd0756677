"""Shared fixtures: a fresh store per test and the shared sample/data folders (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens.extraction import extract
from storylens.extraction.mentions import Text, extract_mentions
from storylens.extraction.mentions.proposers import Proposer, tagger_with
from storylens.extraction.records import EntityType
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "demo"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared samples and data sets live beside the repository")
    return path


@pytest.fixture
def seeds() -> Path:
    return shared_path("seeds")


@pytest.fixture
def expected(seeds: Path) -> dict:
    return json.loads((seeds / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as opened:
        yield opened


def mentions(text: str, lang: str) -> dict[str, str]:
    """The extractor's mentions of ``text`` as {text: type}, each checked to point at its own text."""
    found = extract(text, lang).mentions
    for m in found:
        assert text[m.start : m.end] == m.text
    return {m.text: m.type for m in found}


def tagging(*names: tuple[str, EntityType]) -> Proposer:
    """A stand-in for the CRF tagger that tags each given phrase (words as the tokenizer splits them) wherever the
    text writes it, so the span rules and vetoes can be tested on proposals that do not depend on a trained model."""

    def tag(t: Text) -> list[tuple[int, int, EntityType]]:
        words = [token.text for token in t.tokens]
        spans = []
        for phrase, kind in names:
            parts = phrase.split()
            spans += [
                (k, k + len(parts) - 1, kind)
                for k in range(len(words) - len(parts) + 1)
                if words[k : k + len(parts)] == parts
            ]
        return spans

    return tagger_with(tag)


def proposed(text: str, lang: str, *proposers: Proposer) -> dict[str, str]:
    """The mentions of ``text`` as {text: type} when only ``proposers`` propose spans."""
    return {m.text: m.type for m in extract_mentions(text, lang, proposers)}

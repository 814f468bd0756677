"""Shared fixtures: a fresh store per test and the shared sample/data folders (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens.extraction import extract
from storylens.extraction.mentions import _Document
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


def token_index(document: _Document, word: str, nth: int = 0) -> int:
    """The position of the ``nth`` token of ``document`` written ``word``."""
    return [k for k, t in enumerate(document.tokens) if t.text == word][nth]

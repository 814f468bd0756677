"""The entity recall benchmark's scoring (benchmarks/entity_recall.py) on made-up mentions."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "entity_recall.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("entity_recall", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOLD: list[dict[str, Any]] = [
    {"names": ["Dana Avrami", "Avrami"], "types": ["person"]},
    {"names": ["ירושלים"], "types": ["place"]},
    {"names": ["Harbour Board"], "types": ["organisation"], "optional": True},
    {"names": ["Nordland"], "types": ["place", "organisation"]},
]


def _m(text: str, kind: str, entity: int | None) -> dict[str, Any]:
    return {"text": text, "type": kind, "entity": entity, "entity_name": None}


def test_split_and_unknown_entities_are_false_and_optional_gold_is_left_out(bench: ModuleType) -> None:
    mentions = [
        _m("Dana Avrami", "person", 1),
        _m("Avrami", "person", 2),  # a split: second entity for the same gold
        _m("Harbour Board", "organisation", 3),  # optional: neither right nor false
        _m("Tuesday", "person", 4),
    ]
    counts = bench.score_article(GOLD, mentions, lenient=False, typed=False)
    assert (counts["found"], counts["gold"], counts["right"], counts["predicted"]) == (1, 3, 1, 3)
    assert sorted(counts["missed"]) == ["Nordland [place]", "ירושלים [place]"]


def test_clitic_counts_only_when_lenient_and_type_only_when_typed(bench: ModuleType) -> None:
    mentions = [_m("בירושלים", "place", 1), _m("Nordland", "person", 2), _m("DANA  AVRAMI", "person", 3)]
    strict = bench.score_article(GOLD, mentions, lenient=False, typed=False)
    lenient = bench.score_article(GOLD, mentions, lenient=True, typed=False)
    typed = bench.score_article(GOLD, mentions, lenient=True, typed=True)
    assert (strict["found"], lenient["found"], typed["found"]) == (2, 3, 2)
    assert typed["predicted"] == 3 and typed["right"] == 2

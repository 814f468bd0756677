"""Acceptance test of `storylens watch`: a local feed server (part of the test) serves the demo feeds in three
rounds of changes; watch runs as a subprocess and is stopped with a real SIGTERM in the middle of the third
round, then restarted. Exactly the new items are stored, each once; alerts name exactly the followed stories'
items and reach all four sinks (terminal, JSON Lines, webhook, Atom) once each. Synchronised on log lines."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from storylens.views.web import create_app

ROOT = Path(__file__).resolve().parents[1]
FEEDS = ROOT / "demo" / "feeds"
FERRY = {"yam-0114-ferry", "cp-0114-ferry", "ma-0114-ferry-ar", "ma-0114-ferry-ru", "yam-0204-report", "cp-0204-report"}
OTHERS = {"ma-0120-gard", "ma-0114-maravia", "cp-0120-floods", "yam-0122-corals", "cp-0123-corals"}
WAIT = 600  # seconds: only a bound on a wait for a log line, never a pause


class FeedServer(ThreadingHTTPServer):
    """Serves the files of one folder (with Last-Modified / If-Modified-Since) and records webhook POSTs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[tuple[str, str, int]] = []  # (path, If-Modified-Since, status)
        self.hooks: list[dict] = []
        self.hook_keys: list[str] = []
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(SimpleHTTPRequestHandler):
    server: FeedServer

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, directory=str(args[2].folder), **kwargs)

    def send_response(self, code: int, message: str | None = None) -> None:
        if self.command == "GET":
            self.server.requests.append((self.path, self.headers.get("If-Modified-Since", ""), code))
        super().send_response(code, message)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.hooks.append(json.loads(body))
        self.server.hook_keys.append(self.headers.get("X-Storylens-Alert", ""))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[FeedServer]:
    site = tmp_path / "site"
    site.mkdir()
    httpd = FeedServer(site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def publish(server: FeedServer, round_number: int) -> None:
    """The feed files of a round, with a modification time later than any earlier round's."""
    stamp = time.time() + 10 * round_number
    for path in sorted((FEEDS / f"round{round_number}").iterdir()):
        target = server.folder / path.name
        shutil.copyfile(path, target)
        os.utime(target, (stamp, stamp))


class Watch:
    """`storylens watch` in a subprocess; its log lines (stderr) and alert lines (stdout) read by threads."""

    def __init__(self, args: list[str]) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "400"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storylens", "watch", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.out: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stderr, self.log, True), daemon=True).start()
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout, self.out, False), daemon=True)
        self.reader.start()

    def _read(self, stream, into: list[str], announce: bool) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))
            if announce:
                self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str) -> str:
        """The next log line matching ``pattern`` (lines before it are passed over)."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, f"watch exited ({self.process.returncode}): {self.log[-5:]}"
                continue
            if compiled.search(line):
                return line
        raise AssertionError(f"no log line matching {pattern!r}: {self.log[-10:]}")

    def finish(self) -> int:
        code = self.process.wait(timeout=WAIT)
        self.reader.join(timeout=30)
        return code


def cli(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "storylens", *args], capture_output=True, text=True, encoding="utf-8", env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_watch_three_rounds_with_a_sigterm_and_restart(server: FeedServer, tmp_path: Path) -> None:
    db = str(tmp_path / "watch.db")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# demo feeds\n{base}/yam.xml 1s\n{base}/coastline.xml\n{base}/agency.xml 1\n", encoding="utf-8")
    for kind, value in (("keyword", "ferry fire"), ("entity", "Kestrel Lines"), ("entity", "Miriam Adler")):
        cli("follow", kind, value, "--db", db)
    jsonl = tmp_path / "alerts.jsonl"
    args = [str(feeds), "--interval", "1s", "--host-gap", "0.2", "--feed-text", "--allow-private", "--db", db,
            "--alerts-jsonl", str(jsonl), "--webhook", f"{base}/hook", "--webhook-allow-private"]  # fmt: skip

    publish(server, 1)
    watch = Watch(args)
    watch.wait_for(r"processed 4 new articles through every stage")
    watch.wait_for(r"poll .*/yam\.xml: 304 not modified, 0 new")  # conditional GET of an unchanged feed
    publish(server, 2)
    watch.wait_for(r"processed 3 new articles through every stage")
    publish(server, 3)
    watch.wait_for(r"poll .*: 200, [1-9]\d* new")  # mid-round: entries stored, stages not yet run
    watch.process.send_signal(signal.SIGTERM)
    watch.wait_for(r"SIGTERM: stopping")
    assert watch.finish() == 0
    assert watch.log[-1].endswith("stopped")

    again = Watch([*args, "--once"])
    assert again.finish() == 0, again.log[-5:]
    assert any("processed" in line for line in again.log)

    articles = json.loads(cli("articles", "--json", "--db", db))
    keys = [a["id"] for a in articles]
    assert sorted(keys) == sorted(FERRY | OTHERS)  # exactly the served items, each once

    alerts = json.loads(cli("alerts", "--json", "--db", db))
    assert alerts and len({a["key"] for a in alerts}) == len(alerts)
    cited = {item["id"] for a in alerts for item in a["evidence"] if item.get("id")}
    assert cited == FERRY  # every followed item raised an alert, nothing else did
    kinds = {a["kind"] for a in alerts}
    assert {"story-match", "new-article", "new-language", "new-outlet", "new-quote"} <= kinds
    assert all(a["link"] == f"/stories/{a['story']}" for a in alerts)
    ids = sorted(a["id"] for a in alerts)

    # the four sinks, each alert exactly once
    terminal = [int(m.group(1)) for line in watch.out + again.out if (m := re.match(r"alert (\d+) \[", line))]
    assert sorted(terminal) == ids
    written = [json.loads(line)["id"] for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert sorted(written) == ids
    assert sorted(hook["id"] for hook in server.hooks) == ids
    assert [unquote(key) for key in server.hook_keys] == [hook["key"] for hook in server.hooks]
    client = TestClient(create_app(Path(db)), base_url="http://localhost")
    following = json.loads(cli("following", "--json", "--db", db))
    atom_ids = []
    for watchlist in following:
        response = client.get(f"/feeds/{watchlist['id']}.atom")
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
        root = etree.fromstring(response.content)
        entries = root.findall("{http://www.w3.org/2005/Atom}entry")
        assert len(entries) == watchlist["alerts"]
        atom_ids += [e.findtext("{http://www.w3.org/2005/Atom}id") for e in entries]
        page = client.get(f"/watchlists/{watchlist['id']}")
        assert page.status_code == 200
    assert sorted(atom_ids) == sorted(f"urn:storylens:alert:{a['key']}" for a in alerts)

    # conditional GETs: validators were sent and unchanged feeds answered 304
    assert any(since and status == 304 for _, since, status in server.requests)

"""The backend suite's test of `serve` under concurrent requests: a real server (uvicorn, in a thread) answers
requests sent from several threads at once, each on a read-only store lent by ``store.readers`` (on PostgreSQL,
pooled connections). ``ServeSuite`` is mixed into ``suite.StoreSuite`` and uses its fixtures."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import uvicorn

from storylens.store import stories
from storylens.store.db import Store
from storylens.store.readers import Readers
from storylens.views.web import create_app


class ServeSuite:
    def test_concurrent_requests_are_answered_on_shared_connections(
        self, target: str, store: Store, three: list[int]
    ) -> None:
        with store.transaction() as conn:
            stories.ensure_stories(conn, [1])
            stories.set_member(conn, three[0], 1, None, {})
            stories.refresh_story_dates(conn)
        app = create_app(target)
        app.state.readers = Readers(target, size=3)  # fewer connections than requests in flight: some wait
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        paths = ["/api/articles/a", "/api/articles/c", "/api/stories", "/api/search?q=strike&mode=text", "/stories/1"]
        try:
            deadline = time.monotonic() + 30
            while not server.started and time.monotonic() < deadline:
                time.sleep(0.05)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client, ThreadPoolExecutor(8) as run:
                answers = list(run.map(client.get, paths * 8))
            pool = app.state.readers.pool
            stats = pool.stats() if pool is not None else None
        finally:
            server.should_exit = True
            thread.join(30)
        assert [a.status_code for a in answers] == [200] * len(answers)
        for path, answer in zip(paths * 8, answers, strict=True):
            if path == "/api/articles/c":
                assert answer.json()["id"] == three[2]
            elif path == "/api/stories":
                assert [s["id"] for s in answer.json()["rows"]] == [1]
            elif "search" in path:
                assert [row["id"] for row in answer.json()["rows"]] == [three[1]]
        if stats is not None:  # PostgreSQL: every request on one of at most 3 connections, closed at the stop
            assert stats["requests_num"] == len(answers) and stats["pool_max"] == 3
            assert 1 <= stats["connections_num"] <= 3
        assert app.state.readers._pool is None and not thread.is_alive()

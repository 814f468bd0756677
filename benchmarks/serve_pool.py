"""Requests per second of the API on a PostgreSQL store, with the readers' connection pool (``store/readers.py``)
and with a new connection per request (what `serve` did before the pool), and on SQLite for reference.

The invented corpus of the reliability tests (20 articles, 5 stories) is ingested with the fast test encoder into
a throwaway PostgreSQL cluster (``tests/backends/pg_cluster.py``) and a SQLite file; then ROUNDS rounds of five
requests (an article, a story list, a story page, a word search, an entity list) go through FastAPI's TestClient
in one thread, so the figure is per-request cost, not concurrency.

Run: PYTHONPATH=src python benchmarks/serve_pool.py [ROUNDS]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from tests.backends.pg_cluster import find_bin, start_cluster  # noqa: E402
from tests.reliability.corpus import write_corpus  # noqa: E402
from tests.reliability.store_snapshot import run  # noqa: E402

from storylens.store.readers import Readers  # noqa: E402
from storylens.views.web import create_app  # noqa: E402

PATHS = ["/api/articles/bridge-daily-post", "/api/stories", "/api/stories/1", "/api/search?q=strike&mode=text",
         "/api/entities"]  # fmt: skip


class NoPool(Readers):
    """A new read-only connection per request."""

    @property
    def pool(self) -> None:
        return None


def rate(target: str, readers: Readers, rounds: int) -> float:
    app = create_app(target)
    app.state.readers = readers
    client = TestClient(app, base_url="http://localhost")
    for path in PATHS:  # warm up (the pool opens, templates and caches load)
        assert client.get(path).status_code == 200, path
    started = time.perf_counter()
    for _ in range(rounds):
        for path in PATHS:
            client.get(path)
    elapsed = time.perf_counter() - started
    readers.close()
    return rounds * len(PATHS) / elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    folder = find_bin()
    if folder is None:
        sys.exit("PostgreSQL binaries (initdb, pg_ctl) not found")
    cluster = start_cluster(folder)
    work = Path(tempfile.mkdtemp())
    try:
        corpus = write_corpus(work / "corpus.jsonl")
        pg, lite = cluster.create_database("serve"), str(work / "serve.db")
        for target in (pg, lite):
            run("none", "ingest", str(corpus), "--db", target)
        print(f"{rounds * len(PATHS)} requests, one thread")
        print(f"postgresql, pooled:                  {rate(pg, Readers(pg), rounds):7.1f} requests/s")
        print(f"postgresql, a connection per request: {rate(pg, NoPool(pg), rounds):7.1f} requests/s")
        print(f"sqlite (a connection per request):    {rate(lite, Readers(lite), rounds):7.1f} requests/s")
    finally:
        cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

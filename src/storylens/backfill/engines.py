"""Where a backfill's parallel work runs: ``LocalEngine`` (a plain loop in this process, the reference) or
``RayEngine`` (Ray Data batches on a pool of actors, each building the encoder once, and one Ray task per
clustering window). Ray is optional: it is imported only when a ``RayEngine`` is made, and without it the
error says what to install. A ``RayEngine`` counts where its work ran (documents, actors and windows per Ray
node: ``take_placements``), which the backfill's report shows.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from storylens.backfill.windows import decide_locally, decide_window
from storylens.backfill.work import DocumentWork, Outcome
from storylens.clustering.language_means import LanguageMeans
from storylens.clustering.online import Assignment, ClusterItem, OnlineClusterer
from storylens.encoders import Encoder
from storylens.models import RawDocument

DEFAULT_BATCH_DOCS = 32  # documents per Ray Data batch (and per encoder call in the local loop)
RAY_HINT = "pip install 'storylens[ray]'"
ACTOR_START_SECONDS = 600  # how long every actor of the pool may take to start (placed, encoder loaded)
PACKAGE = Path(__file__).resolve().parents[1]  # this storylens, shipped to a cluster's nodes (``py_modules``)

Placements = dict[str, dict[str, int]]  # Ray node id -> {"documents": n, "actors": n, "windows": n}


class BackfillError(RuntimeError):
    """A backfill cannot start (e.g. Ray is not installed or the cluster cannot be reached); one line."""


class Engine(Protocol):
    name: str

    def map_documents(self, docs: Sequence[RawDocument], encoder: str | Encoder) -> list[Outcome]: ...

    def run_windows(
        self, clusterer: OnlineClusterer, windows: list[list[ClusterItem]], means: LanguageMeans
    ) -> list[list[Assignment]]: ...

    def take_placements(self) -> Placements: ...

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

    def take_placements(self) -> Placements:
        return {}

    def close(self) -> None:
        self._work.clear()


def import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as error:
        raise BackfillError(f"--engine ray needs Ray, which is not installed: {RAY_HINT}") from error
    return ray


@dataclass
class NodeWork:
    """What one Ray node did for a backfill."""

    documents: int = 0
    windows: int = 0
    actors: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        return {"documents": self.documents, "actors": len(self.actors), "windows": self.windows}


class RayDocumentWork(DocumentWork):
    """``DocumentWork`` as a Ray Data actor that also says where each document was done (node and actor ids)."""

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import ray

        done = super().__call__(batch)
        context = ray.get_runtime_context()
        count = len(done["index"])
        done["node"] = np.array([context.get_node_id()] * count, dtype=object)
        done["actor"] = np.array([context.get_actor_id() or ""] * count, dtype=object)
        return done


def decide_window_placed(
    clusterer: OnlineClusterer, items: list[ClusterItem], means: LanguageMeans
) -> tuple[str, list[Assignment]]:
    """``decide_window`` as a Ray task, with the id of the node it ran on."""
    import ray

    return ray.get_runtime_context().get_node_id(), decide_window(clusterer, items, means)


def run_dataset(
    rows: list[dict[str, Any]], workers: int, batch_docs: int, encoder: str | Encoder, actor_start_seconds: int
) -> list[tuple[int, bytes, str, str]] | None:
    """The per-article work of ``rows`` as Ray Data batches over ``workers`` actors: (index, pickled outcome, node,
    actor) per document, or None when the actors did not all start within ``actor_start_seconds``. Runs in the
    driver, or as a task on the cluster for a Ray Client driver."""
    import ray

    # at least one block per actor, at most four per actor; a task is one block (cut into batches when larger
    # than batch_docs) and an actor takes one task at a time, so an actor that is ready first (its encoder
    # loaded) does not take every block while the others are still starting
    blocks = min(len(rows), 4 * workers, max(workers, -(-len(rows) // batch_docs)))
    pool = ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.wait_for_min_actors_s = actor_start_seconds  # every actor started before the first block goes out
    dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
        RayDocumentWork,
        fn_constructor_kwargs={"encoder": encoder},
        batch_size=min(batch_docs, -(-len(rows) // blocks)),
        batch_format="numpy",
        compute=pool,
        num_cpus=1,
    )
    try:
        return [
            (int(row["index"]), bytes(row["outcome"]), str(row["node"]), str(row["actor"]))
            for row in dataset.iter_rows()
        ]
    except ray.exceptions.GetTimeoutError:
        return None


class RayEngine:
    """Ray Data batches over ``workers`` actors (each builds the encoder once) and a Ray task per window.

    Connects to ``address`` (``HEAD:6379`` or ``ray://HEAD:10001``, or ``auto`` for the cluster this machine
    belongs to), and ships this storylens package to the cluster's nodes (Ray ``py_modules``), so that the
    workers run the driver's code whatever storylens a node has installed (its dependencies and the encoder's
    model must be installed there). With no address, uses the Ray instance this process already started, else
    starts a local one, whose workers import this same storylens (its folder first on their ``PYTHONPATH``)."""

    name = "ray"
    actor_start_seconds = ACTOR_START_SECONDS

    def __init__(self, address: str | None = None, workers: int = 2, batch_docs: int = DEFAULT_BATCH_DOCS) -> None:
        self.ray = import_ray()
        self.workers = max(1, workers)
        self.batch_docs = batch_docs
        self._started = False
        self._placements: dict[str, NodeWork] = {}
        if not self.ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING}
            if address is None:
                here = str(Path(__file__).resolve().parents[2])
                path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
                options["runtime_env"] = {"env_vars": {"PYTHONPATH": path}}
            else:
                options["runtime_env"] = {"py_modules": [str(PACKAGE)], "excludes": ["__pycache__/"]}
            try:
                self.ray.init(address=address, **options)
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise BackfillError(f"cannot start or reach Ray at {address or 'a local instance'}: {error}") from error
            self._started = True

    def map_documents(self, docs: Sequence[RawDocument], encoder: str | Encoder) -> list[Outcome]:
        if not docs:
            return []
        rows = [{"index": number, "doc": pickle.dumps(doc)} for number, doc in enumerate(docs)]
        plan = (rows, self.workers, self.batch_docs, encoder, self.actor_start_seconds)
        if self.ray.util.client.ray.is_connected():
            # a Ray Client driver (ray://) cannot run Ray Data's executor itself: one task on the cluster does
            results = self.ray.get(self.ray.remote(num_cpus=0)(run_dataset).remote(*plan))
        else:
            results = run_dataset(*plan)
        if results is None:
            raise BackfillError(
                f"Ray could not start {self.workers} workers (one CPU each) within {self.actor_start_seconds} s:"
                " use fewer --workers or a larger cluster"
            )
        outcomes: list[Outcome | None] = [None] * len(docs)
        for index, outcome, node, actor in results:
            outcomes[index] = pickle.loads(outcome)
            work = self._placements.setdefault(node, NodeWork())
            work.documents += 1
            work.actors.add(actor)
        missing = [number for number, outcome in enumerate(outcomes) if outcome is None]
        if missing:
            raise BackfillError(f"Ray returned no result for {len(missing)} of {len(docs)} documents")
        return [outcome for outcome in outcomes if outcome is not None]

    def run_windows(
        self, clusterer: OnlineClusterer, windows: list[list[ClusterItem]], means: LanguageMeans
    ) -> list[list[Assignment]]:
        decide = self.ray.remote(num_cpus=1, scheduling_strategy="SPREAD")(decide_window_placed)
        shared, shared_means = self.ray.put(clusterer), self.ray.put(means)
        decided = self.ray.get([decide.remote(shared, items, shared_means) for items in windows])
        for node, _ in decided:
            self._placements.setdefault(node, NodeWork()).windows += 1
        return [assignments for _, assignments in decided]

    def take_placements(self) -> Placements:
        """Documents done, actors that did them and windows decided per Ray node since the last call."""
        found = {node: work.counts() for node, work in self._placements.items()}
        self._placements = {}
        return found

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

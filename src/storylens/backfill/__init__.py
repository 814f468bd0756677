"""Backfills: a whole corpus at once, the per-article work in parallel (on Ray, or a plain loop), one writer.

``storylens backfill CORPUS --engine ray|local`` (``views/cli_backfill.py``): ``work.DocumentWork`` prepares,
embeds, keys and extracts documents in batches (Ray Data ``map_batches`` on a pool of actors, or in this
process); ``run.Backfill`` stores the results through the store's repositories and marks each stage's progress;
``windows.decide_by_windows`` decides the stories by overlapping time windows (a Ray task each) and stitches
them; the pipeline then rebuilds extraction's entity links and groups and the storylines. Importing this package
never imports Ray (``engines.RayEngine`` does, when made).
"""

from __future__ import annotations

from storylens.backfill.engines import BackfillError, LocalEngine, RayEngine, make_engine
from storylens.backfill.run import Backfill, BackfillOptions, BackfillReport

__all__ = ["Backfill", "BackfillError", "BackfillOptions", "BackfillReport", "LocalEngine", "RayEngine", "make_engine"]

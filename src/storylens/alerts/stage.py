"""The alert step, run by the pipeline after every other stage (``ingest`` and ``watch`` both run it).

It declares what it reads, so the pipeline checks it comes after clustering, extraction and storylines, and it
records its alerts in the same transaction that marks its articles done: after an interruption an article has
raised its alerts and is marked, or neither, and alert keys are unique, so nothing is raised twice.
Delivering alerts to sinks is separate (``sinks.py``); a rebuild raises nothing (alerts are history).
"""

from __future__ import annotations

from collections.abc import Sequence

from storylens.alerts.rules import alerts_for
from storylens.settings import Settings
from storylens.stages import StageProgress
from storylens.store import alerts as alert_store
from storylens.store.db import Store
from storylens.store.stage_writers import AlertWriter


class AlertStage:
    name = "alerts"
    requires = ("article.story", "story.summary", "entities", "article.quotes", "article.figures", "story.groups")
    provides = ("alerts",)
    writer = AlertWriter

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        watches = alert_store.watchlists(store)
        raised = []
        if watches:
            facts = alert_store.article_facts(store, article_ids)
            for watch in watches:
                raised.extend(alerts_for(store, watch, facts))
        with store.stage_batch(self.name, article_ids, writer=self.writer) as writer:
            writer.record_alerts(raised)
        if progress:
            progress("alerts", len(article_ids), len(article_ids))

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> None:
        with store.stage_batch(self.name, None, rebuilt=True):
            pass


def make_stage(settings: Settings) -> AlertStage:
    """The built-in alert stage (the ``alerts`` entry point)."""
    return AlertStage()

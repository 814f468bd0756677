"""The part of the store one ingest batch loads into the clusterer: the stories of the time window it touches.

A batch's new articles are decided together with the stored articles dated within ``window_days`` of one of
them (``within_window``), and each of those looks for stories within ``window_days`` of its own date, so no
search reaches further than twice ``window_days`` from a new article. ``load_window`` loads every stored
article of the time buckets that reach covers (whole buckets, so each search sees what it would see with the
whole store loaded), with the whole stories they are in (all members, whatever their dates, so each story's
sums, keys and span are complete). What the window cannot give comes from totals the store keeps over every
clustered article: the language means (sums and counts per language) and how rare each key is (how many
articles name it, and how many articles there are). With these, a batch's decisions are those of a clusterer
holding the whole store, and its cost follows how many articles were published around its dates, not how many
the store holds.

Undated articles (decided, see docs/ARCHITECTURE.md): an undated search scans every loaded bucket, and every
search scans the undated bucket. Loading all of them would load the whole store, so:

- a batch with undated articles also loads the window around the latest dated article ingested (when the batch
  has no dated article of its own): an undated article is compared with the stories of what the store was
  following when it arrived, and with those of its batch;
- stored undated articles are loaded with their stories (a story with a dated member in the window), and those
  whose document was ingested within ``window_days`` of the newest ingest with theirs; an older undated article
  in a story with no dated member is no longer a candidate.

A batch whose dates leave a gap of more than twice ``window_days`` loads the windows around each group of dates,
not the years between (an old article in a batch does not load the store since then).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from storylens.clustering.language_means import LanguageMeans
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.store import cluster_window
from storylens.store.backend import Connection

Stored = list[tuple[ClusterItem, int]]  # a loaded article and its story


def load_window(
    conn: Connection, clusterer: OnlineClusterer, encoder: str, new: Sequence[ClusterItem], already: set[str]
) -> Stored:
    """Load into ``clusterer`` (new, empty) the stored stories the batch ``new`` can reach, with the store's
    language means and key counts; ``already`` are new items the store holds in a story already (a rerun), which
    are decided again as new. Returns the loaded articles with their stories."""
    if not new:
        return []
    if cluster_window.totals_kept(conn, encoder) is None:
        cluster_window.rebuild_totals(conn, encoder)
    dated = [item.date for item in new if item.date is not None]
    anchors = dated
    if not dated:  # all undated: the window of what the store was following
        latest = cluster_window.latest_dated(conn)
        anchors = [latest] if latest is not None else []
    ranges = load_ranges(anchors, clusterer.window_days, clusterer.bucket_days)
    newest = cluster_window.newest_ingest(conn)
    undated_since = None
    if newest is not None:
        since = dt.datetime.fromisoformat(newest) - dt.timedelta(days=clusterer.window_days)
        undated_since = since.isoformat(timespec="seconds")
    rows = [
        (
            ClusterItem(str(article_id), lang, dt.date.fromisoformat(published) if published else None, vector, keys),
            story,
        )
        for article_id, lang, published, vector, keys, story in cluster_window.window_members(
            conn, encoder, ranges, undated_since
        )
        if str(article_id) not in already
    ]
    means = LanguageMeans(len(new[0].vector), clusterer.language_prior, clusterer.background_means)
    for lang, (count, total) in cluster_window.language_sums(conn, encoder).items():
        means.add_sums(lang, count, total)
    clusterer.use_means(means)  # the store's means: loading the window does not change them
    top = cluster_window.max_story_id(conn)
    clusterer.restore([item for item, _ in rows], [story for _, story in rows], None if top is None else top + 1)
    fresh = [item for item in new if item.id not in already]
    if fresh:  # the new articles count in the means they are centred with, as they would unloaded
        means.add_many([item.lang for item in fresh], np.stack([item.vector for item in fresh]))
    _count_outside(conn, clusterer, encoder, [item for item, _ in rows], new, already)
    return rows


def _count_outside(
    conn: Connection,
    clusterer: OnlineClusterer,
    encoder: str,
    loaded: Sequence[ClusterItem],
    new: Sequence[ClusterItem],
    already: set[str],
) -> None:
    """Count the clustered articles that were not loaded in how rare the keys of the loaded and new ones are."""
    inside: Counter[str] = Counter()
    for item in (*loaded, *(item for item in new if item.id in already)):
        inside.update(item.keys)
    wanted = set(inside).union(*(item.keys for item in new))
    total = cluster_window.key_counts(conn, encoder, wanted)
    outside = {key: count - inside[key] for key, count in total.items() if count > inside[key]}
    articles = (cluster_window.totals_kept(conn, encoder) or 0) - len(loaded) - len(already)
    clusterer.count_outside(outside, max(articles, 0))


def load_ranges(dates: Iterable[dt.date], window_days: int, bucket_days: int) -> list[tuple[dt.date, dt.date]]:
    """The dates whose articles a batch dated ``dates`` can reach: each date ± twice ``window_days``, widened to
    whole time buckets of ``bucket_days`` (as ``TimeBucketedIndex`` cuts them), as sorted disjoint ranges."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for date in sorted(set(dates)):
        low = (date - dt.timedelta(days=2 * window_days)).toordinal() // bucket_days * bucket_days
        high = ((date + dt.timedelta(days=2 * window_days)).toordinal() // bucket_days + 1) * bucket_days - 1
        first, last = dt.date.fromordinal(max(low, 1)), dt.date.fromordinal(high)
        if ranges and first <= ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], last))
        else:
            ranges.append((first, last))
    return ranges


def within_window(stored: Sequence[ClusterItem], new: Sequence[ClusterItem], days: int) -> list[ClusterItem]:
    """Stored articles dated within ``days`` of a new article: their stories are decided again with the batch."""
    dates = sorted({item.date for item in new if item.date is not None})
    if not dates:
        return []
    span = dt.timedelta(days=days)

    def near(date: dt.date) -> bool:
        at = bisect.bisect_left(dates, date - span)
        return at < len(dates) and dates[at] <= date + span

    return [item for item in stored if item.date is not None and near(item.date)]

"""The part of the store one ingest batch loads into the clusterer: the stories of the time window it touches.

A batch's new articles are decided together with the stored articles dated from its first date less
``window_days`` to its last plus ``window_days`` (``within_window``, as before windows), and each of those looks
for stories within ``window_days`` of its own date, so no search reaches further than twice ``window_days``
beyond the batch's dates. ``load_window`` loads every stored
article of the time buckets that reach covers (whole buckets, so each search sees what it would see with the
whole store loaded), with the whole stories they are in (all members, whatever their dates, so each story's
sums, keys and span are complete). What the window cannot give comes from totals the store keeps over every
clustered article: the language means (sums and counts per language) and how rare each key is (how many
articles name it, and how many articles there are). With these, a batch's decisions are those of a clusterer
holding the whole store, and its cost follows how many articles were published around its dates, not how many
the store holds.

Undated articles (decided, see docs/ARCHITECTURE.md): an undated search scans every loaded bucket, and every
search scans the undated bucket. Loading all of them would load the whole store, so:

- an undated article is compared with the stories of its batch's window (an article that arrives with others is
  most likely about the same days; a batch of undated articles only has the window of the dated article ingested
  last: what the store was following when they came), and with the ``neighbours`` stored stories that name its
  rare keys with the highest summed rarity, wherever their dates are (``stories_by_keys``: an indexed look-up of
  which clustered articles name a key, ``cluster_key_articles``; keys named by more than
  ``KEY_LOOKUP_MAX_ARTICLES`` articles are not looked up, which bounds what is read). Measured
  (BENCHMARKS.md, batch_equivalence.py): without the look-up, gold sets sorted by date with the undated articles
  last (so they arrive after every story they belong to) lost up to 0.20 B-cubed F1 against the whole store;
  with it, 3 of 16 cuts differ, by at most 0.015 (a story sharing no rare key is still out of reach);
  ``recluster`` compares them with the whole store;
- stored undated articles are loaded with their stories (a story with a dated member in the window, or found by
  key), and those whose document was ingested within ``window_days`` of the newest ingest with theirs; an older
  undated article in a story with no dated member is otherwise no longer a candidate.

A batch whose dates leave a gap (an old article among today's) loads and decides again the whole span between,
as it was decided before windows: deciding only the windows around each group of dates changed stories (news_dev2
in its file's order, 5 batches: B-cubed F1 0.835 against 0.859; one batch, news_dev2 0.916 -> 0.873, news_dev3
0.782 -> 0.718). Unless the gap is crowded (``date_spans``): where the stored articles dated inside the gaps
(beyond ``window_days`` of either side, so no new article's own window holds them) number more than
``SPAN_MAX_ARTICLES``, the most crowded gaps are cut until those left hold at most that many, and the batch is
decided in one clusterer with the windows of its spans only (loaded and decided together, as one batch). Those
stored articles were decided by the batches that brought them, around their own dates; deciding them again with
a batch none of whose articles can reach them (a search looks ``window_days`` around its article's date) only
re-centres them, at a cost that grows with the store (an article dated 2023 from a header line among a batch of
today's loaded 690,000 stored articles at 1M). The bound keeps a batch's extra work constant: re-centring 2,000
articles and measuring their level matches costs about 4 s CPU (about 1.8 ms each, BENCHMARKS.md 2026-12-05),
under 3% of a batch of 500; and a store smaller than it (every gold set: 101-722 articles) is never cut, so a file
ingested into a small store, in one batch or several, decides as before.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from storylens.clustering.language_means import LanguageMeans
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.store.stage_writers import ClusteringWriter

Stored = list[tuple[ClusterItem, int]]  # a loaded article and its story
KEY_LOOKUP_MAX_ARTICLES = 100  # a key more articles name is not looked up for an undated article (bounds the reads)
SPAN_MAX_ARTICLES = 2_000  # stored articles a batch's date gaps may hold and still be decided again (see above)
Span = tuple[dt.date, dt.date]  # the first and last date of a group of a batch's dates


def load_window(
    writer: ClusteringWriter,
    clusterer: OnlineClusterer,
    encoder: str,
    new: Sequence[ClusterItem],
    already: set[str],
    spans: Sequence[Span] | None = None,
) -> Stored:
    """Load into ``clusterer`` (new, empty) the stored stories the batch ``new`` can reach, with the store's
    language means and key counts; ``already`` are new items the store holds in a story already (a rerun), which
    are decided again as new; ``spans``: the batch's dates as ``date_spans`` groups them (None: one span, from its
    first date to its last). Returns the loaded articles with their stories."""
    if not new:
        return []
    if writer.totals_kept(encoder) is None:
        writer.rebuild_totals(encoder)
    if spans is None:
        spans = one_span(item.date for item in new if item.date is not None)
    if not spans:  # only undated articles: the window of what the store was following when they came
        latest = writer.latest_dated()
        spans = [(latest, latest)] if latest is not None else []
    ranges = load_ranges(spans, clusterer.window_days, clusterer.bucket_days)
    newest = writer.newest_ingest()
    undated_since = None
    if newest is not None:
        since = dt.datetime.fromisoformat(newest) - dt.timedelta(days=clusterer.window_days)
        undated_since = since.isoformat(timespec="seconds")
    rows = [
        (
            ClusterItem(str(article_id), lang, dt.date.fromisoformat(published) if published else None, vector, keys),
            story,
        )
        for article_id, lang, published, vector, keys, story in writer.window_members(
            encoder, ranges, undated_since, stories_by_keys(writer, encoder, new, clusterer.neighbours)
        )
        if str(article_id) not in already
    ]
    means = LanguageMeans(len(new[0].vector), clusterer.language_prior, clusterer.background_means)
    for lang, (count, total) in writer.language_sums(encoder).items():
        means.add_sums(lang, count, total)
    clusterer.use_means(means)  # the store's means: loading the window does not change them
    top = writer.max_story_id()
    clusterer.restore([item for item, _ in rows], [story for _, story in rows], None if top is None else top + 1)
    fresh = [item for item in new if item.id not in already]
    if fresh:  # the new articles count in the means they are centred with, as they would unloaded
        means.add_many([item.lang for item in fresh], np.stack([item.vector for item in fresh]))
    _count_outside(writer, clusterer, encoder, [item for item, _ in rows], new, already)
    return rows


def stories_by_keys(writer: ClusteringWriter, encoder: str, new: Sequence[ClusterItem], per_item: int) -> set[int]:
    """For each undated article of ``new``, the ``per_item`` stored stories naming its rare keys (named by at most
    ``KEY_LOOKUP_MAX_ARTICLES`` clustered articles) with the highest summed rarity (as the clusterer's key
    bonus counts it), wherever their dates are."""
    undated = [item for item in new if item.date is None]
    total = writer.totals_kept(encoder) or 0
    counts = writer.key_counts(encoder, set().union(*(item.keys for item in undated)))
    rare = {key: count for key, count in counts.items() if count <= KEY_LOOKUP_MAX_ARTICLES}
    if not rare:
        return set()
    naming: dict[str, list[int]] = {}
    for key, story in writer.stories_naming(rare):
        naming.setdefault(key, []).append(story)
    chosen: set[int] = set()
    for item in undated:
        rarity: dict[int, float] = {}
        for key in item.keys & naming.keys():
            for story in naming[key]:
                rarity[story] = rarity.get(story, 0.0) + math.log(1.0 + total / rare[key])
        chosen.update(story for story, _ in sorted(rarity.items(), key=lambda pair: (-pair[1], pair[0]))[:per_item])
    return chosen


def _count_outside(
    writer: ClusteringWriter,
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
    total = writer.key_counts(encoder, wanted)
    outside = {key: count - inside[key] for key, count in total.items() if count > inside[key]}
    articles = (writer.totals_kept(encoder) or 0) - len(loaded) - len(already)
    clusterer.count_outside(outside, max(articles, 0))


def one_span(dates: Iterable[dt.date]) -> list[Span]:
    """The batch's dates as one span (none without a date)."""
    chosen = sorted(set(dates))
    return [(chosen[0], chosen[-1])] if chosen else []


def date_spans(
    writer: ClusteringWriter, dates: Iterable[dt.date], window_days: int, limit: int = SPAN_MAX_ARTICLES
) -> list[Span]:
    """A batch's dates as spans, oldest first: one span, except that where the stored clustered articles dated
    inside its gaps (more than ``window_days`` from every date of the batch) number more than ``limit``, the most
    crowded gaps (ties: the oldest) are cut until those not cut hold at most ``limit`` (each counted up to
    ``limit`` + 1: bounded reads)."""
    chosen = sorted(set(dates))
    reach = dt.timedelta(days=window_days)
    crowded: list[tuple[int, int]] = []  # (stored articles, index of the date after the gap)
    for index in range(1, len(chosen)):
        low, high = chosen[index - 1] + reach + dt.timedelta(days=1), chosen[index] - reach - dt.timedelta(days=1)
        if low <= high:
            crowded.append((writer.clustered_between(low, high, limit + 1), index))
    crowded.sort(key=lambda pair: (-pair[0], pair[1]))
    left = sum(count for count, _ in crowded)
    cuts: list[int] = []
    for count, index in crowded:
        if left <= limit:
            break
        cuts.append(index)
        left -= count
    bounds = [0, *sorted(cuts), len(chosen)]
    return [(chosen[start], chosen[end - 1]) for start, end in itertools.pairwise(bounds) if end > start]


def load_ranges(spans: Iterable[Span], window_days: int, bucket_days: int) -> list[Span]:
    """The dates whose articles a batch of these date ``spans`` can reach: from each span's first date less twice
    ``window_days`` to its last plus twice ``window_days``, widened to whole time buckets of ``bucket_days`` (as
    ``TimeBucketedIndex`` cuts them), ranges that meet or overlap joined; none without a span."""
    ranges: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        low = (first - dt.timedelta(days=2 * window_days)).toordinal() // bucket_days * bucket_days
        high = ((last + dt.timedelta(days=2 * window_days)).toordinal() // bucket_days + 1) * bucket_days - 1
        if ranges and low <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], high))
        else:
            ranges.append((max(low, 1), high))
    return [(dt.date.fromordinal(low), dt.date.fromordinal(high)) for low, high in ranges]


def within_window(stored: Sequence[ClusterItem], spans: Sequence[Span], days: int) -> list[ClusterItem]:
    """Stored articles dated from a span's first date less ``days`` to its last plus ``days`` (``spans``: the
    batch's dates, ``date_spans``/``one_span``): their stories are decided again with the batch."""
    reach = dt.timedelta(days=days)
    return [
        item
        for item in stored
        if item.date is not None and any(first - reach <= item.date <= last + reach for first, last in spans)
    ]

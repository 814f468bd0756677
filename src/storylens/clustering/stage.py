"""The clustering article stage: embed new articles and assign them to stories.

State lives in the store, not in memory: each batch loads into an ``OnlineClusterer`` the stored stories of the
time window it reaches (``window.py``), then decides the stories of the new articles together with the stored ones
within ``window_days`` of them that are in a story a new article reaches (placed in date order, then refined; the
others stay, counting in the language levels with their stored level match), and writes back what changed (new,
merged or split stories, the reasons for every decision, and each changed story's centroid and core keys, which the
storyline stage reads, and its title: a headline of its articles that names those keys). Translations join
their original's story. Articles without a date of their own get one inferred from the story they join, kept
apart from source dates (``articles.inferred_date``): shown as inferred, never evidence, recomputed by ``recluster``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from storylens.cleaning.lines import Line, date_line_value, is_title_like, split_lines
from storylens.clustering import window
from storylens.clustering.keys import evidence_keys
from storylens.clustering.language_means import load_background
from storylens.clustering.online import Assignment, ClusterItem, OnlineClusterer
from storylens.clustering.storylines import StorySummary
from storylens.dates import publication_weekday, relative_mentions
from storylens.encoders import DEFAULT_ENCODER_SPEC, Encoder, get_encoder, lead_text
from storylens.settings import Settings
from storylens.stages import StageProgress
from storylens.store import stories
from storylens.store.articles import Article, list_articles
from storylens.store.db import Store
from storylens.store.stage_writers import ClusteringWriter

# Articles embedded per encoder call (and per write of their vectors and keys). Small calls cost the encoder
# dearly when other processes share the cores: on a busy 2-core machine itn_dev's short items took about twice
# as long at 16 a call as at 256 (no difference on an idle one). Vectors do not depend on it.
EMBED_BATCH_SIZE = 256
Decide = Callable[[list[ClusterItem]], tuple[OnlineClusterer, list[Assignment]]]  # items -> stories and reasons
OPENING_CHARS = 120  # a story named by an article's opening (no titled article names it better) shows this much
OPENING_SCAN_CHARS = 1500  # a headline is looked for in this much of an untitled article's opening ...
OPENING_LINES = 12  # ... within its first lines
HEADLINE_MIN_WORDS = 3  # a lone label ("Menu", a photo credit's name) is not a headline


class ClusteringStage:
    """Online story assignment over stored articles; swap the encoder or clusterer settings freely."""

    name = "clustering"
    requires = ("article.text", "article.language", "article.date")
    provides = ("article.vector", "article.keys", "article.story", "story.summary")
    writer = ClusteringWriter  # what its batches may write (``store/stage_writers.py``)
    span_max_articles = window.SPAN_MAX_ARTICLES  # a batch's date gaps holding more stored articles are cut

    def __init__(
        self,
        encoder: Encoder | None = None,
        make_clusterer: Callable[[], OnlineClusterer] | None = None,
        batch_size: int = EMBED_BATCH_SIZE,
        *,
        encoder_spec: str = DEFAULT_ENCODER_SPEC,
        parameters: Mapping[str, float | int] | None = None,
    ) -> None:
        self._encoder = encoder
        self.encoder_spec = encoder_spec
        self.parameters = dict(parameters or {})
        self.make_clusterer = make_clusterer or self._default_clusterer
        self.batch_size = batch_size

    def _default_clusterer(self) -> OnlineClusterer:
        """The clusterer with this stage's parameters (the defaults unless settings change them), starting from the
        background language means shipped for this encoder."""
        return OnlineClusterer(background_means=load_background(self.encoder.name), **self.parameters)  # type: ignore[arg-type]

    @property
    def encoder(self) -> Encoder:
        """The encoder given, else the one ``encoder_spec`` names (built on first use)."""
        if self._encoder is None:
            self._encoder = get_encoder(self.encoder_spec)
        return self._encoder

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        articles = list_articles(store, ids=list(article_ids))
        originals = [a for a in articles if a.role == "article"]
        translations = [a for a in articles if a.role == "translation"]
        self.embed(store, originals, progress)
        # The stored stories are read and written in one write transaction: another writer cannot change them
        # in between (story ids would collide); the batch is marked clustered in the same commit.
        with store.stage_batch(self.name, article_ids, writer=self.writer) as writer:
            clusterer = self.make_clusterer()
            new_items = list(self._items(store, originals))
            already = {str(i) for i in writer.members_among([int(item.id) for item in new_items])}
            dates = [item.date for item in new_items if item.date is not None]
            spans = window.date_spans(writer, dates, clusterer.window_days, self.span_max_articles)
            stored = window.load_window(writer, clusterer, self.encoder.name, new_items, already, spans)
            recent = window.within_window([item for item, _ in stored], spans, clusterer.window_days)
            known = writer.level_matches([int(item.id) for item in recent])
            clusterer.known_level_matches({str(article_id): match for article_id, match in known.items()})
            assignments = clusterer.consolidate([*recent, *new_items], around=[item.id for item in new_items])
            decided = {a.item_id for a in assignments}
            writer.set_level_matches(  # measured now for want of a stored one (older stores), though not decided
                (int(item.id), clusterer.level_match(item.id)[1])
                for item in recent
                if int(item.id) not in known and item.id not in decided
            )
            changed = self._write(writer, clusterer, assignments, {item.id: story for item, story in stored})
            _join_translations(writer, translations)
            changed.update(s for s in writer.stories_of([t.id for t in translations]) if s is not None)
            writer.refresh_story_dates(changed)
            _infer_dates(writer, originals)
            counted = [i for i in new_items if i.id not in already]
            writer.add_totals(self.encoder.name, [(i.lang, i.vector, i.keys) for i in counted])
            writer.index_keys([(int(i.id), i.keys) for i in counted])
            writer.note_story_changes(changed)

    def recluster(self, store: Store, progress: StageProgress | None = None, *, decide: Decide | None = None) -> int:
        """Rebuild every assignment from the stored vectors, deterministically; returns the story count.
        ``decide`` replaces the one-pass decision (``OnlineClusterer.recluster``), e.g. by time windows."""
        everything = list_articles(store)
        originals = [a for a in everything if a.role == "article"]
        translations = [a for a in everything if a.role == "translation"]
        self.embed(store, originals, progress)
        clusterer, assignments = (decide or self._decide_at_once)(list(self._items(store, originals)))
        with store.stage_batch(self.name, None, rebuilt=True, writer=self.writer) as writer:
            writer.drop_other_encoders(self.encoder.name)
            writer.clear_stories()
            self._write(writer, clusterer, assignments, {})
            _join_translations(writer, translations)
            writer.refresh_story_dates()
            writer.clear_inferred_dates()
            _infer_dates(writer, originals)
            writer.rebuild_totals(self.encoder.name)
            writer.note_story_changes(writer.story_ids())
        return len(clusterer.stories)

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> int:
        return self.recluster(store, progress)

    def _decide_at_once(self, items: list[ClusterItem]) -> tuple[OnlineClusterer, list[Assignment]]:
        clusterer = self.make_clusterer()
        return clusterer, clusterer.recluster(items)

    def embed(self, store: Store, articles: Sequence[Article], progress: StageProgress | None = None) -> None:
        """Store a vector (title + lead) and evidence keys for every article that lacks them."""
        name = self.encoder.name
        have = stories.embedded_ids(store, name, [a.id for a in articles])
        missing = [a for a in articles if a.id not in have]
        for done in range(0, len(missing), self.batch_size):
            batch = missing[done : done + self.batch_size]
            texts = [article_lead(a.title, a.text) for a in batch]
            vectors = self.encoder.encode(texts).astype(np.float32)
            with store.stage_batch(self.name, writer=self.writer) as writer:
                writer.save_embeddings(
                    name,
                    [
                        (a.id, text_hash(t), v, evidence_keys(a.text, a.lang))
                        for a, t, v in zip(batch, texts, vectors, strict=True)
                    ],
                )
            if progress:
                progress("embedding", min(done + self.batch_size, len(missing)), len(missing))

    def _items(self, store: Store, articles: Iterable[Article]) -> Iterable[ClusterItem]:
        by_id = {a.id: a for a in articles}
        return [
            ClusterItem(str(article_id), by_id[article_id].lang, by_id[article_id].published, vector, keys)
            for article_id, vector, keys in stories.vectors_and_keys(store, self.encoder.name, list(by_id))
        ]

    def _write(
        self,
        writer: ClusteringWriter,
        clusterer: OnlineClusterer,
        assignments: list[Assignment],
        stored_story: Mapping[str, int],
    ) -> set[int]:
        """Memberships, reasons, and the summary of every story that gained or lost an article (or has none);
        returns the stories whose members changed (dropped ones included)."""
        live, labels = set(clusterer.stories), clusterer.labels()
        writer.ensure_stories(live)
        reasons = {a.item_id: a for a in assignments}
        moved: set[int] = set()
        for item_id, story_id in labels.items():
            assignment = reasons.get(item_id)
            if assignment is not None:
                measured, level_match = clusterer.level_match(item_id)
                writer.set_member(
                    int(item_id),
                    story_id,
                    assignment.best.similarity if assignment.best else None,
                    _reasons(assignment),
                    level_match,
                    measured,
                )
            elif stored_story.get(item_id) != story_id:
                writer.move_member(int(item_id), story_id)
            if stored_story.get(item_id) != story_id:
                moved.update((story_id, stored_story.get(item_id, story_id)))
        touched = {labels[a.item_id] for a in assignments} | {stored_story.get(a.item_id) for a in assignments}
        changed = {story_id for story_id in touched | moved if story_id is not None}
        writer.drop_empty_stories(changed)
        touched.update(writer.unsummarised_stories())  # older stores
        summaries = [clusterer.stories[story_id].summary() for story_id in live if story_id in touched]
        writer.save_summaries([(s.id, s.centroid, s.keys) for s in summaries])
        _title_stories(writer, summaries)
        return changed


def article_lead(title: str | None, text: str) -> str:
    """What the encoder reads: title and lead. A title cleaning took from the text (a headline line, a lead
    sentence) is read where it stands in the text, so it neither repeats nor moves words; an input's own title
    field or HTML title goes first, and the text without that title line follows (``lead_text``)."""
    if title and title.rstrip("…") in text:
        return lead_text(None, text)
    return lead_text(title, text[len(title) :] if title and text.startswith(title) else text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reasons(assignment: Assignment) -> dict[str, object]:
    data = dataclasses.asdict(assignment)
    data["explanation"] = assignment.explain()
    return data


def _join_translations(writer: ClusteringWriter, translations: Sequence[Article]) -> None:
    for translation in translations:
        if translation.translation_of is None:
            continue
        reasons = {
            "explanation": f"translation of article {translation.translation_of}, which is in this story",
            "translation_of": translation.translation_of,
        }
        writer.join_translation(translation.id, translation.translation_of, reasons)


def _title_stories(writer: ClusteringWriter, summaries: Sequence[StorySummary]) -> None:
    """Each story's title: among headlines (an article's title, else a headline-like line of its opening) that
    name any of the story's core names and numbers, a headline-shaped title (not a lead sentence standing in for
    one) first, then the one naming most, then the earliest; so a byline or a show's name standing in an
    article's title field does not name the story."""
    keys_of = {summary.id: set(summary.keys) for summary in summaries}
    headlines: dict[int, list[tuple[int, bool, str]]] = {story_id: [] for story_id in keys_of}
    for row in writer.story_openings(list(keys_of), OPENING_SCAN_CHARS):
        keys = keys_of[row["story_id"]]
        if row["title"]:
            shaped = is_title_like(Line(0, len(row["title"]), row["title"]))  # a headline, not a lead sentence
            headlines[row["story_id"]].append(
                (len(evidence_keys(row["title"], row["lang"]) & keys), shaped, row["title"])
            )
            continue
        named = [(len(evidence_keys(text, row["lang"]) & keys), text) for text in _opening_headlines(row["opening"])]
        best = max(named, key=lambda pair: pair[0], default=(0, ""))  # the first of those naming most
        headlines[row["story_id"]].append((best[0], False, best[1]))
    writer.set_titles(
        [
            (story_id, max(found, key=lambda h: (h[0] > 0, h[1], h[0]), default=(0, False, ""))[2])
            for story_id, found in headlines.items()
        ],
    )


def _opening_headlines(text: str) -> list[str]:
    """The headline-like lines among the first ``OPENING_LINES`` lines: title-shaped (short, not ending a
    sentence, not a list item), of at least ``HEADLINE_MIN_WORDS`` words and not a date line, so page furniture
    (lone labels, "Published: ..." lines) is passed over. With none, the first line cut at a word."""
    lines = split_lines(text)[:OPENING_LINES]
    shaped = [
        line.text
        for line in lines
        if is_title_like(line) and len(line.words) >= HEADLINE_MIN_WORDS and date_line_value(line) is None
    ]
    if shaped or not lines:
        return shaped
    first = lines[0].text
    if len(first) <= OPENING_CHARS:
        return [first]
    return [first[:OPENING_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:—-") + "…"]


def _infer_dates(writer: ClusteringWriter, articles: Sequence[Article]) -> None:
    """An undated article gets an inferred date from its story (kept apart from source dates, never evidence):
    the story day matching a weekday its text names ("today, Wednesday"), else the story's first day."""
    inferred: list[tuple[int, dt.date | None, str]] = []
    for article in articles:
        if article.published is not None:
            continue
        span = writer.story_dates(article.id)
        if span is None:
            inferred.append((article.id, None, ""))
            continue
        weekday = publication_weekday(relative_mentions(article.text, article.lang))
        days = [span.first + dt.timedelta(days=n) for n in range(-1, (span.last - span.first).days + 2)]
        matching = [d for d in days if weekday is not None and d.weekday() == weekday[0]]
        evidence = f"story {span.story_id} ({span.first}…{span.last})" + (
            f"; the text says {weekday[1].text!r}" if matching and weekday else ""
        )
        inferred.append((article.id, matching[0] if matching else span.first, evidence))
    writer.set_inferred_dates(inferred)


def make_stage(settings: Settings) -> ClusteringStage:
    """The built-in clustering stage (the ``clustering`` entry point) with the settings' encoder and parameters."""
    return ClusteringStage(encoder_spec=settings.encoder, parameters=settings.clustering)

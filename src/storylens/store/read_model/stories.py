"""Read rows of stories and storylines (and an entity's page, which lists its stories)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from storylens.store.read_model.articles import StoryArticle
from storylens.store.read_model.base import Row, TimeSpan
from storylens.store.read_model.coverage import Changes, Coverage, Exclusives, FigureMatrix, TimelineDay
from storylens.store.read_model.entities import CoMentioned, EntityNames, EntitySummary, Variant
from storylens.store.read_model.extraction import FigureGroup, QuoteGroup


class StorySummary(Row):
    id: int
    title: str
    title_lang: str | None = Field(description="Language of the title when it is an article's headline.")
    time_span: TimeSpan
    languages: list[str]
    sources: list[str]
    size: int = Field(description="Articles.")
    storyline: int | None
    storyline_title: str | None


class StoryDetail(StorySummary):
    articles: list[StoryArticle]
    by_language: dict[str, dict[str, list[int]]] = Field(description="Language -> outlet -> article ids.")
    timeline: list[TimelineDay]
    entities: list[EntitySummary]
    quotes: list[QuoteGroup]
    figures: list[FigureGroup]
    figure_matrix: FigureMatrix
    exclusives: Exclusives
    changes: Changes | None = Field(None, description="With since: what was stored on or after that date.")


class StoryView(StoryDetail):
    """A story as pages, briefs and the API show it: exclusives counted once per fact across languages and known
    outlets, and the coverage by outlet and country."""

    coverage: Coverage


class StoryCoverage(Row):
    story: int
    coverage: Coverage
    exclusives: Exclusives


class EntityDetail(EntityNames):
    variants_by_language: dict[str, list[Variant]]
    stories: list[StorySummary]
    co_mentioned: list[CoMentioned]


class StorylineLink(Row):
    """Why two stories are one storyline (the stored reasons; older stores may hold fewer keys)."""

    model_config = ConfigDict(extra="allow")

    earlier: int
    later: int
    explanation: str | None = None
    similarity: float | None = None
    shared_keys: list[str] = Field([])
    shared_entities: list[str | int] = Field([])
    gap_days: float | None = None


class StorylineSummary(Row):
    id: int
    title: str | None
    stories: int
    time_span: TimeSpan
    languages: list[str]
    size: int


class StoryChanges(Changes):
    story: int
    title: str


class StorylineChanges(Row):
    since: str
    stories: list[StoryChanges]


class StorylineDetail(Row):
    id: int
    title: str
    time_span: TimeSpan
    languages: list[str]
    size: int
    stories: list[StorySummary]
    links: list[StorylineLink]
    changes: StorylineChanges | None = None

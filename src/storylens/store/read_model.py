"""The typed read model: the rows the store's read functions (``storylens.store.reads``) return.

The HTTP API declares these as its response models, so ``/openapi.json`` documents every field, and the CLI's
``--json``, the exports and the pages show the same shapes. A row also reads like a dict (``row["title"]``,
``row.get("text")``, ``"changes" in row`` for a field that was given), so templates and formatters can take
rows or plain dicts alike. Fields that only some reads fill (an article's ``text``, a story's ``changes``)
are left out of the JSON when not given (``exclude_unset``), as before the model existed.

Conventions: ids are the store's row ids (an article's public id is its ``key``); dates are ISO strings
(``YYYY-MM-DD``; ``ingested_at`` is a UTC timestamp); a figure value is a number, or ``[low, high]``.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    """A read row: a pydantic model that also answers ``row["field"]``, ``row.get(...)`` and ``in``."""

    model_config = ConfigDict(extra="forbid")

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)

    def __contains__(self, name: object) -> bool:
        return name in self.model_fields_set or name in (self.model_extra or {})

    def data(self) -> dict[str, Any]:
        """The row as plain JSON-ready data, leaving out fields that were not given."""
        return self.model_dump(mode="json", exclude_unset=True)


def json_default(value: Any) -> Any:
    """``default=`` for ``json.dumps``: read rows as their data, anything else as text."""
    return value.data() if isinstance(value, Row) else str(value)


FigureValue = int | float | list[int | float]


class TimeSpan(Row):
    first: str | None = Field(description="Earliest publication date (YYYY-MM-DD), or null when none is known.")
    last: str | None = Field(description="Latest publication date (YYYY-MM-DD), or null when none is known.")


# ---------------------------------------------------------------- articles


class ArticleSummary(Row):
    id: int = Field(description="Row id.")
    key: str = Field(description="The public id every view shows and accepts (input id, file#N or a- short id).")
    title: str | None
    lang: str | None = Field(description="ISO 639-1 language code.")
    published: str | None = Field(description="Publication date, or the date inferred from the story.")
    date_method: str | None = Field(description="How the date was found: declared, header, url, text, inferred...")
    source: str | None = Field(description="Outlet, null when unknown.")
    url: str | None
    role: str | None = Field(description="article, or translation")
    translation_of: int | None = Field(description="Row id of the original when this article is a translation.")
    ingested_at: str | None = Field(description="When it was stored (UTC).")
    text: str | None = Field(None, description="The article's text (only where the read includes it).")


class ArticleInStory(ArticleSummary):
    story: int | None = Field(description="The story the article is in, null if in none yet.")


class SearchHit(ArticleInStory):
    snippet: str | None = Field(description="Matched words in context, marked with U+E000 and U+E001.")
    similarity: float | None = Field(description="Cosine similarity to the query by meaning, null for word matches.")
    matched: list[str] = Field(description="How it matched: words, meaning or both.")


class Membership(Row):
    """Why an article is in its story."""

    similarity: float | None = Field(description="Similarity to the story when the article was assigned.")
    reasons: dict[str, Any] = Field(description="The clustering stage's stored reasons (numbers and keys).")
    why: list[str] = Field(description="The reasons in plain words.")
    why_numbers: list[str] | None = Field(
        None, description="The same with the numbers behind them (verbose reads only)."
    )


class StoryArticle(Membership, ArticleSummary):
    """An article as a story lists it, with why it belongs."""


class ArticleMention(Row):
    start: int
    end: int
    text: str
    type: str | None
    entity: int | None = Field(description="Canonical entity id, null when unlinked.")
    entity_name: str | None


class ArticleQuote(Row):
    start: int
    end: int
    text: str
    kind: str | None
    cue: str | None
    speaker_text: str | None
    group: int | None = Field(description="Quote group id, null when no other article reports it.")


class ArticleFigure(Row):
    start: int
    end: int
    text: str
    value: FigureValue
    unit: str | None
    what: str | None
    group: int | None = Field(description="Figure group id, null when no other article reports it.")


class ArticleDetail(Membership, ArticleSummary):
    """One article with its text, its story and why, and its mentions, quotes and figures (offsets into text)."""

    story: int | None
    mentions: list[ArticleMention]
    quotes: list[ArticleQuote]
    figures: list[ArticleFigure]


# ---------------------------------------------------------------- entities


class Variant(Row):
    text: str = Field(description="The name as written.")
    lang: str | None
    count: int


class EntityRef(Row):
    id: int
    name: str
    type: str | None


class EntityNames(EntityRef):
    romanised: bool = Field(description="The name is a romanisation (no English or Latin-script name known).")
    variants: list[Variant]


class EntitySummary(EntityNames):
    mentions: int


class CoMentioned(EntityRef):
    articles: int = Field(description="Articles naming both.")


# ---------------------------------------------------------------- quotes and figures


class QuoteVariant(Row):
    text: str
    lang: str | None
    article: int
    source: str | None
    published: str | None
    kind: str | None
    cue: str | None
    start: int
    end: int
    ingested_at: str | None


class QuoteGroup(Row):
    id: int | None = Field(description="Group id; null for a quote only one article carries.")
    story: int | None
    speaker: str | None
    speaker_id: int | None
    languages: list[str]
    sources: list[str]
    variants: list[QuoteVariant]


class FigureOccurrence(Row):
    text: str
    article: int
    source: str | None
    lang: str | None
    value: FigureValue
    differs: bool = Field(description="This article states another value than the group's.")
    published: str | None
    start: int
    end: int
    ingested_at: str | None


class FigureGroup(Row):
    id: int | None = Field(description="Group id; null for a figure only one article states.")
    story: int | None
    value: FigureValue = Field(description="The value most articles report.")
    unit: str | None
    what: str | None = Field(description="What is measured (killed, injured, ...).")
    discrepancy: bool = Field(description="Articles of the same day state different values.")
    updated: bool = Field(description="The value changes from day to day.")
    occurrences: list[FigureOccurrence]


# ---------------------------------------------------------------- what a story's coverage shows


class TimelineArticle(Row):
    id: int
    lang: str | None
    source: str | None


class TimelineDay(Row):
    date: str | None
    articles: list[TimelineArticle]


class MatrixColumn(Row):
    lang: str | None
    source: str


class MatrixCell(Row):
    text: str
    value: FigureValue
    article: int
    differs: bool


class MatrixRow(Row):
    figure: int | None
    value: FigureValue
    unit: str | None
    what: str | None
    discrepancy: bool
    updated: bool
    cells: list[list[MatrixCell]] = Field(description="Per column: what its articles state.")


class FigureMatrix(Row):
    columns: list[MatrixColumn]
    rows: list[MatrixRow]


class QuoteRef(Row):
    quote_group: int | None
    speaker: str | None
    variants: list[QuoteVariant]


class ExclusiveFigure(Row):
    figure: int | None
    value: FigureValue
    unit: str | None
    what: str | None
    occurrences: list[FigureOccurrence]


class Exclusive(Row):
    side: str = Field(description="The language or outlet.")
    name: str | None = Field(None, description="The outlet's name (by_source only).")
    entities: list[EntityRef]
    figures: list[ExclusiveFigure]
    quotes: list[QuoteRef]


class Exclusives(Row):
    by_language: list[Exclusive]
    by_source: list[Exclusive]


class FigureChange(Row):
    figure: int | None
    unit: str | None
    what: str | None
    status: str = Field(description="new, or changed")
    before: list[FigureValue]
    now: list[FigureValue]
    occurrences: list[FigureOccurrence]


class Changes(Row):
    since: str
    basis: str = Field(description="ingested_at: counted by when items were stored.")
    articles: list[int]
    quotes: list[QuoteRef]
    figures: list[FigureChange]


# ---------------------------------------------------------------- stories and storylines


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


class OutletInfo(Row):
    """An outlet (a host name) with what the outlet registry knows of it."""

    key: str = Field(description="The host name, without www.")
    name: str
    country: str | None
    language: str | None
    owner: str | None


class OutletFigure(Row):
    figure: int | None
    what: str | None
    values: list[FigureValue]


class OutletCoverage(OutletInfo):
    articles: list[str] = Field(description="Public ids of the outlet's articles in the story.")
    languages: list[str]
    first: str | None = Field(description="Its first report's publication date.")
    figures: list[OutletFigure]


class CountryCoverage(Row):
    country: str | None
    reporting: list[str] = Field(description="Names of the country's outlets that report the story.")
    silent: list[str] = Field(description="Names of the country's outlets in the store that do not.")


class Coverage(Row):
    outlets: list[OutletCoverage]
    not_reporting: list[OutletInfo]
    countries: list[CountryCoverage]
    unknown_outlet_articles: int


class FacetValue(Row):
    value: str = Field(description="The language code, outlet host or month (YYYY-MM, or unknown).")
    label: str
    count: int


class Facets(Row):
    language: list[FacetValue]
    outlet: list[FacetValue]
    month: list[FacetValue]


class FacetCounts(Row):
    """How many stories or articles (under the filters) have each language, outlet and month."""

    total: int
    facets: Facets


class BriefPart(Row):
    """Part of a briefing (more fields than those named may be present)."""

    model_config = ConfigDict(extra="allow")


class BriefItem(BriefPart):
    """A report, figure, quote, name or exclusive of a briefing: quoted statements carry their ``text``,
    ``lang``, the number of the source they ``cite`` and, when asked for, a ``translation``."""

    text: str | None = None
    lang: str | None = None
    cite: int | list[int] | None = None
    translation: str | None = None


class BriefSection(BriefPart):
    id: int = Field(description="The story.")
    title: str
    reports: list[BriefItem] = Field(description="Each article's lead sentence, quoted, with its citation.")
    figures: list[BriefItem]
    quotes: list[BriefItem]
    names: list[BriefItem]
    only_in: list[BriefItem] = Field(description="What one language or known outlet alone reports.")


class BriefSource(BriefPart):
    n: int = Field(description="The number citations use.")
    article: int
    source: str
    url: str | None
    published: str | None
    lang: str | None
    title: str | None


class Brief(BriefPart):
    """An extractive briefing: every statement is quoted from the article whose number follows it."""

    kind: str = Field(description="story or storyline")
    id: int
    title: str
    since: str | None
    stories: list[BriefSection]
    sources: list[BriefSource]
    method: str
    to: str | None = Field(description="The reader's language, when translations were asked for.")
    translator: str | None


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
    shared_keys: list[str] = []
    shared_entities: list[str | int] = []
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


# ---------------------------------------------------------------- pages

T = TypeVar("T")


class Page(Row, Generic[T]):
    """One page of a list, in the datasette style."""

    total: int = Field(description="Rows in the whole list.")
    next: str | None = Field(description="The `_next` token of the following page; null on the last page.")
    next_url: str | None = Field(description="This URL with that token.")
    rows: list[T]


class SearchPage(Page[SearchHit]):
    query: str
    mode: str = Field(description="hybrid, text or semantic")
    note: str | None = Field(description="Why meaning matches are missing, when they are.")

"""Read rows of what a story's coverage shows: timeline, figure matrix, exclusives, changes since a date,
outlets and countries, facet counts."""

from __future__ import annotations

from pydantic import Field

from storylens.store.read_model.base import FigureValue, Row
from storylens.store.read_model.entities import EntityRef
from storylens.store.read_model.extraction import FigureOccurrence, QuoteVariant


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

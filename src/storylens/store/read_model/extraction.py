"""Read rows of what extraction finds across articles: quote groups and figure groups."""

from __future__ import annotations

from pydantic import Field

from storylens.store.read_model.base import FigureValue, Row


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

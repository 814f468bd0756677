"""Read rows of extractive briefings."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from storylens.store.read_model.base import Row


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

"""Read rows of entities: names, their variants, co-mentions."""

from __future__ import annotations

from pydantic import Field

from storylens.store.read_model.base import Row


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

"""The read model's base: ``Row`` (a pydantic model read like a dict), ``Page`` (one page of a list), and what
every area shares (a figure value, a time span)."""

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


T = TypeVar("T")


class Page(Row, Generic[T]):
    """One page of a list, in the datasette style."""

    total: int = Field(description="Rows in the whole list.")
    next: str | None = Field(description="The `_next` token of the following page; null on the last page.")
    next_url: str | None = Field(description="This URL with that token.")
    rows: list[T]

"""A stage's unit of work: the writes (and the reads it needs while writing) of one stage batch, bound to its
transaction, with no connection in sight.

``Store.stage_batch(stage, article_ids, writer=SomeWriter)`` opens a write transaction and yields a
``SomeWriter``; the stage calls its methods (``writer.refresh_story_dates()``), which call the repositories of
``store/`` on the transaction's connection. A writer exposes only the data of the products it declares
(``provides``, as in ``stages.py``), and holds its connection behind a guard that refuses, with
``StageContractError``, a statement writing a table or column of another product (``STORAGE`` says where each
product is stored), or ending the transaction, or any use once the batch is over. The built-in writers are in
``stage_writers.py``; the pipeline checks, when it is built, that a stage's writer provides nothing the stage
does not declare.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from storylens.store.backend import Backend, Connection, dialect

# Where each product is stored: a table (its rows and columns) or "table.column" (one column of a table whose
# rows are another product's). Temporary tables count as the product's own.
STORAGE: Mapping[str, tuple[str, ...]] = {
    "article.vector": ("embeddings",),
    "article.keys": ("article_keys",),
    # the story of each article, and the date an undated article is given from its story; the totals over every
    # clustered article and the key index a batch's window needs (temporary tables: what it asks for); the log of
    # stories whose members or summary changed, for the storyline stage (migration 0017)
    "article.story": (
        "story_members", "articles.inferred_date", "articles.inferred_evidence",
        "cluster_totals", "cluster_language_sums", "cluster_key_counts", "cluster_key_articles",
        "cluster_wanted_stories", "cluster_wanted_keys", "story_changes",
    ),
    "story.summary": ("stories",),
    "article.mentions": ("mentions",),
    "article.quotes": ("quotes",),
    "article.figures": ("figures",),
    "entities": (
        "entities", "entity_anchors", "relink_anchors", "relink_articles",
        "mentions.entity_id", "quotes.speaker_entity_id",
        "story_entity_changes",  # the log of stories whose articles' entities changed, for the storyline stage
    ),
    "story.groups": ("quote_groups", "figure_groups", "quotes.group_id", "figures.group_id"),
    "storylines": ("storylines", "storyline_links", "stories.storyline_id", "storyline_log_read"),
    "alerts": ("alerts",),
}  # fmt: skip


class StageContractError(RuntimeError):
    """A stage writer was asked to write data its stage does not provide, or used outside its batch."""


_WRITE = re.compile(
    r"\s*(?:INSERT\s+INTO\s+(?P<into>\w+)|UPDATE\s+(?P<table>\w+)\s+SET\b(?P<sets>.*)|DELETE\s+FROM\s+(?P<source>\w+)"
    r"|CREATE\s+TEMP(?:ORARY)?\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<temp>\w+))",
    re.IGNORECASE | re.DOTALL,
)
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_INNER = re.compile(r"\([^()]*\)")
_ASSIGNED = re.compile(r"(?:^|,)\s*\"?(\w+)\"?\s*=")


@functools.lru_cache(maxsize=512)
def written(sql: str) -> tuple[str, ...] | None:
    """What a statement writes: ``()`` for a read, ``(table,)`` for a row write (insert, delete, a temporary
    table), ``("table.column", ...)`` for an update; None for a statement that is neither (refused)."""
    if _READ.match(sql):
        return ()
    found = _WRITE.match(sql)
    if found is None:
        return None
    if found["table"]:
        text = found["sets"]
        while _INNER.search(text):  # drop subqueries, so their WHERE and commas are not read as the update's
            text = _INNER.sub("", text)
        text = re.split(r"\bWHERE\b", text, maxsplit=1, flags=re.IGNORECASE)[0]
        return tuple(f"{found['table'].lower()}.{column.lower()}" for column in _ASSIGNED.findall(text))
    return ((found["into"] or found["source"] or found["temp"]).lower(),)


class _Guarded:
    """A connection that runs only the statements its writer's products allow, and only during the batch."""

    def __init__(self, conn: Connection, owner: type[StageWriter]) -> None:
        self._conn = conn
        self._owner = owner
        self.backend: Backend = dialect(conn)  # repositories ask it for the dialect
        self.open = True
        self._allowed: set[str] = set()  # statements already checked

    def _check(self, sql: str) -> None:
        if not self.open:
            raise StageContractError(f"{self._owner.__name__} used after its batch ended")
        if sql in self._allowed:
            return
        targets = written(sql)
        if targets is None:
            raise StageContractError(f"{self._owner.__name__} may only read and write rows: {sql.strip()[:60]!r}")
        for target in targets:
            if not self._owner.may_write(target):
                raise StageContractError(
                    f"{self._owner.__name__} (providing {', '.join(self._owner.provides) or 'nothing'}) "
                    f"may not write {target}: {sql.strip()[:60]!r}"
                )
        self._allowed.add(sql)

    def execute(self, sql: str, *parameters: Any) -> Any:
        self._check(sql)
        return self._conn.execute(sql, *parameters)  # as given: PostgreSQL runs a statement without them as it is

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        self._check(sql)
        return self._conn.executemany(sql, parameters)

    def _refuse(self) -> None:
        raise StageContractError("a stage writer cannot end its transaction: the batch commits or rolls back")

    def commit(self) -> None:
        self._refuse()

    def rollback(self) -> None:
        self._refuse()

    def close(self) -> None:
        self._refuse()


class StageWriter:
    """The unit of work of a stage batch that writes nothing but its progress marks; stage writers extend it
    with methods for their own products (``provides``) and the reads they need inside the transaction."""

    provides: ClassVar[tuple[str, ...]] = ()
    stores: ClassVar[Mapping[str, tuple[str, ...]]] = {}  # where a plugin's own products are stored, as STORAGE

    def __init__(self, conn: Connection) -> None:
        self._conn: Connection = _Guarded(conn, type(self))

    def close(self) -> None:
        """End the writer with its batch: any later call is refused."""
        if isinstance(self._conn, _Guarded):
            self._conn.open = False

    @classmethod
    def storage(cls) -> set[str]:
        """The tables and columns this writer's products are stored in."""
        places = {**STORAGE, **cls.stores}
        return {place for product in cls.provides for place in places[product]}

    @classmethod
    def may_write(cls, target: str) -> bool:
        """Whether a table (row writes) or ``table.column`` (an update) belongs to this writer's products: a
        column it is given by name, or any column of a table it owns that no other product is given by name."""
        own = cls.storage()
        if target in own:
            return True
        table, _, column = target.partition(".")
        if not column or table not in own:
            return False
        return not any(target in places for places in STORAGE.values())

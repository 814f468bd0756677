"""What the extraction stage reads and writes to group quotes and figures story by story."""

from __future__ import annotations

from collections.abc import Iterable

from storylens.store.backend import Connection, Row, dialect


def story_quotes(conn: Connection, story_id: int | None) -> list[Row]:
    """The quotes of a story's articles (None: articles in no story), with each article's language."""
    return conn.execute(
        f"""SELECT q.*, a.lang FROM quotes q JOIN articles a ON a.id = q.article_id
           LEFT JOIN story_members sm ON sm.article_id = q.article_id
           WHERE sm.story_id {dialect(conn).null_safe_eq} ? ORDER BY q.id""",
        (story_id,),
    ).fetchall()


def story_figures(conn: Connection, story_id: int | None) -> list[Row]:
    """The figures of a story's articles, with each article's language and publication date."""
    return conn.execute(
        f"""SELECT f.*, a.lang, a.published FROM figures f JOIN articles a ON a.id = f.article_id
           LEFT JOIN story_members sm ON sm.article_id = f.article_id
           WHERE sm.story_id {dialect(conn).null_safe_eq} ? ORDER BY f.id""",
        (story_id,),
    ).fetchall()


def clear_story_groups(conn: Connection, story_id: int | None) -> None:
    """Drop a story's quote and figure groups (their members' group ids become NULL)."""
    conn.execute(f"DELETE FROM quote_groups WHERE story_id {dialect(conn).null_safe_eq} ?", (story_id,))
    conn.execute(f"DELETE FROM figure_groups WHERE story_id {dialect(conn).null_safe_eq} ?", (story_id,))


def clear_all_groups(conn: Connection) -> None:
    conn.execute("DELETE FROM quote_groups")
    conn.execute("DELETE FROM figure_groups")


def _add_group(conn: Connection, table: str, columns: str, values: tuple[object, ...]) -> int:
    """Insert a group with the id SQLite gives a table without AUTOINCREMENT, the largest id plus one (1 in an
    empty table), on every backend: PostgreSQL's identity would count on past the groups a rebuild deleted, so
    the same groups would get other ids there. Write transactions follow one another, so two never race."""
    group_id = int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])
    marks = ", ".join("?" * (len(values) + 1))
    conn.execute(f"INSERT INTO {table} (id, {columns}) VALUES ({marks})", (group_id, *values))
    return group_id


def add_quote_group(
    conn: Connection, story_id: int | None, speaker_entity_id: int | None, quote_ids: Iterable[int]
) -> int:
    group_id = _add_group(conn, "quote_groups", "story_id, speaker_entity_id", (story_id, speaker_entity_id))
    conn.executemany("UPDATE quotes SET group_id = ? WHERE id = ?", [(group_id, i) for i in quote_ids])
    return group_id


def add_figure_group(
    conn: Connection,
    story_id: int | None,
    *,
    unit: str | None,
    measure: str | None,
    discrepancy: bool,
    updated: bool,
    figure_ids: Iterable[int],
) -> int:
    group_id = _add_group(
        conn, "figure_groups", "story_id, unit, what, discrepancy, updated",
        (story_id, unit or "", measure or "", discrepancy, updated),
    )  # fmt: skip
    conn.executemany("UPDATE figures SET group_id = ? WHERE id = ?", [(group_id, i) for i in figure_ids])
    return group_id

"""What the extraction stage writes per article: its mentions, quotes and figures, replaced as a whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storylens.store.backend import Connection

if TYPE_CHECKING:
    from storylens.extraction.records import Extraction


def replace_extraction(conn: Connection, article_id: int, lang: str, found: Extraction) -> None:
    """Drop an article's stored mentions, quotes and figures and store ``found`` (offsets into its text)."""
    for table in ("mentions", "quotes", "figures"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    conn.executemany(
        """INSERT INTO mentions (article_id, start, "end", text, type, lang) VALUES (?,?,?,?,?,?)""",
        [(article_id, m.start, m.end, m.text, m.type, lang) for m in found.mentions],
    )
    conn.executemany(
        """INSERT INTO quotes (article_id, start, "end", text, kind, cue, speaker_text, speaker_start, speaker_end)
           VALUES (?,?,?,?,?,?,?,?,?)""",
        [
            (
                article_id,
                q.start,
                q.end,
                q.text,
                q.kind,
                q.cue or "",
                q.speaker.text if q.speaker else q.speaker_text,
                q.speaker.start if q.speaker else None,
                q.speaker.end if q.speaker else None,
            )
            for q in found.quotes
        ],
    )
    conn.executemany(
        """INSERT INTO figures (article_id, start, "end", text, value_low, value_high, unit, what, approximate)
           VALUES (?,?,?,?,?,?,?,?,?)""",
        [
            (
                article_id,
                f.start,
                f.end,
                f.text,
                *(f.value if isinstance(f.value, tuple) else (f.value, f.value)),
                f.unit or "",
                f.measure or "",
                f.approximate,
            )
            for f in found.figures
        ],
    )

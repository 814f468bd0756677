"""What two stores must agree on after an interrupted run and its rerun: stories (as sets of article keys), their
titles and dates, storylines, per-article extraction counts, entities, quote and figure groups, stage marks."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("driver.py")


def run(fault: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """A storylens command through the driver (see driver.py) in its own process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, str(DRIVER), fault, *args], capture_output=True, text=True, env=env, timeout=1200
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def start(fault: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, str(DRIVER), fault, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


KILLED = -signal.SIGKILL


def snapshot(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        key = dict(conn.execute("SELECT id, key || '#' || part FROM articles"))
        members: dict[int, set[str]] = defaultdict(set)
        for article_id, story_id in conn.execute("SELECT article_id, story_id FROM story_members"):
            members[story_id].add(key[article_id])
        story = {story_id: frozenset(keys) for story_id, keys in members.items()}
        lines: dict[int, set[frozenset[str]]] = defaultdict(set)
        for story_id, line_id in conn.execute("SELECT id, storyline_id FROM stories WHERE storyline_id IS NOT NULL"):
            lines[line_id].add(story[story_id])
        counts = {
            table: sorted(
                conn.execute(
                    f"SELECT a.key, count(*) FROM {table} x JOIN articles a ON a.id = x.article_id GROUP BY a.id"
                )
            )
            for table in ("mentions", "quotes", "figures")
        }
        groups = {}
        for table in ("quotes", "figures"):
            grouped: dict[int, set[tuple[str, int]]] = defaultdict(set)
            for article_id, start, group_id in conn.execute(f"SELECT article_id, start, group_id FROM {table}"):
                grouped[group_id].add((key[article_id], start))
            groups[table] = {frozenset(g) for g in grouped.values()}
        return {
            "articles": sorted(key.values()),
            "stories": {
                keys: row
                for story_id, keys in story.items()
                for row in conn.execute("SELECT title, first_date, last_date FROM stories WHERE id = ?", (story_id,))
            },
            "storylines": {frozenset(line) for line in lines.values()},
            "extraction": counts,
            "entities": sorted(conn.execute("SELECT name, type FROM entities")),
            "groups": groups,
            "dates": sorted(conn.execute("SELECT key, published, date_method FROM articles")),
            "stage_marks": sorted(conn.execute("SELECT stage, count(*) FROM article_stages GROUP BY stage")),
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
        }
    finally:
        conn.close()

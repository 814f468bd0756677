"""Progress off a terminal: plain lines per stage, every tenth of the total or every few seconds, and at the end."""

from __future__ import annotations

import io

from rich.console import Console

from storylens.views.common import PROGRESS_LINE_STEPS, ProgressLines


def test_progress_lines_every_tenth_and_at_the_end() -> None:
    stream = io.StringIO()
    with ProgressLines(Console(file=stream, width=100)) as progress:
        embedding = progress.add_task("embedding", total=101)
        for done in range(1, 102):
            progress.update(embedding, completed=done, total=101)
        reading = progress.add_task("reading", total=None)
        progress.update(reading, advance=1, description="reading some/file.txt")
    lines = stream.getvalue().splitlines()
    embedded = [line for line in lines if line.startswith("embedding: ")]
    assert PROGRESS_LINE_STEPS <= len(embedded) <= PROGRESS_LINE_STEPS + 2
    assert embedded[-1].startswith("embedding: 101/101 (")
    assert [int(line.split()[1].split("/")[0]) for line in embedded] == sorted(
        int(line.split()[1].split("/")[0]) for line in embedded
    )
    assert lines[-1].startswith("reading: 1 (")

"""The backend suite on SQLite (the embedded default): a new file per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from .suite import StoreSuite


class TestSQLite(StoreSuite):
    @pytest.fixture
    def target(self, tmp_path: Path) -> str:
        return str(tmp_path / "store.db")

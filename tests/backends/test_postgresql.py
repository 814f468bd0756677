"""The backend suite on PostgreSQL: a new database per test in a throwaway cluster (``conftest.pg_cluster``)."""

from __future__ import annotations

import pytest

from .suite import StoreSuite


class TestPostgreSQL(StoreSuite):
    @pytest.fixture
    def target(self, pg_url: str) -> str:
        return pg_url

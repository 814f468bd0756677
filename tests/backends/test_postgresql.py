"""The backend suite on PostgreSQL: a new database per test in a throwaway cluster (``conftest.pg_cluster``),
and what only PostgreSQL has: its accent folding for word search, with and without the unaccent extension."""

from __future__ import annotations

import pytest

from storylens.store.db import Store

from .suite import StoreSuite


class TestPostgreSQL(StoreSuite):
    @pytest.fixture
    def target(self, pg_url: str) -> str:
        return pg_url

    def test_accents_fold_without_unaccent_and_more_with_it(self, store: Store) -> None:
        """``storylens_fold`` alone (all a server without the extension has) drops combining accents, composed or
        not; the unaccent dictionary, installed here, also folds letters with no decomposition (Ł, Æ)."""

        def words(config: str, text: str) -> str:
            row = store.conn.execute(f"SELECT to_tsvector('{config}', storylens_fold(?))::text", (text,)).fetchone()
            return str(row[0])

        assert words("simple", "Café Molie\u0300re łódź") == "'cafe':1 'moliere':2 'łodz':3"
        assert store.conn.execute("SELECT count(*) FROM pg_extension WHERE extname = 'unaccent'").fetchone()[0] == 1
        assert words("storylens_search", "Café Łódź Ærø") == "'aero':3 'cafe':1 'lodz':2"

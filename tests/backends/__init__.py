"""The backend suite: its shared test modules get pytest's assertion messages, as test modules do."""

import pytest

pytest.register_assert_rewrite(
    "tests.backends.suite", "tests.backends.suite_follow", "tests.backends.suite_serve", "tests.backends.snapshot"
)

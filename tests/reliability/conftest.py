"""Reliability tests: hostile and broken inputs, and costs that must grow linearly with the text.

The fuzz runs ``STORYLENS_FUZZ_EXAMPLES`` cases (300 by default) from a fixed seed (``derandomize``), so a
run in CI is repeatable; raise the number locally to search wider.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "reliability",
    max_examples=int(os.environ.get("STORYLENS_FUZZ_EXAMPLES", "300")),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

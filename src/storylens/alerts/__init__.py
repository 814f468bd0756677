"""Watchlists and alerts: the post-ingest alert step (``stage.py``), the rules that raise alerts (``rules.py``),
keyword matching by text and meaning (``keywords.py``), and the sinks that deliver them (``sinks.py``, ``atom.py``)."""

"""Print extraction cost in ms per 1,000 characters over the sample documents and the news_dev set.

Usage: PYTHONPATH=src python benchmarks/extraction_speed.py [--shared /work/shared]
The budget is 20 ms per 1,000 characters on the project machine (2 cores).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from storylens.extraction import extract


def measure(texts: list[tuple[str, str]]) -> tuple[float, float]:
    """(wall-clock, CPU) milliseconds per 1,000 characters; CPU time is steadier on a busy machine."""
    for lang, text in texts[:3]:  # loads the taggers, word lists and gazetteer once, outside the timing
        extract(text, lang)
    started, cpu_started = time.perf_counter(), time.process_time()
    for lang, text in texts:
        extract(text, lang)
    thousands = sum(len(t) for _, t in texts) / 1000
    return (time.perf_counter() - started) * 1000 / thousands, (time.process_time() - cpu_started) * 1000 / thousands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = parser.parse_args()
    seeds = json.loads((args.shared / "seeds" / "expected.json").read_text(encoding="utf-8"))
    samples = []
    for document in seeds["documents"]:
        lines = (args.shared / "seeds" / document["file"]).read_text(encoding="utf-8").split("\n")
        for segment in document["segments"]:
            if segment["role"] != "boilerplate":
                samples.append((segment["lang"], "\n".join(lines[segment["start"] - 1 : segment["end"]])))
    news = [
        (item["lang"], item["text"])
        for item in map(json.loads, (args.shared / "data" / "news_dev.jsonl").read_text(encoding="utf-8").splitlines())
    ]
    for name, texts in (("samples", samples), ("news_dev", news)):
        chars = sum(len(t) for _, t in texts)
        wall, cpu = measure(texts)
        print(f"{name}: {len(texts)} texts, {chars} chars, {wall:.2f} ms (CPU {cpu:.2f} ms) per 1,000 chars")


if __name__ == "__main__":
    main()

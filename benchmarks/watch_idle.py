"""CPU cost of an idle `storylens watch`: the process's own CPU time (user + system, from /proc) while it waits
between polls, as a share of one core.

A local server serves the demo feeds (round 1); watch reads them once (stages included), then the CPU time is
measured over ``--seconds`` of wall time: with ``--interval 1h`` (no poll falls in the window: pure waiting) and
with ``--interval 10s`` (three conditional GETs answered 304 every 10 s). Linux only (/proc).

Run: PYTHONPATH=src python benchmarks/watch_idle.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure(interval: str, seconds: float, folder: Path, port: int) -> tuple[float, int]:
    feeds = folder / f"feeds-{interval}.txt"
    feeds.write_text("".join(f"http://127.0.0.1:{port}/{n}.xml {interval}\n" for n in ("yam", "coastline", "agency")))
    db = folder / f"idle-{interval}.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "storylens", "watch", str(feeds), "--feed-text", "--allow-private", "--quiet",
         "--host-gap", "0", "--db", str(db)],
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert process.stderr is not None
    for line in process.stderr:  # synchronise on the log: the first round is done
        if "processed" in line:
            break
    polls: list[str] = []
    reader = threading.Thread(target=lambda: polls.extend(process.stderr or []), daemon=True)
    reader.start()
    start_cpu, start = cpu_seconds(process.pid), time.monotonic()
    time.sleep(seconds)
    used, elapsed = cpu_seconds(process.pid) - start_cpu, time.monotonic() - start
    process.terminate()
    process.wait()
    reader.join()
    return 100 * used / elapsed, sum("304 not modified" in line for line in polls)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = folder / "site"
        shutil.copytree(ROOT / "demo" / "feeds" / "round1", site)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        for interval in ("1h", "10s"):
            share, polls = measure(interval, args.seconds, folder, server.server_address[1])
            print(f"interval {interval}: {share:.3f}% of one core over {args.seconds:g} s idle ({polls} polls, 304)")
        server.shutdown()


if __name__ == "__main__":
    main()

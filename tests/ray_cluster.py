"""A throwaway multi-node Ray cluster on this one machine, for the backfill's cluster test and benchmark.

``ray start --head`` and then ``ray start --address HEAD`` for each further node: every ``ray start`` runs its own
raylet, which Ray counts as a node of its own (``ray.nodes()``), with ``--num-cpus`` CPUs. Each runs with
``--block``, so stopping that one process (SIGTERM) stops its node's Ray processes; ``ray stop`` is never used,
as it stops every Ray on the machine. The head gets its own temporary folder (``--temp-dir``), so a plain
``ray.init()`` elsewhere on the machine neither finds nor joins this cluster, and its own free ports.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

STARTED = "Ray runtime started"
HOST = "127.0.0.1"
# Ray 2.5x and later start a head with token authentication, which nodes and drivers then need (RAY_AUTH_TOKEN or
# ~/.ray/auth_token); this throwaway cluster listens on 127.0.0.1 only, so it runs without (docs/SCALING.md).
CLUSTER_ENV = {"RAY_AUTH_MODE": "disabled"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def ray_command() -> list[str]:
    """``ray`` of this interpreter's environment."""
    found = Path(sys.executable).with_name("ray")
    return [str(found)] if found.exists() else [sys.executable, "-m", "ray.scripts.scripts"]


@dataclass
class RayCluster:
    folder: Path
    address: str = ""  # HEAD:PORT, what `storylens backfill --address` takes
    client_address: str = ""  # ray://HEAD:PORT, the head's Ray Client server (needs ray[client] on the driver)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)  # the `ray start` commands run, for the record

    def start_node(self, cpus: int, *, head: bool, env: dict[str, str]) -> None:
        number = len(self.processes)
        args = [
            *ray_command(),
            "start",
            f"--num-cpus={cpus}",
            f"--node-ip-address={HOST}",
            "--object-store-memory=300000000",
            f"--dashboard-agent-listen-port={_free_port()}",
            "--disable-usage-stats",
            "--block",
        ]
        if head:
            self.address = f"{HOST}:{_free_port()}"
            self.client_address = f"ray://{HOST}:{_free_port()}"
            args[2:2] = [
                "--head",
                f"--ray-client-server-port={self.client_address.rsplit(':', 1)[1]}",
                f"--port={self.address.split(':')[1]}",
                "--include-dashboard=false",
                f"--dashboard-port={_free_port()}",
                f"--temp-dir={self.folder}",
            ]
        else:
            args[2:2] = [f"--address={self.address}"]
        log = self.folder / f"node{number}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=self.folder)
        self.processes.append(process)
        self.commands.append(" ".join(Path(args[0]).name if n == 0 else a for n, a in enumerate(args)))
        deadline = time.monotonic() + 120
        while STARTED not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"ray start failed (node {number}): {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)

    def alive_nodes(self) -> list[str]:
        """The ids of the cluster's live nodes, asked from a separate driver process."""
        code = (
            f"import json, ray; ray.init(address={self.address!r}, logging_level='ERROR', log_to_driver=False);"
            "print(json.dumps(sorted(n['NodeID'] for n in ray.nodes() if n['Alive'])))"
        )
        found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
        return list(json.loads(found.stdout.strip().splitlines()[-1]))

    def stop(self) -> None:
        """Stops every node (the last started first), then removes the folder."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_ray_cluster(nodes: int = 2, cpus_per_node: int = 1) -> RayCluster:
    """A cluster of ``nodes`` nodes (the head included), started and waited for; stop it with ``stop()``."""
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"} | CLUSTER_ENV
    cluster = RayCluster(Path(tempfile.mkdtemp(prefix="slray-", dir="/tmp")))  # short: Ray's socket paths
    try:
        for number in range(nodes):
            cluster.start_node(cpus_per_node, head=number == 0, env=env)
    except BaseException:
        cluster.stop()
        raise
    return cluster

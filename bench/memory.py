"""Peak memory of a benchmark run: the proportional set size (PSS) of every process involved.

Involved = the run's process tree (the CLI, its judge processes, local sandboxes) plus every
process inside the run's containers (their parent is containerd-shim, not us). PSS splits pages
shared between a zygote and its forks, so a forked worker is not counted twice; the Docker daemon
itself is not counted. Sampled every 0.5 s.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return found


def tree(root: int) -> set[int]:
    seen, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo += _children(pid)
    return seen


def container_ids(run: str) -> list[str]:
    try:
        from grader.sandbox import docker_engine as engine

        return [c["Id"] for c in engine.api().containers(filters={"label": [f"{engine.LABEL_RUN}={run}"]})]
    except Exception:  # noqa: BLE001 - no engine: no containers
        return []


_VIEWS: dict[str, object] = {}


def container_pids(ids: list[str]) -> set[int]:
    """Processes inside these containers, from each container's cgroup (no /proc scan)."""
    from grader.sandbox import docker_engine as engine

    found: set[int] = set()
    for container in ids:
        if container not in _VIEWS:
            try:
                pid = int(engine.api().inspect_container(container)["State"]["Pid"])
                _VIEWS[container] = engine.CgroupView.attach(container, pid)
            except Exception:  # noqa: BLE001 - gone already
                _VIEWS[container] = None
        view = _VIEWS[container]
        if isinstance(view, engine.CgroupView):
            found |= view.pids()
    return found


def pss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class PeakMemory(threading.Thread):
    def __init__(self, root: int, run: str | None) -> None:
        super().__init__(daemon=True)
        self.root, self.run_id, self.peak = root, run, 0
        self.stop = threading.Event()
        self._ids: list[str] = []
        self._refreshed = 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            pids = tree(self.root)
            if self.run_id and time.monotonic() - self._refreshed > 1.0:
                self._ids, self._refreshed = container_ids(self.run_id), time.monotonic()
            total = sum(pss_bytes(p) for p in pids | container_pids(self._ids))
            self.peak = max(self.peak, total)
            self.stop.wait(0.5)

    def finish(self) -> int:
        self.stop.set()
        self.join()
        return self.peak

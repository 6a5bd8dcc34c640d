"""CPU-seconds a benchmark run consumed, whatever else the machine was doing meanwhile.

Wall time on a shared machine depends on the other load; CPU time does not. The benchmark process
moves itself into a fresh cpuacct cgroup for each mode, so everything it starts (pytest, the CLI,
judges, local sandboxes) is counted there; containers are counted from the engine's parent cgroup
("docker"); the daemon's own share (dockerd, containerd, shims) is not counted. cgroup v1 or v2.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

V1 = Path("/sys/fs/cgroup/cpuacct")
V2 = Path("/sys/fs/cgroup")


def _usage(directory: Path) -> float:
    if (directory / "cpuacct.usage").exists():
        return int((directory / "cpuacct.usage").read_text()) / 1e9
    for line in (directory / "cpu.stat").read_text().splitlines():
        if line.startswith("usage_usec "):
            return int(line.split()[1]) / 1e6
    return 0.0


class CpuMeter:
    """``with CpuMeter() as meter: ...`` then ``meter.seconds`` (None where cgroups are not writable)."""

    def __init__(self) -> None:
        self.root = V1 if (V1 / "cpuacct.usage").exists() else V2
        self.group = self.root / f"bench-{uuid.uuid4().hex[:8]}"
        self.home = self.root / _own_path(self.root)
        self.seconds: float | None = None

    def __enter__(self) -> CpuMeter:
        try:
            self.group.mkdir()
            (self.group / "cgroup.procs").write_text(str(os.getpid()))
            self.docker_before = self._docker()
        except OSError:
            self.group = Path()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.group == Path():
            return
        self.seconds = _usage(self.group) + self._docker() - self.docker_before
        (self.home / "cgroup.procs").write_text(str(os.getpid()))
        try:
            self.group.rmdir()
        except OSError:
            pass

    def _docker(self) -> float:
        directory = self.root / "docker"
        return _usage(directory) if directory.is_dir() else 0.0


def _own_path(root: Path) -> str:
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (root == V1 and "cpuacct" in names.split(",")) or (root == V2 and names == ""):
            return path.lstrip("/")
    return ""

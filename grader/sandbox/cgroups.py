"""Kernel-enforced memory and process limits for the local sandbox (cgroup v2, or v1 controllers).

Only usable where the grader may create cgroups (root, or a delegated subtree). Everything a job
starts joins its cgroup, so the whole tree can be killed and its peak memory read afterwards.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "grader"


def _write(path: Path, value: str) -> bool:
    try:
        path.write_text(value)
        return True
    except OSError:
        return False


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class JobCgroup:
    """One job's cgroup(s): ``memory`` and ``pids`` directories (the same one on v2)."""

    def __init__(self, memory_dir: Path, pids_dir: Path, version: int) -> None:
        self.memory_dir, self.pids_dir, self.version = memory_dir, pids_dir, version

    @classmethod
    def available(cls) -> int | None:
        """The cgroup version we can manage here, or None."""
        controllers = ROOT / "cgroup.controllers"
        if controllers.is_file():
            wanted = {"memory", "pids"}
            if wanted <= set(controllers.read_text().split()) and os.access(ROOT, os.W_OK):
                return 2
            return None
        if all(os.access(ROOT / name, os.W_OK) for name in ("memory", "pids")):
            return 1
        return None

    @classmethod
    def create(cls, name: str, memory_mb: int, pids: int) -> JobCgroup | None:
        version = cls.available()
        if version is None:
            return None
        if version == 2:
            parent = ROOT / PARENT
            parent.mkdir(exist_ok=True)
            _write(ROOT / "cgroup.subtree_control", "+memory +pids")
            _write(parent / "cgroup.subtree_control", "+memory +pids")
            job = parent / name
            job.mkdir()
            group = cls(job, job, 2)
            ok = _write(job / "memory.max", str(memory_mb << 20)) and _write(job / "pids.max", str(pids))
            _write(job / "memory.swap.max", "0")
        else:
            memory, pid_dir = ROOT / "memory" / PARENT / name, ROOT / "pids" / PARENT / name
            memory.mkdir(parents=True)
            pid_dir.mkdir(parents=True)
            group = cls(memory, pid_dir, 1)
            ok = _write(memory / "memory.limit_in_bytes", str(memory_mb << 20)) and _write(
                pid_dir / "pids.max", str(pids))
            _write(memory / "memory.memsw.limit_in_bytes", str(memory_mb << 20))
            _write(memory / "memory.swappiness", "0")
        if not ok:
            group.remove()
            return None
        return group

    @property
    def procs_files(self) -> list[str]:
        dirs = {self.memory_dir, self.pids_dir}
        return [str(d / "cgroup.procs") for d in sorted(dirs)]

    def pids_in(self) -> list[int]:
        found: set[int] = set()
        for path in self.procs_files:
            try:
                found.update(int(line) for line in Path(path).read_text().split())
            except (OSError, ValueError):
                pass
        return sorted(found)

    def kill_all(self) -> None:
        if self.version == 2 and _write(self.memory_dir / "cgroup.kill", "1"):
            pass
        for _ in range(50):
            pids = self.pids_in()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def oom_kills(self) -> int:
        if self.version == 2:
            for line in _lines(self.memory_dir / "memory.events"):
                if line.startswith("oom_kill "):
                    return int(line.split()[1])
            return 0
        for line in _lines(self.memory_dir / "memory.oom_control"):
            if line.startswith("oom_kill "):
                return int(line.split()[1])
        return _read_int(self.memory_dir / "memory.failcnt") or 0

    def pids_max_hits(self) -> int:
        for line in _lines(self.pids_dir / "pids.events"):
            if line.startswith("max "):
                return int(line.split()[1])
        return 0

    def peak_memory_bytes(self) -> int | None:
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        return _read_int(self.memory_dir / name)

    def remove(self) -> None:
        self.kill_all()
        for directory in {self.memory_dir, self.pids_dir}:
            for _ in range(20):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except OSError:
        return []


def cpu_cap(name: str, cores: float) -> JobCgroup | None:
    """A cgroup v1 ``cpu`` group that holds everything in it (a zygote and every process it forks: the
    host moves those only in the memory and pids hierarchies) to ``cores``, as docker's ``--cpus`` does
    for a container. None where there is no writable v1 cpu hierarchy (cgroup v2: not capped)."""
    if JobCgroup.available() != 1 or not os.access(ROOT / "cpu", os.W_OK):
        return None
    group = ROOT / "cpu" / PARENT / name
    try:
        group.mkdir(parents=True)
    except OSError:
        return None
    cap = JobCgroup(group, group, 1)
    period = 100_000
    if not (_write(group / "cpu.cfs_period_us", str(period))
            and _write(group / "cpu.cfs_quota_us", str(int(cores * period)))):
        cap.remove()
        return None
    return cap


def sweep_leftovers(keep: set[str]) -> int:
    """Kill and remove job cgroups (and zygotes' cpu groups) not named in ``keep`` (left by a crashed grader)."""
    removed = 0
    for parent in (ROOT / PARENT, ROOT / "memory" / PARENT, ROOT / "pids" / PARENT, ROOT / "cpu" / PARENT):
        if not parent.is_dir():
            continue
        for job in parent.iterdir():
            if job.is_dir() and job.name.startswith(("job-", "zygote-")) and job.name not in keep:
                JobCgroup(job, job, 2 if parent == ROOT / PARENT else 1).remove()
                removed += 1
    return removed

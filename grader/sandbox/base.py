"""The one interface every sandbox backend implements.

A sandbox is a context manager around one submission's isolated environment. Inside it the
submission is at /submission (read-only), the worker at /worker (read-only), a private writable
/job is the working directory and HOME, and /tmp is private. ``spawn`` starts a long-lived
process (the worker) and ``run`` a one-shot command; every limit is an argument, never a global.
"""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from grader.spec import Limits

WORKER_FILES = ("worker.py", "protocol.py")
PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Environment allowlist: nothing from the grader's own environment leaks in but these.
THREAD_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/job",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MPLBACKEND": "Agg",
    **THREAD_ENV,
}
PASSTHROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")  # machine-specific BLAS correctness fixes


@dataclass(frozen=True)
class SandboxInfo:
    """What graded a submission, recorded in every result."""

    backend: str
    isolation: str  # a level and its mechanisms, e.g. "L2: bubblewrap namespaces, cgroup v1, rlimits"
    details: tuple[str, ...] = ()
    image: str | None = None


def limit_words(limits: Limits, before: tuple[int, int], now: tuple[int, int]) -> str | None:
    """Words for a limit hit between two readings of the kernel's (oom kills, pids-max hits) counters."""
    if now[0] > before[0]:
        return f"memory limit exceeded ({limits.memory_mb} MiB)"
    if now[1] > before[1]:
        return f"process limit exceeded ({limits.pids} processes/threads)"
    return None


@dataclass
class RunResult:
    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool
    limit: str | None = None


class SandboxProcess(ABC):
    """A process running inside a sandbox, with pipes to its stdin, stdout and stderr."""

    stdin: IO[bytes]
    stdout: IO[bytes]
    stderr: IO[bytes]

    @abstractmethod
    def poll(self) -> int | None: ...

    @abstractmethod
    def kill(self) -> None:
        """Kill this process and everything it started, from outside."""


@dataclass
class Sandbox(ABC):
    submission_dir: Path
    limits: Limits
    info: SandboxInfo = field(init=False)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @abstractmethod
    def spawn(self, argv: list[str]) -> SandboxProcess:
        """Start a long-lived process; argv[0] is the sandbox's python."""

    @abstractmethod
    def run(self, argv: list[str], timeout_s: float, output_limit: int = 64 << 10) -> RunResult:
        """Run a command to completion, killed from outside after ``timeout_s``."""

    @abstractmethod
    def kill_all(self) -> None:
        """Kill every process in the sandbox (the worker is restarted by the next spawn)."""

    @abstractmethod
    def limit_exceeded(self) -> str | None:
        """A resource limit the sandbox hit since the last check, in words, or None."""

    @abstractmethod
    def close(self) -> None:
        """Kill everything and remove every trace of the job."""

    @abstractmethod
    def worker_command(self, submission_name: str, preload: list[str], forbid: list[str]) -> list[str]:
        """The argv that starts the worker for this submission inside the sandbox."""

    def worker_argv(self, python: str, submission_name: str, preload: list[str], forbid: list[str]) -> list[str]:
        argv = [python, "-I", "-B", "/worker/worker.py", "--submission", f"/submission/{submission_name}",
                "--preload", ",".join(preload)]
        for name in forbid:
            argv += ["--forbid", name]
        return argv


def stage_worker_files(destination: Path) -> None:
    """Copy the worker and the wire format (and nothing else of the grader) for the sandbox."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in WORKER_FILES:
        shutil.copyfile(PACKAGE_DIR / name, destination / name)
        (destination / name).chmod(0o444)
    destination.chmod(0o555)

"""The one interface every sandbox backend implements.

A sandbox is a context manager around one submission's isolated environment. Inside it the
submission is at /submission (read-only), the worker at /worker (read-only), a private writable
/job is the working directory and HOME, and /tmp is private. ``spawn`` starts a long-lived
process (the worker) and ``run`` a one-shot command; every limit is an argument, never a global.
"""

from __future__ import annotations

import os
import shutil
import site
import sys
import tempfile
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from grader.inside import FILES
from grader.spec import Limits

INSIDE_DIR = Path(__file__).resolve().parent.parent / "inside"
JOBS_ROOT = Path(tempfile.gettempdir()) / "grader-jobs"  # every backend's per-job host folders

CPUS = 1.0  # per container, or per local zygote: one judge's sandboxes (its test lanes too) share one core
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
class SandboxOptions:
    """How a batch wants sandboxes run; passed explicitly to ``open_sandbox`` (backends ignore what they lack)."""

    preload: tuple[str, ...] = ()  # modules the worker imports before the submission (from the spec)
    prestart: bool = False  # docker: more submissions follow, boot the next container while this one is graded
    # "auto": the backend's default, a fresh fork of the pre-imported zygote in new namespaces where the machine
    # allows it (ISOLATION_ZYGOTE); ISOLATION_FRESH: a new sandbox started per submission (local: bubblewrap
    # per submission; docker: a container per submission).
    isolation: str = "auto"


ISOLATION_ZYGOTE = "zygote"
ISOLATION_FRESH = "fresh-process"
ISOLATION_MODES = ("auto", ISOLATION_ZYGOTE, ISOLATION_FRESH)
# What `--isolation` accepts: "container" (docker: a container per submission) is the fresh mode by
# the name docker users know; on the local backend it means a bubblewrap per submission.
ISOLATION_CHOICES = ("auto", ISOLATION_ZYGOTE, "container", ISOLATION_FRESH)


def isolation_mode(choice: str) -> str:
    """The SandboxOptions.isolation value of an ``--isolation`` choice."""
    return ISOLATION_FRESH if choice == "container" else choice


def python_dirs() -> list[str]:
    """Directories the running interpreter imports from, bound read-only into a sandbox: the base
    prefix, a virtual environment's prefix and its site-packages, user site-packages and every folder
    on ``sys.path`` (editable installs, conda environments), minus folders inside another one."""
    dirs = {sys.base_prefix, sys.prefix, sys.exec_prefix, *site.getsitepackages()}
    if site.ENABLE_USER_SITE and site.getusersitepackages():
        dirs.add(site.getusersitepackages())
    dirs.update(p for p in sys.path if os.path.isabs(p) and ("site-packages" in p or "dist-packages" in p))
    real = sorted({os.path.realpath(d) for d in dirs if os.path.isdir(d)})
    return [d for d in real if not any(d != o and d.startswith(o + os.sep) for o in real)]


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

    def wait(self, timeout: float) -> bool:
        """Whether the process ended within ``timeout`` seconds."""
        raise NotImplementedError

    def exit_status(self) -> int | None:
        """Its exit status once it ended by itself (None if killed or unknown)."""
        raise NotImplementedError

    @abstractmethod
    def kill(self) -> None:
        """Kill this process and everything it started, from outside."""


@dataclass
class Sandbox(ABC):
    submission_dir: Path
    limits: Limits
    options: SandboxOptions | None = None  # None: a one-off sandbox (no batch plan)
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
    def peak_memory_bytes(self) -> int | None:
        """The most memory the sandbox's processes held at once, if the backend can measure it."""

    @abstractmethod
    def close(self) -> None:
        """Kill everything and remove every trace of the job."""

    @abstractmethod
    def worker_command(self, submission_name: str, preload: list[str], forbid: list[str]) -> list[str]:
        """The argv that starts the worker for this submission inside the sandbox."""

    def forks_cheaply(self) -> bool:
        """Whether one more sandbox for the same submission costs only a fork (the zygote modes): then the
        judge may run the submission's tests in parallel lanes, a sandbox each (grader/judge/lanes.py)."""
        return False

    def worker_argv(self, python: str, submission_name: str, preload: list[str], forbid: list[str]) -> list[str]:
        argv = [python, "-I", "-B", "/worker/worker.py", "--submission", f"/submission/{submission_name}",
                "--preload", ",".join(preload)]
        for name in forbid:
            argv += ["--forbid", name]
        return argv


def run_to_end(process: SandboxProcess, timeout_s: float, output_limit: int) -> tuple[int | None, str, str, bool]:
    """Drain a spawned process's output (keeping ``output_limit`` bytes of each stream) until it ends or
    ``timeout_s`` passes, then kill it from outside: (exit code, stdout, stderr, timed out)."""
    process.stdin.close()
    captured: dict[str, bytes] = {}

    def drain(name: str, stream: IO[bytes]) -> None:
        kept = bytearray()
        try:
            while chunk := stream.read(65536):
                if len(kept) < output_limit:
                    kept += chunk[: output_limit - len(kept)]
        except (OSError, ValueError):  # closed by the kill below (a timed-out process): keep what was read
            pass
        captured[name] = bytes(kept)

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("stdout", process.stdout), ("stderr", process.stderr))]
    for reader in readers:
        reader.start()
    timed_out = not process.wait(timeout_s)
    if not timed_out:  # read its output to the end before the kill closes the pipes
        for reader in readers:
            reader.join(timeout=5)
    process.kill()
    code = None if timed_out else process.exit_status()
    for reader in readers:
        reader.join(timeout=5)
    return (code, captured.get("stdout", b"").decode(errors="replace"),
            captured.get("stderr", b"").decode(errors="replace"), timed_out)


def stage_worker_files(destination: Path) -> None:
    """Copy the in-sandbox code (grader/inside, and nothing else of the grader) for the sandbox."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(INSIDE_DIR / name, destination / name)
        (destination / name).chmod(0o444)
    destination.chmod(0o555)

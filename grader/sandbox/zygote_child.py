"""A submission's child of a zygote (local, grader/sandbox/zygote_host.py, or in the docker pool
container, grader/sandbox/docker_zygote.py): how the host asks for one with its pipes, the handle that
kills its whole PID namespace, and the sandbox side both zygote sandboxes share (the child's cgroup
counters for the verdicts, a failed zygote replaced once).
"""

from __future__ import annotations

import base64
import os
import select
import signal
import uuid
from collections.abc import Callable
from typing import IO, Any, Protocol

from grader.sandbox import seccomp
from grader.sandbox.base import RunResult, SandboxProcess, limit_words, run_to_end
from grader.sandbox.cgroups import JobCgroup
from grader.spec import Limits


class ZygoteError(RuntimeError):
    """The zygote could not start, or could not give a child; the message says why."""


class Spawner(Protocol):
    """A running zygote (local, or in the docker pool container), as its children's side needs it."""

    def spawn(self, ident: str, request: dict[str, Any], fds: list[int], cgroup: JobCgroup | None) -> int: ...


class CgroupCounted:
    """Killing and the verdicts of a sandbox whose processes live in one cgroup of its own (both zygote
    sandboxes; the local one in fresh-process mode too): the kernel's counters are cumulative over the
    job, so each check reports only what happened since the previous one."""

    processes: list[Any]
    spawn: Callable[[list[str]], SandboxProcess]  # the Sandbox's, which this class is mixed into
    cgroup: JobCgroup | None
    limits: Limits
    _seen: tuple[int, int] = (0, 0)

    def kill_all(self) -> None:
        for process in self.processes:
            process.kill()
        self.processes.clear()

    def limit_exceeded(self) -> str | None:
        if self.cgroup is None:
            return None
        counts = (self.cgroup.oom_kills(), self.cgroup.pids_max_hits())
        before, self._seen = self._seen, counts
        return limit_words(self.limits, before, counts)

    def peak_memory_bytes(self) -> int | None:
        return self.cgroup.peak_memory_bytes() if self.cgroup else None

    def _zygote(self) -> Spawner:
        """The backend's live zygote, the submission placed there again if it is a new one."""
        raise NotImplementedError

    def _discard(self, zygote: Spawner) -> None:
        """Stop a zygote that failed a request, so ``_zygote`` gives a fresh one."""
        raise NotImplementedError

    def run(self, argv: list[str], timeout_s: float, output_limit: int = 64 << 10) -> RunResult:
        return RunResult(*run_to_end(self.spawn(argv), timeout_s, output_limit), self.limit_exceeded())

    def start_in_zygote(self, request: dict[str, Any]) -> ZygoteProcess:
        """A child for ``request`` in fresh namespaces and this sandbox's cgroup; a zygote that fails is
        replaced (and the submission placed again for the new one) once."""
        for attempt in range(2):
            zygote = self._zygote()
            try:
                process = start_child(zygote, uuid.uuid4().hex, request, self.cgroup)
                break
            except ZygoteError as exc:
                self._discard(zygote)
                if attempt:
                    raise RuntimeError(str(exc)) from None
        self.processes.append(process)
        return process


class ZygoteProcess(SandboxProcess):
    """A submission's init, forked by the zygote; killing it ends its whole PID namespace."""

    def __init__(self, pidfd: int, stdin: IO[bytes], stdout: IO[bytes], stderr: IO[bytes], status: int,
                 cgroup: JobCgroup | None) -> None:
        self.pidfd, self.status, self.cgroup = pidfd, status, cgroup
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.code: int | None = None

    def exit_status(self) -> int | None:
        """An "exec" command's exit status, as its init reported it (None for the worker, or if killed)."""
        if self.code is None and self.status >= 0 and select.select([self.status], [], [], 0)[0]:
            text = os.read(self.status, 32)
            self.code = int(text) if text.strip().lstrip(b"-").isdigit() else None
        return self.code

    def poll(self) -> int | None:
        if self.pidfd < 0 or select.select([self.pidfd], [], [], 0)[0]:
            return -signal.SIGKILL  # gone; its status is its parent's (the zygote's) to read
        return None

    def wait(self, timeout: float) -> bool:
        return self.pidfd < 0 or bool(select.select([self.pidfd], [], [], timeout)[0])

    def kill(self) -> None:
        if self.pidfd >= 0:
            try:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)  # PID 1: the kernel kills its namespace
            except ProcessLookupError:
                pass
            self.wait(5)  # PID 1 exits last, once everything else in its namespace is gone
            os.close(self.pidfd)
            self.pidfd = -1
        if self.cgroup is not None:
            self.cgroup.kill_all()  # anything that still is in the cgroup (normally nothing by now)
        if self.status >= 0:
            self.exit_status()
            os.close(self.status)
            self.status = -1
        for stream in (self.stdin, self.stdout, self.stderr):
            try:
                stream.close()
            except OSError:
                pass


def start_child(zygote: Spawner, ident: str, request: dict[str, Any], cgroup: JobCgroup | None) -> ZygoteProcess:
    """Pipes for the child's stdin, stdout and stderr, the child itself, and the process handle."""
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    stderr_r, stderr_w = os.pipe()
    status_r, status_w = os.pipe()
    try:
        pidfd = zygote.spawn(ident, request, [stdin_r, stdout_w, stderr_w, status_w], cgroup)
    except BaseException:
        for fd in (stdin_w, stdout_r, stderr_r, status_r):
            os.close(fd)
        raise
    finally:
        for fd in (stdin_r, stdout_w, stderr_w, status_w):
            os.close(fd)
    return ZygoteProcess(pidfd, os.fdopen(stdin_w, "wb"), os.fdopen(stdout_r, "rb"), os.fdopen(stderr_r, "rb"),
                         status_r, cgroup)


def encoded_filter() -> str:
    """The final filter each child loads before the submission runs (base64 for the JSON request)."""
    return base64.b64encode(seccomp.program()).decode("ascii") if seccomp.supported() else ""

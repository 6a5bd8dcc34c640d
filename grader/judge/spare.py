"""The spare: a copy of the judge taken before any test ran, which forks test lanes (grader/judge/lanes.py).

A lane must start from a judge in which no test has run (pytest's fixtures and set-up state, locks,
thread pools), so lanes are not forked from the judge itself, which by then is running a test, but
from a spare forked at the start of a submission's tests. The spare serves every later submission of
the same tests too (the same collected items, reference, limits, spec and zygote), so a judge forks
it once per exercise, not once per submission: each request carries only what is new (the
submission's folder, seed and deadline, as JSON; see ``Recipe``). The spare and its lanes are trusted copies of the
judge; a spare dies with its judge and a lane with its spare (``PR_SET_PDEATHSIG``).

A lane opens its own sandbox (new namespaces, its own cgroup with the submission's limits), runs the
tests it is handed through pytest's own protocol and sends each record back; at the end it closes its
worker and sandbox and says how it went (whether its worker started, its memory peak).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn, Protocol

import pytest

from grader.judge.proxy import WorkerClient
from grader.sandbox import Sandbox, SandboxOptions, adopt_in_lane, leave_lane, open_sandbox, zygote_numbers
from grader.spec import ExerciseSpec, Limits

PR_SET_PDEATHSIG = 1
MAX_REQUEST = 1 << 16
ANSWER_S = 10.0  # for the spare to fork a lane (the lane then opens its sandbox on its own time)


class Runner(Protocol):
    """What a lane needs of the judge's pytest plugin (grader/judge/plugin.py)."""

    client: WorkerClient | None
    client_factory: Callable[[], WorkerClient] | None
    on_begin: Callable[[float], None] | None
    records: dict[str, Any]
    run_seed: int

    def start_failure(self) -> str: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Recipe:
    """What a lane needs to grade tests of one submission in a sandbox of its own. A spare is copied with
    the exercise's part (backend, limits, options, spec); a request carries only the submission's part
    (``request``), as JSON: nothing is unpickled."""

    backend: str
    submission_dir: Path
    limits: Limits
    options: SandboxOptions | None
    spec: ExerciseSpec
    deadline: float
    run_seed: int

    def request(self) -> bytes:
        return json.dumps({"submission_dir": str(self.submission_dir), "deadline": self.deadline,
                           "run_seed": self.run_seed}).encode()

    def for_request(self, message: bytes) -> Recipe:
        asked = json.loads(message)
        return replace(self, submission_dir=Path(asked["submission_dir"]), deadline=float(asked["deadline"]),
                       run_seed=int(asked["run_seed"]))

    def exercise_part(self) -> Recipe:
        """What stays the same across an exercise's submissions (docker's prestart does not matter here)."""
        options = replace(self.options, prestart=False) if self.options else None
        return replace(self, submission_dir=Path(), deadline=0.0, run_seed=0, options=options)


@dataclass
class Spare:
    pid: int
    control: socket.socket
    key: tuple[Any, ...]  # which tests (and zygotes) it was copied with

    def fork_lane(self, recipe: Recipe) -> tuple[int, Connection] | None:
        """A new lane for ``recipe``, and our end of its pipe; None if the spare does not answer."""
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self.control, [recipe.request()], [theirs.fileno()])
            if not select.select([self.control], [], [], ANSWER_S)[0]:
                raise OSError("no answer")
            reply = json.loads(self.control.recv(1024) or b"null")
            pid = reply.get("lane") if isinstance(reply, dict) else None
        except (OSError, ValueError):
            pid = None
        finally:
            theirs.close()
        if type(pid) is not int:
            ours.close()
            return None
        return pid, Connection(ours.detach())

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def stop(self) -> None:
        self.control.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


_SPARE: list[Spare] = []  # this judge's spare, if it has one


def spare_for(items: list[pytest.Item], plugin: Runner, reference: Path | None, recipe: Recipe) -> Spare:
    """This judge's spare for these tests: the one it has if it was copied with the same tests and
    reference (files unchanged), the same exercise part of the recipe and the same zygotes and is alive,
    else a new copy of this judge, taken now (the caller is at the start of its tests: nothing has run)."""
    files = sorted({*(item.path for item in items), *([reference] if reference else [])})
    exercise = recipe.exercise_part()
    key = (tuple(item.nodeid for item in items), tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists()),
           repr(exercise), zygote_numbers(), os.getpid())
    if _SPARE and (_SPARE[0].key != key or not _SPARE[0].alive()):
        _SPARE.pop().stop()
    if not _SPARE:
        _SPARE.append(_fork(items, plugin, exercise, key))
    return _SPARE[0]


def _fork(items: list[pytest.Item], plugin: Runner, exercise: Recipe, key: tuple[Any, ...]) -> Spare:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    judge = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _die_with(judge)
            ours.close()
            _serve(theirs, items, plugin, exercise)
            code = 0
        finally:
            os._exit(code)
    theirs.close()
    return Spare(pid, ours, key)


def _serve(control: socket.socket, items: list[pytest.Item], plugin: Runner, exercise: Recipe) -> None:
    """The spare: fork a lane for each request until the judge closes the socket (or dies)."""
    adopt_in_lane()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the lanes
    spare = os.getpid()
    while True:
        message, fds, _flags, _address = socket.recv_fds(control, MAX_REQUEST, 1)
        if not message or len(fds) != 1:
            return
        recipe = exercise.for_request(message)
        lane = os.fork()
        if lane == 0:
            _die_with(spare)
            control.close()
            _lane(Connection(fds[0]), recipe, items, plugin)
        os.close(fds[0])
        control.send(json.dumps({"lane": lane}).encode())


def _lane(conn: Connection, recipe: Recipe, items: list[pytest.Item], plugin: Runner) -> NoReturn:
    """One lane: a sandbox of its own, then the tests it is handed (indexes into ``items``), until None."""
    code = 0
    sandbox: Sandbox | None = None
    try:
        adopt_in_lane()  # the judge's zygote, borrowed by this process
        try:
            sandbox = open_sandbox(recipe.backend, recipe.submission_dir, recipe.limits, recipe.options)
        except Exception as exc:  # noqa: BLE001 - no lane: the coordinator carries on without it
            conn.send(("unopened", str(exc)[:500]))
            raise SystemExit(0) from None
        conn.send(("open",))
        opened = sandbox
        plugin.client = None
        plugin.client_factory = lambda: WorkerClient(opened, recipe.spec, recipe.deadline)
        plugin.run_seed = recipe.run_seed
        plugin.on_begin = lambda seconds: conn.send(("begun", seconds))
        while (index := conn.recv()) is not None:
            item = items[index]
            item.ihook.pytest_runtest_protocol(item=item, nextitem=None)  # None: a full teardown each time
            conn.send(("done", index, plugin.records.get(item.nodeid)))
        plugin.close()
        peak = opened.peak_memory_bytes()
        sandbox = None  # closed here, in order: not again below
        opened.close()
        leave_lane()
        conn.send(("bye", plugin.start_failure(), peak))
    except SystemExit:
        pass
    except BaseException:  # noqa: BLE001 - the coordinator sees the closed pipe
        code = 1
    finally:
        if sandbox is not None:  # a lane that failed midway (its judge gone, say) leaves nothing behind
            with contextlib.suppress(BaseException):
                sandbox.close()
        os._exit(code)


def _die_with(parent: int) -> None:
    """Killed when ``parent`` dies (a batch stops its judges on Ctrl-C): never an orphan."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def kill(pid: int, until: float) -> None:
    """Wait until ``until`` for the lane ``pid`` (the spare's child, not ours) to exit; kill it after."""
    try:
        exited = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        if not select.select([exited], [], [], max(until - time.monotonic(), 0))[0]:
            signal.pidfd_send_signal(exited, signal.SIGKILL)
    except ProcessLookupError:
        pass
    finally:
        os.close(exited)


__all__ = ["Recipe", "Runner", "Spare", "kill", "spare_for"]

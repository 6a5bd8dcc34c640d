"""Tests of one submission in parallel lanes, so tests that hang cost one call timeout together, not one each.

The judge's pytest process collects the tests and then, where one more sandbox for the submission costs
only a fork (the zygote modes), coordinates lanes instead of running the tests itself. A lane is a fork
of the judge: it runs the tests it is handed through pytest's own protocol (the same fixtures, seeds,
deadlines and verdict hooks as a sequential run) against a sandbox of its own (new namespaces, its own
cgroup with the submission's limits, its own worker that imports the submission once) and sends each
test's record back. Tests are handed out in collection order, one at a time, to whichever lane is free.

Lane 0 starts at once. Another lane opens only while tests are waiting and every running test has been
running for longer than ``STALL_S`` (half a second, or twice what a test's start took, import included,
if longer): a submission whose tests are quick runs in one lane exactly as before; one whose function loops
forever has its hanging tests overlap. At most ``limits.parallel_tests`` lanes. Lanes are trusted (copies of
the judge); nothing that crosses the sandbox boundary changes. A lane that dies, or whose worker never
starts, makes the submission "not graded" (the grader's failure, never a score).
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any, NoReturn, Protocol

import pytest

from grader.judge.proxy import WorkerClient
from grader.sandbox import Sandbox, adopt_in_lane, leave_lane

STALL_S = 0.5  # a test takes tens of milliseconds; one running this long is likely to hang
PR_SET_PDEATHSIG = 1
SLACK_S = 60.0  # past the submission's deadline every test has ended; a lane still busy then is a grader fault
GOODBYE_S = 15.0  # for a lane to close its worker and say how it went


class Runner(Protocol):
    """What a lane needs of the judge's pytest plugin (grader/judge/plugin.py)."""

    client: WorkerClient | None
    client_factory: Callable[[], WorkerClient] | None
    on_begin: Callable[[float], None] | None
    records: dict[str, Any]

    def start_failure(self) -> str: ...

    def close(self) -> None: ...


@dataclass
class Lane:
    pid: int
    conn: Connection
    test: int | None = None  # the index of the test it is running
    begun: float | None = None  # when that test's code started to run (after the import)


class Lanes:
    """The sandboxes of one submission's lanes and the policy that opens them."""

    def __init__(self, first: Sandbox, open_more: Callable[[], Sandbox], client_for: Callable[[Sandbox], WorkerClient],
                 width: int, deadline: float) -> None:
        self.sandboxes = [first]
        self.open_more, self.client_for = open_more, client_for
        self.width, self.deadline = width, deadline
        self.opening_s = 0.0  # the longest a test's start took (worker start and import included)
        self.failure = ""  # why the lanes could not grade (the judge's fault): the submission is not graded
        self.used = 0

    # --- the coordinator -------------------------------------------------------------------------
    def run(self, items: list[pytest.Item], plugin: Runner) -> None:
        pending: deque[int] = deque(range(len(items)))
        lanes: list[Lane] = []
        try:
            self._fork(lanes, items, plugin)
            while not self.failure and (pending or any(lane.test is not None for lane in lanes)):
                for lane in lanes:
                    if lane.test is None and pending:
                        self._hand(lane, pending.popleft())
                if self._stalled(lanes, pending) and self._fork(lanes, items, plugin):
                    continue
                busy = [lane for lane in lanes if lane.test is not None]
                for conn in wait([lane.conn for lane in busy], timeout=self._next_look(busy, pending)):
                    self._receive(next(lane for lane in busy if lane.conn is conn), items, plugin)
                if time.monotonic() > self.deadline + SLACK_S:
                    self.failure = "a test lane of the judge did not finish in time"
        finally:
            self._finish(lanes)

    def _stalled(self, lanes: list[Lane], pending: deque[int]) -> bool:
        """Tests are waiting, no lane is free, and every running test has run longer than the stall time."""
        if not pending or len(lanes) >= self.width:
            return False
        now, stall = time.monotonic(), max(STALL_S, 2 * self.opening_s)
        return all(lane.begun is not None and now - lane.begun >= stall for lane in lanes)

    def _next_look(self, busy: list[Lane], pending: deque[int]) -> float:
        if not pending or len(busy) >= self.width:
            return 1.0
        stall = max(STALL_S, 2 * self.opening_s)
        due = [lane.begun + stall - time.monotonic() for lane in busy if lane.begun is not None]
        return min(max(min(due, default=1.0), 0.01), 1.0)

    def _hand(self, lane: Lane, index: int) -> None:
        lane.test, lane.begun = index, None
        lane.conn.send(index)

    def _receive(self, lane: Lane, items: list[pytest.Item], plugin: Runner) -> None:
        try:
            message = lane.conn.recv()
        except (EOFError, OSError):
            self.failure = "a test lane of the judge died"
            return
        if message[0] == "begun":
            lane.begun = time.monotonic()
            self.opening_s = max(self.opening_s, message[1])
        elif message[0] == "done" and message[1] == lane.test:
            if message[2] is not None:
                plugin.records[items[message[1]].nodeid] = message[2]
            lane.test, lane.begun = None, None

    def _fork(self, lanes: list[Lane], items: list[pytest.Item], plugin: Runner) -> bool:
        if lanes:
            try:
                self.sandboxes.append(self.open_more())
            except Exception:  # noqa: BLE001 - no more lanes: the ones running carry on
                self.width = len(lanes)
                return False
        sandbox = self.sandboxes[-1]
        ours, theirs = Pipe()
        judge = os.getpid()
        pid = os.fork()
        if pid == 0:
            _die_with(judge)
            ours.close()
            for lane in lanes:
                lane.conn.close()
            self._lane(theirs, sandbox, items, plugin)
        theirs.close()
        lanes.append(Lane(pid, ours))
        self.used = len(lanes)
        return True

    def _finish(self, lanes: list[Lane]) -> None:
        """Tell every lane to stop, hear how its worker did, and reap it (killed if it does not stop)."""
        for lane in lanes:
            try:
                lane.conn.send(None)
            except OSError:
                pass
        until = time.monotonic() + GOODBYE_S
        for lane in lanes:
            try:
                while lane.conn.poll(max(until - time.monotonic(), 0)):
                    message = lane.conn.recv()
                    if message[0] == "bye":
                        self.failure = self.failure or message[1]
                        break
            except (EOFError, OSError):
                pass
            lane.conn.close()
            if not _reaped(lane.pid, until):
                os.kill(lane.pid, signal.SIGKILL)
                os.waitpid(lane.pid, 0)

    # --- one lane (a fork of the judge) ----------------------------------------------------------
    def _lane(self, conn: Connection, sandbox: Sandbox, items: list[pytest.Item], plugin: Runner) -> NoReturn:
        code = 0
        try:
            adopt_in_lane()
            plugin.client = None
            plugin.client_factory = lambda: self.client_for(sandbox)
            plugin.on_begin = lambda seconds: conn.send(("begun", seconds))
            while (index := conn.recv()) is not None:
                item = items[index]
                item.ihook.pytest_runtest_protocol(item=item, nextitem=None)  # None: a full teardown each time
                conn.send(("done", index, plugin.records.get(item.nodeid)))
            plugin.close()
            leave_lane()
            conn.send(("bye", plugin.start_failure()))
        except BaseException:  # noqa: BLE001 - the coordinator sees the closed pipe
            code = 1
        finally:
            os._exit(code)

    # --- after the run -----------------------------------------------------------------------------
    def peak_memory_bytes(self) -> int | None:
        peaks = [peak for sandbox in self.sandboxes if (peak := sandbox.peak_memory_bytes())]
        return max(peaks, default=None)

    def describe(self) -> str | None:
        if self.used < 2:
            return None
        return (f"tests in parallel: {self.used} lanes, a sandbox each (a lane opens while every running test "
                f"has run over {STALL_S:g} s)")

    def close_extra(self) -> None:
        for sandbox in self.sandboxes[1:]:
            sandbox.close()


def _die_with(judge: int) -> None:
    """A lane is killed when its judge dies (a batch stops its judges on Ctrl-C): never an orphan."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != judge:  # it died before the request took effect
        os._exit(1)


def _reaped(pid: int, until: float) -> bool:
    """Whether the lane ``pid`` exited by ``until`` (then it is reaped)."""
    try:
        exited = os.pidfd_open(pid)
    except ProcessLookupError:
        exited = -1
    try:
        if exited >= 0:
            select.select([exited], [], [], max(until - time.monotonic(), 0))
        done, _ = os.waitpid(pid, os.WNOHANG)
        return bool(done)
    except ChildProcessError:
        return True
    finally:
        if exited >= 0:
            os.close(exited)


def lanes_for(sandbox: Sandbox, open_more: Callable[[], Sandbox], client_for: Callable[[Sandbox], WorkerClient],
              width: int, deadline: float) -> Lanes | None:
    """Lanes for a submission, where its sandbox backend opens another sandbox with a fork and more than
    one lane is allowed; None: its tests run one after the other in the judge itself."""
    return Lanes(sandbox, open_more, client_for, width, deadline) if width > 1 and sandbox.forks_cheaply() else None


__all__ = ["Lanes", "lanes_for", "STALL_S"]

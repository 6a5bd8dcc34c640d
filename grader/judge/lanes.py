"""Tests of one submission in parallel lanes, so tests that hang cost one call timeout together, not one each.

Where one more sandbox for the submission costs only a fork (the zygote modes), the judge's pytest process
runs the tests itself, one after the other (lane 0), while a watcher thread opens more lanes for the
tests still waiting once the running ones stall. A further lane is a fork of a *spare*: a copy of the
judge forked right after collection, before any test ran, that does nothing but open a sandbox (new
namespaces, its own cgroup with the submission's limits) and fork a lane into it when asked. A lane runs
the tests it is handed through pytest's own protocol (the same fixtures, seeds, deadlines and verdict
hooks as in the judge) and sends each test's record back. Tests are handed out in collection order, one
at a time, to whichever lane is free.

A lane opens only while tests are waiting and every running test has been running for longer than
``STALL_S`` (half a second, or twice what a test's start took, import included, if longer): a submission
whose tests are quick runs in the judge exactly as without lanes; one whose function loops forever has
its hanging tests overlap. At most ``limits.parallel_tests`` lanes. Lanes are trusted (copies of the
judge); nothing that crosses the sandbox boundary changes. A lane that dies, or whose worker never
starts, makes the submission "not graded" (the grader's failure, never a score).
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, NoReturn, Protocol

import pytest

from grader.judge.proxy import WorkerClient
from grader.sandbox import Sandbox, adopt_in_lane, leave_lane

STALL_S = 0.5  # a test takes tens of milliseconds; one running this long is likely to hang
PR_SET_PDEATHSIG = 1
SLACK_S = 60.0  # past the submission's deadline every test has ended; a lane still busy then is a grader fault
GOODBYE_S = 15.0  # for a lane to close its worker and say how it went
OPEN_S = 60.0  # for the spare to open a sandbox and fork a lane into it
_IDLE_SPARES: list[int] = []  # spares killed at their submission's end, not yet reaped


class Runner(Protocol):
    """What a lane needs of the judge's pytest plugin (grader/judge/plugin.py)."""

    client: WorkerClient | None
    client_factory: Callable[[], WorkerClient] | None
    on_begin: Callable[[float], None] | None
    records: dict[str, Any]

    def start_failure(self) -> str: ...

    def close(self) -> None: ...


@dataclass
class Running:
    test: int | None = None  # the index of the test it is running
    begun: float | None = None  # when that test's code started to run (after the import)


@dataclass(kw_only=True)
class Lane(Running):
    pid: int
    conn: Connection


class Lanes:
    """One submission's lanes and the policy that opens them."""

    def __init__(self, first: Sandbox, open_more: Callable[[], Sandbox], client_for: Callable[[Sandbox], WorkerClient],
                 width: int, deadline: float) -> None:
        self.first = first
        self.open_more, self.client_for = open_more, client_for
        self.width, self.deadline = width, deadline
        self.opening_s = 0.0  # the longest a test's start took (worker start and import included)
        self.failure = ""  # why the lanes could not grade (the judge's fault): the submission is not graded
        self.used = 1
        self.extra_peak: int | None = None  # the highest memory peak of the spare's sandboxes
        self._pending: deque[int] = deque()
        self._lanes: list[Lane] = []
        self._here = Running()  # lane 0: the judge itself
        self._lock = threading.Lock()
        self._spare: tuple[int, socket.socket] | None = None
        self._wake = -1  # written when the judge's own test begins or its loop ends

    # --- lane 0, in the judge ----------------------------------------------------------------------
    def run(self, items: list[pytest.Item], plugin: Runner) -> None:
        self._pending.extend(range(len(items)))
        self._spare = self._fork_spare(items, plugin)
        plugin.on_begin = self._begun_here
        wake, self._wake = os.pipe()
        watcher = threading.Thread(target=self._watch, args=(items, plugin, wake), name="lanes", daemon=True)
        watcher.start()
        try:
            while not self.failure:
                with self._lock:
                    index = self._pending.popleft() if self._pending else None
                    self._here.test, self._here.begun = index, None
                if index is None:
                    break
                item = items[index]
                item.ihook.pytest_runtest_protocol(item=item, nextitem=None)  # as in a lane: a full teardown
        finally:
            plugin.on_begin = None
            with self._lock:
                self._here.test = None
                self._pending.clear()  # if this loop was interrupted, the watcher stops handing out tests
            os.write(self._wake, b"x")
            watcher.join()
            os.close(wake)
            os.close(self._wake)
            self._finish()

    def _begun_here(self, seconds: float) -> None:
        self._here.begun = time.monotonic()
        self.opening_s = max(self.opening_s, seconds)
        os.write(self._wake, b"x")  # the watcher now knows when this test may count as stalled

    # --- the watcher: more lanes for waiting tests -----------------------------------------------------
    def _watch(self, items: list[pytest.Item], plugin: Runner, wake: int) -> None:
        """Until the judge's own loop ended and no lane is busy: hand waiting tests to free lanes, hear
        their records, open one more lane when every running test stalls."""
        here_done = False
        while not self.failure:
            with self._lock:
                for lane in self._lanes:
                    if lane.test is None and self._pending:
                        lane.test, lane.begun = self._pending.popleft(), None
                        lane.conn.send(lane.test)
                busy = [lane for lane in self._lanes if lane.test is not None]
                stalled = self._stalled()
            if here_done and not busy:
                return
            if stalled and self._open_lane():
                continue
            look, last = self._next_look(), self.deadline + SLACK_S - time.monotonic()
            for ready in wait([wake, *[lane.conn for lane in busy]], timeout=max(min(look or last, last), 0.01)):
                if ready == wake:
                    here_done = here_done or self._here.test is None and not self._pending
                    os.read(wake, 64)
                else:
                    self._receive(next(lane for lane in busy if lane.conn is ready), items, plugin)
            if time.monotonic() > self.deadline + SLACK_S:
                self.failure = "a test lane of the judge did not finish in time"

    def _stalled(self) -> bool:
        """Tests are waiting, no lane is free, and every running test has run longer than the stall time."""
        runners: list[Running] = [self._here, *self._lanes]
        if not self._pending or len(runners) >= self.width:
            return False
        now, stall = time.monotonic(), max(STALL_S, 2 * self.opening_s)
        return all(lane.begun is not None and now - lane.begun >= stall for lane in runners)

    def _next_look(self) -> float | None:
        """When every running test will have stalled; None: not before an event (a test begins or ends)."""
        runners: list[Running] = [self._here, *self._lanes]
        begun = [lane.begun for lane in runners if lane.begun is not None]
        if not self._pending or len(runners) >= self.width or len(begun) < len(runners):
            return None
        return max(max(begun) + max(STALL_S, 2 * self.opening_s) - time.monotonic(), 0.01)

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
            with self._lock:
                lane.test, lane.begun = None, None

    def _open_lane(self) -> bool:
        """Ask the spare for one more lane; False (and no more asking) if it cannot open one."""
        assert self._spare is not None
        control = self._spare[1]
        ours, theirs = socket.socketpair()
        reply: Any = None
        try:
            socket.send_fds(control, [b"lane"], [theirs.fileno()])
            if select.select([control], [], [], OPEN_S)[0]:
                reply = json.loads(control.recv(1024) or b"null")
        except (OSError, ValueError):
            pass
        finally:
            theirs.close()
        if not isinstance(reply, dict) or type(reply.get("lane")) is not int:
            ours.close()
            self.width = 1 + len(self._lanes)  # the lanes running carry on
            return False
        with self._lock:
            self._lanes.append(Lane(pid=reply["lane"], conn=Connection(ours.detach())))
        self.used = 1 + len(self._lanes)
        return True

    def _finish(self) -> None:
        """Tell every lane to stop and hear how its worker did; then the spare reaps them and closes their
        sandboxes, and is reaped (killed if it does not stop)."""
        until = time.monotonic() + GOODBYE_S
        for lane in self._lanes:
            try:
                lane.conn.send(None)
                while lane.conn.poll(max(until - time.monotonic(), 0)):
                    message = lane.conn.recv()
                    if message[0] == "bye":
                        self.failure = self.failure or message[1]
                        break
            except (EOFError, OSError):
                pass
            lane.conn.close()
        if self._spare is None:
            return
        pid, control = self._spare
        if not self._lanes:  # it opened nothing, so it has nothing to close: killed now, reaped later
            os.kill(pid, signal.SIGKILL)
            control.close()
            _IDLE_SPARES.append(pid)
            return
        try:
            control.send(b"stop")
            if select.select([control], [], [], max(until - time.monotonic(), 0) + GOODBYE_S)[0]:
                self.extra_peak = json.loads(control.recv(1024) or b"{}").get("peak")
        except (OSError, ValueError, AttributeError):
            pass
        control.close()
        if not _reaped(pid, time.monotonic() + GOODBYE_S):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)

    # --- the spare (a fork of the judge before any test) ----------------------------------------------
    def _fork_spare(self, items: list[pytest.Item], plugin: Runner) -> tuple[int, socket.socket]:
        for idle in list(_IDLE_SPARES):  # the last submissions' spares, long since dead
            if _reaped(idle, time.monotonic()):
                _IDLE_SPARES.remove(idle)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        judge = os.getpid()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _die_with(judge)
                ours.close()
                self._spare_loop(theirs, items, plugin)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        return pid, ours

    def _spare_loop(self, control: socket.socket, items: list[pytest.Item], plugin: Runner) -> None:
        adopt_in_lane()
        sandboxes: list[Sandbox] = []
        lanes: list[int] = []
        try:
            while True:
                message, fds, _flags, _address = socket.recv_fds(control, 64, 1)
                if message != b"lane" or len(fds) != 1:
                    break
                try:
                    sandboxes.append(self.open_more())
                except Exception as exc:  # noqa: BLE001 - no more lanes: the coordinator is told
                    os.close(fds[0])
                    control.send(json.dumps({"error": str(exc)[:500]}).encode())
                    continue
                spare = os.getpid()
                lane = os.fork()
                if lane == 0:
                    _die_with(spare)
                    control.close()
                    self._lane(Connection(fds[0]), sandboxes[-1], items, plugin)
                os.close(fds[0])
                lanes.append(lane)
                control.send(json.dumps({"lane": lane}).encode())
        finally:
            until = time.monotonic() + GOODBYE_S
            for lane in lanes:
                if not _reaped(lane, until):
                    os.kill(lane, signal.SIGKILL)
                    os.waitpid(lane, 0)
            peaks = [peak for sandbox in sandboxes if (peak := sandbox.peak_memory_bytes())]
            for sandbox in sandboxes:
                sandbox.close()
            leave_lane()
            control.send(json.dumps({"peak": max(peaks, default=None)}).encode())

    # --- one lane (a fork of the spare) ----------------------------------------------------------------
    def _lane(self, conn: Connection, sandbox: Sandbox, items: list[pytest.Item], plugin: Runner) -> NoReturn:
        code = 0
        try:
            adopt_in_lane()  # the zygote is the judge's, now borrowed by this process
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
        peaks = [peak for peak in (self.first.peak_memory_bytes(), self.extra_peak) if peak]
        return max(peaks, default=None)

    def describe(self) -> str | None:
        if self.used < 2:
            return None
        return (f"tests in parallel: {self.used} lanes, a sandbox each (a lane opens while every running test "
                f"has run over {STALL_S:g} s)")


def _die_with(parent: int) -> None:
    """A spare or lane is killed when its parent dies (a batch stops its judges on Ctrl-C): never an orphan."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _reaped(pid: int, until: float) -> bool:
    """Whether our child ``pid`` exited by ``until`` (then it is reaped)."""
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

"""Tests of one submission in parallel lanes, so tests that hang cost one call timeout together, not one each.

Where one more sandbox for the submission costs only a fork (the zygote modes), the judge's pytest process
runs the tests itself, one after the other (lane 0), while a watcher thread opens more lanes for the
tests still waiting once the running ones stall. A further lane is forked from the judge's *spare*
(grader/judge/spare.py: a copy of the judge taken before any test ran) and runs the tests it is handed
through pytest's own protocol (the same fixtures, seeds, deadlines and verdict hooks as in the judge)
against a sandbox of its own (new namespaces, its own cgroup with the submission's limits, its own
worker that imports the submission once), sending each test's record back. Tests are handed out in
collection order, one at a time, to whichever lane is free.

A lane opens only while tests are waiting and every running test has been running for longer than
``STALL_S`` (0.3 s, or twice what a test's start took, import included, if longer; half that
once the submission has a lane): one stall at a time, so that slow but correct tests do not all share
the judge's one core at once. A submission whose tests are quick runs in the judge exactly as without
lanes; one whose function loops forever has its hanging tests overlap. At most
``limits.parallel_tests`` lanes, the judge's own included. Lanes are trusted (copies of the judge);
nothing that crosses the sandbox boundary changes. A lane that dies, or whose worker never starts,
makes the submission "not graded" (the grader's failure, never a score).
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

import pytest

from grader.judge.spare import Recipe, Runner, Spare, kill, spare_for
from grader.sandbox import Sandbox

STALL_S = 0.3  # a test takes tens of milliseconds; one running ten times as long is likely to hang
SLACK_S = 60.0  # past the submission's deadline every test has ended; a lane still busy then is a grader fault
GOODBYE_S = 15.0  # for a lane to close its worker and say how it went
OPEN_S = 60.0  # for a new lane to open its sandbox


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

    def __init__(self, first: Sandbox, recipe: Recipe, reference: Path | None, width: int) -> None:
        self.first, self.recipe, self.reference = first, recipe, reference
        self.width, self.deadline = width, recipe.deadline
        self.opening_s = 0.0  # the longest a test's start took (worker start and import included)
        self.failure = ""  # why the lanes could not grade (the judge's fault): the submission is not graded
        self.used = 1
        self.extra_peak: int | None = None  # the highest memory peak of the lanes' sandboxes
        self._pending: deque[int] = deque()
        self._lanes: list[Lane] = []
        self._here = Running()  # lane 0: the judge itself
        self._spare: Spare | None = None
        self._lock = threading.Lock()
        self._wake = -1  # written when the judge's own test begins or its loop ends

    # --- lane 0, in the judge ----------------------------------------------------------------------
    def run(self, items: list[pytest.Item], plugin: Runner) -> None:
        self._pending.extend(range(len(items)))
        self._spare = spare_for(items, plugin, self.reference, self.recipe)
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
                wanted = self._wants_lane()
            if here_done and not busy:
                return
            if wanted and self._open_lane():
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

    def _wants_lane(self) -> bool:
        """Tests are waiting, no lane is free, and every running test has run longer than the stall time."""
        runners: list[Running] = [self._here, *self._lanes]
        if not self._pending or len(runners) >= self.width:
            return False
        now, stall = time.monotonic(), self._stall_s()
        return all(lane.begun is not None and now - lane.begun >= stall for lane in runners)

    def _stall_s(self) -> float:
        """How long every running test must have run for one more lane: half as long once a lane opened
        (the submission stalled once already), never less than twice what a test's start took."""
        return max(STALL_S / 2 if self._lanes else STALL_S, 2 * self.opening_s)

    def _next_look(self) -> float | None:
        """When every running test will have stalled; None: not before an event (a test begins or ends)."""
        runners: list[Running] = [self._here, *self._lanes]
        begun = [lane.begun for lane in runners if lane.begun is not None]
        if not self._pending or len(runners) >= self.width or len(begun) < len(runners):
            return None
        return max(max(begun) + self._stall_s() - time.monotonic(), 0.01)

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
        """One more lane, with its sandbox open; False (and no more asking) if there cannot be one."""
        assert self._spare is not None
        forked = self._spare.fork_lane(self.recipe)
        said: tuple[str, ...] = ("unopened", "the spare did not answer")
        if forked is not None:
            try:
                said = forked[1].recv() if forked[1].poll(OPEN_S) else ("unopened", "no answer")
            except (EOFError, OSError):
                said = ("unopened", "it died")
        if forked is None or said[0] != "open":
            if forked is not None:
                forked[1].close()
                kill(forked[0], time.monotonic())
            self.width = 1 + len(self._lanes)  # the lanes running carry on
            return False
        with self._lock:
            self._lanes.append(Lane(pid=forked[0], conn=forked[1]))
        self.used = 1 + len(self._lanes)
        return True

    def _finish(self) -> None:
        """Tell every lane to stop and hear how its worker did (and its sandbox's memory peak); a lane that
        does not say so in time is killed."""
        until = time.monotonic() + GOODBYE_S
        peaks = []
        for lane in self._lanes:
            try:
                lane.conn.send(None)
                while lane.conn.poll(max(until - time.monotonic(), 0)):
                    message = lane.conn.recv()
                    if message[0] == "bye":
                        self.failure = self.failure or message[1]
                        peaks.append(message[2] or 0)
                        break
            except (EOFError, OSError):
                pass
            lane.conn.close()
            kill(lane.pid, until)
        self.extra_peak = max(peaks, default=0) or None

    # --- after the run -----------------------------------------------------------------------------
    def peak_memory_bytes(self) -> int | None:
        peaks = [peak for peak in (self.first.peak_memory_bytes(), self.extra_peak) if peak]
        return max(peaks, default=None)

    def describe(self) -> str | None:
        if self.used < 2:
            return None
        return (f"tests in parallel: {self.used} lanes, a sandbox each (a lane opens while every running test "
                f"has run over {STALL_S:g} s)")


def lanes_for(sandbox: Sandbox, recipe: Recipe, reference: Path | None, width: int) -> Lanes | None:
    """Lanes for a submission, where its sandbox backend opens another sandbox with a fork and more than
    one lane is allowed; None: its tests run one after the other in the judge itself."""
    return Lanes(sandbox, recipe, reference, width) if width > 1 and sandbox.forks_cheaply() else None


__all__ = ["Lanes", "Recipe", "lanes_for", "STALL_S"]

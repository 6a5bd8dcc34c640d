"""Import once, fork per test: the submission is imported ONCE per worker, in an "importer" process,
and every test is forked from that imported snapshot (each test still starts from the same state).

The worker's parent (worker.py's main) never runs student code; this module gives it an ``Importer``:
  * ``outcome(seed)`` starts the importer on the first test, seeded like that test, and waits for its
    report (the judge's import deadline bounds the wait: it kills the whole worker otherwise);
    "ok", "error" (the import raised: the same reply for every test, at once), "died" (the import
    killed its process: the same exit status for every test) or "per-test" (the import drew random
    numbers, so a snapshot would change what later tests see: those submissions are imported anew per
    test, forked from the parent, exactly as before).
  * ``fork_test(begin, sock)`` hands the test's end of its socket pair to the importer (SCM_RIGHTS),
    which forks the test as the worker's parent's child (clone(2) with CLONE_PARENT; where the import
    left threads running, a fork that forks the test and exits, so the test is re-parented): the parent
    (a subreaper, or PID 1 of the submission's namespace) reaps it, reads its real exit status and
    usage, and kills its whole tree from outside, as before. It checks that the pid it was told is its
    own child; nothing the importer says decides a verdict.
Standard library only.
"""

from __future__ import annotations

import functools
import json
import os
import random
import select
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # a sibling of worker.py inside the sandbox
import wire  # type: ignore[import-not-found]  # noqa: E402  # sibling file inside the sandbox

MAX_MESSAGE = 1 << 20
REPORT_TIMEOUT_S = 30.0  # a test's pid, once the import is done
REPARENT_TIMEOUT_S = 10.0


def rng_state() -> tuple[Any, ...]:
    """The random generators a test's seed sets (as in worker.seed_everything), comparable."""
    state: list[Any] = [random.getstate()]
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        kind, keys, pos, has_gauss, cached = numpy.random.get_state()
        state.append((kind, keys.tobytes(), pos, has_gauss, cached))
    torch = sys.modules.get("torch")
    if torch is not None:
        state.append(torch.get_rng_state().numpy().tobytes())
    return tuple(state)


def importer_main(ctl: socket.socket, seed: int, load: Callable[[], Any], seeder: Callable[[int], None],
                  error_reply: Callable[[BaseException], dict[str, Any]],
                  serve: Callable[[Any, dict[str, Any], int], None]) -> None:
    """The importer: import the submission, report, then fork one test per request. Never returns."""
    os.setpgid(0, 0)  # the parent kills the importer's group when it is done with it
    seeder(seed)
    before = rng_state()
    try:
        module = load()
        report: dict[str, Any] = {"imported": True, "rng_used": rng_state() != before}
    except BaseException as exc:  # noqa: BLE001 - SystemExit at import is a failed import too
        report = {"imported": False, **error_reply(exc)}
    sys.stdout.flush()
    sys.stderr.flush()
    ctl.send(json.dumps(report).encode()[:MAX_MESSAGE])
    if not report["imported"]:
        os._exit(0)
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(ctl, MAX_MESSAGE, 1)
        except OSError:
            os._exit(0)
        if not message or len(fds) != 1:
            os._exit(0)
        test = functools.partial(serve, module, json.loads(message), fds[0])
        if wire.single_threaded():  # the worker's parent's child at once (one copy of this process)
            pid = wire.clone(wire.CLONE_PARENT)
            if pid == 0:
                ctl.close()
                wire.exit_after(test)
            ctl.send(json.dumps({"pid": pid}).encode())
        else:  # the import left threads running: fork twice, the way that is safe with threads
            middle = os.fork()
            if middle == 0:
                pid = os.fork()
                if pid == 0:
                    ctl.close()
                    wire.exit_after(test)
                ctl.send(json.dumps({"pid": pid}).encode())
                os._exit(0)  # the test is re-parented to the worker's parent
            os.waitpid(middle, 0)
        os.close(fds[0])


class Importer:
    """The parent's handle on the importer process (see the module's docstring)."""

    def __init__(self, start: Callable[[socket.socket, int], None]) -> None:
        self.start = start  # runs importer_main in the forked child
        self.pid: int | None = None
        self.ctl: socket.socket | None = None
        self.report: dict[str, Any] | None = None
        self.status: int | None = None  # the importer's wait status, if the import killed it

    def outcome(self, seed: int) -> str:
        if self.report is None and self.status is None:
            self._launch(seed)
        if self.status is not None:
            return "died"
        assert self.report is not None
        if not self.report.get("imported"):
            return "error"
        return "per-test" if self.report.get("rng_used") else "ok"

    def _launch(self, seed: int) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                self.start(theirs, seed)
            finally:
                os._exit(3)
        theirs.close()
        self.pid, self.ctl = pid, ours
        data = ours.recv(MAX_MESSAGE)  # bounded by the judge's import deadline
        try:
            report = json.loads(data) if data else None
        except ValueError:
            report = None
        if not isinstance(report, dict):
            self.stop()  # it died importing (or said nonsense): its wait status is every test's answer
            return
        self.report = report

    def fork_test(self, begin: dict[str, Any], sock: socket.socket) -> int | None:
        """A test forked from the imported snapshot, as our child; None if the importer is gone."""
        if self.ctl is None:
            return None
        try:
            socket.send_fds(self.ctl, [json.dumps(begin).encode()], [sock.fileno()])
            if not select.select([self.ctl], [], [], REPORT_TIMEOUT_S)[0]:
                raise OSError("no answer")
            reply = json.loads(self.ctl.recv(MAX_MESSAGE) or b"null")
            pid = reply.get("pid") if isinstance(reply, dict) else None
        except (OSError, ValueError):
            pid = None
        if type(pid) is not int or pid <= 0 or pid == self.pid:
            self.stop()  # a broken importer: the next test starts a new one
            self.report = None
            return None
        deadline = time.monotonic() + REPARENT_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
                return pid  # our child now
            except ChildProcessError:
                time.sleep(0.001)
        return None

    def stop(self) -> None:
        """Kill the importer (and whatever it started) and reap it; its report is kept."""
        if self.pid is not None:
            for kill in (lambda: os.killpg(self.pid or 0, signal.SIGKILL),
                         lambda: os.kill(self.pid or 0, signal.SIGKILL)):
                try:
                    kill()
                except OSError:
                    pass
            try:
                _, status = os.waitpid(self.pid, 0)
                if self.report is None:
                    self.status = status
            except ChildProcessError:
                pass
            self.pid = None
        if self.ctl is not None:
            self.ctl.close()
            self.ctl = None

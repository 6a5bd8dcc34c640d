"""The untrusted side: runs inside the sandbox, imports the submission, serves calls.

Started as ``python -I -B worker.py --submission FILE ...`` next to a copy of protocol.py. It
imports heavy modules once; the submission is imported once, in an importer process, and each test
is forked from that snapshot (importer.py), so each test sees the freshly imported submission and
nothing a test patched leaks into the next; a submission whose import draws random numbers is
imported anew per test instead, so every test's seed decides what it sees, as before. Replies go out on a
private copy of fd 1; fd 1 itself is pointed at fd 2 before any student code runs, so ``print``
cannot corrupt the framing. Nothing here decides a verdict: the judge does.
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import importlib.abc
import importlib.util
import operator
import os
import random
import select
import signal
import socket
import struct
import sys
import traceback
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder off sys.path
import importer  # type: ignore[import-not-found]  # noqa: E402  # sibling file inside the sandbox
import protocol  # type: ignore[import-not-found]  # noqa: E402  # sibling file inside the sandbox
import wire  # type: ignore[import-not-found]  # noqa: E402  # sibling file inside the sandbox

OPERATORS: dict[str, Any] = {
    name: getattr(operator, name)
    for name in ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "neg", "pos", "abs",
                 "getitem", "setitem"]
}
OPERATORS.update({"len": len, "list": list, "repr": repr, "str": str,
                  "type_name": lambda obj: type(obj).__name__})


class ForbiddenImports(importlib.abc.MetaPathFinder):
    """Refuses the modules an exercise forbids (e.g. torchvision.ops for the IoU exercise)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        for name in self.names:
            if fullname == name or fullname.startswith(name + "."):
                raise ImportError(f"importing {fullname} is not allowed in this exercise")
        return None


class Session:
    """One test: the freshly imported submission and the objects handed out as handles."""

    def __init__(self, module: Any) -> None:
        self.module = module
        self.objects: dict[int, Any] = {}

    def make_handle(self, obj: Any) -> dict[str, Any]:
        handle_id = len(self.objects) + 1
        self.objects[handle_id] = obj
        return {"t": "handle", "id": handle_id, "type": type(obj).__name__}

    def resolve(self, ref: dict[str, Any]) -> Any:
        handle_id = ref.get("id")
        if handle_id == 0:
            return self.module
        if handle_id not in self.objects:
            raise LookupError(f"unknown handle {handle_id}")
        return self.objects[handle_id]

    def decode(self, value: Any) -> Any:
        return protocol.decode(value, self.resolve)

    def handle(self, request: dict[str, Any]) -> Any:
        op = request.get("op")
        target = self.resolve({"id": request.get("target", 0)})
        if op == "getattr":
            return getattr(target, str(request["name"]))
        if op == "setattr":
            setattr(target, str(request["name"]), self.decode(request["value"]))
            return None
        if op == "call":
            args = self.decode(request.get("args", []))
            kwargs = self.decode(request.get("kwargs", {"t": "dict", "v": []}))
            return target(*args, **kwargs)
        if op == "apply":
            function = OPERATORS[str(request["name"])]
            return function(*self.decode(request.get("args", [])))
        raise ValueError(f"unknown op {op!r}")


def error_reply(exc: BaseException) -> dict[str, Any]:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-8))
    return {"error": {"type": type(exc).__name__, "message": str(exc)[:4000], "traceback": text[-8000:]}}


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np_module = sys.modules.get("numpy")
    if np_module is not None:
        np_module.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        # the CPU generator is all there is here; torch.manual_seed would also queue a seed for CUDA,
        # XPU and MTIA, formatting the whole call stack three times (a few ms per test)
        torch.random.default_generator.manual_seed(seed)


def import_submission(path: str, forbidden: list[str]) -> Any:
    if forbidden:
        sys.meta_path.insert(0, ForbiddenImports(forbidden))
    directory = os.path.dirname(path)
    sys.path.insert(0, directory)
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def serve_test(replies: Any, begin: dict[str, Any], args: argparse.Namespace, requests: Any = None,
               imported: Any = None) -> None:
    """Runs in the forked child: import (unless forked from the imported snapshot), then answer requests
    until the judge ends the test."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.setpgid(0, 0)  # so the zygote can kill whatever this test's code started
    seed_everything(int(begin.get("seed", 0)))
    try:
        session = Session(imported if imported is not None else import_submission(args.submission, args.forbid))
        protocol.write_frame(replies, {"seq": begin["seq"], "ok": None})
    except BaseException as exc:  # noqa: BLE001 - SystemExit at import is a failed import too
        protocol.write_frame(replies, {"seq": begin["seq"], **error_reply(exc)})
        return
    stdin = requests if requests is not None else sys.stdin.buffer
    while True:
        request = protocol.read_frame(stdin)
        if request.get("op") == "end":
            return
        try:
            value = session.handle(request)
            reply: dict[str, Any] = {"ok": protocol.encode(value, session.make_handle)}
        except BaseException as exc:  # noqa: BLE001 - sys.exit() inside a call fails that call
            reply = error_reply(exc)
        reply["seq"] = request.get("seq")
        protocol.write_frame(replies, reply)


def fresh_test(ours: socket.socket, theirs: socket.socket, replies: Any, snapshot: Any, request: dict[str, Any],
               args: argparse.Namespace) -> None:
    """A test forked from this (never importing) process: it imports the submission itself."""
    ours.close()
    replies.close()  # the test's process never holds the judge's pipes: all it says goes via us
    if snapshot.ctl is not None:
        snapshot.ctl.close()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    fd = theirs.detach()
    serve_test(os.fdopen(os.dup(fd), "wb", buffering=0), request, args, os.fdopen(fd, "rb"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submission", required=True)
    parser.add_argument("--preload", default="")
    parser.add_argument("--forbid", action="append", default=[])
    args = parser.parse_args()

    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    wire.preload(args.preload)
    prctl(PR_SET_DUMPABLE, 0)  # a test's process cannot open our pipes through /proc/<pid>/fd
    prctl(PR_SET_CHILD_SUBREAPER, 1)  # whatever a test starts stays our descendant, so we can kill it
    protocol.write_frame(replies, {"ready": True, "pid": os.getpid()})

    judge = RawFrames(0)

    def start_importer(ctl: socket.socket, seed: int) -> None:
        replies.close()  # the importer never holds the judge's pipes
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)

        def serve(module: Any, begin: dict[str, Any], fd: int) -> None:
            serve_test(os.fdopen(os.dup(fd), "wb", buffering=0), begin, args, os.fdopen(fd, "rb"), module)

        importer.importer_main(ctl, seed, lambda: import_submission(args.submission, args.forbid), seed_everything,
                               error_reply, serve)

    snapshot = importer.Importer(start_importer)
    while True:
        try:
            request = protocol.parse_frame_body(judge.next_body())
        except EOFError:
            return
        seq = request.get("seq")
        if request.get("op") != "begin":
            protocol.write_frame(replies, {"seq": seq, "error": {"type": "NoTest", "message": "no test running"}})
            continue
        how = snapshot.outcome(int(request.get("seed", 0)))
        if how == "per-test" and snapshot.pid is not None:
            snapshot.stop()  # its import drew random numbers: each test imports anew, as its seed decides
        if how in ("error", "died"):  # the import failed once: every test gets that answer, at once
            if how == "error":
                assert snapshot.report is not None
                protocol.write_frame(replies, {"seq": seq, "error": snapshot.report.get("error")})
            protocol.write_frame(replies, {"seq": None, "exit": {"status": os.waitstatus_to_exitcode(
                snapshot.status or 0), "cpu_s": 0.0, "max_rss_kb": 0}})
            continue
        ours, theirs = socket.socketpair()
        child = snapshot.fork_test(request, theirs) if how == "ok" else None
        if child is None and how == "ok":  # the importer broke after importing: import anew for this test
            snapshot.stop()
            snapshot.report = None
        child = child if child is not None else os.fork()
        if child == 0:
            wire.exit_after(functools.partial(fresh_test, ours, theirs, replies, snapshot, request, args))
        theirs.close()
        outcome, nonce = relay_test(judge, ours, replies, child)
        ours.close()
        status, usage = kill_test(child, spare=snapshot.pid)
        exit_frame: dict[str, Any] = {
            "seq": None,
            "exit": {"status": os.waitstatus_to_exitcode(status),
                     "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_kb": usage.ru_maxrss},
        }
        if nonce is not None:
            exit_frame["nonce"] = nonce
        protocol.write_frame(replies, exit_frame)
        if outcome == "eof":
            return


# --- the zygote's side of a test (issue #10, item 4) -------------------------------------------
# The test's process talks only to us, over a socket pair; we relay its replies to the judge and
# the judge's requests to it. The judge's "end" never reaches it: we kill it and everything it
# started from outside, reap it, and only we write the exit frame (with the judge's nonce), so a
# test's code can neither forge an exit nor read the next test's "begin".

PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 4, 36


def prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class RawFrames:
    """Frames read straight from a file descriptor, so select() sees every byte not yet parsed."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer = fd, bytearray()

    def fill(self) -> bool:
        chunk = os.read(self.fd, 1 << 16)
        self.buffer += chunk
        return bool(chunk)

    def pop(self) -> bytes | None:
        """The next whole frame (header and body) if one is buffered."""
        if len(self.buffer) < 4:
            return None
        (length,) = struct.unpack(">I", self.buffer[:4])
        if length > protocol.MAX_FRAME_BYTES:
            raise protocol.ProtocolError(f"frame of {length} bytes exceeds the cap")
        if len(self.buffer) < 4 + length:
            return None
        frame = bytes(self.buffer[:4 + length])
        del self.buffer[:4 + length]
        return frame

    def next_body(self) -> bytes:
        while (frame := self.pop()) is None:
            if not self.fill():
                raise EOFError("stream closed")
        return frame[4:]


def forged(frame: bytes) -> bool:
    """A frame from the test's process that claims what only the zygote may say."""
    if b'"exit"' not in frame and b'"ready"' not in frame:
        return False
    try:
        message = protocol.parse_frame_body(frame[4:])
    except protocol.ProtocolError:
        return False
    return "exit" in message or "ready" in message


def relay_test(judge: RawFrames, sock: socket.socket, replies: Any, child: int) -> tuple[str, Any]:
    """Relay until the judge ends the test ("end", nonce), the test's process exits or hangs up
    ("gone") or the judge goes away ("eof")."""
    test = RawFrames(sock.fileno())
    try:
        exited: int | None = os.pidfd_open(child)  # readable once the child exits, whoever holds the socket
    except (AttributeError, OSError):
        exited = None
    try:
        while True:
            while (frame := judge.pop()) is not None:  # requests already buffered first
                request = protocol.parse_frame_body(frame[4:])
                if request.get("op") == "end":
                    return "end", request.get("nonce")
                sock.sendall(frame)
            watch = [judge.fd, test.fd] + ([exited] if exited is not None else [])
            ready, _, _ = select.select(watch, [], [], None if exited is not None else 0.1)
            if test.fd in ready and not forward(test, replies):
                return "gone", None
            if (exited in ready) if exited is not None else child_exited(child):
                while select.select([test.fd], [], [], 0)[0] and forward(test, replies):
                    pass  # what it said before exiting, e.g. why its import failed
                return "gone", None
            if judge.fd in ready and not judge.fill():
                return "eof", None
    finally:
        if exited is not None:
            os.close(exited)


def forward(test: RawFrames, replies: Any) -> bool:
    """Read what the test's process sent and pass its whole frames on; False once it hung up."""
    try:
        alive = test.fill()
        while (frame := test.pop()) is not None:
            if not forged(frame):
                view = memoryview(frame)
                while view:
                    view = view[replies.write(view):]
    except (OSError, protocol.ProtocolError):
        return False
    return alive


def child_exited(child: int) -> bool:
    try:
        return os.waitid(os.P_PID, child, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def descendants(spare: int | None = None) -> list[int]:
    """Every process below this one (a subreaper: orphans of a test are re-parented to us), except
    ``spare`` (the importer) and what is below it."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], [os.getpid()]
    while frontier:
        below = [pid for pid, parent in parents.items() if parent in frontier and pid not in found and pid != spare]
        found += below
        frontier = below
    return found


def kill_test(child: int, spare: int | None = None) -> tuple[int, Any]:
    """Kill the test's process and every process it started, from outside; its wait status and usage."""
    for kill in (lambda: os.killpg(child, signal.SIGKILL), lambda: os.kill(child, signal.SIGKILL)):
        try:
            kill()
        except OSError:
            pass
    _, status, usage = os.wait4(child, 0)
    for _ in range(100):
        rest = descendants(spare)
        if not rest:
            break
        for pid in rest:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in rest:  # our children are reaped; their orphans are re-parented to us for the next round
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return status, usage


if __name__ == "__main__":
    main()

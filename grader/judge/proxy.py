"""The judge's view of the submission: a client for the sandboxed worker and the handles it returns.

Only data crosses the boundary. Objects that are not data stay in the worker and come back as
``Handle``s, which forward attribute access, calls and arithmetic but refuse comparison and
truthiness, so a verdict can only ever be computed on decoded data here in the judge.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from grader.inside import protocol
from grader.judge.channel import FrameInbox, FrameWriter, pump_frames
from grader.sandbox.base import Sandbox, SandboxProcess
from grader.spec import ExerciseSpec


class StudentError(Exception):
    """The submission raised an exception (or failed to import) during a call."""

    def __init__(self, type_name: str, message: str, traceback: str = "", import_failed: bool = False) -> None:
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name, self.message, self.traceback = type_name, message, traceback
        self.import_failed = import_failed  # set by the judge, never read from the message


class StudentTimeout(Exception):
    """A call ran past its deadline and the worker was killed from outside."""


class WorkerCrashed(Exception):
    """The worker died (exit, signal, memory limit) or broke the protocol."""

    def __init__(self, message: str = "", limit: bool = False) -> None:
        super().__init__(message)
        self.limit = limit  # a kernel limit was hit (the message says which); never read from the text


class HandleMisuse(TypeError):
    """Comparing or truth-testing an object that lives in the sandbox."""


@dataclass
class TestStats:
    cpu_s: float | None = None
    max_rss_kb: int | None = None
    output: str = ""


class OutputBuffer:
    """What the submission printed, kept up to a cap while it is read (never parsed)."""

    def __init__(self, cap_bytes: int) -> None:
        self.cap, self.data, self.omitted = cap_bytes, bytearray(), 0
        self.lock = threading.Lock()

    def feed(self, chunk: bytes) -> None:
        with self.lock:
            room = self.cap - len(self.data)
            self.data += chunk[: max(room, 0)]
            self.omitted += max(len(chunk) - max(room, 0), 0)

    def mark(self) -> int:
        with self.lock:
            return len(self.data)

    def since(self, mark: int) -> str:
        with self.lock:
            text = bytes(self.data[mark:]).decode(errors="replace")
            return text + (f"\n… {self.omitted} bytes omitted" if self.omitted and len(self.data) >= self.cap else "")


def _pump_output(stream: Any, output: OutputBuffer) -> None:
    try:
        while chunk := stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536):
            output.feed(chunk)
    except (OSError, ValueError):
        pass


class WorkerClient:
    """Talks to one submission's worker; restarts it when it dies, kills it when it hangs."""

    def __init__(self, sandbox: Sandbox, spec: ExerciseSpec, deadline: float) -> None:
        self.sandbox, self.spec, self.deadline = sandbox, spec, deadline
        self.output = OutputBuffer(spec.limits.output_kb << 10)
        self.process: SandboxProcess | None = None
        self.frames = FrameInbox()  # bounded; replies are parsed one at a time when read
        self.writer: FrameWriter | None = None  # requests go out through it, bounded by a deadline
        self.seq = 0
        self.generation = 0
        self.in_test = False
        self.test_mark = 0
        self.stats = TestStats()
        self.started = False  # the worker reached "ready" at least once (else the sandbox is broken)
        self.import_timeout: str | None = None  # the import ran past its deadline once: so it does for every test

    # --- process lifecycle -------------------------------------------------------------------
    def _start(self) -> None:
        self.generation += 1
        self.frames = FrameInbox()
        argv = self.sandbox.worker_command(self.spec.submission, list(self.spec.preload),
                                           list(self.spec.forbidden_imports))
        process = self.sandbox.spawn(argv)
        self.process = process
        self.writer = FrameWriter(process.stdin)
        threading.Thread(target=pump_frames, args=(process.stdout, self.frames), daemon=True).start()
        threading.Thread(target=_pump_output, args=(process.stderr, self.output), daemon=True).start()
        kind, message = self._next_frame(self._call_deadline(self.spec.limits.import_timeout_s),
                                         self.spec.limits.import_timeout_s, "starting the worker")
        if kind != "frame" or not message.get("ready"):
            raise WorkerCrashed(f"the sandboxed worker did not start ({message})")
        self.started = True

    def _kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process = None
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        self.in_test = False

    def close(self) -> None:
        self._kill()

    def _call_deadline(self, limit: float) -> float:
        """One absolute deadline for a call, from the request: nothing the worker sends extends it."""
        return min(time.monotonic() + limit, self.deadline)

    def _next_frame(self, deadline: float, timeout: float, doing: str) -> tuple[str, Any]:
        try:
            return self.frames.get(deadline)
        except queue.Empty:
            limit = self.sandbox.limit_exceeded()
            self._kill()
            if limit:
                raise WorkerCrashed(limit, limit=True) from None
            raise self._timed_out(timeout, doing) from None

    def _timed_out(self, timeout: float, doing: str) -> StudentTimeout:
        if time.monotonic() >= self.deadline:
            return StudentTimeout(f"time limit exceeded ({self.spec.limits.total_timeout_s:g} s for the whole "
                                  f"submission) while {doing}")
        return StudentTimeout(f"time limit exceeded ({timeout:g} s) while {doing}")

    def _died(self, why: str) -> WorkerCrashed:
        limit = self.sandbox.limit_exceeded()
        self._kill()
        return WorkerCrashed(limit or why, limit=bool(limit))

    # --- one test ------------------------------------------------------------------------------
    def begin(self, seed: int) -> None:
        """Fork a fresh copy of the imported submission for one test. An import that timed out once fails
        every later test at once: a submission that hangs at import costs one import deadline, not one per test."""
        if self.import_timeout is not None:
            raise StudentTimeout(self.import_timeout)
        if self.process is None or self.process.poll() is not None:
            self._kill()
            self._start()
        self.test_mark = self.output.mark()
        self.stats = TestStats()
        self.in_test = True
        try:
            self._send({"op": "begin", "seed": seed}, self.spec.limits.import_timeout_s, "importing the submission")
        except StudentTimeout as exc:
            self.in_test = False
            if time.monotonic() < self.deadline:  # not the whole submission's deadline: the import's own
                self.import_timeout = str(exc)
            raise
        except StudentError as exc:
            try:
                self._await_exit(self._call_deadline(10.0), 10.0)
            except (StudentTimeout, WorkerCrashed):
                self._kill()
            self.in_test = False
            raise StudentError(exc.type_name, f"the submission failed to import: {exc.message}",
                               exc.traceback, import_failed=True) from None

    def end(self) -> TestStats:
        if self.in_test and self.process is not None:
            try:
                deadline = self._call_deadline(10.0)
                nonce = secrets.token_hex(16)  # only the worker's parent sees "end", so only it can echo this
                self._write({"op": "end", "seq": None, "nonce": nonce}, deadline, 10.0, "finishing the test")
                self._await_exit(deadline, 10.0, nonce)
            except (WorkerCrashed, StudentTimeout):
                pass
        self.in_test = False
        self.stats.output = self.output.since(self.test_mark)
        return self.stats

    def _await_exit(self, deadline: float, timeout: float, nonce: str | None = None) -> None:
        while True:
            kind, message = self._next_frame(deadline, timeout, "finishing the test")
            if kind != "frame":
                raise self._died("the worker stopped")
            if "exit" in message and message.get("nonce") == nonce:
                self._record_exit(message["exit"])
                return

    def _record_exit(self, info: Any) -> None:
        if isinstance(info, dict):
            cpu, rss = info.get("cpu_s"), info.get("max_rss_kb")
            self.stats.cpu_s = float(cpu) if isinstance(cpu, int | float) else None
            self.stats.max_rss_kb = int(rss) if type(rss) is int else None

    def _write(self, message: dict[str, Any], deadline: float, timeout: float, doing: str) -> None:
        """Send one request, waiting for the write no longer than the call's deadline."""
        assert self.process is not None and self.writer is not None
        try:
            written = self.writer.send(message, deadline)
        except (BrokenPipeError, OSError, ValueError):
            raise self._died("the worker is gone") from None
        if not written:  # the worker stopped reading its stdin (or filled the pipe itself)
            limit = self.sandbox.limit_exceeded()
            self._kill()
            raise WorkerCrashed(limit, limit=True) if limit else self._timed_out(timeout, doing)

    def _send(self, message: dict[str, Any], timeout: float, doing: str) -> Any:
        if not self.in_test or self.process is None:
            raise WorkerCrashed("the submission's process for this test is gone (see the earlier failure)")
        self.seq += 1
        message["seq"] = self.seq
        deadline = self._call_deadline(timeout)  # absolute: stale frames and heartbeats do not extend it
        self._write(message, deadline, timeout, doing)
        while True:
            kind, reply = self._next_frame(deadline, timeout, doing)
            if kind == "eof":
                raise self._died("the worker exited")
            if kind == "error":
                raise self._died(f"the worker broke the protocol: {reply}")
            if "exit" in reply:
                self._record_exit(reply["exit"])
                self.in_test = False
                status = reply["exit"].get("status") if isinstance(reply["exit"], dict) else None
                limit = self.sandbox.limit_exceeded()
                raise WorkerCrashed(limit or _exit_words(status, doing), limit=bool(limit))
            if reply.get("seq") != self.seq:
                continue  # a stale or forged frame: ignored, it decides nothing
            if "error" in reply:
                limit = self.sandbox.limit_exceeded()
                if limit:  # e.g. a fork bomb's BlockingIOError: the limit is the honest verdict
                    raise WorkerCrashed(limit, limit=True)
                error = reply["error"] if isinstance(reply["error"], dict) else {}
                raise StudentError(str(error.get("type", "Error"))[:200], str(error.get("message", ""))[:4000],
                                   str(error.get("traceback", ""))[-8000:])
            try:
                return protocol.decode(reply.get("ok"), self._make_handle)
            except protocol.ProtocolError as exc:
                raise self._died(f"the worker sent malformed data: {exc}") from None

    # --- the operations handles use -------------------------------------------------------------
    def _make_handle(self, ref: dict[str, Any]) -> Handle:
        handle_id, type_name = ref.get("id"), ref.get("type")
        if type(handle_id) is not int or type(type_name) is not str:
            raise protocol.ProtocolError("malformed handle")
        return Handle(self, handle_id, type_name[:100])

    def _encode(self, value: Any) -> Any:
        def handle_ref(obj: Any) -> dict[str, Any]:
            if isinstance(obj, Handle):
                if obj._client is not self or obj._generation != self.generation:
                    raise WorkerCrashed("this object belonged to a worker that has since been restarted")
                return {"t": "handle", "id": obj._id}
            raise TypeError(f"only data and student objects can be passed to the submission, not {type(obj).__name__}")

        return protocol.encode(value, handle_ref)

    def call_op(self, op: str, target: int, **fields: Any) -> Any:
        timeout = self.spec.limits.call_timeout_s
        what = fields.get("name") if op in ("getattr", "setattr", "apply") else "a call"
        return self._send({"op": op, "target": target, **fields}, timeout, f"running {what}")

    def encode_args(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        return {"args": self._encode(list(args)), "kwargs": self._encode(dict(kwargs))}


def _exit_words(status: Any, doing: str) -> str:
    if type(status) is int and status < 0:
        import signal

        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"the submission's process was killed by {name} while {doing}"
    return f"the submission's process exited (status {status}) while {doing}"


def _refuse(what: str) -> Any:
    def method(self: Handle, *args: Any) -> Any:
        raise HandleMisuse(
            f"cannot {what} a {self._type} that lives in the sandbox; read a data attribute first "
            f"(e.g. .data or .item()) and compare that")

    return method


def _binary(name: str, reflected: bool = False) -> Any:
    def method(self: Handle, other: Any) -> Any:
        args = (other, self) if reflected else (self, other)
        return self._apply(name, *args)

    return method


def _unary(name: str) -> Any:
    def method(self: Handle) -> Any:
        return self._apply(name, self)

    return method


class Handle:
    """An object that stays in the sandbox. Everything done to it is done there."""

    _grader_is_handle = True
    __slots__ = ("_client", "_id", "_type", "_generation")

    def __init__(self, client: WorkerClient, handle_id: int, type_name: str) -> None:
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "_id", handle_id)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_generation", client.generation)

    def _check(self) -> WorkerClient:
        client: WorkerClient = self._client
        if client.generation != self._generation or not client.in_test:
            raise WorkerCrashed(f"this {self._type} belonged to a worker that is gone")
        return client

    def _apply(self, name: str, *args: Any) -> Any:
        client = self._check()
        return client.call_op("apply", 0, name=name, args=client._encode(list(args)))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._check().call_op("getattr", self._id, name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        client = self._check()
        client.call_op("setattr", self._id, name=name, value=client._encode(value))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        client = self._check()
        return client.call_op("call", self._id, **client.encode_args(args, kwargs))

    def __repr__(self) -> str:
        return f"<student {self._type} #{self._id}>"

    def __len__(self) -> int:
        value = self._apply("len", self)
        if type(value) is not int:
            raise WorkerCrashed("len() of a student object did not give an int")
        return value

    def __iter__(self) -> Any:
        items = self._apply("list", self)
        if type(items) is not list:
            raise WorkerCrashed("iterating a student object did not give a list")
        return iter(items)

    def __getitem__(self, key: Any) -> Any:
        return self._apply("getitem", self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._apply("setitem", self, key, value)

    __add__, __radd__ = _binary("add"), _binary("add", True)
    __sub__, __rsub__ = _binary("sub"), _binary("sub", True)
    __mul__, __rmul__ = _binary("mul"), _binary("mul", True)
    __truediv__, __rtruediv__ = _binary("truediv"), _binary("truediv", True)
    __floordiv__, __rfloordiv__ = _binary("floordiv"), _binary("floordiv", True)
    __mod__, __rmod__ = _binary("mod"), _binary("mod", True)
    __pow__, __rpow__ = _binary("pow"), _binary("pow", True)
    __matmul__, __rmatmul__ = _binary("matmul"), _binary("matmul", True)
    __neg__, __pos__, __abs__ = _unary("neg"), _unary("pos"), _unary("abs")
    __eq__ = __ne__ = _refuse("compare")
    __lt__ = __le__ = __gt__ = __ge__ = _refuse("order")
    __bool__ = _refuse("truth-test")
    __hash__ = _refuse("hash")  # type: ignore[assignment]
    __float__ = __int__ = __index__ = __complex__ = _refuse("convert")
    __contains__ = _refuse("search")


class StudentModule:
    """The ``student`` fixture: attribute access reaches the submission's module."""

    def __init__(self, client: WorkerClient) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._client.call_op("getattr", 0, name=name)

    def __repr__(self) -> str:
        return f"<submission {self._client.spec.submission}>"


def type_name(value: Any) -> str:
    """The class name of a student object (or of plain data)."""
    return value._type if isinstance(value, Handle) else type(value).__name__


def remote_repr(value: Handle) -> str:
    """``repr()`` computed by the submission itself (e.g. to test a ``__repr__``)."""
    text = value._apply("repr", value)
    if type(text) is not str:
        raise WorkerCrashed("repr() of a student object did not give a str")
    return text

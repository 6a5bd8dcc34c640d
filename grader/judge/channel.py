"""The judge's two pipes to a worker, bounded in time and memory (issue #10, items 2 and 3).

* ``FrameWriter`` writes each request from one writer thread per worker, and the caller waits for
  it only until the call's deadline: a worker that stops reading its stdin (or fills the pipe
  itself through ``/proc/self/fd/0``) can no longer block the judge in a pipe write.
* ``FrameInbox`` holds the worker's replies as raw bytes between the reader thread and the judge,
  bounded by count and by bytes. A legitimate worker has at most a reply and an exit frame
  outstanding, so a flood of stale frames fails the worker ("broke the protocol") instead of
  growing the judge's heap; frames are parsed one at a time by the consumer, never queued parsed.
* ``pump_frames`` is the reader thread.

Nothing the worker sends extends a deadline: every wait here takes an absolute ``time.monotonic()``
deadline computed once, from the request.
"""

from __future__ import annotations

import collections
import json
import os
import queue
import resource
import struct
import threading
import time
from typing import IO, Any

from grader.inside import protocol

MAX_QUEUED_FRAMES = 8
MAX_QUEUED_BYTES = protocol.MAX_FRAME_BYTES + (1 << 20)
JUDGE_MEMORY_ENV = "GRADER_JUDGE_MEMORY_MB"
DEFAULT_JUDGE_MEMORY_MB = 4096


class FrameInbox:
    """What the worker sent and the judge has not read yet: ("frame", bytes) | ("eof", None) |
    ("error", words). Bounded: past ``max_frames`` or ``max_bytes`` unread, the rest is refused."""

    def __init__(self, max_frames: int = MAX_QUEUED_FRAMES, max_bytes: int = MAX_QUEUED_BYTES) -> None:
        self.max_frames, self.max_bytes = max_frames, max_bytes
        self.items: collections.deque[tuple[str, Any]] = collections.deque()
        self.queued_bytes = 0
        self.cond = threading.Condition()

    def put(self, kind: str, value: Any) -> bool:
        """Queue one item; False (and a final "error" item) when the worker flooded the judge."""
        with self.cond:
            if kind == "frame":
                frames = sum(1 for k, _ in self.items if k == "frame")
                if frames >= self.max_frames or self.queued_bytes + len(value) > self.max_bytes:
                    self.items.append(("error", f"it sent more than {self.max_frames} frames or "
                                                f"{self.max_bytes >> 20} MiB that nobody asked for"))
                    self.cond.notify_all()
                    return False
                self.queued_bytes += len(value)
            self.items.append((kind, value))
            self.cond.notify_all()
            return True

    def get(self, deadline: float) -> tuple[str, Any]:
        """The next item, parsed; raises queue.Empty at ``deadline`` (absolute, monotonic)."""
        with self.cond:
            while not self.items:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise queue.Empty
                self.cond.wait(remaining)
            kind, value = self.items.popleft()
            if kind == "frame":
                self.queued_bytes -= len(value)
        if kind != "frame":
            return kind, value
        try:
            return "frame", protocol.parse_frame_body(value)
        except protocol.ProtocolError as exc:
            return "error", str(exc)
        except MemoryError:
            return "error", "a frame too large to decode within the judge's memory limit"


def pump_frames(stream: IO[bytes], inbox: FrameInbox) -> None:
    """Reader thread: split the worker's stdout into frames until EOF, an error or a flood."""
    try:
        while True:
            header = stream.read(4)
            if len(header) < 4:
                inbox.put("eof", None)
                return
            (length,) = struct.unpack(">I", header)
            if length > protocol.MAX_FRAME_BYTES:
                inbox.put("error", f"reply of {length} bytes exceeds the cap")
                return
            if not inbox.put("frame", protocol.read_exact(stream, length)):
                return
    except EOFError:
        inbox.put("eof", None)
    except (OSError, ValueError, MemoryError) as exc:
        inbox.put("error", str(exc) or type(exc).__name__)


class FrameWriter:
    """One thread writes requests to the worker's stdin; ``send`` waits for it until a deadline."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.requests: queue.SimpleQueue[tuple[bytes, threading.Event, list[BaseException]] | None] = \
            queue.SimpleQueue()
        self.stuck = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while (item := self.requests.get()) is not None:
            data, done, failure = item
            try:
                self.stream.write(data)
                self.stream.flush()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                failure.append(exc)
            done.set()

    def send(self, message: dict[str, Any], deadline: float) -> bool:
        """Write one frame; False if it was not written by ``deadline`` (the worker stopped reading).
        Raises what the write raised (BrokenPipeError, OSError, ValueError on a closed pipe)."""
        if self.stuck:
            return False
        body = json.dumps(message, separators=(",", ":")).encode()
        if len(body) > protocol.MAX_FRAME_BYTES:
            raise protocol.ProtocolError(f"message of {len(body)} bytes exceeds the "
                                         f"{protocol.MAX_FRAME_BYTES} byte cap")
        done, failure = threading.Event(), []  # type: ignore[var-annotated]
        self.requests.put((struct.pack(">I", len(body)) + body, done, failure))
        if not done.wait(max(0.0, deadline - time.monotonic())):
            self.stuck = True  # the thread stays blocked until the worker is killed and the pipe breaks
            return False
        if failure:
            raise failure[0]
        return True

    def close(self) -> None:
        self.requests.put(None)


def judge_memory_bytes() -> int | None:
    """The address-space limit for a judge process (``GRADER_JUDGE_MEMORY_MB``; 0 = none)."""
    try:
        megabytes = int(os.environ.get(JUDGE_MEMORY_ENV, DEFAULT_JUDGE_MEMORY_MB))
    except ValueError:
        megabytes = DEFAULT_JUDGE_MEMORY_MB
    return megabytes << 20 if megabytes > 0 else None


def limit_judge_memory() -> None:
    """Bound this judge process's address space (soft limit only: sandboxed children it starts
    reset it, so the sandbox's own limits still decide theirs)."""
    limit = judge_memory_bytes()
    if limit is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

"""Turning a container's attach socket into per-process pipes.

A non-tty attach stream multiplexes stdout and stderr in frames with an 8-byte header. One thread
per container reads it and writes each byte into the os.pipe() of the *generation* it belongs to:
a generation is one worker started inside the container (see boot.py). Generations are separated
by markers carrying a fresh random nonce that the host writes only after every process of the
previous generation is dead, so nothing an earlier generation printed can reach a later one.
"""

from __future__ import annotations

import os
import secrets
import select
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from grader.inside.wire import SYNC_MARKER

SYNC = SYNC_MARKER
END = b"\x00\x00GRADER-END "
STDOUT, STDERR = 1, 2


@dataclass
class Generation:
    """One worker process inside a container, with the pipes the judge reads."""

    nonce: bytes = field(default_factory=lambda: secrets.token_hex(16).encode())
    exit_code: int | None = None
    synced: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.out_r, out_w = os.pipe()
        self.err_r, err_w = os.pipe()
        for fd in (out_w, err_w):
            os.set_blocking(fd, False)  # never block the router while holding the lock
        self.writers: dict[int, int | None] = {STDOUT: out_w, STDERR: err_w}

    def write(self, stream: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            with self.lock:
                fd = self.writers.get(stream)
                if fd is None:
                    return
                try:
                    view = view[os.write(fd, view):]
                    continue
                except BlockingIOError:
                    pass
                except OSError:  # the judge closed its end: drop the rest
                    self._close(stream)
                    return
            try:
                select.select([], [fd], [], 0.2)
            except (OSError, ValueError):
                pass

    def close_writer(self, stream: int) -> None:
        with self.lock:
            self._close(stream)

    def _close(self, stream: int) -> None:
        fd = self.writers.get(stream)
        if fd is not None:
            self.writers[stream] = None
            os.close(fd)

    def finish(self, code: int | None = None) -> None:
        """Close both pipes (the judge sees EOF) and record how the generation ended."""
        for stream in (STDOUT, STDERR):
            self.close_writer(stream)
        if self.exit_code is None:
            self.exit_code = -9 if code is None else code
        self.synced.set()
        self.ended.set()


@dataclass
class _Stream:
    buffer: bytearray = field(default_factory=bytearray)
    phase: str = "idle"  # idle (discard) | wait (for SYNC) | route | ending (reading END's status)


class Router(threading.Thread):
    """Reads one container's attach socket until it closes; see the module docstring."""

    def __init__(self, sock: socket.socket, on_stdout: Callable[[], bool] | None = None) -> None:
        super().__init__(daemon=True, name="docker-attach")
        self.sock = sock
        self.on_stdout = on_stdout  # called before stdout bytes are forwarded; False = drop them (killed)
        self.lock = threading.Lock()
        self.generation: Generation | None = None
        self.streams = {STDOUT: _Stream(), STDERR: _Stream()}
        self.closed = threading.Event()
        self.discarded = 0

    def expect(self, generation: Generation) -> None:
        """Route what follows ``generation``'s SYNC marker to its pipes; end any earlier one."""
        with self.lock:
            previous, self.generation = self.generation, generation
            for stream in self.streams.values():
                stream.buffer.clear()
                stream.phase = "wait"
        if previous is not None:
            previous.finish()
        if self.closed.is_set():
            generation.finish()

    def run(self) -> None:
        try:
            while True:
                header = self._recv(8)
                if header is None:
                    break
                kind, size = header[0], struct.unpack(">I", header[4:])[0]
                payload = self._recv(size)
                if payload is None:
                    break
                if kind in self.streams:
                    with self.lock:  # expect() never interleaves with routing one frame
                        self._route(kind, payload)
        finally:
            self.closed.set()
            with self.lock:
                generation = self.generation
            if generation is not None:
                generation.finish()

    def _recv(self, n: int) -> bytes | None:
        chunks, left = [], n
        while left:
            try:
                chunk = self.sock.recv(min(left, 1 << 20))
            except OSError:
                return None
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _route(self, kind: int, payload: bytes) -> None:
        generation, stream = self.generation, self.streams[kind]
        if generation is None or stream.phase == "idle":
            self.discarded += len(payload)
            return
        if stream.phase == "wait":
            stream.buffer += payload
            marker = SYNC + generation.nonce + b"\n"
            at = stream.buffer.find(marker)
            if at < 0:
                self.discarded += max(0, len(stream.buffer) - len(marker))
                del stream.buffer[: max(0, len(stream.buffer) - len(marker))]
                return
            payload = bytes(stream.buffer[at + len(marker):])
            stream.buffer.clear()
            stream.phase = "route"
            if kind == STDOUT:
                generation.synced.set()
        if stream.phase == "route":
            end = END + generation.nonce + b" "
            window = bytes(stream.buffer[-len(end):]) + payload
            at = window.find(end)
            if at < 0:
                stream.buffer = bytearray(window[-len(end):])
                self._write(generation, kind, payload)
                return
            keep = at - (len(window) - len(payload))
            self._write(generation, kind, payload[: max(keep, 0)])
            stream.buffer = bytearray(window[at + len(end):])
            stream.phase = "ending"
            payload = b""
        if stream.phase == "ending":
            stream.buffer += payload
            if b"\n" not in stream.buffer:
                return
            status = bytes(stream.buffer.split(b"\n", 1)[0])
            stream.buffer.clear()
            stream.phase = "idle"
            if kind == STDOUT:
                generation.exit_code = int(status) if status.lstrip(b"-").isdigit() else -1
            generation.close_writer(kind)
            if all(s.phase == "idle" for s in self.streams.values()):
                generation.ended.set()

    def _write(self, generation: Generation, kind: int, data: bytes) -> None:
        if data and (kind != STDOUT or self.on_stdout is None or self.on_stdout()):
            generation.write(kind, data)


class SocketWriter:
    """The worker's stdin: writes go straight to the attach socket while the generation lives."""

    def __init__(self, sock: socket.socket, lock: threading.Lock, generation: Generation) -> None:
        self.sock, self.lock, self.generation = sock, lock, generation
        self.closed = False

    def write(self, data: bytes) -> int:
        if self.closed or self.generation.ended.is_set():
            raise BrokenPipeError("the sandboxed process is gone")
        with self.lock:
            self.sock.sendall(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def reader(fd: int) -> IO[bytes]:
    return os.fdopen(fd, "rb", buffering=0)

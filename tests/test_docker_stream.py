"""The attach-stream router on its own (no engine): generations are separated by nonces the
previous generation never saw, so nothing it printed or forged reaches the next one."""

from __future__ import annotations

import os
import socket
import struct

from grader.sandbox.docker_stream import END, STDERR, STDOUT, SYNC, Generation, Router


def frame(stream: int, data: bytes) -> bytes:
    return bytes([stream, 0, 0, 0]) + struct.pack(">I", len(data)) + data


def read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def start() -> tuple[socket.socket, Router]:
    ours, theirs = socket.socketpair()
    router = Router(ours)
    router.start()
    return theirs, router


def test_only_bytes_after_the_generations_sync_reach_it_and_end_closes_its_pipes():
    container, router = start()
    generation = Generation()
    router.expect(generation)
    forged = SYNC + b"0" * 32 + b"\n"
    container.sendall(frame(STDOUT, b"left over from before " + forged + b"more junk"))
    marker = SYNC + generation.nonce + b"\n"
    # the marker split across two frames, the payload right behind it
    container.sendall(frame(STDOUT, marker[:10]) + frame(STDOUT, marker[10:] + b"hello "))
    container.sendall(frame(STDERR, b"noise" + marker + b"printed"))
    container.sendall(frame(STDOUT, b"world") + frame(STDOUT, END + generation.nonce + b" 3\n" + b"after"))
    container.sendall(frame(STDERR, END + generation.nonce + b" 3\n"))
    assert generation.ended.wait(5)
    assert read_all(generation.out_r) == b"hello world"
    assert read_all(generation.err_r) == b"printed"
    assert generation.exit_code == 3
    container.close()


def test_a_new_generation_never_sees_the_previous_ones_output():
    container, router = start()
    first, second = Generation(), Generation()
    router.expect(first)
    container.sendall(frame(STDOUT, SYNC + first.nonce + b"\nfirst"))
    assert first.synced.wait(5)
    router.expect(second)  # the host killed the first generation
    container.sendall(frame(STDOUT, b"late output of the first " + SYNC + first.nonce + b"\n"))
    container.sendall(frame(STDOUT, SYNC + second.nonce + b"\nsecond"))
    assert second.synced.wait(5)
    container.close()
    assert second.ended.wait(5)
    assert read_all(first.out_r) == b"first"
    assert read_all(second.out_r) == b"second"
    assert second.exit_code == -9  # the container went away


def test_a_reader_that_stops_reading_never_blocks_the_router():
    container, router = start()
    generation = Generation()
    router.expect(generation)
    container.sendall(frame(STDOUT, SYNC + generation.nonce + b"\n"))
    os.close(generation.out_r)  # the judge gave up on this generation
    container.sendall(frame(STDOUT, b"x" * (1 << 20)))
    follow = Generation()
    router.expect(follow)
    container.sendall(frame(STDOUT, SYNC + follow.nonce + b"\nok"))
    assert follow.synced.wait(5)
    container.close()
    assert read_all(follow.out_r) == b"ok"

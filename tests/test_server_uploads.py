"""Uploads to the course server: streamed with or without Content-Length, refused at the cap (413) with
nothing stored, and every hostile file refused by the intake with a clear message and nothing stored
(no database row, no file in the store, no temporary file left behind).

Real `grader serve` (uvicorn) and real httpx streaming request bodies (chunked transfer encoding).
"""

from __future__ import annotations

import io
import itertools
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import server_db
import test_server
from conftest import REFERENCE_TOY
from test_server import Running, zip_bytes

database = server_db.database
server = test_server.server  # the running `grader serve` fixture
MIB = 1 << 20


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server's TMPDIR: whatever an upload leaves behind would be here."""
    folder = tmp_path / "server-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def chunks(data: bytes, size: int = 16 * 1024) -> Iterator[bytes]:
    for at in range(0, len(data), size):
        yield data[at:at + size]


def streamed(server: Running, body: Iterator[bytes], path: str = "/api/submissions",
             content_type: str = "application/octet-stream") -> httpx.Response:
    request = httpx.Request("POST", server.url + path, content=body,
                            headers={"Authorization": f"Bearer {server.tokens['alice']}", "Content-Type": content_type})
    assert "content-length" not in request.headers and request.headers["transfer-encoding"] == "chunked"
    with httpx.Client(timeout=120) as client:
        return client.send(request)


def multipart(exercise: str, name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart form as `grader submit` sends it: (body, content type)."""
    request = httpx.Request("POST", "http://x/", data={"exercise": exercise}, files={"file": (name, content)})
    return request.read(), request.headers["content-type"]


def assert_nothing_stored(server: Running, scratch: Path, submissions: int = 0) -> None:
    assert server.rows("select count(*) from submissions") == [(submissions,)]
    assert server.rows("select count(*) from jobs") == [(submissions,)]
    store = server.data / "store"
    assert sum(1 for p in store.rglob("*") if p.is_file()) == submissions if store.exists() else submissions == 0
    assert list(scratch.iterdir()) == [], "an upload left temporary files behind"


def test_a_body_without_content_length_is_streamed_and_accepted_raw_or_multipart(server: Running,
                                                                                 scratch: Path) -> None:
    server.start(workers=0)
    raw = streamed(server, chunks(REFERENCE_TOY.encode(), 100), "/api/submissions?exercise=w01-toy&name=toy.py")
    assert raw.status_code == 201, raw.text
    assert raw.json()["file"] == "toy.py" and raw.json()["exercise"] == "w01-toy"
    body, content_type = multipart("w01-toy", "toy.py", (REFERENCE_TOY + "# the second\n").encode())
    form = streamed(server, chunks(body, 1000), content_type=content_type)
    assert form.status_code == 201, form.text
    stored = sorted(p.read_bytes() for p in (server.data / "store").rglob("toy.py"))
    assert stored == sorted([REFERENCE_TOY.encode(), (REFERENCE_TOY + "# the second\n").encode()])
    missing = streamed(server, chunks(b"x = 1\n"), "/api/submissions?exercise=w01-toy")
    assert missing.status_code == 400 and "?exercise=ID&name=FILE" in missing.json()["error"]
    assert_nothing_stored(server, scratch, submissions=2)


def endless(total: int, sent: list[int], chunk: bytes = b"0" * MIB) -> Iterator[bytes]:
    """``total`` bytes, counting what the server actually took from us."""
    while sent[0] < total:
        sent[0] += len(chunk)
        yield chunk


def test_an_oversize_chunked_body_is_refused_at_the_cap_with_nothing_stored(server: Running, scratch: Path) -> None:
    server.start(workers=0)
    sent = [0]
    raw = streamed(server, endless(400 * MIB, sent), "/api/submissions?exercise=w01-toy&name=toy.zip")
    assert raw.status_code == 413 and raw.json()["error"] == "not submitted: uploads must be under 50 MiB"
    assert sent[0] < 200 * MIB, f"the server read {sent[0] >> 20} MiB before refusing"  # at the cap, not the end
    head, content_type = multipart("w01-toy", "toy.zip", b"")
    prefix, _, _ = head.rpartition(b"\r\n--")  # the form up to the (empty) file's bytes, then a body that never ends
    sent = [0]
    form = streamed(server, itertools.chain([prefix], endless(400 * MIB, sent)), content_type=content_type)
    assert form.status_code == 413 and "under 50 MiB" in form.json()["error"]
    assert sent[0] < 200 * MIB
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:  # says 60 MiB, sends 1 KiB, waits
        sock.sendall(f"POST /api/submissions?exercise=w01-toy&name=toy.py HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {server.tokens['alice']}\r\nContent-Length: {60 * MIB}\r\n\r\n"
                     .encode() + b"x" * 1024)
        declared = sock.recv(65536).decode()
    assert declared.startswith("HTTP/1.1 413")  # refused on the header alone, without waiting for the body
    assert_nothing_stored(server, scratch)
    assert server.upload("alice", "toy.py", REFERENCE_TOY.encode()).status_code == 201  # the server is fine


def notebook(kernel: str = "python") -> bytes:
    import json

    metadata = {"kernelspec": {"name": kernel, "language": kernel, "display_name": kernel}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": metadata}).encode()


def many_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("toy.py", REFERENCE_TOY)
        for n in range(count):
            archive.writestr(f"data/{n}.txt", "x")
    return buffer.getvalue()


HOSTILE = {
    ("toy.py", b"x = 1\n" * 200_000): "under 1.0 MiB",
    ("traverse.zip", zip_bytes({"src/../../toy.py": REFERENCE_TOY})): "contains '..'",
    ("windows.zip", zip_bytes({"..\\toy.py": REFERENCE_TOY})): "Windows path",
    ("drive.zip", zip_bytes({"C:/toy.py": REFERENCE_TOY})): "absolute or Windows path",
    ("abs.zip", zip_bytes({"/etc/toy.py": REFERENCE_TOY})): "absolute",
    ("link.zip", zip_bytes({"toy.py": REFERENCE_TOY}, link="data.txt")): "symbolic link",
    ("bomb.zip", zip_bytes({"toy.py": REFERENCE_TOY, "zeros.bin": "0" * (51 << 20)})): "unpacks to more than",
    ("crowd.zip", many_members(250)): "at most 200 are allowed",
    ("deep.zip", zip_bytes({"/".join(["d"] * 12) + "/toy.py": REFERENCE_TOY})): "nested too deeply",
    ("garbage.zip", b"PK\x03\x04 not really a zip"): "not a readable .zip archive",
    ("shadow.zip", zip_bytes({"toy.py": REFERENCE_TOY, "conftest.py": "import os\n"})): "would shadow a module",
    ("twice.zip", zip_bytes({"a/toy.py": REFERENCE_TOY, "b/toy.py": REFERENCE_TOY})): "could be your submission",
    ("named.zip", zip_bytes({"solution.py": REFERENCE_TOY})): "Rename your file to toy.py",
    ("toy.ipynb", b"{not json"): "not a valid Jupyter notebook",
    ("empty.ipynb", b"{}"): "not a valid Jupyter notebook",
    ("r.ipynb", notebook("ir")): "kernel",
    ("latin.ipynb", "{\"caf\xe9\": 1}".encode("latin-1")): "not UTF-8",
    ("toy.exe", b"MZ"): "not 'toy.exe'",
    ("toy", REFERENCE_TOY.encode()): "not 'toy'",
}


def test_hostile_files_are_refused_with_a_clear_message_and_nothing_stored(server: Running, scratch: Path) -> None:
    server.start(workers=0)
    for (name, content), words in HOSTILE.items():
        for how in ("form", "raw"):
            if how == "form":
                answer = server.upload("carol", name, content)
            else:
                answer = server.api("POST", f"/api/submissions?exercise=w01-toy&name={name}", "carol",
                                    content=content)
            assert answer.status_code == 422, (name, how, answer.text)
            error = answer.json()["error"]
            assert error.startswith("not submitted") and words in error, (name, how, error)
    broken = httpx.post(server.url + "/api/submissions", content=b"--x\r\nnonsense", timeout=60,
                        headers={"Content-Type": "multipart/form-data; boundary=x",
                                 "Authorization": f"Bearer {server.tokens['carol']}"})
    assert broken.status_code == 400, broken.text
    two = server.api("POST", "/api/submissions", "carol", data={"exercise": "w01-toy"},
                     files=[("file", ("toy.py", REFERENCE_TOY.encode())), ("file", ("b.py", b"x = 1\n"))])
    assert two.status_code == 400, two.text
    assert_nothing_stored(server, scratch)

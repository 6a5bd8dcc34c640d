"""One intake for uploads, whichever door they come through (the JSON API or the student's upload page):
the size cap on the declared and the received length, the student's submission limit
(grader/server/limits.py), then grader/server/store.py ``accept`` (the same checks as `grader submit`).
Nothing is stored unless it is accepted.

The JSON API streams the body itself (``stream_body``), in two forms, with or without Content-Length (a
chunked body is welcome):

- ``multipart/form-data`` with the fields ``exercise`` and ``file`` (what `grader submit` sends);
- any other content type: the body is the file, named by the query,
  ``POST /api/submissions?exercise=w01-toy&name=toy.py`` (``curl -T toy.py``).

The bytes are counted as they arrive. A Content-Length over the cap is refused before anything is
read; a body (chunked or lying) that passes the cap is refused with 413 at that chunk and the
connection is closed rather than read to the end; the part already received is in a temporary file
that is deleted. The whole body must arrive within ``UPLOAD_DEADLINE_S`` (a client that trickles bytes
cannot hold a server slot for long). The upload page reads a browser's form (browsers always send a
Content-Length, checked by ``declared_ok`` first) and hands its file to ``receive``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import tempfile
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from grader.inbox import SubmitError
from grader.server.db import Submission, utcnow
from grader.server.limits import TooManySubmissions, submission_limits, waiting
from grader.server.store import MAX_UPLOAD_BYTES, Server, accept
from grader.text import clean

FORM_SLACK = 64 * 1024  # the multipart envelope and the other fields around the file
TOO_LARGE = f"not submitted: uploads must be under {MAX_UPLOAD_BYTES >> 20} MiB"
UPLOAD_DEADLINE_S = 300.0


class UploadRefused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        # refused before the whole body was read: close the connection rather than read the rest to discard it
        self.headers = headers or ({"Connection": "close"} if status in (408, 413) else {})


@dataclass(frozen=True)
class Upload:
    exercise: str
    filename: str  # the student's name for it: only a label (the store uses a canonical name)
    path: Path


def declared_ok(length: str | None) -> bool:
    """The Content-Length is given and small enough to read the form at all."""
    return length is not None and length.isdigit() and int(length) <= MAX_UPLOAD_BYTES + FORM_SLACK


async def accept_upload(server: Server, student: str, upload: Upload) -> tuple[Submission, list[str]]:
    """The submission limit, then the intake; raises UploadRefused (429 with Retry-After, or 422)."""
    limits = await run_in_threadpool(submission_limits, server.root)
    try:
        with server.sessions() as session:  # a full bucket answers before intake runs; accept takes the token
            retry_at = waiting(session, student, upload.exercise, limits, utcnow())
        if retry_at is not None:
            raise TooManySubmissions(clean(upload.exercise, 64), retry_at, limits)
        return await run_in_threadpool(accept, server, student, upload.exercise, upload.path, upload.filename,
                                       None, limits)
    except TooManySubmissions as exc:
        wait = max(1, int((exc.retry_at - dt.datetime.now(dt.UTC)).total_seconds() + 0.999))
        raise UploadRefused(429, str(exc), {"Retry-After": str(wait)}) from None
    except SubmitError as exc:
        raise UploadRefused(422, clean(str(exc), 2000)) from None


async def receive(server: Server, student: str, exercise: object, upload: object) -> tuple[Submission, list[str]]:
    """Accept one file of a parsed form for ``exercise``; raises UploadRefused with the student's message."""
    if not isinstance(exercise, str) or not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadRefused(400, "send the exercise id and one file")
    with tempfile.TemporaryDirectory(prefix="grader-recv-") as tmp:
        path = Path(tmp) / "upload"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise UploadRefused(413, TOO_LARGE)
        return await accept_upload(server, student, Upload(exercise, upload.filename, path))


def too_large(cap: int) -> UploadRefused:
    return UploadRefused(413, f"not submitted: uploads must be under {cap >> 20} MiB")


async def capped(request: Request, limit: int, cap: int) -> AsyncGenerator[bytes, None]:
    """The request body, refused (413) at the first chunk that takes it past ``limit`` bytes."""
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise too_large(cap)
        yield chunk


async def _multipart(request: Request, target: Path, cap: int) -> tuple[str, str]:
    parser = MultiPartParser(request.headers, capped(request, cap + FORM_SLACK, cap), max_files=1,
                             max_fields=4)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise UploadRefused(400, f"not submitted: {exc.message}") from None
    try:
        exercise, upload = form.get("exercise"), form.get("file")
        if not isinstance(exercise, str) or not isinstance(upload, UploadFile) or not upload.filename:
            raise UploadRefused(400, "send the exercise id and one file")

        def copy() -> None:
            with target.open("wb") as out:
                shutil.copyfileobj(upload.file, out)

        await run_in_threadpool(copy)
        return exercise, upload.filename
    finally:
        await form.close()


async def _raw(request: Request, target: Path, cap: int) -> tuple[str, str]:
    exercise, name = request.query_params.get("exercise"), request.query_params.get("name")
    if not exercise or not name:
        raise UploadRefused(400, "send a multipart form (exercise, file), or the file as the body with "
                                 "?exercise=ID&name=FILE")
    with target.open("wb") as out:
        async for chunk in capped(request, cap, cap):
            out.write(chunk)
    return exercise, name


async def stream_body(request: Request, folder: Path, cap: int = MAX_UPLOAD_BYTES,
                      deadline_s: float = UPLOAD_DEADLINE_S) -> Upload:
    """Stream the upload into ``folder`` (a temporary folder the caller deletes); raises UploadRefused."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > cap + FORM_SLACK):
        raise too_large(cap)
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    target = folder / "upload"
    try:
        async with asyncio.timeout(deadline_s):
            if content_type == "multipart/form-data":
                exercise, name = await _multipart(request, target, cap)
            else:
                exercise, name = await _raw(request, target, cap)
    except TimeoutError:
        raise UploadRefused(408, f"not submitted: the upload took longer than {deadline_s:g} s; try again") from None
    if target.stat().st_size > cap:
        raise too_large(cap)
    return Upload(exercise, name, target)

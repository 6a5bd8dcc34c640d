"""Receiving an upload: the body streamed to a temporary file under a hard cap, with or without Content-Length.

Two forms, both streamed (a chunked body has no Content-Length and is welcome):

- ``multipart/form-data`` with the fields ``exercise`` and ``file`` (what `grader submit` sends);
- any other content type: the body is the file, named by the query,
  ``POST /api/submissions?exercise=w01-toy&name=toy.py`` (``curl -T toy.py``).

The bytes are counted as they arrive. A Content-Length over the cap is refused before anything is
read; a body (chunked or lying) that passes the cap is refused with 413 at that chunk, and the part
already received is in a temporary file that is deleted: nothing is stored. The whole body must
arrive within ``UPLOAD_DEADLINE_S`` (a client that trickles bytes cannot hold a server slot).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

MULTIPART_OVERHEAD = 64 * 1024  # the form's boundaries, headers and the exercise field, on top of the file
UPLOAD_DEADLINE_S = 300.0


class UploadRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        # refused before the whole body was read: close the connection rather than read the rest to discard it
        self.headers = {"Connection": "close"} if status in (408, 413) else {}


@dataclass(frozen=True)
class Upload:
    exercise: str
    filename: str  # the student's name for it: only a label (the store uses a canonical name)
    path: Path
    fields: dict[str, str] = field(default_factory=dict)  # the form's other text fields (the page's csrf)


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


async def _multipart(request: Request, target: Path, cap: int) -> tuple[str, str, dict[str, str]]:
    parser = MultiPartParser(request.headers, capped(request, cap + MULTIPART_OVERHEAD, cap), max_files=1,
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
        return exercise, upload.filename, {k: v for k, v in form.items() if isinstance(v, str)}
    finally:
        await form.close()


async def _raw(request: Request, target: Path, cap: int) -> tuple[str, str, dict[str, str]]:
    exercise, name = request.query_params.get("exercise"), request.query_params.get("name")
    if not exercise or not name:
        raise UploadRefused(400, "send a multipart form (exercise, file), or the file as the body with "
                                 "?exercise=ID&name=FILE")
    with target.open("wb") as out:
        async for chunk in capped(request, cap, cap):
            out.write(chunk)
    return exercise, name, {}


async def receive(request: Request, folder: Path, cap: int, deadline_s: float = UPLOAD_DEADLINE_S) -> Upload:
    """Stream the upload into ``folder`` (a temporary folder the caller deletes); raises UploadRefused."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > cap + MULTIPART_OVERHEAD):
        raise too_large(cap)
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    target = folder / "upload"
    try:
        async with asyncio.timeout(deadline_s):
            if content_type == "multipart/form-data":
                exercise, name, fields = await _multipart(request, target, cap)
            else:
                exercise, name, fields = await _raw(request, target, cap)
    except TimeoutError:
        raise UploadRefused(408, f"not submitted: the upload took longer than {deadline_s:g} s; try again") from None
    if target.stat().st_size > cap:
        raise too_large(cap)
    return Upload(exercise, name, target, fields)

"""One intake for uploads, whichever door they come through (the JSON API or the student's upload page):
the size cap on the declared and the received length, then grader/server/store.py ``accept`` (the same
checks as `grader submit`), and the worker pool woken. Nothing is stored unless it is accepted.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from grader.inbox import SubmitError
from grader.server.db import Submission
from grader.server.store import MAX_UPLOAD_BYTES, Server, accept
from grader.text import clean

FORM_SLACK = 64 * 1024  # the multipart envelope and the other fields around the file
TOO_LARGE = f"not submitted: uploads must be under {MAX_UPLOAD_BYTES >> 20} MiB"


class UploadRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def declared_ok(length: str | None) -> bool:
    """The Content-Length is given and small enough to read the form at all."""
    return length is not None and length.isdigit() and int(length) <= MAX_UPLOAD_BYTES + FORM_SLACK


async def receive(server: Server, student: str, exercise: object, upload: object) -> tuple[Submission, list[str]]:
    """Accept one uploaded file for ``exercise``; raises UploadRefused with the student's message."""
    if not isinstance(exercise, str) or not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadRefused(400, "send the exercise id and one file")
    with tempfile.TemporaryDirectory(prefix="grader-recv-") as tmp:
        path = Path(tmp) / "upload"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise UploadRefused(413, TOO_LARGE)
        try:
            return await run_in_threadpool(accept, server, student, exercise, path, upload.filename)
        except SubmitError as exc:
            raise UploadRefused(422, clean(str(exc), 2000)) from None

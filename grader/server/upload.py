"""One intake for uploads, whichever door they come through (the JSON API or the student's upload page):
the body streamed under the hard cap (uploads.py), an optional check of the form (the page's CSRF
token), the student's submission bucket (limits.py), then store.py ``accept`` (the same checks as
`grader submit`). Every refusal is an UploadRefused with the student's message; nothing is stored
unless the submission is accepted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from grader.inbox import SubmitError
from grader.server.db import Submission, utcnow
from grader.server.limits import TooManySubmissions, submission_limits, waiting
from grader.server.store import MAX_UPLOAD_BYTES, Server, accept
from grader.server.uploads import Upload, UploadRefused, receive
from grader.text import clean

Check = Callable[[Upload], UploadRefused | None]


async def take(request: Request, server: Server, student: str,
               check: Check | None = None) -> tuple[Submission, list[str]]:
    """Receive, check and store one submission of ``student``; raises UploadRefused."""
    limits = await run_in_threadpool(submission_limits, server.root)
    with tempfile.TemporaryDirectory(prefix="grader-recv-") as tmp:
        upload = await receive(request, Path(tmp), MAX_UPLOAD_BYTES)  # streamed under the cap
        problem = check(upload) if check is not None else None
        if problem is not None:
            raise problem
        try:
            with server.sessions() as session:  # a full bucket answers before intake runs
                retry_at = waiting(session, student, upload.exercise, limits, utcnow())
            if retry_at is not None:
                raise TooManySubmissions(clean(upload.exercise, 64), retry_at, limits)
            return await run_in_threadpool(accept, server, student, upload.exercise, upload.path,
                                           upload.filename, None, limits)
        except TooManySubmissions as exc:
            refused = UploadRefused(429, str(exc))
            refused.headers = {"Retry-After": str(max(1, int((exc.retry_at - utcnow()).total_seconds() + 0.999)))}
            raise refused from None
        except SubmitError as exc:
            raise UploadRefused(422, clean(str(exc), 2000)) from None

"""The Starlette app: a JSON API for students (submit, their own submissions and results).

Every request carries ``Authorization: Bearer <token>``; only the token's HMAC is looked up. A
student sees only their own submissions: another student's id answers 404, exactly like an id that
does not exist, so ids cannot be probed. Results are shown through the student view of
grader/site/views.py (hidden tests never listed, no judge messages, no TA text). Failed logins are
rate-limited per client address; submissions per (student, exercise) by a token bucket in the
database (limits.py); uploads are streamed under a hard cap (upload.py). Nothing here logs a token.
"""

from __future__ import annotations

import math
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from grader import __version__
from grader.server import instructor, monitor, review, student_pages
from grader.server import web as pages
from grader.server.accounts import FailedLogins, token_hash
from grader.server.db import Submission, User, aware, user_by_hash
from grader.server.dispatch import Dispatcher
from grader.server.pool import WorkerPool
from grader.server.store import Server, history
from grader.server.upload import UploadRefused, accept_upload, stream_body
from grader.server.visible import counted_id, shown
from grader.server.web import Web
from grader.text import clean

HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
           "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}


class Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def answer(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={**HEADERS, **(headers or {})})


def too_many(wait: float) -> Refused:
    seconds = max(1, math.ceil(wait))
    return Refused(429, f"too many failed logins; try again in {seconds} s (check your token meanwhile)",
                   {"Retry-After": str(seconds)})


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


def authenticate(request: Request) -> User:
    server: Server = request.app.state.server
    limiter: FailedLogins = request.app.state.limiter
    client = client_of(request)
    if (wait := limiter.retry_after(client)) > 0:
        raise too_many(wait)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip():
        with server.sessions() as session:
            user = user_by_hash(session, token_hash(server.secret, token.strip()))
    if user is None:
        limiter.failed(client)
        raise Refused(401, "unknown or missing token: run `grader login URL` with the token your course staff "
                           "gave you")
    return user


def own_submission(request: Request, user: User) -> Submission:
    """The submission named in the path if this user may see it; 404 otherwise (not found or not yours)."""
    server: Server = request.app.state.server
    try:
        submission_id = int(request.path_params["id"])
    except ValueError:
        raise Refused(404, "no such submission") from None
    with server.sessions() as session:
        row = session.get(Submission, submission_id)
    if row is None or (user.role == "student" and row.student != user.id):
        raise Refused(404, "no such submission")
    return row


def describe(row: Submission, place: tuple[int, float] | None = None, counted: bool | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
            "id": row.id, "student": row.student, "exercise": row.exercise, "file": clean(row.source_name, 200),
            "sha256": row.sha256, "submitted_at": aware(row.submitted_at).isoformat(timespec="seconds"),
            "late_days": row.late_days, "status": row.status}
    if row.status == "ungradable":
        data["reason"] = "ungradable: not your fault (course staff have been told; it does not count against you)"
    if place is not None:
        data["queue_position"], data["eta_s"] = place
    if counted is not None:
        data["counted"] = counted
    return data


def student_result(server: Server, row: Submission) -> dict[str, Any]:
    """The student view of one submission, as JSON (only what the student page shows; the counted one
    with the TA overrides in force)."""
    seen = shown(server, row)
    view = seen.view
    if view is None:
        return {"submission": describe(row, counted=seen.counted), "result": None}
    tests = [{"name": clean(t.name, 200), "status": t.status, "score": t.score, "max_score": t.max_score,
              "description": clean(t.description, 500) if t.describe else "", "feedback": clean(t.feedback, 2000)}
             for t in view.tests]
    data: dict[str, Any] = {
        "exercise": view.exercise, "title": clean(view.title, 200), "status": view.status,
        "score": round(view.adjusted.total if seen.counted else view.adjusted.score, 4) if view.score_shown else None,
        "max_score": view.adjusted.max_score, "score_shown": view.score_shown, "tests": tests,
        "withheld": [{"when": w.when, "count": w.count, "points": w.points} for w in view.withheld],
        "import_error": clean(view.import_error, 2000), "output": clean(view.output, 4000),
        "late_days": row.late_days, "graded_at": view.graded_at,
        "comments": [clean(f.text, 2000) for f in view.feedback]}
    return {"submission": describe(row, counted=seen.counted), "result": data}


def _health(app: Starlette) -> dict[str, Any]:
    server: Server = app.state.server
    with server.sessions() as session:
        data = monitor.health(session, app.state.pool.broker_ok())
    return {**data, "version": __version__}


async def health(request: Request) -> JSONResponse:
    """For monitoring: 200 while the database answers (``ok``: and the broker, and a worker seen), else 503."""
    data = await run_in_threadpool(_health, request.app)
    return answer(data, 200 if data["database"] else 503)


def _queue(server: Server) -> dict[str, Any]:
    with server.sessions() as session:
        data = monitor.queue_depth(session)
    workers = data.pop("workers")
    return {**data, "workers_seen": len(workers), "slots": sum(w["slots"] for w in workers)}


async def queue(request: Request) -> JSONResponse:
    """Queue depth for monitoring: jobs by state and priority, the oldest waiting job's age, worker slots."""
    return answer(await run_in_threadpool(_queue, request.app.state.server))


async def me(request: Request) -> JSONResponse:
    user = authenticate(request)
    return answer({"id": user.id, "role": user.role})


async def submit(request: Request) -> JSONResponse:
    user = authenticate(request)
    server: Server = request.app.state.server
    if user.role != "student":
        raise Refused(403, "only students submit (staff accounts grade)")  # so staff are never rate-limited
    with tempfile.TemporaryDirectory(prefix="grader-recv-") as tmp:
        try:  # streamed under the cap, then the submission limit and the intake (upload.py)
            row, warnings = await accept_upload(server, user.id, await stream_body(request, Path(tmp)))
        except UploadRefused as exc:
            raise Refused(exc.status, exc.message, exc.headers) from None
    request.app.state.pool.wake()
    with request.app.state.server.sessions() as session:
        place = monitor.waiting_place(session, row.id)
    return answer({**describe(row, place), "warnings": [clean(w, 600) for w in warnings]}, 201)


async def list_submissions(request: Request) -> JSONResponse:
    user = authenticate(request)
    server: Server = request.app.state.server
    exercise = request.query_params.get("exercise")
    with server.sessions() as session:
        rows = history(session, user.id, exercise)
        places = {r.id: monitor.waiting_place(session, r.id) for r in rows if r.status in ("queued", "grading")}
    counted = {e: counted_id(server, user.id, e) for e in {r.exercise for r in rows}}
    return answer({"submissions": [describe(r, places.get(r.id), counted[r.exercise] == r.id) for r in rows]})


async def get_submission(request: Request) -> JSONResponse:
    return answer(describe(own_submission(request, authenticate(request))))


async def get_result(request: Request) -> JSONResponse:
    row = own_submission(request, authenticate(request))
    return answer(await run_in_threadpool(student_result, request.app.state.server, row))


async def refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    return answer({"error": exc.message}, exc.status, exc.headers)


def make_app(server: Server, workers: int = 1, broker: str | None = None, queue_prefix: str = "grader",
             web: Web | None = None) -> Starlette:
    """With ``broker``, a dispatcher sends committed jobs to Celery workers; without, an embedded pool grades.
    The browser pages answer for the Host values in ``web`` (none: every page is refused)."""
    pool: WorkerPool | Dispatcher = (Dispatcher(server, broker, queue_prefix) if broker
                                     else WorkerPool(server, workers))

    @asynccontextmanager
    async def lifespan(app: Starlette):  # type: ignore[no-untyped-def]
        pool.start()
        yield
        pool.stop()

    app = Starlette(routes=[
        Route("/api/health", health),
        Route("/api/queue", queue),
        Route("/api/me", me),
        Route("/api/submissions", submit, methods=["POST"]),
        Route("/api/submissions", list_submissions, methods=["GET"]),
        Route("/api/submissions/{id}", get_submission),
        Route("/api/submissions/{id}/result", get_result),
        *pages.routes(), *student_pages.routes(), *review.routes(), *instructor.routes(),
    ], exception_handlers={Refused: refused}, lifespan=lifespan)
    app.state.server, app.state.pool, app.state.limiter = server, pool, FailedLogins()
    app.state.review = review.review_app(server)
    pages.install(app, web)
    return app

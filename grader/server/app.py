"""The Starlette app: a JSON API for students (submit, their own submissions and results).

Every request carries ``Authorization: Bearer <token>``; only the token's HMAC is looked up. A
student sees only their own submissions: another student's id answers 404, exactly like an id that
does not exist, so ids cannot be probed. Results are shown through the student view of
grader/site/views.py (hidden tests never listed, no judge messages, no TA text). Failed logins are
rate-limited per client address. Nothing here logs a token.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from grader import __version__
from grader.course import load_course
from grader.inbox import SubmitError
from grader.results import load_result
from grader.server import monitor
from grader.server.accounts import FailedLogins, token_hash
from grader.server.db import Submission, User, aware, user_by_hash
from grader.server.dispatch import Dispatcher
from grader.server.pool import WorkerPool
from grader.server.queue import latest_grade
from grader.server.store import MAX_UPLOAD_BYTES, Server, accept, history
from grader.site.views import Release, submission_view
from grader.text import clean

HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
           "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def answer(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=HEADERS)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


def authenticate(request: Request) -> User:
    server: Server = request.app.state.server
    limiter: FailedLogins = request.app.state.limiter
    client = client_of(request)
    if limiter.blocked(client):
        raise Refused(429, "too many failed logins from your address; wait a minute and check your token")
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


def describe(row: Submission, place: tuple[int, float] | None = None) -> dict[str, Any]:
    data = {"id": row.id, "student": row.student, "exercise": row.exercise, "file": clean(row.source_name, 200),
            "sha256": row.sha256, "submitted_at": aware(row.submitted_at).isoformat(timespec="seconds"),
            "late_days": row.late_days, "status": row.status}
    if row.status == "ungradable":
        data["reason"] = "ungradable: not your fault (course staff have been told; it does not count against you)"
    if place is not None:
        data["queue_position"], data["eta_s"] = place
    return data


def release_of(server: Server, exercise: str) -> Release:
    course = load_course(server.root)
    assignment = next((a for a in course.assignments.values() if exercise in a.exercises), None)
    if assignment is not None and dt.datetime.now(dt.UTC) > assignment.due:
        return Release.AFTER_DUE
    return Release.BEFORE_DUE


def student_result(server: Server, row: Submission) -> dict[str, Any]:
    """The student view of one graded submission, as JSON (only what the student page would show)."""
    with server.sessions() as session:
        grade = latest_grade(session, row.id)
    if grade is None:
        return {"submission": describe(row), "result": None}
    result = load_result(Path(grade.result_path) / "results.json")
    view = submission_view(result, row.student, ta=False, release=release_of(server, row.exercise))
    tests = [{"name": clean(t.name, 200), "status": t.status, "score": t.score, "max_score": t.max_score,
              "description": clean(t.description, 500) if t.describe else "", "feedback": clean(t.feedback, 2000)}
             for t in view.tests]
    data: dict[str, Any] = {
        "exercise": view.exercise, "title": clean(view.title, 200), "status": view.status,
        "score": round(view.adjusted.score, 4) if view.score_shown else None,
        "max_score": view.adjusted.max_score, "score_shown": view.score_shown, "tests": tests,
        "withheld": [{"when": w.when, "count": w.count, "points": w.points} for w in view.withheld],
        "import_error": clean(view.import_error, 2000), "output": clean(view.output, 4000),
        "late_days": row.late_days, "graded_at": view.graded_at}
    return {"submission": describe(row), "result": data}


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
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_UPLOAD_BYTES + 64 * 1024:
        raise Refused(413, f"not submitted: uploads must be under {MAX_UPLOAD_BYTES >> 20} MiB")
    if user.role != "student":
        raise Refused(403, "only students submit (staff accounts grade)")
    async with request.form(max_files=1, max_fields=4) as form:
        exercise, upload = form.get("exercise"), form.get("file")
        if not isinstance(exercise, str) or not isinstance(upload, UploadFile) or not upload.filename:
            raise Refused(400, "send the exercise id and one file")
        with tempfile.TemporaryDirectory(prefix="grader-recv-") as tmp:
            path = Path(tmp) / "upload"
            with path.open("wb") as out:
                shutil.copyfileobj(upload.file, out)
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                raise Refused(413, f"not submitted: uploads must be under {MAX_UPLOAD_BYTES >> 20} MiB")
            try:
                row, warnings = await run_in_threadpool(accept, server, user.id, exercise, path, upload.filename)
            except SubmitError as exc:
                raise Refused(422, clean(str(exc), 2000)) from None
    request.app.state.pool.wake()
    with server.sessions() as session:
        place = monitor.waiting_place(session, row.id)
    return answer({**describe(row, place), "warnings": [clean(w, 600) for w in warnings]}, 201)


async def list_submissions(request: Request) -> JSONResponse:
    user = authenticate(request)
    server: Server = request.app.state.server
    exercise = request.query_params.get("exercise")
    with server.sessions() as session:
        rows = history(session, user.id, exercise)
        places = {r.id: monitor.waiting_place(session, r.id) for r in rows if r.status in ("queued", "grading")}
    return answer({"submissions": [describe(r, places.get(r.id)) for r in rows]})


async def get_submission(request: Request) -> JSONResponse:
    return answer(describe(own_submission(request, authenticate(request))))


async def get_result(request: Request) -> JSONResponse:
    row = own_submission(request, authenticate(request))
    return answer(await run_in_threadpool(student_result, request.app.state.server, row))


async def refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    return answer({"error": exc.message}, exc.status)


def make_app(server: Server, workers: int = 1, broker: str | None = None, queue_prefix: str = "grader") -> Starlette:
    """With ``broker``, a dispatcher sends committed jobs to Celery workers; without, an embedded pool grades."""
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
    ], exception_handlers={Refused: refused}, lifespan=lifespan)
    app.state.server, app.state.pool, app.state.limiter = server, pool, FailedLogins()
    return app

"""Targeted re-grades: after a hidden test changed, grade again only the counted submission of each student
of an exercise (or of one student), at re-grade priority (after every live submission), show staff the
old -> new score of every affected student, and change nothing students see until "release new scores".

A re-grade is a record in ``DATA/regrades/<id>.json``: the exercise, the new grade key (the grader
version + the exercise's content hash, grader/server/queue.py), each student's counted submission and
the grade students saw before (its key and score). The jobs are ordinary outbox jobs
(``enqueue(..., REGRADE)``): each writes a new Grade row under the new key, and
grader/server/visible.py ``visible_grade`` hides those rows while the record is unreleased. Releasing
marks it released and rewrites RESULTS/<exercise>/<student>/ (``update_counted``) from the new grades.
If the exercise did not change, its key is the same, nothing is queued and the preview says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from grader.course import load_course
from grader.files import write_text
from grader.review.guard import page_headers
from grader.server.db import REGRADE, Grade, Job
from grader.server.jobs import update_counted
from grader.server.queue import enqueue, grade_key
from grader.server.sessions import BrowserSession
from grader.server.store import Server
from grader.server.visible import REGRADES, counted_id, visible_grade
from grader.server.web import html, page, refused_page, server_page

INSTRUCTOR = ("instructor",)


class RegradeError(ValueError):
    """Why a re-grade cannot start, in words for the instructor."""


def _folder(server: Server) -> Path:
    return server.data / REGRADES


def load(server: Server, batch_id: int) -> dict[str, Any] | None:
    try:
        data = json.loads((_folder(server) / f"{batch_id}.json").read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _save(server: Server, data: dict[str, Any]) -> None:
    write_text(_folder(server) / f"{data['id']}.json", json.dumps(data, indent=1, sort_keys=True) + "\n")


@dataclass
class Batch:
    id: int
    exercise: str
    student: str
    count: int
    state: str


def batches(server: Server) -> list[Batch]:
    found = []
    for path in sorted(_folder(server).glob("*.json"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        data = load(server, int(path.stem)) if path.stem.isdigit() else None
        if data is not None:
            found.append(Batch(data["id"], data["exercise"], data["student"], len(data["submissions"]),
                               data["state"]))
    return found[::-1]


def start(server: Server, exercise: str, student: str = "", by: str = "") -> dict[str, Any]:
    """Queue the re-grade of the counted submission of every student of ``exercise`` (or of ``student``)."""
    course = load_course(server.root)
    roster = sorted(course.roster())
    if exercise not in {e for a in course.assignments.values() for e in a.exercises}:
        raise RegradeError(f"no exercise {exercise!r} in course.toml")
    if student and student not in roster:
        raise RegradeError(f"no student {student!r} on the roster")
    key = grade_key(server.root, exercise)
    counted = {s: counted_id(server, s, exercise) for s in ([student] if student else roster)}
    targets = {s: c for s, c in counted.items() if c is not None}
    old: dict[str, Any] = {}
    with server.sessions.begin() as session:
        for submission_id in targets.values():
            seen = visible_grade(server, session, submission_id)
            old[str(submission_id)] = (None if seen is None else
                                       {"key": seen.grade_key, "score": seen.score, "max_score": seen.max_score})
    _folder(server).mkdir(parents=True, exist_ok=True)
    batch_id = 1 + max((int(p.stem) for p in _folder(server).glob("*.json") if p.stem.isdigit()), default=0)
    data = {"id": batch_id, "exercise": exercise, "student": student, "key": key, "by": by, "state": "preview",
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "released_at": "",
            "submissions": targets, "old": old}
    _save(server, data)  # first the record (its new grades stay hidden), then the jobs
    with server.sessions.begin() as session:
        for submission_id in targets.values():
            enqueue(session, submission_id, REGRADE, server.root)
    return data


@dataclass
class Change:
    student: str
    submission: int
    old: float | None
    new: float | None
    max_score: float
    state: str  # "unchanged key", "waiting", "grading", "graded", "ungradable"

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else round(self.new - self.old, 4)


def preview(server: Server, data: dict[str, Any]) -> list[Change]:
    """Old -> new score of every affected student, from the Grade rows of the old and the new grade key."""
    changes = []
    with server.sessions() as session:
        for student, submission_id in sorted(data["submissions"].items()):
            before = data["old"].get(str(submission_id))
            grade = session.scalar(select(Grade).where(Grade.submission_id == submission_id,
                                                       Grade.grade_key == data["key"]))
            job = session.scalar(select(Job).where(Job.submission_id == submission_id, Job.grade_key == data["key"]))
            old = before["score"] if before else None
            if before and before["key"] == data["key"]:
                state = "unchanged key"
            elif grade is not None:
                state = "graded"
            elif job is not None and job.state == "failed":
                state = "ungradable"
            else:
                state = "grading" if job is not None and job.state == "running" else "waiting"
            new = grade.score if grade is not None else None
            top = grade.max_score if grade is not None else (before["max_score"] if before else 0.0)
            changes.append(Change(student, submission_id, old, new, top, state))
    return changes


def release(server: Server, batch_id: int) -> list[str]:
    """Make the re-grade's new scores the ones students see; refuses while any job is unfinished."""
    data = load(server, batch_id)
    if data is None:
        raise RegradeError(f"no re-grade #{batch_id}")
    if data["state"] == "released":
        return []
    waiting = [c.student for c in preview(server, data) if c.state in ("waiting", "grading")]
    if waiting:
        raise RegradeError(f"still grading for {', '.join(waiting[:10])}: release when every new score is in")
    data["state"], data["released_at"] = "released", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _save(server, data)
    for student in data["submissions"]:
        update_counted(server, student, data["exercise"])
    return list(data["submissions"])


async def create(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert who is not None and form is not None
    exercise, student = form.get("exercise"), form.get("student") or ""
    server: Server = request.app.state.server
    try:
        if not isinstance(exercise, str) or not isinstance(student, str):
            raise RegradeError("choose an exercise")
        data = await run_in_threadpool(start, server, exercise, student, who.user)
    except RegradeError as exc:
        return refused_page(HTTPStatus.BAD_REQUEST, f"No re-grade: {exc}.", "Re-grade", "/instructor/index.html")
    request.app.state.pool.wake()
    return RedirectResponse(f"/instructor/regrade/{data['id']}.html", HTTPStatus.SEE_OTHER, headers=page_headers())


def _page(server: Server, who: BrowserSession, raw: str, error: str = "") -> str | None:
    data = load(server, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if data is None:
        return None
    changes = preview(server, data)
    return server_page("server/regrade.html", who, batch=data, changes=changes, error=error,
                       ready=all(c.state not in ("waiting", "grading") for c in changes))


async def show(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert who is not None
    body = await run_in_threadpool(_page, request.app.state.server, who, request.path_params["id"])
    if body is None:
        return refused_page(HTTPStatus.NOT_FOUND, "No such re-grade.", "Not found", "/instructor/index.html")
    return html(body)


async def publish(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert who is not None
    server: Server = request.app.state.server
    raw = request.path_params["id"]
    try:
        await run_in_threadpool(release, server, int(raw) if raw.isdigit() and len(raw) < 10 else 0)
    except RegradeError as exc:
        body = await run_in_threadpool(_page, server, who, raw, f"Not released: {exc}.")
        if body is None:
            return refused_page(HTTPStatus.NOT_FOUND, "No such re-grade.", "Not found", "/instructor/index.html")
        return html(body, HTTPStatus.CONFLICT)
    return RedirectResponse(f"/instructor/regrade/{raw}.html", HTTPStatus.SEE_OTHER, headers=page_headers())


def routes() -> list[Route]:
    return [
        Route("/instructor/regrade", page(create, INSTRUCTOR), methods=["POST"]),
        Route("/instructor/regrade/{id}.html", page(show, INSTRUCTOR), methods=["GET"]),
        Route("/instructor/regrade/{id}/release", page(publish, INSTRUCTOR), methods=["POST"]),
    ]

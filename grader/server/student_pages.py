"""A student's pages: their submissions (status, place in the queue, which one counts, the score once
shown), an upload form (the same intake as the API: grader/server/upload.py), and the report of each of
their own submissions, with the release rules and TA overrides of grader/server/visible.py.

Another student's submission, or an id that does not exist, answers the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from grader.course import load_course
from grader.review.guard import page_headers
from grader.server.db import Submission, aware
from grader.server.monitor import waiting_place
from grader.server.sessions import BrowserSession
from grader.server.store import Server, history
from grader.server.upload import UploadRefused, receive
from grader.server.visible import Shown, counted_id, shown
from grader.server.web import html, page, refused_page, server_page
from grader.text import clean

NOT_FOUND = "No such submission of yours."
UNGRADABLE = "Ungradable: not your fault (course staff have been told; it does not count against you)."


@dataclass
class Item:
    shown: Shown
    submitted_at: str
    position: int | None  # in the queue, with the estimated wait (grader/server/monitor.py)
    eta_s: float | None

    @property
    def wait(self) -> str:
        if self.eta_s is None:
            return ""
        return f"about {self.eta_s:.0f} s" if self.eta_s < 90 else f"about {self.eta_s / 60:.0f} min"


def _items(server: Server, student: str) -> list[Item]:
    with server.sessions() as session:
        rows = history(session, student)
        places = {r.id: waiting_place(session, r.id) for r in rows if r.status in ("queued", "grading")}
    counted = {e: counted_id(server, student, e) for e in {r.exercise for r in rows}}
    return [Item(shown(server, r, counted[r.exercise] or -1), aware(r.submitted_at).isoformat(timespec="seconds"),
                 *(places.get(r.id) or (None, None))) for r in reversed(rows)]


def _exercises(server: Server) -> list[str]:
    course = load_course(server.root)
    return list(dict.fromkeys(e for a in course.assignments.values() for e in a.exercises))


def _index(server: Server, who: BrowserSession, sent: Submission | None = None,
           warnings: list[str] | None = None, error: str = "") -> str:
    return server_page("server/my.html", who, items=_items(server, who.user), exercises=_exercises(server),
                       sent=sent, warnings=warnings or [], error=error)


async def index(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert who is not None
    server: Server = request.app.state.server
    raw = request.query_params.get("sent", "")
    said = request.app.state.sent.take(who.user, int(raw)) if raw.isdigit() and len(raw) < 12 else None
    sent = None
    if said is not None:
        with server.sessions() as session:
            sent = session.get(Submission, int(raw))
    return html(await run_in_threadpool(_index, server, who, sent, said))


async def submit(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert who is not None and form is not None
    server: Server = request.app.state.server
    try:
        row, warnings = await receive(server, who.user, form.get("exercise"), form.get("file"))
    except UploadRefused as exc:
        body = await run_in_threadpool(_index, server, who, None, None, exc.message)
        return html(body, exc.status)
    request.app.state.pool.wake()
    request.app.state.sent.put(who.user, row.id, [clean(w, 600) for w in warnings])
    # Post/Redirect/Get: reloading the page that follows must never submit the file again
    return RedirectResponse(f"/my/index.html?sent={row.id}", HTTPStatus.SEE_OTHER, headers=page_headers())


def _report(server: Server, who: BrowserSession, raw: str) -> str | None:
    if not raw.isdigit() or len(raw) > 12:
        return None
    with server.sessions() as session:
        row = session.get(Submission, int(raw))
    if row is None or row.student != who.user:
        return None
    seen = shown(server, row)
    if seen.view is None:
        return server_page("message.html", who, heading=f"Submission #{row.id}", css="muted", back="index.html",
                           message=f"{row.status}: no result yet." if row.status != "ungradable" else UNGRADABLE)
    return server_page("report.html", who, review=None, view=seen.view)


async def report(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert who is not None
    body = await run_in_threadpool(_report, request.app.state.server, who, request.path_params["id"])
    if body is None:
        return refused_page(HTTPStatus.NOT_FOUND, NOT_FOUND, "Not found", "/my/index.html")
    return html(body)


def routes() -> list[Route]:
    return [
        Route("/my/index.html", page(index, ("student",)), methods=["GET"]),
        Route("/my/submit", page(submit, ("student",), upload=True), methods=["POST"]),
        Route("/my/{id}.html", page(report, ("student",)), methods=["GET"]),
    ]


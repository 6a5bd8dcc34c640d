"""TA review inside `grader serve`: the ReviewApp of `grader review` (dashboard, exercise pages, TA pages,
overrides, comments, CSV downloads) at /review/, for signed-in TAs and instructors, over the server's
RESULTS folder (the counted submission of every student). One implementation: the routing, forms and
override log are grader/review/server.py; here only the session supplies the TA's name and CSRF token.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from grader.course import load_course
from grader.review.guard import page_headers
from grader.review.server import Response as ReviewResponse
from grader.review.server import ReviewApp, Reviewer
from grader.server.sessions import BrowserSession
from grader.server.store import Server
from grader.server.web import STAFF, page
from grader.site.views import Release

PREFIX = "/review/"


def review_app(server: Server) -> ReviewApp:
    server.results.mkdir(parents=True, exist_ok=True)
    return ReviewApp(server.results, ta="", release=Release.BEFORE_DUE, course=load_course(server.root),
                     prefix=PREFIX)


def _reviewer(who: BrowserSession | None) -> Reviewer:
    assert who is not None  # page() let only staff through
    return Reviewer(who.user, who.csrf, server=True)


def _response(answer: ReviewResponse) -> Response:
    return Response(answer.body, status_code=answer.status, media_type=answer.content_type.split(";")[0],
                    headers={**page_headers(script=answer.script), **answer.headers})


async def show(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    app: ReviewApp = request.app.state.review
    path = "/" + request.path_params.get("path", "")
    query = parse_qs(request.url.query)
    return _response(await run_in_threadpool(app.get, path, query, _reviewer(who)))


async def save(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert form is not None
    app: ReviewApp = request.app.state.review
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    action = "/" + request.url.path.removeprefix(PREFIX)
    return _response(await run_in_threadpool(app.post, action, fields, _reviewer(who)))


def routes() -> list[Route]:
    return [
        Route(PREFIX + "override", page(save, STAFF), methods=["POST"]),
        Route(PREFIX + "comment", page(save, STAFF), methods=["POST"]),
        Route("/review", page(show, STAFF), methods=["GET"]),
        Route(PREFIX + "{path:path}", page(show, STAFF), methods=["GET"]),
    ]

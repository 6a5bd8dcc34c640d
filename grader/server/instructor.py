"""The instructor's pages: publish results per exercise or assignment, download the grade exports (the
EXPORTS registry of grader/exports/, over the server's RESULTS folder), and targeted re-grades
(grader/server/regrade.py: re-grade, preview old -> new, then release the new scores).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from http import HTTPStatus
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from grader.course import load_course
from grader.exports import EXPORTS, export_grades
from grader.review.guard import page_headers
from grader.server.regrade import batches
from grader.server.regrade import routes as regrade_routes
from grader.server.sessions import BrowserSession
from grader.server.store import Server
from grader.server.visible import publish, released
from grader.server.web import html, page, refused_page, server_page

INSTRUCTOR = ("instructor",)


def _index(server: Server, who: BrowserSession, flash: str = "", error: str = "") -> str:
    course = load_course(server.root)
    return server_page("server/instructor.html", who, assignments=list(course.assignments.values()),
                       released=released(server), exports=list(EXPORTS), flash=flash, error=error,
                       batches=batches(server), students=sorted(course.roster()))


async def index(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    assert who is not None
    flash = request.query_params.get("flash", "")[:200]
    return html(await run_in_threadpool(_index, request.app.state.server, who, flash))


async def release(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    """Publish one exercise, or every exercise of one assignment."""
    assert who is not None and form is not None
    server: Server = request.app.state.server
    course = load_course(server.root)
    exercise, assignment = form.get("exercise"), form.get("assignment")
    known = {e for a in course.assignments.values() for e in a.exercises}
    if isinstance(assignment, str) and assignment in course.assignments:
        chosen = list(course.assignments[assignment].exercises)
    elif isinstance(exercise, str) and exercise in known:
        chosen = [exercise]
    else:
        body = await run_in_threadpool(_index, server, who, "", "Nothing published: unknown exercise or assignment.")
        return html(body, HTTPStatus.BAD_REQUEST)
    await run_in_threadpool(publish, server, chosen)
    return RedirectResponse(f"/instructor/index.html?flash=published+{'+'.join(chosen)}", HTTPStatus.SEE_OTHER,
                            headers=page_headers())


def export_file(server: Server, name: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of one export: its single file, or a zip of the files it writes."""
    course = load_course(server.root)
    with tempfile.TemporaryDirectory(prefix="grader-export-") as tmp:
        out = Path(tmp)
        written = export_grades(server.results, out, (name,), course).written
        if len(written) == 1 and written[0].suffix == ".csv":
            return written[0].read_bytes(), "text/csv", written[0].name
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, str(path.relative_to(out)))
        return buffer.getvalue(), "application/zip", f"{name}.zip"


async def export(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    name = request.path_params["name"]
    if name not in EXPORTS:
        return refused_page(HTTPStatus.NOT_FOUND, f"No export called {name[:40]!r}.", "Not found",
                            "/instructor/index.html")
    content, media, filename = await run_in_threadpool(export_file, request.app.state.server, name)
    return Response(content, media_type=media, headers={
        **page_headers(), "Content-Disposition": f'attachment; filename="{filename}"'})


def routes() -> list[Route]:
    return [
        Route("/instructor", page(index, INSTRUCTOR), methods=["GET"]),
        Route("/instructor/index.html", page(index, INSTRUCTOR), methods=["GET"]),
        Route("/instructor/release", page(release, INSTRUCTOR), methods=["POST"]),
        Route("/instructor/export/{name}", page(export, INSTRUCTOR), methods=["GET"]),
        *regrade_routes(),
    ]

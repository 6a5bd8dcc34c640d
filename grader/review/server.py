"""`grader review`: the site's pages served live from a results tree, with override and comment forms.

Standard library only (ThreadingHTTPServer). Bound to 127.0.0.1 and nothing else. The page headers
and the Host, Origin and CSRF checks are grader/review/guard.py, shared with `grader serve`, which
serves this same ReviewApp at /review/ to signed-in TAs; here the CSRF token is per run.
Saves go to ``RESULTS/overrides.jsonl`` through grader.overrides (locked, fsynced, with conflict
detection), so two TAs on one server, or on two servers over the same folder, never lose
an edit. Pages are re-read when any results.json or the override log changes.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from grader.course import Course
from grader.exports import canvas, gradebook
from grader.exports.layout import layout
from grader.overrides import OverrideConflict, OverrideError, OverrideLog, new_record
from grader.results_tree import Collection, Submission, collect, slug
from grader.review.guard import CSRF_REFUSED, csrf_valid, local_hosts, page_headers, refusal
from grader.site.pages import (
    ReviewContext,
    exercise_page,
    index_page,
    message_page,
    student_index_page,
    student_page,
    ta_page,
)
from grader.site.views import Release

MAX_BODY = 64 * 1024
HOST = "127.0.0.1"


@dataclass
class Response:
    status: int
    body: str
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    script: bool = False  # only the dashboard index runs its own (hash-pinned) script


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    files = [*root.rglob("results.json"), root / "overrides.jsonl"]
    stamps = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamps))


def gradebook_text(found: Collection) -> str:
    return gradebook.gradebook_csv(found, layout(found))


@dataclass(frozen=True)
class Reviewer:
    """Who is reviewing: the name on their overrides and their CSRF token (per run, or per browser session)."""

    ta: str
    token: str
    server: bool = False  # a signed-in session of `grader serve`


class ReviewApp:
    """Routing and form handling, independent of the HTTP plumbing: `grader review` serves it at ``/``
    for one TA; `grader serve` at ``/review/`` for each signed-in TA (grader/server/review.py)."""

    def __init__(self, root: Path, *, ta: str, release: Release = Release.BEFORE_DUE,
                 course: Course | None = None, prefix: str = "/") -> None:
        self.root, self.ta, self.release, self.course, self.prefix = root, ta, release, course, prefix
        self.token = secrets.token_urlsafe(32)
        self.log = OverrideLog.at(root)
        self._lock = threading.Lock()
        self._cache: tuple[tuple[tuple[str, int, int], ...], Collection] | None = None

    def collection(self) -> Collection:
        stamp = _fingerprint(self.root)
        with self._lock:
            if self._cache is None or self._cache[0] != stamp:
                self._cache = (stamp, collect(self.root, self.course.roster() if self.course else None))
            return self._cache[1]

    def context(self, who: Reviewer | None = None, *, flash: str = "", error: str = "") -> ReviewContext:
        who = who or Reviewer(self.ta, self.token)
        return ReviewContext(who.token, who.ta, flash=flash, error=error, server=who.server)

    def get(self, path: str, query: dict[str, list[str]], who: Reviewer | None = None) -> Response:
        c = self.collection()
        parts = [p for p in path.split("/") if p]
        home = f"{self.prefix}index.html"
        if not parts:
            return Response(HTTPStatus.SEE_OTHER, "", headers={"Location": home})
        if parts == ["index.html"]:
            return Response(HTTPStatus.OK, index_page(c, self.release, self.context(who), self.course), script=True)
        if parts[0] == "export" and len(parts) == 2 and parts[1] in ("gradebook.csv", "canvas.csv"):
            body = (canvas.canvas_csv if parts[1] == "canvas.csv" else gradebook_text)(c)
            return Response(HTTPStatus.OK, body, "text/csv; charset=utf-8",
                            {"Content-Disposition": f'attachment; filename="{parts[1]}"'})
        exercises = {slug(e.id): e for e in c.exercises}
        students = {slug(s): s for s in c.students}
        names = [p.removesuffix(".html") for p in parts]
        if parts[0] == "exercise" and len(parts) == 2 and names[1] in exercises:
            return Response(HTTPStatus.OK, exercise_page(c, exercises[names[1]], self.context(who), self.course))
        if parts[0] == "ta" and len(parts) == 3 and names[1] in exercises and names[2] in students:
            sub = c.submissions.get((exercises[names[1]].id, students[names[2]]))
            if sub is not None:
                return self._ta(c, sub, who, saved=(query.get("saved") or [""])[0])
        if parts[0] == "student" and len(parts) == 3 and names[1] in students:
            if parts[2] == "index.html":
                return Response(HTTPStatus.OK, student_index_page(c, students[names[1]], self.release))
            if names[2] in exercises:
                sub = c.submissions.get((exercises[names[2]].id, students[names[1]]))
                if sub is not None:
                    return Response(HTTPStatus.OK, student_page(sub, self.release))
        return Response(HTTPStatus.NOT_FOUND, message_page("Not found", f"No page at {path}.", back=home))

    def _ta(self, c: Collection, sub: Submission, who: Reviewer | None, *, saved: str = "", error: str = "",
            status: int = HTTPStatus.OK) -> Response:
        flash = next((f"Saved: {r.describe()}." for r in sub.adjusted.history if saved and r.id == saved), "")
        return Response(status, ta_page(c, sub, self.context(who, flash=flash, error=error)))

    def post(self, path: str, form: dict[str, str], who: Reviewer | None = None) -> Response:
        """``path`` relative to the prefix (``/override`` or ``/comment``)."""
        home = f"{self.prefix}index.html"
        if path not in ("/override", "/comment"):
            return Response(HTTPStatus.NOT_FOUND, message_page("Not found", f"No form at {path}."))
        if not csrf_valid(form.get("csrf"), (who.token if who else self.token)):
            return Response(HTTPStatus.FORBIDDEN, message_page("Form expired", CSRF_REFUSED, back=home))
        c = self.collection()
        sub = c.submissions.get((form.get("exercise", ""), form.get("student", "")))
        if sub is None:
            return Response(HTTPStatus.NOT_FOUND, message_page(
                "Unknown submission", f"No result for {form.get('exercise', '')!r} / {form.get('student', '')!r}.",
                back=home))
        test = form.get("test", "") or None
        if test is not None and test not in sub.adjusted.tests:
            return self._ta(c, sub, who, error=f"Unknown test {test!r}: nothing saved.", status=HTTPStatus.BAD_REQUEST)
        kind = "comment" if path == "/comment" else ("clear" if form.get("action") == "clear" else "override")
        current = sub.adjusted.tests[test] if test else None
        try:
            points = float(form["points"]) if kind == "override" and form.get("points", "").strip() else None
            record = new_record(by=who.ta if who else form.get("by", ""), exercise=sub.exercise,
                                student=sub.student, test=test, kind=kind, reason=form.get("reason", ""), points=points,
                                previous=current.score if current else sub.adjusted.score,
                                max_points=current.max_score if current else sub.adjusted.max_score,
                                to_student=kind == "comment" and form.get("audience") == "student")
            self.log.append(record, seen=int(form.get("seen", "0")) if kind != "comment" else None)
            gradebook.refresh(self.root)  # a derived gradebook.csv in the tree must not show the old score
        except OverrideConflict as exc:
            fresh = self.collection()
            return self._ta(fresh, fresh.submissions.get((sub.exercise, sub.student), sub), who,
                            error=f"Not saved: {test or 'the submission'} was {exc}. Check the current value "
                                  "and submit again if you still want your change.", status=HTTPStatus.CONFLICT)
        except (OverrideError, ValueError) as exc:
            return self._ta(c, sub, who, error=f"Not saved: {exc}.", status=HTTPStatus.BAD_REQUEST)
        location = f"{self.prefix}{quote(sub.ta_page)}?saved={record.id}"
        return Response(HTTPStatus.SEE_OTHER, "", headers={"Location": location})


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "grader-review"
    sys_version = ""

    def _send(self, response: Response) -> None:
        body = response.body.encode("utf-8")
        self.send_response(response.status)
        headers = {"Content-Type": response.content_type, "Content-Length": str(len(body)),
                   **page_headers(script=response.script), **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, message: str) -> None:
        self._send(Response(status, message_page("Refused", message)))

    def _error(self, exc: Exception) -> None:
        self._send(Response(HTTPStatus.INTERNAL_SERVER_ERROR, message_page("Error", f"{type(exc).__name__}: {exc}")))

    def _checked(self) -> bool:
        hosts = local_hosts(self.server.server_address[1])
        refused = refusal(self.command, self.headers.get("Host"), self.headers.get("Origin"), hosts,
                          {f"http://{host}" for host in hosts})
        if refused is not None:
            self._refuse(*refused)
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._checked():
            return
        url = urlsplit(self.path)
        try:
            self._send(self.server.app.get(url.path, parse_qs(url.query)))
        except Exception as exc:  # noqa: BLE001 - a bad result must not take the server down
            self._error(exc)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._checked():
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"Form too large (limit {MAX_BODY} bytes).")
            return
        try:
            raw = self.rfile.read(length).decode("utf-8")
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True, strict_parsing=False).items()}
            self._send(self.server.app.post(urlsplit(self.path).path, form))
        except UnicodeDecodeError:
            self._refuse(HTTPStatus.BAD_REQUEST, "The form was not UTF-8.")
        except Exception as exc:  # noqa: BLE001
            self._error(exc)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if not self.server.quiet:
            super().log_message(format, *args)


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: ReviewApp, port: int = 0, quiet: bool = False) -> None:
        self.app, self.quiet = app, quiet
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def make_server(root: Path, *, port: int = 0, ta: str = "TA", release: Release = Release.BEFORE_DUE,
                quiet: bool = False, course: Course | None = None) -> ReviewServer:
    return ReviewServer(ReviewApp(root, ta=ta, release=release, course=course), port, quiet)

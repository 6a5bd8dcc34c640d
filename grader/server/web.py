"""The browser side of `grader serve`: signing in with a token, sessions, and the checks every page passes.

Every page goes through ``page()``: the Host must be one this server answers for (``--public-url`` and
the loopback names), a POST must not come from a foreign Origin, a page for a role needs a signed-in
session of that role, and a POST carries the session's CSRF token. The headers and checks are
grader/review/guard.py, shared with `grader review`. The login form takes the token in a POST body
only (never a URL), is limited with the API's failed-login limiter (per address and globally, a 429
with the time to wait) and has its own CSRF token bound to a SameSite cookie. The CLI keeps its
Bearer tokens (grader/server/app.py).
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from grader.review.guard import CSRF_REFUSED, csrf_valid, page_headers, refusal
from grader.server.accounts import FailedLogins, token_hash
from grader.server.db import user_by_hash
from grader.server.sessions import (
    COOKIE,
    PRE_COOKIE,
    BrowserSession,
    Revoked,
    Sent,
    cookie_flags,
    decode,
    encode,
    login_token,
)
from grader.server.store import Server
from grader.server.upload import FORM_SLACK, declared_ok
from grader.site.pages import message_page
from grader.site.render import csp, render

MAX_FORM = 64 * 1024
STAFF = ("ta", "instructor")
Handler = Callable[[Request, BrowserSession | None, FormData | None], Awaitable[Response]]


@dataclass
class Web:
    """How the server is reached: the Host values it answers for, the Origins its forms come from (None:
    those hosts over http or https), and https (Secure cookies)."""

    hosts: set[str] = field(default_factory=set)
    https: bool = False
    origins: set[str] | None = None


def web_settings(host: str, port: int, public_url: str | None) -> Web:
    """Loopback (and ``host``) on ``port`` over http, plus the public URL behind a proxy, if any."""
    hosts = {f"{name}:{port}".lower() for name in ("127.0.0.1", "localhost", host)}
    origins = {f"http://{h}" for h in hosts}
    https = False
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--public-url {public_url!r}: write it as https://name[:port]")
        hosts.add(parts.netloc.lower())
        origins.add(f"{parts.scheme}://{parts.netloc}".lower())
        https = parts.scheme == "https"
    return Web(hosts, https, origins)


def html(body: str, status: int = HTTPStatus.OK, *, script: bool = False) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=page_headers(script=script))


def refused_page(status: int, message: str, heading: str = "Refused", back: str = "/") -> HTMLResponse:
    return html(message_page(heading, message, back=back), status)


def server_page(template: str, who: BrowserSession | None, **context: object) -> str:
    """A page of templates/server/ with the navigation of the signed-in role; forms allowed."""
    links = [("Sign in", "/login")]
    if who is not None:
        links = {"student": [("Your submissions", "/my/index.html")],
                 "ta": [("Review", "/review/index.html")],
                 "instructor": [("Review", "/review/index.html"), ("Instructor", "/instructor/index.html")],
                 }.get(who.role, []) + [("Log out", "/logout")]
    return render(template, csp=csp(forms=True), nav="server", links=links, who=who, **context)


def secure(request: Request) -> bool:
    return bool(request.app.state.web.https) or request.url.scheme == "https"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


def too_many(wait: float) -> HTMLResponse:
    seconds = max(1, math.ceil(wait))
    response = refused_page(HTTPStatus.TOO_MANY_REQUESTS, f"Too many failed sign-ins. Try again in {seconds} s, "
                            "with the token your course staff gave you.", "Too many attempts", "/login")
    response.headers["Retry-After"] = str(seconds)
    return response


def page(handler: Handler, roles: tuple[str, ...] | None = None, *, upload: bool = False,
         csrf: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that runs ``handler`` only past the Host, Origin, session, role and CSRF checks."""

    async def endpoint(request: Request) -> Response:
        web: Web = request.app.state.web
        server: Server = request.app.state.server
        stop = refusal(request.method, request.headers.get("host"), request.headers.get("origin"), web.hosts,
                       web.origins)
        if stop is not None:
            return refused_page(*stop)
        with server.sessions() as db:
            who = decode(server.secret, request.cookies.get(COOKIE), db, request.app.state.revoked)
        if roles is not None:
            if who is None:
                if request.method in ("GET", "HEAD"):
                    return RedirectResponse("/login", HTTPStatus.SEE_OTHER, headers=page_headers())
                return refused_page(HTTPStatus.FORBIDDEN, "Sign in first (your session ended).", back="/login")
            if who.role not in roles:
                return refused_page(HTTPStatus.FORBIDDEN, "This page is not for your account.")
        if request.method not in ("POST",):
            return await handler(request, who, None)
        length = request.headers.get("content-length")
        if not (declared_ok(length) if upload else (length or "").isdigit() and int(length or 0) <= MAX_FORM):
            limit = "the upload limit" if upload else f"{MAX_FORM} bytes"
            return refused_page(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"The form is too large (over {limit}).")
        async with request.form(max_files=1 if upload else 0, max_fields=16,
                                max_part_size=FORM_SLACK) as form:
            if csrf and (who is None or not csrf_valid(_text(form, "csrf"), who.csrf)):
                return refused_page(HTTPStatus.FORBIDDEN, CSRF_REFUSED, "Form expired")
            return await handler(request, who, form)

    return endpoint


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def home(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    target = {"student": "/my/index.html", "ta": "/review/index.html",
              "instructor": "/instructor/index.html"}.get(who.role if who else "", "/login")
    return RedirectResponse(target, HTTPStatus.SEE_OTHER, headers=page_headers())


def _login_form(request: Request, error: str = "", status: int = HTTPStatus.OK) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    server: Server = request.app.state.server
    response = html(server_page("server/login.html", None, csrf=login_token(server.secret, nonce), error=error),
                    status)
    response.set_cookie(PRE_COOKIE, nonce, **cookie_flags(secure(request), 3600))  # type: ignore[arg-type]
    return response


async def login_page(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    if who is not None:
        return await home(request, who, None)
    return _login_form(request)


async def login(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    """Check a token typed into the form; a failure counts against this address and the global budget."""
    assert form is not None
    server: Server = request.app.state.server
    limiter: FailedLogins = request.app.state.limiter
    client = client_of(request)
    if (wait := limiter.retry_after(client)) > 0:
        return too_many(wait)
    nonce = request.cookies.get(PRE_COOKIE, "")
    if not nonce or not csrf_valid(_text(form, "csrf"), login_token(server.secret, nonce)):
        return refused_page(HTTPStatus.FORBIDDEN, CSRF_REFUSED, "Form expired", "/login")
    token = _text(form, "token").strip()
    with server.sessions() as db:
        user = user_by_hash(db, token_hash(server.secret, token)) if token else None
    if user is None:
        limiter.failed(client)
        return _login_form(request, "Unknown token: check it against the one your course staff gave you.",
                           HTTPStatus.UNAUTHORIZED)
    response = RedirectResponse("/", HTTPStatus.SEE_OTHER, headers=page_headers())
    response.set_cookie(COOKIE, encode(server.secret, user), **cookie_flags(secure(request)))  # type: ignore[arg-type]
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


async def logout_page(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    return html(server_page("server/logout.html", who))


async def logout(request: Request, who: BrowserSession | None, form: FormData | None) -> Response:
    request.app.state.revoked.add(request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", HTTPStatus.SEE_OTHER, headers=page_headers())
    response.delete_cookie(COOKIE, path="/", secure=secure(request), httponly=True, samesite="strict")
    return response


def install(app: Starlette, web: Web | None) -> None:
    """The state the pages need on ``app.state``."""
    state = app.state
    state.web, state.revoked, state.sent = web or Web(), Revoked(), Sent()


def routes() -> list[Route]:
    return [
        Route("/", page(home), methods=["GET"]),
        Route("/login", page(login_page), methods=["GET"]),
        Route("/login", page(login, csrf=False), methods=["POST"]),  # its own CSRF token (no session yet)
        Route("/logout", page(logout_page, ("student", *STAFF)), methods=["GET"]),
        Route("/logout", page(logout, ("student", *STAFF)), methods=["POST"]),
    ]

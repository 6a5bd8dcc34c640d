"""The checks every HTML page and form goes through, in `grader review` and in `grader serve` alike.

One implementation for both servers: the headers of a page (the site's CSP as a header, with
``frame-ancestors 'none'``), the Host check (a request for another name is refused: DNS rebinding),
the Origin check on state-changing requests (a browser sends ``Origin`` on every POST; a foreign one,
or ``null``, is refused), and the CSRF token compared in constant time. ``Referrer-Policy:
same-origin`` matters: with ``no-referrer`` browsers send ``Origin: null`` on same-origin posts.
"""

from __future__ import annotations

import hmac
from http import HTTPStatus

from grader.site.render import csp

HOST_REFUSED = "This server does not answer for that host name."
ORIGIN_REFUSED = "Cross-origin form posts are refused."
CSRF_REFUSED = ("This form does not come from this session (the server restarted, or you logged out?): "
                "reload the page and try again.")


def page_headers(*, script: bool = False, forms: bool = True) -> dict[str, str]:
    """The security headers of every HTML page (and of the files staff download)."""
    return {"Content-Security-Policy": csp(script=script, forms=forms, header=True),
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store",
            "Cross-Origin-Resource-Policy": "same-origin", "X-Frame-Options": "DENY"}


def host_allowed(host: str | None, allowed: set[str]) -> bool:
    return host is not None and host.lower() in allowed


def origins_of(hosts: set[str]) -> set[str]:
    """Same-origin ``Origin`` values for a set of hosts, over either scheme (a server that knows its
    public scheme passes its own set instead)."""
    return {f"{scheme}://{host}" for host in hosts for scheme in ("http", "https")}


def origin_allowed(origin: str | None, origins: set[str]) -> bool:
    """No Origin (not a browser, or a same-origin GET) passes; ``null`` and any other origin do not."""
    return origin is None or origin.lower() in origins


def refusal(method: str, host: str | None, origin: str | None, hosts: set[str],
            origins: set[str] | None = None) -> tuple[int, str] | None:
    """Why this request is refused before it is read (status, message), or None."""
    if not host_allowed(host, hosts):
        return HTTPStatus.MISDIRECTED_REQUEST, HOST_REFUSED
    if method not in ("GET", "HEAD") and not origin_allowed(origin, origins_of(hosts) if origins is None else origins):
        return HTTPStatus.FORBIDDEN, ORIGIN_REFUSED
    return None


def csrf_valid(given: str | None, expected: str) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given).encode(), expected.encode())


def local_hosts(port: int) -> set[str]:
    """The Host values a loopback-only server answers to."""
    return {f"127.0.0.1:{port}", f"localhost:{port}"}

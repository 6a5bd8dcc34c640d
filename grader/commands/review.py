"""`grader review RESULTS`: serve the site locally with override and comment forms (Ctrl-C stops)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path

from grader.course import find_course
from grader.review.server import make_server
from grader.site.views import Release


def default_ta() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "TA"


def serve(results: Path, *, port: int, ta: str | None, release: str, announce: Callable[[str], None]) -> None:
    if not results.is_dir():
        raise ValueError(f"{results} is not a folder of results")
    server = make_server(results.resolve(), port=port, ta=ta or default_ta(), release=Release.parse(release),
                         course=find_course())
    announce(f"reviewing {results} at {server.url} (127.0.0.1 only; overrides go to "
             f"{results / 'overrides.jsonl'}); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

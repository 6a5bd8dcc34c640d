"""The student's side: `grader login URL`, `grader submit EX PATH --to URL`, `grader status`, `grader results`.

The token is kept in the user's config folder (``$XDG_CONFIG_HOME/grader/login.json``, mode 0600),
with the server's URL; it is sent only in the Authorization header, never printed.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import httpx

from grader.text import clean


class ClientError(Exception):
    """What went wrong talking to the server, in words for the student."""


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "grader" / "login.json"


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def wait_healthy(url: str, timeout_s: float = 60.0) -> bool:
    """Whether the server at ``url`` answers /api/health with 200 within ``timeout_s`` (for scripts and
    tests that start one)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def save_login(url: str, token: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"url": url.rstrip("/"), "token": token}, handle)
    os.chmod(partial, 0o600)
    os.replace(partial, path)
    return path


def load_login(url: str | None = None) -> tuple[str, str]:
    path = config_path()
    try:
        data = json.loads(path.read_text())
        saved_url, token = str(data["url"]), str(data["token"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ClientError("not logged in: run `grader login URL` with the token your course staff gave you") from None
    if url is not None and url.rstrip("/") != saved_url:
        raise ClientError(f"you are logged in to {saved_url}, not {url}: run `grader login {url}`")
    return saved_url, token


def call(method: str, url: str, path: str, token: str, **kwargs: Any) -> Any:
    try:
        response = httpx.request(method, url + path, headers={"Authorization": f"Bearer {token}"}, timeout=120,
                                 **kwargs)
    except httpx.HTTPError as exc:
        raise ClientError(f"cannot reach {url}: {type(exc).__name__}") from None
    try:
        data = response.json()
    except ValueError:
        raise ClientError(f"{url} answered {response.status_code} without JSON; is it a grader server?") from None
    if response.status_code >= 400:
        raise ClientError(clean(data.get("error", f"refused ({response.status_code})"), 2000))
    return data


def login(url: str, token: str) -> tuple[dict[str, Any], Path]:
    me = call("GET", url.rstrip("/"), "/api/me", token)
    return me, save_login(url, token)


def submit(url: str, exercise: str, path: Path) -> dict[str, Any]:
    base, token = load_login(url)
    if not path.is_file():
        raise ClientError(f"{path} is not a file: send a .py, a notebook or a .zip (zip a folder first)")
    with path.open("rb") as handle:
        return call("POST", base, "/api/submissions", token, data={"exercise": exercise},  # type: ignore[no-any-return]
                    files={"file": (path.name, handle, "application/octet-stream")})


def submissions(exercise: str | None = None) -> list[dict[str, Any]]:
    base, token = load_login()
    params = {"exercise": exercise} if exercise else {}
    return list(call("GET", base, "/api/submissions", token, params=params)["submissions"])


def result(submission_id: int) -> dict[str, Any]:
    base, token = load_login()
    return call("GET", base, f"/api/submissions/{submission_id}/result", token)  # type: ignore[no-any-return]

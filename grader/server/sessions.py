"""Browser sessions: a signed cookie that names the user, never their token.

The cookie holds ``user id | CSRF token | issued-at | a fingerprint of the user's token hash``, signed
with an HMAC under a key derived from the server secret. It is HttpOnly, SameSite=Strict, Path=/ and
Secure when the server is reached over https; it lasts ``MAX_AGE_S``. Issuing the user a new token
(``grader tokens issue``) changes the fingerprint, so every browser session of the old token ends.
The CSRF token every form carries is the session's own, compared in constant time. Logging out
revokes the cookie on the server too (``Revoked``: in memory, so a restart forgets it; the cookie then
still ends at its age limit, or at once when the user's token is re-issued).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session as DbSession

from grader.server.db import User

COOKIE = "grader_session"
PRE_COOKIE = "grader_login"  # the login form's own CSRF token, before there is a session
MAX_AGE_S = 12 * 3600


@dataclass(frozen=True)
class BrowserSession:
    user: str
    role: str
    csrf: str


class Revoked:
    """Cookies logged out of, until they would have expired anyway."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, value: str) -> None:
        with self._lock:
            now = time.time()
            self._until = {v: t for v, t in self._until.items() if t > now}
            self._until[value] = now + MAX_AGE_S

    def __contains__(self, value: object) -> bool:
        with self._lock:
            return value in self._until


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, b"grader browser session v1", hashlib.sha256).digest()


def _fingerprint(token_hash: str) -> str:
    return token_hash[:16]


def _sign(secret: bytes, payload: str) -> str:
    mac = hmac.new(_key(secret), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def encode(secret: bytes, user: User, now: float | None = None) -> str:
    """A fresh session cookie value for ``user`` (a new CSRF token each login)."""
    issued = int(now if now is not None else time.time())
    payload = "|".join([user.id, secrets.token_urlsafe(24), str(issued), _fingerprint(user.token_hash)])
    raw = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"{raw}.{_sign(secret, payload)}"


def decode(secret: bytes, value: str | None, db: DbSession, revoked: Revoked | None = None,
           now: float | None = None) -> BrowserSession | None:
    """The session in a cookie value, if it is ours, unexpired, not logged out, and its user's token is
    unchanged."""
    if not value or len(value) > 1024 or value.count(".") != 1 or (revoked is not None and value in revoked):
        return None
    raw, mac = value.split(".")
    try:
        payload = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(mac, _sign(secret, payload)):
        return None
    parts = payload.split("|")
    if len(parts) != 4 or not parts[2].isdigit():
        return None
    user_id, csrf, issued, fingerprint = parts
    age = (now if now is not None else time.time()) - int(issued)
    if not 0 <= age <= MAX_AGE_S:
        return None
    user = db.get(User, user_id)
    if user is None or not hmac.compare_digest(_fingerprint(user.token_hash), fingerprint):
        return None
    return BrowserSession(user.id, user.role, csrf)


def login_token(secret: bytes, nonce: str) -> str:
    """The CSRF token of the login form: bound to a random nonce kept in its own SameSite cookie."""
    return _sign(secret, f"login|{nonce}")


def cookie_flags(secure: bool, max_age: int = MAX_AGE_S) -> dict[str, object]:
    return {"max_age": max_age, "path": "/", "httponly": True, "samesite": "strict", "secure": secure}


class Sent:
    """What intake said about a fresh submission, shown once on the page the upload redirects to."""

    def __init__(self, keep: int = 1000) -> None:
        self.keep = keep
        self._said: dict[tuple[str, int], list[str]] = {}
        self._lock = threading.Lock()

    def put(self, student: str, submission_id: int, warnings: list[str]) -> None:
        with self._lock:
            if len(self._said) >= self.keep:
                self._said.pop(next(iter(self._said)))
            self._said[(student, submission_id)] = warnings

    def take(self, student: str, submission_id: int) -> list[str] | None:
        with self._lock:
            return self._said.pop((student, submission_id), None)

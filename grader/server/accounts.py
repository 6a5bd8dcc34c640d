"""Tokens without a mail server: one random token per roster student (and staff), only an HMAC stored.

The HMAC key is the server secret, a file with mode 0600 in the server's data folder. A token is
shown once, in the CSV `grader tokens issue` prints; issuing again replaces a user's token. Failed
logins are limited per client address and globally (in memory: one server process).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from grader.server.db import ROLES, User

SECRET_FILE = "server.secret"


def load_secret(data: Path) -> bytes:
    """The server secret, created (mode 0600) on first use."""
    path = data / SECRET_FILE
    data.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} must be readable by its owner only (chmod 600 {path})")
    return bytes.fromhex(path.read_text().strip())


def token_hash(secret: bytes, token: str) -> str:
    return hmac.new(secret, token.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def parse_staff(items: tuple[str, ...]) -> list[tuple[str, str]]:
    staff = []
    for item in items:
        user, _, role = item.partition(":")
        if not user or role not in ROLES[1:]:
            raise ValueError(f"--staff {item!r}: write ID:ta or ID:instructor")
        staff.append((user, role))
    return staff


def issue_tokens(sessions: sessionmaker[Session], secret: bytes, students: list[str],
                 staff: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """A fresh token for every user named; returns (id, role, token) rows (the only copy of the tokens)."""
    rows = [(s, "student") for s in students] + staff
    issued = []
    with sessions.begin() as session:
        for user_id, role in rows:
            token = secrets.token_urlsafe(32)
            user = session.get(User, user_id)
            if user is None:
                session.add(User(id=user_id, role=role, token_hash=token_hash(secret, token)))
            else:
                user.role, user.token_hash = role, token_hash(secret, token)
            issued.append((user_id, role, token))
    return issued


class FailedLogins:
    """At most ``limit`` failed logins per client address, and ``global_limit`` from all addresses together
    (a guesser with many addresses), in ``window`` seconds; then refused until the oldest ages out. One
    limiter for the API's Bearer tokens and the browser's login form: a guesser gets one budget."""

    GLOBAL = "*"

    def __init__(self, limit: int = 10, window: float = 60.0, global_limit: int = 200) -> None:
        self.limit, self.window, self.global_limit = limit, window, global_limit
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.setdefault(client, deque())
        while times and times[0] < now - self.window:
            times.popleft()
        if not times and client != self.GLOBAL:
            del self._failures[client]  # a client seen once does not stay in memory
            return deque()
        return times

    def retry_after(self, client: str) -> float:
        """Seconds until ``client`` may try again (0: now)."""
        with self._lock:
            now = time.monotonic()
            wait = 0.0
            for key, limit in ((client, self.limit), (self.GLOBAL, self.global_limit)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    wait = max(wait, times[len(times) - limit] + self.window - now)
            return wait

    def blocked(self, client: str) -> bool:
        return self.retry_after(client) > 0

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            for key in (client, self.GLOBAL):
                self._recent(key, now)
                self._failures.setdefault(key, deque()).append(now)

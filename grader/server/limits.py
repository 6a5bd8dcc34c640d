"""Fair queueing at the door: a token bucket per (student, exercise), kept in the database.

``[submission_limits]`` in course.toml: ``burst`` submissions at once, then ``per_minute`` more each
minute (defaults below). Only accepted submissions take a token (a refused upload costs nothing, and
is cheap: intake runs before the bucket, on at most one upload's bytes). Staff are never limited.

The bucket is one number per (student, exercise), ``ready_at`` (the generic cell rate algorithm: the
time the bucket is full again, shifted): a submission at ``now`` is allowed iff ``ready_at <= now +
(burst - 1) * interval``, and then ``ready_at = max(ready_at, now) + interval``. That test-and-set is a
single UPDATE with the test in its WHERE clause, so it is atomic on SQLite (one writer) and on
PostgreSQL (a row lock, the WHERE re-checked after waiting): two server processes, or a restart,
never hand out more than the bucket holds. It runs in the same transaction that stores the
submission, so a token is taken exactly when a submission is stored.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import case, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader.course import COURSE_FILE, CourseConfigError, _read_toml
from grader.inbox import SubmitError
from grader.server.db import SubmissionBucket

DEFAULT_BURST = 5  # enough to fix a typo and resubmit a few times at the deadline
DEFAULT_PER_MINUTE = 1.0  # then one a minute: about what a student can change and re-check by hand


@dataclass(frozen=True)
class SubmissionLimits:
    burst: int = DEFAULT_BURST
    per_minute: float = DEFAULT_PER_MINUTE

    @property
    def interval(self) -> float:
        return 60.0 / self.per_minute

    def describe(self) -> str:
        every = "1 more each minute" if self.per_minute == 1 else f"{self.per_minute:g} more per minute"
        return f"{self.burst} at once, then {every}"


def submission_limits(root: Path) -> SubmissionLimits:
    """course.toml's ``[submission_limits]`` (both fields optional); a bad value names the field."""
    path = root / COURSE_FILE
    table: Any = _read_toml(path).get("submission_limits", {})
    where = f"{path}: [submission_limits]"
    if not isinstance(table, dict) or set(table) - {"burst", "per_minute"}:
        raise CourseConfigError(f"{where}: write burst = {DEFAULT_BURST} and per_minute = {DEFAULT_PER_MINUTE:g} "
                                "(both optional)")
    burst, per_minute = table.get("burst", DEFAULT_BURST), table.get("per_minute", DEFAULT_PER_MINUTE)
    if isinstance(burst, bool) or not isinstance(burst, int) or not 1 <= burst <= 1000:
        raise CourseConfigError(f"{where}: burst must be a whole number from 1 to 1000, got {burst!r}")
    if isinstance(per_minute, bool) or not isinstance(per_minute, (int, float)) or not 0 < per_minute <= 600:
        raise CourseConfigError(f"{where}: per_minute must be a number above 0 (at most 600), got {per_minute!r}")
    return SubmissionLimits(burst, float(per_minute))


class TooManySubmissions(SubmitError):
    """Refused by the bucket (HTTP 429); ``retry_at`` is when the next submission is allowed."""

    def __init__(self, exercise: str, retry_at: dt.datetime, limits: SubmissionLimits) -> None:
        self.retry_at = retry_at
        super().__init__(f"not submitted: too many submissions of {exercise}; next submission allowed at "
                         f"{retry_at:%H:%M:%S} (server time, UTC). You may submit {limits.describe()}.")


def _ensure_row(session: Session, student: str, exercise: str) -> None:
    values = {"student": student, "exercise": exercise, "ready_at": 0.0}
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        maker = sqlite.insert if dialect == "sqlite" else postgresql.insert
        session.execute(maker(SubmissionBucket).values(**values).on_conflict_do_nothing())
        return
    try:
        with session.begin_nested():
            session.execute(insert(SubmissionBucket).values(**values))
    except IntegrityError:
        pass  # another process made it first


def _retry_at(ready_at: float, limits: SubmissionLimits) -> dt.datetime:
    """The first whole second at which a submission is allowed again."""
    return dt.datetime.fromtimestamp(math.ceil(ready_at - (limits.burst - 1) * limits.interval - 1e-6), dt.UTC)


def waiting(session: Session, student: str, exercise: str, limits: SubmissionLimits,
            now: dt.datetime) -> dt.datetime | None:
    """When the next submission is allowed if it is not allowed at ``now`` (reads only; None: allowed)."""
    ready_at = session.scalar(select(SubmissionBucket.ready_at).where(SubmissionBucket.student == student,
                                                                      SubmissionBucket.exercise == exercise))
    if ready_at is None or ready_at <= now.timestamp() + (limits.burst - 1) * limits.interval:
        return None
    return _retry_at(ready_at, limits)


def take(session: Session, student: str, exercise: str, limits: SubmissionLimits, now: dt.datetime) -> None:
    """Take one token in ``session``'s transaction, or raise TooManySubmissions (nothing changed)."""
    _ensure_row(session, student, exercise)
    t, bucket = now.timestamp(), SubmissionBucket
    taken = session.execute(
        update(bucket).where(bucket.student == student, bucket.exercise == exercise,
                             bucket.ready_at <= t + (limits.burst - 1) * limits.interval)
        .values(ready_at=case((bucket.ready_at > t, bucket.ready_at), else_=t) + limits.interval))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        ready_at = session.scalar(select(bucket.ready_at).where(bucket.student == student,
                                                                bucket.exercise == exercise))
        raise TooManySubmissions(exercise, _retry_at(float(ready_at or t), limits), limits)

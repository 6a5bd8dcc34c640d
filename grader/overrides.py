"""TA overrides and comments: an append-only JSONL log next to the results, applied on read.

Why a log and not an edit of results.json: re-grading rewrites results.json, and an override must
survive that (it is shown as "overridden", old → new). Why append-only with ``flock`` + ``fsync``:
two TAs saving at the same moment must both be recorded, and a crash must never leave a half-written
history. A record targets (exercise, student, test) — ``test`` None means the whole submission — and
the latest ``override``/``clear`` record for a target decides its score. A save states which version
of the submission's history the TA saw; if someone else changed the same target since, the save is
refused with a conflict instead of silently replacing the other TA's change.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import math
import os
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from grader.results import Result

OVERRIDES_FILE = "overrides.jsonl"
KINDS = ("override", "clear", "comment")
MAX_TEXT = 2000


class OverrideError(ValueError):
    """A record that cannot be saved (missing reason, points out of range, unknown test)."""


class OverrideConflict(Exception):
    """Someone else changed the same target since the TA loaded the page."""

    def __init__(self, newer: list[Override]) -> None:
        self.newer = newer
        who = ", ".join(f"{r.by} ({r.describe()}, {r.at})" for r in newer)
        super().__init__(f"changed meanwhile by {who}")


@dataclass(frozen=True)
class Override:
    id: str
    at: str
    by: str
    exercise: str
    student: str
    test: str | None  # None: the whole submission
    kind: str  # "override" | "clear" | "comment"
    reason: str
    points: float | None = None
    previous: float | None = None  # the score shown when the TA made the change
    to_student: bool = False  # a comment addressed to the student (shown after release); else staff-only

    @property
    def target(self) -> tuple[str, str, str | None]:
        return (self.exercise, self.student, self.test)

    def describe(self) -> str:
        what = self.test or "submission"
        if self.kind == "override":
            before = f": {self.previous:g}" if self.previous is not None else ""
            return f"{what}{before} → {self.points:g}"
        if self.kind == "clear":
            return f"{what}: override removed"
        return f"{what}: comment to the student" if self.to_student else f"{what}: staff note"

    @classmethod
    def from_json(cls, data: Any) -> Override:
        if not isinstance(data, dict):
            raise ValueError("not an object")
        known = {f.name for f in fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in known})
        if record.kind not in KINDS or not all(isinstance(v, str) for v in (record.id, record.by, record.exercise,
                                                                            record.student, record.reason)):
            raise ValueError("malformed record")
        if record.kind == "override" and not isinstance(record.points, int | float):
            raise ValueError("override without points")
        if not isinstance(record.to_student, bool) or (record.to_student and record.kind != "comment"):
            raise ValueError("only a comment can be addressed to the student")
        return record


def new_record(*, by: str, exercise: str, student: str, test: str | None, kind: str, reason: str,
               points: float | None = None, previous: float | None = None, max_points: float | None = None,
               to_student: bool = False) -> Override:
    """A validated record stamped with an id and the current UTC time."""
    by, reason = by.strip(), reason.strip()
    if kind not in KINDS:
        raise OverrideError(f"kind must be one of {', '.join(KINDS)}")
    if not by:
        raise OverrideError("say who you are (TA name)")
    if not reason:
        raise OverrideError("a reason is required" if kind != "comment" else "the comment is empty")
    if len(reason) > MAX_TEXT or len(by) > 100:
        raise OverrideError(f"the reason is limited to {MAX_TEXT} characters and the name to 100")
    if kind == "override":
        if points is None or not math.isfinite(points) or points < 0:
            raise OverrideError("points must be a number ≥ 0")
        if max_points is not None and points > max_points:
            raise OverrideError(f"points must be at most {max_points:g}")
    return Override(id=uuid.uuid4().hex, at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), by=by,
                    exercise=exercise, student=student, test=test or None, kind=kind, reason=reason,
                    points=points if kind == "override" else None, previous=previous,
                    to_student=bool(to_student) and kind == "comment")


@dataclass
class OverrideLog:
    """The log file ``RESULTS/overrides.jsonl``."""

    path: Path

    @classmethod
    def at(cls, results_root: Path) -> OverrideLog:
        return cls(results_root / OVERRIDES_FILE)

    def read(self) -> tuple[list[Override], list[str]]:
        """Every record in order, and a problem for each line that is not one (e.g. a torn last line)."""
        try:
            with self.path.open("rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_SH)
                raw = handle.read()
        except FileNotFoundError:
            return [], []
        return _parse(raw, self.path)

    def append(self, record: Override, seen: int | None = None) -> int:
        """Add ``record`` durably; returns the submission's history length after it.

        ``seen`` is how many records for the submission the TA's page showed: if a later record changed
        the same target, raise OverrideConflict and write nothing. Comments never conflict.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        with os.fdopen(fd, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            records, _ = _parse(handle.read(), self.path)
            history = [r for r in records if (r.exercise, r.student) == (record.exercise, record.student)]
            if seen is not None and record.kind != "comment":
                newer = [r for r in history[seen:] if r.target == record.target and r.kind != "comment"]
                if newer:
                    raise OverrideConflict(newer)
            if record.kind == "clear" and active(history).get(record.test) is None:
                raise OverrideError(f"no override on {record.test or 'the submission'} to remove")
            handle.write((json.dumps(asdict(record), ensure_ascii=False) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        return len(history) + 1


def _parse(raw: bytes, path: Path) -> tuple[list[Override], list[str]]:
    records: list[Override] = []
    problems: list[str] = []
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(Override.from_json(json.loads(line)))
        except (ValueError, TypeError) as exc:
            problems.append(f"{path}: line {number} is not an override record ({exc}); ignored")
    return records, problems


def active(history: Iterable[Override]) -> dict[str | None, Override]:
    """The override in force for each test name (None: the submission), from one submission's history."""
    current: dict[str | None, Override] = {}
    for record in history:
        if record.kind == "override":
            current[record.test] = record
        elif record.kind == "clear":
            current.pop(record.test, None)
    return current


@dataclass
class TestScore:
    name: str
    graded: float
    score: float
    max_score: float
    override: Override | None = None


@dataclass
class Adjusted:
    """A result's scores with the overrides in force applied (late penalty kept separate)."""

    tests: dict[str, TestScore]
    graded_score: float
    score: float  # after overrides, before the late penalty
    max_score: float
    late_penalty: float
    submission_override: Override | None = None
    history: list[Override] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return max(0.0, self.score - self.late_penalty)

    @property
    def overridden(self) -> bool:
        return self.submission_override is not None or any(t.override for t in self.tests.values())

    @property
    def comments(self) -> list[Override]:
        return [r for r in self.history if r.kind == "comment"]

    @property
    def feedback(self) -> list[Override]:
        """The comments addressed to the student (staff notes excluded)."""
        return [r for r in self.history if r.kind == "comment" and r.to_student is True]


def adjust(result: Result, student: str, history: list[Override]) -> Adjusted:
    """Apply one submission's history (records for other submissions are ignored)."""
    mine = [r for r in history if (r.exercise, r.student) == (result.exercise, student)]
    tests = {t.name: TestScore(t.name, t.score, t.score, t.max_score) for t in result.tests}
    adjusted = Adjusted(tests, result.score, result.score, result.max_score, result.late_penalty, history=mine)
    for name, record in active(mine).items():
        if name is None:
            adjusted.submission_override = record
        elif name in tests:
            tests[name].score, tests[name].override = float(record.points or 0.0), record
        else:
            adjusted.problems.append(f"override by {record.by} ({record.at}) for unknown test {name!r} in "
                                     f"{result.exercise}/{student}: ignored")
    if adjusted.submission_override is not None:
        adjusted.score = float(adjusted.submission_override.points or 0.0)
    else:
        adjusted.score = result.score + sum(t.score - t.graded for t in tests.values())
    if adjusted.score != result.score:  # the late policy deducts a share of the points earned: of the new score
        fraction = result.late_fraction or (result.late_penalty / result.score if result.score else 0.0)
        adjusted.late_penalty = round(adjusted.score * fraction, 4)
    return adjusted


def unmatched(history: list[Override], submissions: set[tuple[str, str]]) -> list[str]:
    """A problem for each (exercise, student) that has overrides but no result."""
    orphans = sorted({(r.exercise, r.student) for r in history} - submissions)
    return [f"overrides for {e}/{s} match no results.json: ignored" for e, s in orphans]


def applied(result: Result, adjusted: Adjusted) -> Result:
    """A copy of ``result`` whose scores are the overridden ones (late penalty not deducted), each
    changed test's student-safe output saying so; for exports that only understand plain results."""
    copy = replace(result, tests=[replace(t) for t in result.tests], score=adjusted.score)
    for test in copy.tests:
        score = adjusted.tests.get(test.name)
        if score is not None and score.override is not None:
            test.score = score.score
            test.output = (test.output + "\n" if test.output else "") + \
                f"Score adjusted by course staff: {score.graded:g} → {score.score:g}."
    if adjusted.submission_override is not None:
        copy.output = (copy.output + "\n" if copy.output else "") + \
            f"Score adjusted by course staff: {adjusted.graded_score:g} → {adjusted.score:g}."
    return copy

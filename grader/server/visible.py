"""What a student may see of their own submissions: the release phase, the counted submission, and its
result with the TA overrides in force (one function for the JSON API and the student pages).

Release phases (grader/site/views.py): before the due date, after it, and published. Instructors
publish an exercise (or a whole assignment) from the instructor page; the record is
``DATA/released.json`` (written atomically by the one server process). The counted submission is the
one grader/assignment.py ``choose`` picks, as for RESULTS/<exercise>/<student>/; overrides in
RESULTS/overrides.jsonl apply to it (they were made on it), never to the student's other attempts.
A re-grade's new grades stay invisible (``visible_grade``) until an instructor releases them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from grader.assignment import choose
from grader.course import load_course
from grader.files import write_text
from grader.overrides import OverrideLog, adjust
from grader.results import Result, load_result
from grader.server.db import Grade, Submission
from grader.server.store import Server, entry_of, history
from grader.site.views import Release, SubmissionView, submission_view

RELEASED = "released.json"
REGRADES = "regrades"


def released(server: Server) -> dict[str, str]:
    """exercise -> when it was published (UTC, ISO)."""
    try:
        data = json.loads((server.data / RELEASED).read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.get("exercises", {}).items()} if isinstance(data, dict) else {}


def publish(server: Server, exercises: list[str]) -> dict[str, str]:
    """Publish ``exercises`` (every score and after-publication test becomes visible to its students)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    current = released(server)
    for exercise in exercises:
        current.setdefault(exercise, now)
    write_text(server.data / RELEASED, json.dumps({"exercises": current}, indent=1, sort_keys=True) + "\n")
    return current


def release_of(server: Server, exercise: str, student: str | None = None) -> Release:
    """The release phase for ``student``: "after the due date" starts at their own due date (an extension
    or a time multiplier, grader/extensions.py), so nothing hidden shows while they may still submit."""
    if exercise in released(server):
        return Release.PUBLISHED
    course = load_course(server.root)
    assignment = next((a for a in course.assignments.values() if exercise in a.exercises), None)
    if assignment is not None and dt.datetime.now(dt.UTC) > assignment.deadline(student).due:
        return Release.AFTER_DUE
    return Release.BEFORE_DUE


def counted_id(server: Server, student: str, exercise: str) -> int | None:
    """The id of the submission that counts for (student, exercise), graded or not; None if none can."""
    course = load_course(server.root)
    assignment = next((a for a in course.assignments.values() if exercise in a.exercises), None)
    with server.sessions() as session:
        rows = [r for r in history(session, student, exercise) if r.status != "ungradable"]
    if assignment is None or not rows:
        return None
    choice = choose([entry_of(r) for r in rows], assignment.deadline(student), assignment.late)
    if choice.entry is None:
        return None
    return int(choice.entry.folder.name.removeprefix("submission-"))


def pending(server: Server) -> set[tuple[int, str]]:
    """(submission id, grade key) of every re-grade not released yet (grader/server/regrade.py writes them)."""
    held: set[tuple[int, str]] = set()
    for path in sorted((server.data / REGRADES).glob("*.json")):
        try:
            data = json.loads(path.read_text())
            if data["state"] != "released":
                held.update((int(s), str(data["key"])) for s in data["submissions"].values())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a damaged record holds nothing back
    return held


def visible_grade(server: Server, session: DbSession, submission_id: int) -> Grade | None:
    """The newest grade of a submission that students may see: a re-grade's new grade waits for its release."""
    held = pending(server)
    grades = session.scalars(select(Grade).where(Grade.submission_id == submission_id)
                             .order_by(Grade.graded_at.desc(), Grade.id.desc()))
    return next((g for g in grades if (submission_id, g.grade_key) not in held), None)


def graded_result(server: Server, submission_id: int) -> Result | None:
    """This submission's own result as the grader wrote it (no late deduction, no overrides)."""
    with server.sessions() as session:
        grade = visible_grade(server, session, submission_id)
    return None if grade is None else load_result(Path(grade.result_path) / "results.json")


@dataclass
class Shown:
    """A student's view of one submission: counted or not, and its result view (None: not graded yet)."""

    row: Submission
    counted: bool
    view: SubmissionView | None


def counted_result(server: Server, row: Submission) -> Result | None:
    """The counted result in RESULTS/ (late deduction applied) when it is this submission's."""
    path = server.results / row.exercise / row.student / "results.json"
    try:
        result = load_result(path)
    except (OSError, ValueError):
        return None
    return result if result.sha256 == row.sha256 else None


def shown(server: Server, row: Submission, counted: int | None = None) -> Shown:
    """What ``row``'s student sees: the counted one with the overrides in force, any other as graded."""
    counted = counted_id(server, row.student, row.exercise) if counted is None else counted
    release = release_of(server, row.exercise, row.student)
    if counted == row.id and (result := counted_result(server, row)) is not None:
        log, _ = OverrideLog.at(server.results).read()
        adjusted = adjust(result, row.student, log)
        return Shown(row, True, submission_view(result, row.student, ta=False, release=release, adjusted=adjusted))
    result = graded_result(server, row.id)
    view = None if result is None else submission_view(result, row.student, ta=False, release=release)
    return Shown(row, counted == row.id, view)

"""The one reader of a results tree: the site, the review app, every export and grade-assignment use it.

It says plainly every problem it finds.

A results tree is any folder holding results.json files (``grade --out DIR`` writes DIR/<name>/,
``grade-assignment`` writes RESULTS/<exercise>/<student>/). The student is ``Result.student`` when
set, else the folder's name. A bad file (truncated, foreign JSON, wrong types) is reported and
skipped; it never stops the rest of the site from building.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.overrides import Adjusted, Override, OverrideLog, adjust, unmatched
from grader.results import Result, load_result

SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(name: str) -> str:
    """A file-name-safe, unique stand-in for a student or exercise id (ids come from folder names)."""
    cleaned = SAFE.sub("_", name)[:60].strip(".") or "_"
    if cleaned == name:
        return name
    return f"{cleaned}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def type_problem(result: Result) -> str | None:
    """Why a parsed results.json is not one of ours, or None (from_json does not check types)."""
    def number(value: object) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)

    if not isinstance(result.exercise, str) or not result.exercise:
        return "'exercise' is not a non-empty string"
    for name in ("score", "max_score", "seed", "late_penalty", "duration_s"):
        if not number(getattr(result, name)):
            return f"{name!r} is {getattr(result, name)!r}, not a number"
    if not isinstance(result.tests, list) or not isinstance(result.errors, list):
        return "'tests' and 'errors' must be lists"
    for test in result.tests:
        if not isinstance(test.name, str) or not number(test.score) or not number(test.max_score):
            return f"test {test.name!r} has a malformed name or score"
    return None


def _as_text(result: Result) -> None:
    """Coerce free-text fields to str, so a template never meets a dict where it expects text."""
    for name in ("title", "submission", "source", "import_error", "sha256", "status", "graded_at", "output",
                 "grader_version"):
        value = getattr(result, name)
        setattr(result, name, "" if value is None else str(value))
    result.errors = [str(e) for e in result.errors]
    for test in result.tests:
        for name in ("status", "output", "visibility", "description", "details", "program_output"):
            value = getattr(test, name)
            setattr(test, name, "" if value is None else str(value))
        test.hint = None if test.hint is None else str(test.hint)
        if not isinstance(test.duration_s, int | float):
            test.duration_s = 0.0


@dataclass
class Submission:
    """One (exercise, student) result with the TA overrides in force applied."""

    exercise: str
    student: str
    folder: str  # relative to the results root
    result: Result
    adjusted: Adjusted
    name: str = ""  # from the roster, when one is given

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def score(self) -> float:
        """After overrides, before the late penalty."""
        return self.adjusted.score

    @property
    def total(self) -> float:
        """After overrides and the late penalty."""
        return self.adjusted.total

    @property
    def ta_page(self) -> str:
        return f"ta/{slug(self.exercise)}/{slug(self.student)}.html"

    @property
    def student_page(self) -> str:
        return f"student/{slug(self.student)}/{slug(self.exercise)}.html"


@dataclass
class Exercise:
    id: str
    title: str
    max_score: float

    @property
    def page(self) -> str:
        return f"exercise/{slug(self.id)}.html"


@dataclass
class Collection:
    root: Path
    submissions: dict[tuple[str, str], Submission] = field(default_factory=dict)  # (exercise, student)
    exercises: list[Exercise] = field(default_factory=list)
    students: list[str] = field(default_factory=list)  # every student with a result, then the roster's
    names: dict[str, str] = field(default_factory=dict)  # student id -> name, from the roster
    history: list[Override] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files skipped, overrides ignored
    notes: list[str] = field(default_factory=list)  # worth knowing, nothing lost

    def of_exercise(self, exercise: str) -> list[Submission]:
        return [s for (e, _), s in sorted(self.submissions.items()) if e == exercise]

    def of_student(self, student: str) -> list[Submission]:
        return [s for (_, st), s in sorted(self.submissions.items()) if st == student]


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root)) or "."
    except ValueError:
        return str(path)


def collect(root: Path, roster: Mapping[str, str] | None = None) -> Collection:
    """Load every results.json under ``root`` and apply ``root/overrides.jsonl``; ``roster`` (id -> name)
    names the students and adds the rostered ones that have no result."""
    found = Collection(root, names=dict(roster or {}))
    if not root.is_dir():
        found.problems.append(f"{root}: not a folder")
        return found
    found.history, found.problems = OverrideLog.at(root).read()
    loaded: dict[tuple[str, str], tuple[Result, Path]] = {}
    for path in sorted(root.rglob("results.json")):
        where = _relative(path, root)
        try:
            result = load_result(path)
        except ValueError as exc:
            found.problems.append(f"{where}: skipped: {str(exc).removeprefix(str(path) + ': ')}")
            continue
        problem = type_problem(result)
        if problem:
            found.problems.append(f"{where}: skipped: not a grader results.json ({problem})")
            continue
        _as_text(result)
        student = str(result.student) if result.student else path.parent.name
        key = (result.exercise, student)
        if key in loaded:
            older, newer = sorted([loaded[key], (result, path)], key=lambda rp: rp[0].graded_at)
            found.notes.append(f"{_relative(older[1], root)} and {_relative(newer[1], root)} are both "
                               f"{key[0]} for {student}: showing the later one")
            loaded[key] = newer
        else:
            loaded[key] = (result, path)
        if not (path.parent / "report.html").is_file():
            found.notes.append(f"{_relative(path.parent, root)}: no report.html (the site's own pages are used)")
    for report in sorted(root.rglob("report.html")):
        if not (report.parent / "results.json").is_file():
            found.problems.append(f"{_relative(report.parent, root)}: report.html without results.json "
                                  "(grading did not finish?): not shown")
    titles: dict[str, Exercise] = {}
    for (exercise, student), (result, path) in sorted(loaded.items()):
        adjusted = adjust(result, student, found.history)
        found.problems.extend(adjusted.problems)
        found.submissions[(exercise, student)] = Submission(exercise, student, _relative(path.parent, root),
                                                            result, adjusted, found.names.get(student, ""))
        info = titles.setdefault(exercise, Exercise(exercise, result.title or exercise, result.max_score))
        info.max_score = max(info.max_score, result.max_score)
    found.problems.extend(unmatched(found.history, set(loaded)))
    found.exercises = sorted(titles.values(), key=lambda e: e.id)
    found.students = sorted({student for _, student in loaded} | set(found.names))
    return found

"""The course: course.toml (name, roster, assignments with due dates and late policies, default limits).

Validated when loaded, with errors that name the file and the field, like spec.toml. Exercise ids
are checked lazily (``Course.specs``), so a course.toml naming an exercise still being written only
fails the commands that need that exercise.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import extensions as ext
from grader.files import write_text
from grader.spec import ExerciseSpec, Limits, SpecError, _limits, course_root, load_exercise

COURSE_FILE = "course.toml"
ASSIGNMENT_FILE = "assignment.toml"  # the public part of one assignment, shipped in its bundle
ASSIGNMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_INSTALL = ""  # none: the bundle installs its shipped wheel, or says to ask (grader/bundle.py)


class CourseConfigError(Exception):
    """A course.toml, roster or assignment.toml that cannot be used; the message names file and field."""


@dataclass(frozen=True)
class LatePolicy:
    """Late work: accepted with a deduction per started day (a fraction of the points earned), capped."""

    accept_late: bool = False
    per_day: float = 0.0
    cap: float = 1.0
    max_days: int | None = None  # later than this many days: not accepted

    def accepts(self, days_late: int) -> bool:
        if days_late <= 0:
            return True
        return self.accept_late and (self.max_days is None or days_late <= self.max_days)

    def fraction(self, days_late: int) -> float:
        return min(self.cap, self.per_day * max(0, days_late))

    def describe(self) -> str:
        if not self.accept_late:
            return "late work is not accepted"
        text = f"{self.per_day:.0%} of the points earned per started day late, at most {self.cap:.0%}"
        return text + (f"; not accepted after {self.max_days} day(s)" if self.max_days is not None else "")


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    exercises: tuple[str, ...]
    due: dt.datetime  # timezone-aware
    late: LatePolicy
    canvas: str = ""  # the assignment's column name in Canvas's gradebook (default: the title)
    opens: dt.datetime | None = None  # timed work: the window a time multiplier scales (grader/extensions.py)
    deadlines: Mapping[str, ext.Deadline] = field(default_factory=dict, compare=False, hash=False)  # per student
    extensions_known: bool = True  # False in a bundle's assignment.toml: a student's extension is not known there

    @property
    def canvas_column(self) -> str:
        return self.canvas or self.title

    def deadline(self, student: str | None) -> ext.Deadline:
        """When ``student``'s work is due: their extension or time multiplier, else the assignment's date."""
        return self.deadlines.get(student or "", ext.Deadline(self.due))


@dataclass(frozen=True)
class Student:
    id: str
    name: str


@dataclass(frozen=True)
class Course:
    name: str
    root: Path
    path: Path
    students: tuple[Student, ...]
    assignments: dict[str, Assignment]
    default_limits: dict[str, Any]
    install: str = DEFAULT_INSTALL

    def roster(self) -> dict[str, str]:
        return {s.id: s.name for s in self.students}

    def assignment(self, assignment_id: str) -> Assignment:
        if assignment_id not in self.assignments:
            known = ", ".join(sorted(self.assignments)) or "none"
            raise CourseConfigError(f"{self.path}: no assignment {assignment_id!r}; known assignments: {known}")
        return self.assignments[assignment_id]

    def specs(self, assignment: Assignment) -> list[ExerciseSpec]:
        """The assignment's exercises, with the course's default limits; unknown ids are a clear error."""
        specs = []
        for exercise_id in assignment.exercises:
            try:
                spec = load_exercise(exercise_id, self.root)
            except SpecError as exc:
                raise CourseConfigError(f"{self.path}: assignments.{assignment.id}.exercises: {exc}") from None
            specs.append(with_default_limits(spec, self.default_limits))
        return specs


def with_default_limits(spec: ExerciseSpec, defaults: dict[str, Any]) -> ExerciseSpec:
    """The spec with course-wide limits for every field its own [limits] table does not set."""
    if not defaults:
        return spec
    spec_path = spec.exercise_dir / "spec.toml"
    try:
        own = tomllib.loads(spec_path.read_text(encoding="utf-8")).get("limits", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CourseConfigError(f"{spec_path}: {exc}") from None
    merged = {**defaults, **(own if isinstance(own, dict) else {})}
    try:
        limits: Limits = _limits(merged, str(spec_path))
    except SpecError as exc:
        raise CourseConfigError(str(exc)) from None
    return dataclasses.replace(spec, limits=limits)


def late_days(submitted: dt.datetime, due: dt.datetime) -> int:
    """Started days after the due date (0 when on time)."""
    seconds = (submitted - due).total_seconds()
    return 0 if seconds <= 0 else math.ceil(seconds / 86400)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseConfigError(f"{path}: not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CourseConfigError(f"{path}: invalid TOML: {exc}") from None


def _field(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, required: bool = True) -> Any:
    if key not in table:
        if required:
            raise CourseConfigError(f"{where}: missing field '{key}'")
        return None
    value = table[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise CourseConfigError(f"{where}: field '{key}' must be {names}, got {value!r}")
    return value


def _unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = set(table) - allowed
    if extra:
        raise CourseConfigError(f"{where}: unknown field(s): {', '.join(sorted(extra))}")


def parse_late(value: Any, where: str) -> LatePolicy:
    """``"none"`` or a table ``{per_day = 0.1, cap = 0.5, max_days = 7}`` (max_days optional)."""
    if value == "none":
        return LatePolicy(accept_late=False)
    if not isinstance(value, dict):
        raise CourseConfigError(f"{where}: must be \"none\" or a table like {{ per_day = 0.1, cap = 0.5 }}")
    _unknown(value, {"per_day", "cap", "max_days"}, where)
    per_day = _field(value, "per_day", (int, float), where)
    cap = _field(value, "cap", (int, float), where, required=False)
    cap = 1.0 if cap is None else cap
    if not 0 <= per_day <= 1 or not 0 <= cap <= 1:
        raise CourseConfigError(f"{where}: per_day and cap are fractions between 0 and 1 (0.1 means 10%)")
    max_days = _field(value, "max_days", int, where, required=False)
    if max_days is not None and max_days < 0:
        raise CourseConfigError(f"{where}: field 'max_days' must be 0 or more")
    return LatePolicy(True, float(per_day), float(cap), max_days)


def parse_due(value: Any, where: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise CourseConfigError(f"{where}: not a date-time: {value!r}") from None
    if not isinstance(value, dt.datetime):
        raise CourseConfigError(f"{where}: must be a date-time like 2026-02-13T23:59:00+01:00, got {value!r}")
    if value.tzinfo is None:
        raise CourseConfigError(f"{where}: add a time zone offset, e.g. {value.isoformat()}+01:00 (or Z for UTC)")
    return value


def parse_assignment(assignment_id: str, table: Any, where: str, default_late: LatePolicy) -> Assignment:
    if not ASSIGNMENT_ID.match(assignment_id):
        raise CourseConfigError(f"{where}: assignment id must be lowercase letters, digits, '-' or '_'")
    if not isinstance(table, dict):
        raise CourseConfigError(f"{where}: must be a table")
    _unknown(table, {"id", "title", "exercises", "due", "late", "canvas", "opens"}, where)
    exercises = _field(table, "exercises", list, where)
    if not exercises or not all(isinstance(e, str) for e in exercises):
        raise CourseConfigError(f"{where}: field 'exercises' must be a non-empty list of exercise ids")
    repeated = sorted({e for e in exercises if exercises.count(e) > 1})
    if repeated:
        raise CourseConfigError(f"{where}: exercise(s) listed twice: {', '.join(repeated)}")
    late = parse_late(table["late"], f"{where}.late") if "late" in table else default_late
    due = parse_due(table.get("due"), f"{where}.due")
    opens = parse_due(table["opens"], f"{where}.opens") if "opens" in table else None
    if opens is not None and opens >= due:
        raise CourseConfigError(f"{where}.opens: {opens.isoformat()} is not before the due date {due.isoformat()}")
    return Assignment(id=assignment_id, title=_field(table, "title", str, where, required=False) or assignment_id,
                      exercises=tuple(exercises), due=due, late=late, opens=opens,
                      canvas=_field(table, "canvas", str, where, required=False) or "")


def load_roster(path: Path) -> tuple[Student, ...]:
    """A CSV with a header holding ``id`` and ``name`` (other columns are ignored)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CourseConfigError(f"{path}: roster not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseConfigError(f"{path}: cannot read the roster: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    if "id" not in columns or "name" not in columns:
        raise CourseConfigError(f"{path}: the first line must be a header with 'id' and 'name' columns, "
                                f"got {', '.join(columns) or 'nothing'}")
    students: list[Student] = []
    first_line: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        student_id = row.get("id", "")
        if not student_id and not any(row.values()):
            continue
        if not STUDENT_ID.match(student_id):
            raise CourseConfigError(f"{path}: line {line}: student id {student_id!r} must be letters, digits, "
                                    "'.', '_' or '-' (at most 64)")
        if student_id in first_line:
            raise CourseConfigError(f"{path}: line {line}: duplicate student id {student_id!r} "
                                    f"(first on line {first_line[student_id]})")
        first_line[student_id] = line
        students.append(Student(student_id, row.get("name", "")))
    if not students:
        raise CourseConfigError(f"{path}: the roster has no students")
    return tuple(students)


def find_course() -> Course | None:
    """The course (roster, assignments) when a course.toml is found where commands look for the course,
    else None: exports, reports and result names then work from the results alone."""
    try:
        return load_course(course_root())
    except (CourseConfigError, SpecError, OSError):
        return None


def load_course(root: Path) -> Course:
    """Load ``root/course.toml`` and its roster; raises CourseConfigError."""
    root = root.resolve()
    path = root / COURSE_FILE
    if not path.is_file():
        raise CourseConfigError(f"no {COURSE_FILE} in {root}: create one (see docs/workflow.md)")
    data = _read_toml(path)
    where = str(path)
    _unknown(data, {"course", "defaults", "assignments", "extensions", "accommodations", "submission_limits"},
             where)  # [submission_limits]: the course server's (grader/server/limits.py)
    course = _field(data, "course", dict, where)
    _unknown(course, {"name", "roster", "install"}, f"{where}: [course]")
    defaults = _field(data, "defaults", dict, where, required=False) or {}
    _unknown(defaults, {"late", "limits"}, f"{where}: [defaults]")
    default_late = parse_late(defaults["late"], f"{where}: defaults.late") if "late" in defaults else LatePolicy()
    limits = _field(defaults, "limits", dict, f"{where}: [defaults]", required=False) or {}
    try:
        _limits(limits, f"{where}: defaults")
    except SpecError as exc:
        raise CourseConfigError(str(exc)) from None
    table = _field(data, "assignments", dict, where)
    assignments = {aid: parse_assignment(aid, value, f"{where}: assignments.{aid}", default_late)
                   for aid, value in table.items()}
    owner: dict[str, str] = {}
    for assignment in assignments.values():
        for exercise in assignment.exercises:
            if exercise in owner:
                raise CourseConfigError(f"{where}: exercise {exercise!r} is in assignments {owner[exercise]} and "
                                        f"{assignment.id}; an exercise belongs to one assignment")
            owner[exercise] = assignment.id
    roster = _field(course, "roster", str, f"{where}: [course]")
    students = load_roster((root / roster).resolve())
    granted = personal_deadlines(root, data, assignments, {s.id for s in students})
    assignments = {aid: dataclasses.replace(a, deadlines=granted[aid]) for aid, a in assignments.items()}
    return Course(name=_field(course, "name", str, f"{where}: [course]"), root=root, path=path,
                  students=students, assignments=assignments,
                  default_limits=dict(limits), install=course.get("install") or DEFAULT_INSTALL)


def extension_entries(root: Path, data: dict[str, Any] | None = None) -> ext.Entries:
    """The extensions and accommodations of course.toml (``data``: already read) and of extensions.toml."""
    path = root / COURSE_FILE
    try:
        entries = ext.from_tables(data if data is not None else _read_toml(path), str(path))
        imported = root / ext.EXTENSIONS_FILE
        if imported.is_file():
            entries = entries.merge(ext.from_tables(_read_toml(imported), str(imported)))
    except ext.ExtensionError as exc:
        raise CourseConfigError(str(exc)) from None
    return entries


def import_extensions(root: Path, csv_path: Path) -> tuple[int, int, Path]:
    """Replace extensions.toml with the CSV's extensions and multipliers, all or nothing (every row is checked
    against the roster, the assignments and course.toml first); returns (extensions, multipliers, file)."""
    course = load_course(root)
    try:
        rows = ext.read_csv(csv_path)
        merged = ext.from_tables(_read_toml(course.path), str(course.path)).merge(rows)
        windows = {a.id: ext.Window(a.due, a.opens) for a in course.assignments.values()}
        ext.deadlines(merged, windows, set(course.roster()))
    except ext.ExtensionError as exc:
        raise CourseConfigError(f"nothing imported:\n{exc}") from None
    target = course.root / ext.EXTENSIONS_FILE
    before = target.read_text(encoding="utf-8") if target.is_file() else None
    write_text(target, ext.toml_text(rows, csv_path.name))
    try:
        load_course(root)
    except CourseConfigError:  # cannot happen once the rows are checked; if it did, the old file comes back
        if before is None:
            target.unlink()
        else:
            write_text(target, before)
        raise
    return len(rows.extensions), len(rows.multipliers), target


def personal_deadlines(root: Path, data: dict[str, Any], assignments: dict[str, Assignment],
                       roster: set[str]) -> dict[str, dict[str, ext.Deadline]]:
    windows = {aid: ext.Window(a.due, a.opens) for aid, a in assignments.items()}
    try:
        return ext.deadlines(extension_entries(root, data), windows, roster)
    except ext.ExtensionError as exc:
        raise CourseConfigError(str(exc)) from None


def assignment_toml(assignment: Assignment, course_name: str) -> str:
    """The public part of an assignment, for its bundle (no roster, no secrets); deterministic."""
    late = assignment.late
    lines = [f"course = {json.dumps(course_name)}", "", "[assignment]", f"id = {json.dumps(assignment.id)}",
             f"title = {json.dumps(assignment.title)}",
             f"exercises = [{', '.join(json.dumps(e) for e in assignment.exercises)}]",
             f"due = {assignment.due.isoformat()}"]
    if assignment.opens is not None:
        lines.append(f"opens = {assignment.opens.isoformat()}")
    if not late.accept_late:
        lines.append('late = "none"')
    else:
        parts = [f"per_day = {late.per_day!r}", f"cap = {late.cap!r}"]
        parts += [f"max_days = {late.max_days}"] if late.max_days is not None else []
        lines.append(f"late = {{ {', '.join(parts)} }}")
    return "\n".join(lines) + "\n"


def load_assignment_file(path: Path) -> Assignment:
    """The assignment.toml shipped in a bundle."""
    data = _read_toml(path)
    table = _field(data, "assignment", dict, str(path))
    assignment_id = _field(table, "id", str, f"{path}: [assignment]")
    parsed = parse_assignment(assignment_id, table, f"{path}: [assignment]", LatePolicy())
    return dataclasses.replace(parsed, extensions_known=False)


def known_assignments(root: Path) -> list[Assignment] | None:
    """The assignments this folder knows about: course.toml (instructor), assignment.toml (bundle), or None."""
    if (root / COURSE_FILE).is_file():
        return list(load_course(root).assignments.values())
    if (root / ASSIGNMENT_FILE).is_file():
        return [load_assignment_file(root / ASSIGNMENT_FILE)]
    return None

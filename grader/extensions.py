"""Per-student extensions and time multipliers: the due date each student's late policy counts from.

Two sources, one format (docs/workflow.md, "Extensions and accommodations"):

- ``course.toml``: ``[extensions.<assignment>] alice = 2026-03-20T23:59:00+01:00`` (a new due date) or
  ``bob = "+3d"`` (after the assignment's due date; ``d``, ``h``, ``m``: ``"+1d12h"``), and
  ``[accommodations] carol = { time_multiplier = 1.5 }``;
- ``extensions.toml`` next to it, the same tables, written by ``grader extensions import FILE.csv``
  (columns ``student,assignment,due,time_multiplier``) from a spreadsheet. A student set in both files
  is an error naming both, so no entry silently hides another.

A time multiplier scales the assignment's window from ``opens`` to ``due`` (timed work: an assignment
without ``opens`` has no window to scale, and its due date stays). It never scales the sandbox's time
limits: those bound the submitted code's run time, which must be the same for every student. With both
an extension and a multiplier, the later due date counts.

This module knows nothing of course.toml's other tables: grader/course.py checks the students and
assignments named here against the roster and the assignments, and turns ExtensionError into its own
CourseConfigError.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXTENSIONS_FILE = "extensions.toml"  # written by `grader extensions import`, next to course.toml
CSV_COLUMNS = ("student", "assignment", "due", "time_multiplier")
MAX_MULTIPLIER = 10.0
OFFSET = re.compile(r"^\+(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?$")


class ExtensionError(ValueError):
    """An extension or accommodation that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Deadline:
    """When one student's work on one assignment is due, and why it differs from the assignment's date."""

    due: dt.datetime
    note: str = ""  # "" (the assignment's own due date), or "your extension" / "your time multiplier ×1.5"

    def describe(self) -> str:
        when = f"due {self.due.isoformat(sep=' ', timespec='minutes')}"
        return f"{when}: {self.note}" if self.note else when


@dataclass
class Entries:
    """What one file grants: (assignment, student) -> the value as written, student -> multiplier; and where."""

    extensions: dict[tuple[str, str], str | dt.datetime] = field(default_factory=dict)
    multipliers: dict[str, float] = field(default_factory=dict)
    origin: dict[tuple[str, str], str] = field(default_factory=dict)  # ("", student) for a multiplier
    rows: set[tuple[str, str]] = field(default_factory=set)  # the keys read from a CSV (errors name the column)

    def place(self, key: tuple[str, str], column: str) -> str:
        return f"{self.origin[key]}, column {column!r}" if key in self.rows else self.origin[key]

    def merge(self, other: Entries) -> Entries:
        """Both files' entries; an entry set in both is an error naming both places."""
        clashes = [f"{other.origin[key]} and {self.origin[key]}" for key in other.origin if key in self.origin]
        if clashes:
            raise ExtensionError(f"set twice: {clashes[0]}; keep one of them")
        return Entries({**self.extensions, **other.extensions}, {**self.multipliers, **other.multipliers},
                       {**self.origin, **other.origin}, self.rows | other.rows)


def parse_offset(text: str) -> dt.timedelta | None:
    match = OFFSET.match(text.strip())
    if match is None or not any(match.groups()):
        return None
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes)


def extended_due(value: str | dt.datetime, due: dt.datetime, where: str) -> dt.datetime:
    """The new due date ``value`` names: an aware date-time, its ISO text, or ``+3d`` after ``due``."""
    if isinstance(value, str):
        offset = parse_offset(value)
        if offset is not None:
            return due + offset
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ExtensionError(f"{where}: {value!r} is neither a date-time like 2026-03-20T23:59:00+01:00 nor "
                                 "an offset like +3d, +36h or +1d12h") from None
    if not isinstance(value, dt.datetime):
        raise ExtensionError(f"{where}: must be a date-time like 2026-03-20T23:59:00+01:00 or \"+3d\", got {value!r}")
    if value.tzinfo is None:
        raise ExtensionError(f"{where}: add a time zone offset, e.g. {value.isoformat()}+01:00 (or Z for UTC)")
    if value < due:
        raise ExtensionError(f"{where}: {value.isoformat()} is before the assignment's due date {due.isoformat()}; "
                             "an extension can only move the due date later")
    return value


def multiplier(value: Any, where: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise ExtensionError(f"{where}: not a number: {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= MAX_MULTIPLIER:
        raise ExtensionError(f"{where}: time_multiplier must be a number from 1 to {MAX_MULTIPLIER:g} "
                             f"(1.5 means 50% more time), got {value!r}")
    return float(value)


def from_tables(data: Mapping[str, Any], where: str) -> Entries:
    """The ``[extensions.*]`` and ``[accommodations]`` tables of one TOML file (checked for shape only)."""
    entries = Entries()
    extensions = data.get("extensions", {})
    if not isinstance(extensions, dict):
        raise ExtensionError(f"{where}: [extensions] must hold one table per assignment, like [extensions.a1]")
    for assignment, table in extensions.items():
        if not isinstance(table, dict):
            raise ExtensionError(f"{where}: extensions.{assignment} must be a table of student = due date")
        for student, value in table.items():
            if not isinstance(value, (str, dt.datetime)):
                raise ExtensionError(f"{where}: extensions.{assignment}.{student}: must be a date-time like "
                                     f"2026-03-20T23:59:00+01:00 or \"+3d\", got {value!r}")
            entries.extensions[(assignment, student)] = value
            entries.origin[(assignment, student)] = f"{where}: extensions.{assignment}.{student}"
    accommodations = data.get("accommodations", {})
    if not isinstance(accommodations, dict):
        raise ExtensionError(f"{where}: [accommodations] must be a table like carol = {{ time_multiplier = 1.5 }}")
    for student, table in accommodations.items():
        place = f"{where}: accommodations.{student}"
        if not isinstance(table, dict) or set(table) != {"time_multiplier"}:
            raise ExtensionError(f"{place}: write {student} = {{ time_multiplier = 1.5 }}")
        entries.multipliers[student] = multiplier(table["time_multiplier"], place)
        entries.origin[("", student)] = place
    return entries


@dataclass(frozen=True)
class Window:
    """What an assignment contributes: its due date and, for timed work, when its window opens."""

    due: dt.datetime
    opens: dt.datetime | None = None


def deadlines(entries: Entries, windows: Mapping[str, Window], roster: set[str]) -> dict[str, dict[str, Deadline]]:
    """assignment id -> student -> Deadline, for every student whose due date differs; checks every name."""
    for key in entries.origin:
        assignment, student = key
        if assignment and assignment not in windows:
            raise ExtensionError(f"{entries.place(key, 'assignment')}: no assignment {assignment!r} in course.toml; "
                                 f"known: {', '.join(sorted(windows))}")
        if student not in roster:
            raise ExtensionError(f"{entries.place(key, 'student')}: {student!r} is not on the roster")
    out: dict[str, dict[str, Deadline]] = {a: {} for a in windows}
    for assignment, window in windows.items():
        for student in roster:
            candidates = []
            if (assignment, student) in entries.extensions:
                value = entries.extensions[(assignment, student)]
                place = entries.place((assignment, student), "due")
                candidates.append(Deadline(extended_due(value, window.due, place), "your extension"))
            factor = entries.multipliers.get(student)
            if factor is not None and window.opens is not None:
                candidates.append(Deadline(window.opens + (window.due - window.opens) * factor,
                                           f"your time multiplier ×{factor:g}"))
            best = max(candidates, key=lambda d: d.due, default=None)
            if best is not None and best.due > window.due:
                out[assignment][student] = best
    return out


def read_csv(path: Path) -> Entries:
    """The CSV ``grader extensions import`` takes; every bad row is an error naming its line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtensionError(f"{path}: cannot read: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    header = [(c or "").strip() for c in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ExtensionError(f"{path}: line 1: the header must have the columns {', '.join(CSV_COLUMNS)} "
                             f"(others, such as a note, are ignored); missing: {', '.join(missing)}")
    entries, errors = Entries(), []
    first: dict[tuple[str, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        if not any(row.values()):
            continue
        student, assignment, due, factor = (row.get(c, "") for c in CSV_COLUMNS)
        where = f"{path}: line {line}"
        if not student:
            errors.append(f"{where}, column 'student': empty")
            continue
        if not due and not factor:
            errors.append(f"{where}: nothing to grant: fill 'due' (with 'assignment') or 'time_multiplier'")
        if due:
            if not assignment:
                errors.append(f"{where}, column 'assignment': empty, but 'due' is set (which assignment?)")
            elif (assignment, student) in first:
                errors.append(f"{where}, column 'due': a second extension for {student} on {assignment} "
                              f"(the first is on line {first[(assignment, student)]})")
            else:
                first[(assignment, student)] = line
                entries.extensions[(assignment, student)] = due
                entries.origin[(assignment, student)] = where
                entries.rows.add((assignment, student))
        if factor:
            if assignment and not due:
                errors.append(f"{where}, column 'assignment': a time multiplier applies to every assignment; "
                              "leave 'assignment' empty on its row")
            elif ("", student) in first:
                errors.append(f"{where}, column 'time_multiplier': a second one for {student} "
                              f"(the first is on line {first[('', student)]})")
            else:
                first[("", student)] = line
                try:
                    entries.multipliers[student] = multiplier(factor, f"{where}, column 'time_multiplier'")
                    entries.origin[("", student)] = where
                    entries.rows.add(("", student))
                except ExtensionError as exc:
                    errors.append(str(exc))
    if errors:
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise ExtensionError("\n".join(errors[:20]) + more)
    return entries


def toml_text(entries: Entries, source: str) -> str:
    """``entries`` as extensions.toml (deterministic; relative offsets kept as written)."""
    lines = [f"# Written by `grader extensions import {source}`; import a corrected CSV rather than editing this.",
             ""]
    for assignment in sorted({a for a, _ in entries.extensions}):
        lines.append(f"[extensions.{json.dumps(assignment)}]")
        for (owner, student), value in sorted(entries.extensions.items(), key=lambda kv: kv[0]):
            if owner == assignment:
                text = value.isoformat() if isinstance(value, dt.datetime) else json.dumps(value)
                if isinstance(value, str) and parse_offset(value) is None:
                    text = dt.datetime.fromisoformat(value).isoformat()  # a TOML date-time, not a string
                lines.append(f"{json.dumps(student)} = {text}")
        lines.append("")
    if entries.multipliers:
        lines.append("[accommodations]")
        lines += [f"{json.dumps(s)} = {{ time_multiplier = {m!r} }}" for s, m in sorted(entries.multipliers.items())]
        lines.append("")
    return "\n".join(lines)


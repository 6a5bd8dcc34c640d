"""Gradebooks: every results.json under a folder tree, one row per student, written as CSV.

Kept independent of how the results were produced (``grader grade``, ``grade-assignment``,
Gradescope downloads): a result's student is ``Result.student`` when set, else the name of the
folder holding its results.json. A cell is the exercise's score before the late penalty, or
``missing`` when there is no result or the result's status is ``missing``, ``not graded`` when
the grader failed on it (status ``error``: it counts for nothing, a re-run grades it); ``late_penalty``
is the sum of the deductions and ``total`` is the scores minus the penalty.

TA overrides (grader.overrides, ``ROOT/overrides.jsonl``, made with ``grader review``) are applied
when the results are collected, so every gradebook and export shows the overridden scores; an
entry keeps the judge's score in ``graded_score``. Cells that a spreadsheet would read as a formula
(a student id starting with ``=``, ``+``, ``-``, ``@``) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.overrides import OverrideLog, adjust, unmatched
from grader.results import load_result

MISSING = "missing"
NOT_GRADED = "not graded"


@dataclass(frozen=True)
class Entry:
    """One results.json as the gradebook sees it."""

    student: str
    exercise: str
    score: float
    max_score: float
    late_penalty: float
    status: str  # "graded" | "rejected" | "error" | "missing"
    graded_at: str
    path: Path
    graded_score: float | None = None  # the judge's score, when a TA override changed it


@dataclass
class GradebookRow:
    student: str
    name: str = ""
    scores: dict[str, float | None] = field(default_factory=dict)  # None: missing
    late_penalty: float = 0.0
    not_graded: set[str] = field(default_factory=set)  # exercises whose result is the grader's failure

    @property
    def total(self) -> float:
        return max(0.0, sum(s for s in self.scores.values() if s is not None) - self.late_penalty)


def collect_results(root: Path, overrides: bool = True) -> tuple[list[Entry], list[str]]:
    """Every readable results.json under ``root``, with ``root``'s TA overrides applied unless
    ``overrides`` is False; unreadable results and overrides that match nothing are reported, not fatal."""
    entries: list[Entry] = []
    history, problems = OverrideLog.at(root).read() if overrides else ([], [])
    for path in sorted(root.rglob("results.json")):
        try:
            result = load_result(path)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        student = result.student or path.parent.name
        adjusted = adjust(result, student, history)
        problems.extend(adjusted.problems)
        entries.append(Entry(student=student, exercise=result.exercise,
                             score=adjusted.score, max_score=result.max_score, late_penalty=result.late_penalty,
                             status=result.status, graded_at=result.graded_at, path=path,
                             graded_score=result.score if adjusted.overridden else None))
    problems.extend(unmatched(history, {(e.exercise, e.student) for e in entries}))
    return entries, problems


def latest_entries(entries: Iterable[Entry]) -> dict[tuple[str, str], Entry]:
    """One entry per (student, exercise): the most recently graded one."""
    chosen: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        key = (entry.student, entry.exercise)
        if key not in chosen or entry.graded_at >= chosen[key].graded_at:
            chosen[key] = entry
    return chosen


def build_rows(entries: Iterable[Entry], exercises: list[str] | None = None,
               roster: Mapping[str, str] | None = None) -> tuple[list[GradebookRow], list[str]]:
    """Rows for the roster's students (or everyone with a result), columns for ``exercises``.

    Returns the rows and the exercise columns (the given list, or every exercise seen, sorted).
    """
    chosen = latest_entries(entries)
    columns = list(exercises) if exercises is not None else sorted({exercise for _, exercise in chosen})
    students = list(roster) if roster is not None else sorted({student for student, _ in chosen})
    rows = []
    for student in students:
        row = GradebookRow(student=student, name=(roster or {}).get(student, ""))
        for exercise in columns:
            entry = chosen.get((student, exercise))
            if entry is None or entry.status == MISSING:
                row.scores[exercise] = None
                continue
            if entry.status == "error":  # the grader failed: no score, not even 0
                row.scores[exercise] = None
                row.not_graded.add(exercise)
                continue
            row.scores[exercise] = entry.score
            row.late_penalty += entry.late_penalty
        rows.append(row)
    return rows, columns


def number(value: float) -> str:
    return f"{round(value, 4):g}"


def gradebook_csv(rows: list[GradebookRow], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "name", *map(csv_cell, columns), "late_penalty", "total"])
    for row in rows:
        cells = [NOT_GRADED if c in row.not_graded else MISSING if row.scores.get(c) is None
                 else number(row.scores[c] or 0.0) for c in columns]
        writer.writerow([csv_cell(row.student), csv_cell(row.name), *cells, number(row.late_penalty),
                         number(row.total)])
    return out.getvalue()


def csv_cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def canvas_csv(entries: Iterable[Entry], columns: list[str], roster: Mapping[str, str] | None = None) -> str:
    """Canvas's gradebook import format: the student columns Canvas matches on, one column per exercise
    (a new assignment on import), and a "Points Possible" row. A cell is the exercise's score after
    overrides and its own late penalty; 0 for a ``missing`` submission; empty when there is no result
    (Canvas then leaves that grade alone). The student id goes in "SIS Login ID"."""
    chosen = latest_entries(entries)
    students = list(roster) if roster is not None else sorted({student for student, _ in chosen})
    maxima = {c: max((e.max_score for (_, ex), e in chosen.items() if ex == c), default=0.0) for c in columns}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CANVAS_HEADER, *map(csv_cell, columns)])
    writer.writerow(["Points Possible", "", "", "", "", *(number(maxima[c]) for c in columns)])
    for student in students:
        cells = []
        for column in columns:
            entry = chosen.get((student, column))
            if entry is None or entry.status == "error":  # no result, or the grader failed: leave it alone
                cells.append("")
            else:
                score = 0.0 if entry.status == MISSING else max(0.0, entry.score - entry.late_penalty)
                cells.append(number(score))
        name = (roster or {}).get(student) or student
        writer.writerow([csv_cell(name), "", "", csv_cell(student), "", *cells])
    return out.getvalue()


def export_csv(root: Path, kind: str) -> str:
    """The gradebook (``kind`` "gradebook") or Canvas CSV (``kind`` "canvas") for a results tree, overrides applied."""
    entries, _ = collect_results(root)
    if kind == "canvas":
        return canvas_csv(entries, sorted({e.exercise for e in entries}))
    rows, columns = build_rows(entries)
    return gradebook_csv(rows, columns)


def write_gradebook(rows: list[GradebookRow], columns: list[str], path: Path) -> None:
    """Write atomically, so a spreadsheet never opens half a gradebook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(gradebook_csv(rows, columns), encoding="utf-8")
    partial.replace(path)

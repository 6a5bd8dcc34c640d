"""The gradebook CSV: one row per student, one column per exercise, overrides and late penalties applied.

A cell is the exercise's score after TA overrides and before the late penalty, or ``missing`` when
there is no result or its status is ``missing``; ``late_penalty`` is the sum of the deductions and
``total`` is the scores minus the penalty. Students and names come from the roster when one is
given. A gradebook that lives inside a results tree (``grade-assignment`` writes
``RESULTS/gradebook.csv``) is derived data: ``refresh`` rebuilds it with the same columns and
students after every TA override, so it never shows pre-override scores.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from grader.exports.cells import csv_cell, number
from grader.files import write_text
from grader.results_tree import Collection, collect

MISSING = "missing"
FILE = "gradebook.csv"
FIXED = ("student", "name")
TRAILING = ("late_penalty", "total")


@dataclass
class GradebookRow:
    student: str
    name: str = ""
    scores: dict[str, float | None] = field(default_factory=dict)  # None: missing
    late_penalty: float = 0.0

    @property
    def total(self) -> float:
        return max(0.0, sum(s for s in self.scores.values() if s is not None) - self.late_penalty)


def build_rows(found: Collection, exercises: list[str] | None = None,
               students: list[str] | None = None) -> tuple[list[GradebookRow], list[str]]:
    """Rows for ``students`` (default: everyone in the collection), columns for ``exercises`` (default: every
    exercise with a result). Returns the rows and the columns."""
    columns = list(exercises) if exercises is not None else [e.id for e in found.exercises]
    rows = []
    for student in students if students is not None else found.students:
        row = GradebookRow(student=student, name=found.names.get(student, ""))
        for exercise in columns:
            sub = found.submissions.get((exercise, student))
            if sub is None or sub.status == MISSING:
                row.scores[exercise] = None
                continue
            row.scores[exercise] = sub.score
            row.late_penalty += sub.adjusted.late_penalty
        rows.append(row)
    return rows, columns


def gradebook_csv(rows: list[GradebookRow], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED, *map(csv_cell, columns), *TRAILING])
    for row in rows:
        cells = [MISSING if row.scores.get(c) is None else number(row.scores[c] or 0.0) for c in columns]
        writer.writerow([csv_cell(row.student), csv_cell(row.name), *cells, number(row.late_penalty),
                         number(row.total)])
    return out.getvalue()


def write(found: Collection, out: Path) -> list[Path]:
    """``out/gradebook.csv`` for the whole collection."""
    rows, columns = build_rows(found)
    write_text(out / FILE, gradebook_csv(rows, columns))
    return [out / FILE]


def write_derived(found: Collection, exercises: list[str], students: list[str]) -> Path:
    """The gradebook kept inside the results tree itself (see ``refresh``)."""
    rows, columns = build_rows(found, exercises, students)
    path = found.root / FILE
    write_text(path, gradebook_csv(rows, columns))
    return path


def refresh(root: Path) -> Path | None:
    """Rebuild ``root/gradebook.csv``, if there is one, with its own columns and students and the results
    and overrides as they are now. Called after every override."""
    path = root / FILE
    try:
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError):
        return None
    if not table or tuple(table[0][:2]) != FIXED or tuple(table[0][-2:]) != TRAILING:
        return None  # not one of ours: leave it alone
    unquote = lambda cell: cell[1:] if cell.startswith("'") else cell  # noqa: E731 - undo csv_cell
    exercises = [unquote(c) for c in table[0][2:-2]]
    students = [unquote(row[0]) for row in table[1:] if row]
    found = collect(root)
    found.names.update({unquote(row[0]): unquote(row[1]) for row in table[1:] if len(row) > 1})
    return write_derived(found, exercises, students)

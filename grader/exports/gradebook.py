"""The gradebook CSV: one row per student, one column per exercise, overrides and late penalties applied.

Header, then a "Points Possible" row, then a row per student. An exercise cell is the score after TA
overrides and before the late penalty, empty when nothing counts (never text in a number column: the
``missing`` column lists what is missing, with "(not graded)" where the grader failed). With the
course, columns follow the course's order and each assignment gets a total after its late penalties
(recomputed after overrides). ``late_penalty`` is the sum of deductions, ``total`` the scores minus it.

A gradebook kept inside a results tree (``grade-assignment`` writes ``RESULTS/gradebook.csv``) is
derived data: ``refresh`` rebuilds it, same columns and students, after every TA override.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.course import Course
from grader.exports.cells import csv_cell, number
from grader.exports.layout import Layout, counted, layout
from grader.files import write_text
from grader.results_tree import Collection, collect

FILE = "gradebook.csv"
FIXED = ("student", "name")
TRAILING = ("late_penalty", "total", "missing")
POINTS_ROW = "Points Possible"


def gradebook_csv(found: Collection, plan: Layout) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    totals = [f"{a.id} total" for a in plan.assignments]
    writer.writerow([*FIXED, *map(csv_cell, plan.exercises), *map(csv_cell, totals), *TRAILING])
    writer.writerow([POINTS_ROW, "", *(number(plan.maxima.get(e, 0.0)) for e in plan.exercises),
                     *(number(plan.assignment_max(a)) for a in plan.assignments), "",
                     number(sum(plan.maxima.get(e, 0.0) for e in plan.exercises)), ""])
    for student in plan.students:
        subs = {e: counted(found, e, student) for e in plan.exercises}
        cells = ["" if sub is None else number(sub.score) for sub in subs.values()]
        assignment_totals = []
        for assignment in plan.assignments:
            mine = [subs[e] for e in assignment.exercises if subs.get(e) is not None]
            assignment_totals.append(number(sum(s.total for s in mine if s)) if mine else "")
        penalty = sum(s.adjusted.late_penalty for s in subs.values() if s)
        total = max(0.0, sum(s.score for s in subs.values() if s) - penalty)
        missing = ";".join(e + (" (not graded)" if (e, student) in found.submissions and
                                found.submissions[(e, student)].status == "error" else "")
                           for e, s in subs.items() if s is None)
        writer.writerow([csv_cell(student), csv_cell(found.names.get(student, "")), *cells, *assignment_totals,
                         number(penalty), number(total), csv_cell(missing)])
    return out.getvalue()


def write(found: Collection, out: Path, course: Course | None = None) -> list[Path]:
    """``out/gradebook.csv`` for the whole collection."""
    write_text(out / FILE, gradebook_csv(found, layout(found, course)))
    return [out / FILE]


def write_derived(found: Collection, exercises: list[str], students: list[str]) -> Path:
    """The gradebook kept inside the results tree itself (see ``refresh``)."""
    maxima = {e.id: e.max_score for e in found.exercises}
    path = found.root / FILE
    write_text(path, gradebook_csv(found, Layout(exercises, students, maxima)))
    return path


def refresh(root: Path) -> Path | None:
    """Rebuild ``root/gradebook.csv``, if there is one of ours, with its own columns and students and the
    results and overrides as they are now. Called after every override."""
    path = root / FILE
    try:
        table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError):
        return None
    if not table or tuple(table[0][:2]) != FIXED or tuple(table[0][-3:]) != TRAILING:
        return None  # not one of ours: leave it alone
    unquote = lambda cell: cell[1:] if cell.startswith("'") else cell  # noqa: E731 - undo csv_cell
    exercises = [unquote(c) for c in table[0][2:-3]]
    rows = [row for row in table[1:] if row and row[0] != POINTS_ROW]
    found = collect(root)
    found.names.update({unquote(row[0]): unquote(row[1]) for row in rows if len(row) > 1})
    return write_derived(found, exercises, [unquote(row[0]) for row in rows])

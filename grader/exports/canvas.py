"""Canvas's gradebook import CSV.

The five student columns Canvas matches on (Student, ID, SIS User ID, SIS Login ID, Section), then one
column per assignment, then a "Points Possible" row. With the course, a column is an assignment of
course.toml, named as in Canvas (the assignment's ``canvas`` name, else its title; a name Canvas does
not know creates a new assignment on import), and a cell is the sum of its exercises after overrides and
late penalties. Without the course, a column per exercise. A cell is empty when nothing was handed in
(Canvas then leaves that grade alone) and 0 for a recorded ``missing`` submission; never text. The
student id goes in "SIS Login ID", the roster's name in "Student".
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.course import Course
from grader.exports.cells import csv_cell, number
from grader.exports.layout import layout
from grader.files import write_text
from grader.results_tree import Collection

FILE = "canvas.csv"
HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def canvas_csv(found: Collection, course: Course | None = None) -> str:
    plan = layout(found, course)
    if plan.assignments:
        columns = [(a.canvas_column, list(a.exercises), plan.assignment_max(a)) for a in plan.assignments]
    else:
        columns = [(e, [e], plan.maxima.get(e, 0.0)) for e in plan.exercises]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*HEADER, *(csv_cell(name) for name, _, _ in columns)])
    writer.writerow(["Points Possible", "", "", "", "", *(number(most) for _, _, most in columns)])
    for student in plan.students:
        cells = []
        for _, exercises, _ in columns:
            subs = [found.submissions.get((e, student)) for e in exercises]
            present = [s for s in subs if s is not None and s.status != "error"]  # a grader failure: left alone
            cells.append(number(sum(0.0 if s.status == "missing" else s.total for s in present)) if present else "")
        name = found.names.get(student) or student
        writer.writerow([csv_cell(name), "", "", csv_cell(student), "", *cells])
    return out.getvalue()


def write(found: Collection, out: Path, course: Course | None = None) -> list[Path]:
    write_text(out / FILE, canvas_csv(found, course))
    return [out / FILE]

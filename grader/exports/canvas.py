"""Canvas's gradebook import CSV.

The student columns Canvas matches on, one column per exercise (a new assignment on import), and a
"Points Possible" row. A cell is the exercise's score after overrides and its own late penalty; 0 for
a ``missing`` submission; empty when there is no result (Canvas then leaves that grade alone). The
student id goes in "SIS Login ID", the roster's name in "Student".
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.exports.cells import csv_cell, number
from grader.files import write_text
from grader.results_tree import Collection

FILE = "canvas.csv"
HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def canvas_csv(found: Collection) -> str:
    columns = [e.id for e in found.exercises]
    maxima = {e.id: e.max_score for e in found.exercises}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*HEADER, *map(csv_cell, columns)])
    writer.writerow(["Points Possible", "", "", "", "", *(number(maxima[c]) for c in columns)])
    for student in found.students:
        cells = []
        for column in columns:
            sub = found.submissions.get((column, student))
            if sub is None:
                cells.append("")
            else:
                cells.append(number(0.0 if sub.status == "missing" else sub.total))
        name = found.names.get(student) or student
        writer.writerow([csv_cell(name), "", "", csv_cell(student), "", *cells])
    return out.getvalue()


def write(found: Collection, out: Path) -> list[Path]:
    write_text(out / FILE, canvas_csv(found))
    return [out / FILE]

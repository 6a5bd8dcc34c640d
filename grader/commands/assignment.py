"""`grader grade-assignment`: the per-student table printed after a run (the gradebook it wrote)."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.table import Table

from grader.text import clean


def gradebook_table(path: Path) -> Table:
    """RESULTS/gradebook.csv as a terminal table: one row per student, the points row first."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    table = Table(title=f"Gradebook ({path})")
    header = rows[0] if rows else []
    for number, column in enumerate(header):
        numeric = 1 < number < len(header) - 1  # the exercise, total and penalty columns
        table.add_column(clean(column, 60), overflow="fold", justify="right" if numeric else "left")
    for row in rows[1:]:
        table.add_row(*(clean(cell, 200) for cell in row))
    return table

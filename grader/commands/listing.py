"""`grader list`: the exercises of the course."""

from __future__ import annotations

from rich.table import Table

from grader.spec import load_all


def exercise_table() -> Table:
    table = Table(title="Exercises")
    for column in ("week", "id", "title", "kind", "points"):
        table.add_column(column)
    for spec in load_all():
        table.add_row(str(spec.week), spec.id, spec.title, spec.kind, f"{spec.points:g}")
    return table

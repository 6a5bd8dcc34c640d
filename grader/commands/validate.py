"""`grader validate`: prints the validation table (grader/validation.py proves the exercises)."""

from __future__ import annotations

from rich import box
from rich.table import Table

from grader.results import Result
from grader.validation import ExerciseCheck


def validation_table(checks: list[ExerciseCheck]) -> Table:
    """Fits 80 columns without cutting an id: short headers, light borders, the exercise id never wrapped."""
    table = Table(title="Validation", caption="ref: reference score per seed; det: same scores when graded twice; "
                  "s: grading seconds", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True)
    table.add_column("exercise", no_wrap=True)
    for column in ("pts", "ref", "start", "mutants", "det", "s", "ok"):
        table.add_column(column, no_wrap=True)
    for check in checks:
        refs = [r for k, r in check.results.items() if k.split("|")[1] == "reference"]
        starter = next((r for k, r in check.results.items() if k.split("|")[1] == "starter"), None)
        deterministic = not any("graded twice" in p for p in check.problems)
        table.add_row(
            check.spec.id, f"{check.spec.points:g}",
            ref_scores(refs), f"{starter.score:g}" if starter else "-",
            f"{check.mutants_killed}/{check.mutants_total}", "yes" if deterministic else "NO",
            f"{check.cpu_s:.0f}", "[green]ok[/green]" if check.ok else "[red]FAIL[/red]")
    return table


def ref_scores(refs: list[Result]) -> str:
    """The reference's score per seed; "10 ×3" when every seed gave the same."""
    scores = [f"{r.score:g}" for r in refs]
    return f"{scores[0]} ×{len(scores)}" if scores and len(set(scores)) == 1 else " ".join(scores)


def validation_markdown(checks: list[ExerciseCheck], wall_s: float) -> str:
    """The same table in Markdown, for docs/exercises.md."""
    lines = ["| exercise | points | reference (seeds) | starter | mutants caught | deterministic | grading s "
             "| verdict |", "|---|---:|---|---:|---:|---|---:|---|"]
    for check in checks:
        refs = [r for k, r in check.results.items() if k.split("|")[1] == "reference"]
        starter = next((r for k, r in check.results.items() if k.split("|")[1] == "starter"), None)
        deterministic = not any("graded twice" in p for p in check.problems)
        lines.append(f"| {check.spec.id} | {check.spec.points:g} | {' '.join(f'{r.score:g}' for r in refs)} | "
                     f"{f'{starter.score:g}' if starter else '-'} | {check.mutants_killed}/{check.mutants_total} | "
                     f"{'yes' if deterministic else 'NO'} | {check.cpu_s:.1f} | {'ok' if check.ok else 'FAIL'} |")
    ok = sum(c.ok for c in checks)
    lines.append(f"\n{ok} of {len(checks)} exercises ok; wall time {wall_s:.0f} s.")
    return "\n".join(lines) + "\n"


def problems_text(checks: list[ExerciseCheck]) -> str:
    lines = [f"{c.spec.id}: {p}" for c in checks for p in c.problems]
    return "\n".join(lines)


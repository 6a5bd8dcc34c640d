"""`grader check`: prints a self-check's outcome (grader/selfcheck.py runs it)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from grader.selfcheck import CheckOutcome
from grader.text import clean


def print_outcome(outcome: CheckOutcome, console: Console) -> None:
    """The friendly summary: one line per test, the failure's gist, a hint."""
    shown = outcome.path.resolve()
    shown = shown.relative_to(Path.cwd()) if shown.is_relative_to(Path.cwd()) else outcome.path
    console.print(f"[bold]{outcome.exercise}[/bold]: public checks on [cyan]{escape(str(shown))}[/cyan] "
                  f"[dim](sandbox: {escape(outcome.sandbox)})[/dim]")
    if outcome.problem:
        console.print(f"[red]✗ not checked:[/red] {escape(clean(outcome.problem, 2000))}")
        if not outcome.lines:
            return
    if outcome.import_error:
        console.print(f"[red]✗ your file does not import[/red], so none of the {len(outcome.lines)} checks could run:")
        console.print(f"[red]{escape(clean(outcome.import_error, 3000))}[/red]")
        console.print("[yellow]hint:[/yellow] run it with python (or Run All in Jupyter) and fix this first")
        return
    for line in outcome.lines:
        mark = "[green]✓[/green]" if line.passed else "[red]✗[/red]"
        description = f" [dim]{escape(clean(line.description, 200))}[/dim]" if line.description else ""
        console.print(f" {mark} {escape(line.name)}{description}")
        for message in line.message:
            console.print(f"     [red]{escape(message)}[/red]")
        for hint in line.hints:
            console.print(f"     [yellow]hint:[/yellow] {escape(clean(hint, 500))}")
    for note in outcome.notes:
        console.print(f"[dim]note: {escape(clean(note, 500))}[/dim]")
    total = len(outcome.lines)
    colour = "green" if total and outcome.passed == total else "yellow" if outcome.passed else "red"
    if outcome.quiz:
        console.print(f"[{colour}]{outcome.passed} of {total} questions answered.[/{colour}] "
                      "[dim]Whether the answers are right is only known when the quiz is graded.[/dim]")
        return
    console.print(f"[{colour}]{outcome.passed} of {total} public checks passed.[/{colour}] "
                  "[dim]The grade comes from hidden tests too: passing these is necessary, not sufficient.[/dim]")

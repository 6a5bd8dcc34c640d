"""The `grader` command. Only parses options and calls plain functions in grader.commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from grader.sandbox import BACKENDS, SandboxUnavailable
from grader.spec import SpecError

console = Console()
errors = Console(stderr=True)


def _fail(message: str) -> None:
    errors.print(f"[red]error:[/red] {message}")
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grader")
@click.option("--course", type=click.Path(file_okay=False, path_type=Path), envvar="GRADER_COURSE",
              help="Course folder holding exercises/, reference/, hidden_tests/ (default: found automatically).")
def main(course: Path | None) -> None:
    """Grade deep-learning exercises: hidden tests run in a trusted judge, student code in a sandbox."""
    if course is not None:
        import os

        os.environ["GRADER_COURSE"] = str(course.resolve())


@main.command("list")
def list_exercises() -> None:
    """List the exercises with their week, title and points."""
    from grader.commands.listing import exercise_table

    try:
        console.print(exercise_table())
    except SpecError as exc:
        _fail(str(exc))


@main.command()
@click.argument("exercise")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for <submission>/results.json and report.html.")
@click.option("--sandbox", type=click.Choice(BACKENDS), default="auto", show_default=True,
              help="Where student code runs: docker if an engine and image are available, else local.")
@click.option("--seed", type=int, default=None,
              help="Seed for the hidden tests' inputs (default: a fresh one, recorded).")
@click.option("--jobs", "-j", type=int, default=None, help="Submissions graded at once (default: number of cores).")
@click.option("--force", is_flag=True, help="Grade again even if a result for the same file and grader version exists.")
def grade(exercise: str, submissions: tuple[Path, ...], out: Path, sandbox: str, seed: int | None,
          jobs: int | None, force: bool) -> None:
    """Grade SUBMISSIONS (.py, .ipynb, folders or .zip) for EXERCISE.

    Exits 0 whenever grading ran, whatever the scores; non-zero only when the grader could not run.
    """
    from grader.commands.grade import grade_batch, summary_table
    from grader.commands.pool import default_jobs

    try:
        summary = grade_batch(exercise, list(submissions), out, backend=sandbox, seed=seed,
                              jobs=jobs or default_jobs(), force=force, console=errors)
    except (SpecError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    console.print(summary_table(summary))
    graded = list(summary.results.values())
    mean = sum(r.score for r in graded) / len(graded) if graded else 0.0
    console.print(f"{len(graded)} graded, {len(summary.skipped)} skipped, "
                  f"{sum(r.status != 'graded' for r in graded)} not graded normally; mean score {mean:.2f}; "
                  f"{summary.wall_s:.1f} s; results in {out}")


@main.command()
@click.argument("exercises", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Validate every exercise (the default when none is named).")
@click.option("--seeds", default="1,2,3", show_default=True, help="Comma-separated seeds for the reference runs.")
@click.option("--sandbox", type=click.Choice(BACKENDS), default="local", show_default=True)
@click.option("--jobs", "-j", type=int, default=None, help="Gradings at once (default: number of cores).")
def validate(exercises: tuple[str, ...], all_: bool, seeds: str, sandbox: str, jobs: int | None) -> None:
    """Check exercises: reference full marks, starter 0, every mutant caught, deterministic."""
    from grader.commands.pool import default_jobs
    from grader.commands.validate import problems_text, validate, validation_table
    from grader.sandbox import resolve_backend

    try:
        seed_list = [int(s) for s in seeds.split(",") if s.strip()]
        checks = validate([] if all_ else list(exercises), seeds=seed_list or [1], backend=resolve_backend(sandbox),
                          jobs=jobs or default_jobs(), console=errors)
    except ValueError:
        _fail(f"--seeds must be comma-separated integers, got {seeds!r}")
        return
    except (SpecError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    console.print(validation_table(checks))
    problems = problems_text(checks)
    if problems:
        console.print(problems, markup=False)
        sys.exit(1)


if __name__ == "__main__":
    main()

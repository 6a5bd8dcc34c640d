"""The `grader` command. Only parses options and calls plain functions in grader.commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from grader.report import clean  # every student-derived text printed here goes through it (issue #10)
from grader.sandbox import BACKENDS, SandboxUnavailable
from grader.spec import SpecError

console = Console()
errors = Console(stderr=True)


def _fail(message: str) -> None:
    errors.print(f"[red]error:[/red] {escape(clean(message, 8000))}")  # messages can quote file names
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
@click.option("--markdown", is_flag=True, help="Print a Markdown table (for docs/exercises.md).")
def list_exercises(markdown: bool) -> None:
    """List the exercises with their week, title and points."""
    from grader.commands.listing import exercise_markdown, exercise_table

    try:
        if markdown:
            click.echo(exercise_markdown(), nl=False)
        else:
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
@click.option("--warm", is_flag=True,
              help="docker: reuse warm containers across submissions of this exercise, wiped between them "
                   "(faster; gives up some isolation, see docs/sandboxes.md). Default: a fresh container each.")
def grade(exercise: str, submissions: tuple[Path, ...], out: Path, sandbox: str, seed: int | None,
          jobs: int | None, force: bool, warm: bool) -> None:
    """Grade SUBMISSIONS (.py, .ipynb, folders or .zip) for EXERCISE.

    Exits 0 whenever grading ran, whatever the scores; non-zero only when the grader could not run
    (130 when interrupted with Ctrl-C: finished results are kept, run again to continue).
    """
    from grader.commands.grade import grade_batch, summary_line, summary_table
    from grader.commands.pool import default_jobs

    try:
        summary = grade_batch(exercise, list(submissions), out, backend=sandbox, seed=seed,
                              jobs=jobs or default_jobs(), force=force, warm=warm, console=errors)
    except (SpecError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    console.print(summary_table(summary))
    console.print(f"{summary_line(summary)}; results in {out}")
    if summary.interrupted:
        sys.exit(130)


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
        console.print(clean(problems, 1 << 20), markup=False)
        sys.exit(1)


@main.group()
def image() -> None:
    """The docker backend's worker image."""


@image.command("build")
@click.option("--dockerfile", is_flag=True,
              help="Build the repository's Dockerfile (self-contained; needs python:3.11-slim from a registry) "
                   "instead of the offline image that binds this interpreter read-only.")
def image_build(dockerfile: bool) -> None:
    """Build grader-worker:latest; the default needs no registry (docs/sandboxes.md)."""
    from grader.commands.image import build_dockerfile, build_offline
    from grader.sandbox.docker_engine import engine_problem

    problem = engine_problem()
    if problem:
        _fail(problem)
    try:
        built = build_dockerfile() if dockerfile else build_offline()
    except Exception as exc:  # noqa: BLE001 - engine and build errors are reported, not raised
        _fail(f"image build failed: {exc}")
        return
    console.print(f"built {built.tag} ({built.kind}) {built.id} — {built.size} bytes in {built.seconds:.1f} s")


@main.command()
def doctor() -> None:
    """Report the Docker engine, image, user namespaces, cgroups, bubblewrap and each backend's isolation."""
    from grader.commands.doctor import doctor_tables

    found, reach, choice = doctor_tables()
    console.print(found)
    console.print(reach)
    console.print(choice)


# --- student and assignment workflow (docs/workflow.md) ---------------------------------------


@main.command()
@click.argument("assignment")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for <assignment>.zip.")
def bundle(assignment: str, out: Path) -> None:
    """Build the student bundle (zip) for ASSIGNMENT from course.toml: statements, starters, public tests."""
    from grader.commands.bundle import BundleError, build_bundle
    from grader.course import CourseConfigError

    try:
        console.print(f"wrote {build_bundle(assignment, out)}")
    except (SpecError, CourseConfigError, BundleError) as exc:
        _fail(str(exc))


@main.command()
@click.argument("exercise")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--sandbox", type=click.Choice(BACKENDS), default="local", show_default=True)
def check(exercise: str, path: Path | None, sandbox: str) -> None:
    """Run EXERCISE's public tests on PATH (default: your file in ./EXERCISE/). Exit 0 if all pass."""
    from grader.commands.check import CheckError, print_outcome, run_check
    from grader.sandbox import resolve_backend

    try:
        outcome = run_check(exercise, path, backend=resolve_backend(sandbox))
    except (SpecError, SandboxUnavailable, CheckError) as exc:
        _fail(str(exc))
        return
    print_outcome(outcome, console)
    sys.exit(outcome.exit_code)


@main.command()
@click.argument("exercise")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--student", required=True, help="Your student id (as on the roster).")
@click.option("--to", "inbox", required=True, type=click.Path(path_type=Path), help="The course's inbox folder.")
def submit(exercise: str, path: Path, student: str, inbox: Path) -> None:
    """Check PATH with the grader's intake rules and store it, with a manifest, in the inbox."""
    from grader.commands.submit import SubmitError, submit
    from grader.course import CourseConfigError

    try:
        entry = submit(exercise, path, student, inbox)
    except (SpecError, CourseConfigError, SubmitError) as exc:
        _fail(str(exc))
        return
    console.print(f"[green]submitted[/green] {escape(clean(entry.manifest.source_name, 300))} for "
                  f"{entry.manifest.exercise} as {escape(clean(entry.manifest.student, 300))} at "
                  f"{entry.manifest.submitted_at} (sha256 {entry.manifest.sha256[:12]})")


@main.command("grade-assignment")
@click.argument("assignment")
@click.option("--inbox", required=True, type=click.Path(path_type=Path), help="The folder students submitted to.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for <exercise>/<student>/results.json, report.html and gradebook.csv.")
@click.option("--sandbox", type=click.Choice(BACKENDS), default="auto", show_default=True)
@click.option("--seed", type=int, default=None, help="Seed for the hidden tests' inputs (default: fresh, recorded).")
@click.option("--jobs", "-j", type=int, default=None, help="Submissions graded at once (default: number of cores).")
@click.option("--force", is_flag=True, help="Grade again even if the counted submission was already graded.")
def grade_assignment(assignment: str, inbox: Path, out: Path, sandbox: str, seed: int | None, jobs: int | None,
                     force: bool) -> None:
    """Grade every rostered student's counted submission for ASSIGNMENT, apply the late policy, write a gradebook."""
    from grader.commands.assignment import grade_assignment, summary_text
    from grader.commands.pool import default_jobs
    from grader.course import CourseConfigError
    from grader.sandbox import resolve_backend

    try:
        summary = grade_assignment(assignment, inbox, out, backend=resolve_backend(sandbox), seed=seed,
                                   jobs=jobs or default_jobs(), force=force, console=errors)
    except (SpecError, CourseConfigError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    console.print(clean(summary_text(summary), 1 << 20), markup=False)


@main.group()
def export() -> None:
    """Export an exercise's autograder, or the grades, to another platform."""


@export.command("gradescope")
@click.argument("exercise")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("autograder.zip"), show_default=True)
@click.option("--visibility", type=click.Choice(["visible", "hidden", "after_due_date", "after_published"]),
              default="visible", show_default=True, help="When students see the autograder's results.")
def export_gradescope(exercise: str, out: Path, visibility: str) -> None:
    """Write a Gradescope autograder zip (setup.sh, run_autograder) grading EXERCISE with our judge and sandbox."""
    from grader.commands.bundle import BundleError
    from grader.commands.gradescope import export_gradescope
    from grader.course import CourseConfigError

    try:
        console.print(f"wrote {export_gradescope(exercise, out, visibility=visibility)} (instructor-only: it holds "
                      "the hidden tests and the reference)")
    except (SpecError, CourseConfigError, BundleError) as exc:
        _fail(str(exc))



RELEASES = click.Choice(["before-due", "after-due", "published"])
RELEASE_HELP = "What student pages show: tests with visibility after_due_date / after_published appear once released."


@export.command("grades")
@click.argument("results", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--format", "formats", type=click.Choice(["gradebook", "canvas", "gradescope"]), multiple=True,
              help="Repeat to choose (default: all): gradebook.csv, canvas.csv, "
                   "gradescope/<exercise>/<student>/results.json.")
def export_grades(results: Path, out: Path, formats: tuple[str, ...]) -> None:
    """Export the grades under RESULTS, TA overrides applied."""
    from grader.commands.export import FORMATS, export_grades

    summary = export_grades(results, out, formats or FORMATS)
    console.print(f"wrote {len(summary.written)} file(s) to {out}", markup=False)
    for problem in summary.problems:
        errors.print(f"problem: {clean(problem, 8000)}", markup=False)


@main.command()
@click.argument("results", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the site (replaced if it holds a site built before).")
@click.option("--release", type=RELEASES, default="before-due", show_default=True, help=RELEASE_HELP)
def report(results: Path, out: Path, release: str) -> None:
    """Build a static site from RESULTS: dashboard, exercise pages with charts, TA and student pages."""
    from grader.commands.report import build_report, summary_text
    from grader.site.build import SiteError

    try:
        console.print(clean(summary_text(build_report(results, out, release)), 1 << 20), markup=False)
    except SiteError as exc:
        _fail(str(exc))


@main.command()
@click.argument("results", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=int, default=8765, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--ta", default=None, help="Your name on overrides and comments (default: your login).")
@click.option("--release", type=RELEASES, default="before-due", show_default=True, help=RELEASE_HELP)
def review(results: Path, port: int, ta: str | None, release: str) -> None:
    """Serve RESULTS on 127.0.0.1 for TA review: comments and point overrides (with a reason), saved next to them."""
    from grader.commands.review import serve

    try:
        serve(results, port=port, ta=ta, release=release, announce=click.echo)
    except (OSError, ValueError) as exc:
        _fail(str(exc))


if __name__ == "__main__":
    main()

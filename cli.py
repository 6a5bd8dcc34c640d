"""The `grader` command. Only parses options, calls the library in grader/ and prints."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from grader.sandbox import BACKENDS, SandboxUnavailable
from grader.sandbox.base import ISOLATION_CHOICES, isolation_mode
from grader.spec import SpecError
from grader.text import clean  # every student-derived text printed here goes through it (issue #10)

console = Console()
errors = Console(stderr=True)


ISOLATION = click.option(
    "--isolation", type=click.Choice(ISOLATION_CHOICES), default="auto", show_default=True,
    help="zygote (the default where it runs): each submission forked from a pre-imported interpreter into "
         "new namespaces and its own cgroup; container (= fresh-process): a new docker container, or a new "
         "bubblewrap sandbox, per submission. Recorded in every result (docs/sandboxes.md).")


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
@click.option("--markdown", is_flag=True, help="Print Markdown tables, one a week (for docs/exercises.md).")
def list_exercises(markdown: bool) -> None:
    """List the exercises by week, with their title, kind, points and assignment (from course.toml)."""
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
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON on stdout instead of a table.")
@ISOLATION
def grade(exercise: str, submissions: tuple[Path, ...], out: Path, sandbox: str, seed: int | None,
          jobs: int | None, force: bool, as_json: bool, isolation: str) -> None:
    """Grade SUBMISSIONS (.py, .ipynb, folders or .zip) for EXERCISE.

    Exits 0 whenever grading ran, whatever the scores; non-zero when the grader could not run or
    could not grade a submission (status "error": run again to grade it), 130 when interrupted with
    Ctrl-C (finished results are kept, run again to continue).
    """
    from grader.batch import default_jobs
    from grader.commands.grade import grade_batch, summary_json, summary_line, summary_table

    try:
        summary = grade_batch(exercise, list(submissions), out, backend=sandbox, seed=seed,
                              jobs=jobs or default_jobs(), force=force,
                              isolation=isolation_mode(isolation), console=errors)
    except (SpecError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    if as_json:
        click.echo(clean(summary_json(summary), 1 << 24))
    else:
        console.print(summary_table(summary))
        console.print(f"{summary_line(summary)}; results in {out}")
    if summary.interrupted:
        sys.exit(130)
    not_graded = [name for name, result in summary.results.items() if result.status == "error"]
    if not_graded:
        errors.print(f"NOT GRADED (the grader failed, not the students; run the same command again): "
                     f"{clean(', '.join(sorted(not_graded)), 400)}", markup=False)
        sys.exit(1)


@main.command()
@click.argument("exercises", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Validate every exercise (the default when none is named).")
@click.option("--seeds", default="1,2,3", show_default=True, help="Comma-separated seeds for the reference runs.")
@click.option("--sandbox", type=click.Choice(BACKENDS), default="local", show_default=True)
@click.option("--jobs", "-j", type=int, default=None, help="Gradings at once (default: number of cores).")
@click.option("--changed", is_flag=True, help="Also validate every exercise changed since its last recorded green run.")
@click.option("--record", is_flag=True, help="Record the content hash of each exercise that validates green "
                                              "(exercises/validated.toml).")
@click.option("--markdown", "markdown", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the table in Markdown to this file (docs/exercises.md keeps the last full run).")
@ISOLATION
def validate(exercises: tuple[str, ...], all_: bool, seeds: str, sandbox: str, jobs: int | None, changed: bool,
             record: bool, markdown: Path | None, isolation: str) -> None:
    """Check exercises: reference full marks, starter 0, every mutant caught, deterministic."""
    from grader.batch import default_jobs
    from grader.commands.validate import problems_text, validation_markdown, validation_table
    from grader.sandbox import resolve_backend
    from grader.spec import course_root
    from grader.validation import changed_since_record, validate, write_record

    try:
        seed_list = [int(s) for s in seeds.split(",") if s.strip()]
        wanted = list(exercises) + [e for e in (changed_since_record(course_root()) if changed else [])
                                    if e not in exercises]
        if changed and not wanted:
            console.print("nothing changed since the last recorded validation")
            return
        started = time.monotonic()
        checks = validate([] if all_ else wanted, seeds=seed_list or [1], backend=resolve_backend(sandbox),
                          jobs=jobs or default_jobs(), console=errors, isolation=isolation_mode(isolation))
        if markdown is not None:
            markdown.write_text(validation_markdown(checks, time.monotonic() - started), encoding="utf-8")
    except ValueError:
        _fail(f"--seeds must be comma-separated integers, got {seeds!r}")
        return
    except (SpecError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    console.print(validation_table(checks))
    if record:
        console.print(f"recorded in {write_record(course_root(), checks)}", markup=False)
    problems = problems_text(checks)
    if problems:
        console.print(clean(problems, 1 << 20), markup=False)
        sys.exit(1)


@main.group()
def mutants() -> None:
    """Mutants: realistic wrong solutions stored as patches against the reference (docs/authoring.md)."""


@mutants.command("pack")
@click.argument("exercises", nargs=-1, required=True)
def mutants_pack(exercises: tuple[str, ...]) -> None:
    """Turn full-copy mutants (reference/<id>/mutants/*.py or *.toml) into patches; each copy is replaced."""
    from grader.mutants import MutantError, pack
    from grader.spec import load_exercise

    for exercise in exercises:
        try:
            spec = load_exercise(exercise)
            written = pack(spec.reference_dir, spec.reference_file)
        except (SpecError, MutantError) as exc:
            _fail(str(exc))
            return
        console.print(f"{spec.id}: {len(written)} mutant(s) packed as patches", markup=False)


@mutants.command("show")
@click.argument("exercise")
@click.argument("name")
def mutants_show(exercise: str, name: str) -> None:
    """Print mutant NAME of EXERCISE as a full file (the reference with the patch applied)."""
    from grader.mutants import MutantError
    from grader.spec import load_exercise

    try:
        found = {m.patch.stem: m for m in load_exercise(exercise).mutants()}
        if name.removesuffix(".patch") not in found:
            _fail(f"no mutant {name!r}; {exercise} has: {', '.join(sorted(found)) or 'none'}")
            return
        click.echo(found[name.removesuffix(".patch")].text(), nl=False)
    except (SpecError, MutantError) as exc:
        _fail(str(exc))


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
@click.option("--wheel", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="The grader wheel to ship at the bundle's root; the README then says how to install it.")
def bundle(assignment: str, out: Path, wheel: Path | None) -> None:
    """Build the student bundle (zip) for ASSIGNMENT from course.toml: statements, starters, public tests."""
    from grader.bundle import BundleError, build_bundle
    from grader.course import CourseConfigError, load_course
    from grader.spec import course_root

    try:
        path = build_bundle(assignment, out, wheel=wheel)
        console.print(f"wrote {path}")
        if wheel is None and not load_course(course_root()).install:
            console.print("[yellow]warning:[/yellow] no --wheel and no \\[course] install in course.toml: the README "
                          "can only tell students to install grader the way you tell them")
    except (SpecError, CourseConfigError, BundleError) as exc:
        _fail(str(exc))


@main.command()
@click.argument("exercise")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--sandbox", type=click.Choice(BACKENDS), default="local", show_default=True)
@ISOLATION
def check(exercise: str, path: Path | None, sandbox: str, isolation: str) -> None:
    """Run EXERCISE's public tests on PATH (default: your file in ./EXERCISE/). Exit 0 if all pass."""
    from grader.commands.check import print_outcome
    from grader.sandbox import resolve_backend
    from grader.selfcheck import CheckError, run_check

    try:
        outcome = run_check(exercise, path, backend=resolve_backend(sandbox), isolation=isolation_mode(isolation))
    except (SpecError, SandboxUnavailable, CheckError) as exc:
        _fail(str(exc))
        return
    print_outcome(outcome, console)
    sys.exit(outcome.exit_code)


@main.command()
@click.argument("exercise")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--student", default=None,
              help="Your student id (as on the roster); with a server URL, your token says it.")
@click.option("--to", "inbox", required=True, help="The course's inbox folder, or its server (http://...).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the submitted line (for scripts).")
@click.option("--no-check", is_flag=True, help="Do not run the public tests first (lateness is still checked).")
def submit(exercise: str, path: Path, student: str | None, inbox: str, quiet: bool, no_check: bool) -> None:
    """Check PATH (intake, lateness, imports, public tests), say what you should know, then store it with a
    manifest in the inbox, or upload it to the course server. Refuses only what can never count (late work
    the course does not accept)."""
    from grader.course import CourseConfigError
    from grader.inbox import SubmitError, submit
    from grader.server.client import is_url

    if is_url(inbox):
        _submit_http(exercise, path, inbox, quiet)
        return
    if student is None:
        _fail("--student is required when submitting to a folder")
        return
    try:
        entry, report = submit(exercise, path, student, Path(inbox), run_tests=not no_check)
    except (SpecError, CourseConfigError, SubmitError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    if not quiet:
        for line in report.lines():
            colour = "yellow" if line.startswith("warning") or "late" in line or "NO" in line else "dim"
            console.print(f"[{colour}]{escape(clean(line, 600))}[/{colour}]")
    console.print(f"[green]submitted[/green] {escape(clean(entry.manifest.source_name, 300))} for "
                  f"{entry.manifest.exercise} as {escape(clean(entry.manifest.student, 300))} at "
                  f"{entry.manifest.submitted_at} (sha256 {entry.manifest.sha256[:12]})")


def _submit_http(exercise: str, path: Path, url: str, quiet: bool) -> None:
    from grader.server.client import ClientError
    from grader.server.client import submit as upload

    try:
        answer = upload(url, exercise, path)
    except ClientError as exc:
        _fail(str(exc))
        return
    if not quiet:
        for line in answer.get("warnings", []):
            click.echo(clean(line, 600))
    click.echo(f"submitted {clean(answer['file'], 300)} for {clean(answer['exercise'], 64)} as "
                  f"{clean(answer['student'], 64)} at {answer['submitted_at']} (server time): submission "
                  f"#{answer['id']}, {answer['status']}; `grader status` follows it")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--db", default=None, help="Database file or URL (default: grader-server.sqlite next to course.toml).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Submissions, results and the server secret (default: grader-server/ next to course.toml).")
@click.option("--sandbox", type=click.Choice(BACKENDS), default="auto", show_default=True)
@click.option("--workers", type=int, default=1, show_default=True,
              help="Without --broker: submissions graded at once in this process (0: only accept).")
@click.option("--broker", default=None, help="Celery broker (redis://host:6379/0): `grader worker`s grade instead.")
@click.option("--queue-prefix", default="grader", show_default=True, help="Broker queues <prefix>-live/-regrade.")
@click.option("--job-deadline", type=float, default=900.0, show_default=True, help="Seconds one grading may take.")
@click.option("--public-url", default=None,
              help="The address browsers use (https://grader.example.edu behind a TLS proxy): its host is accepted "
                   "and the session cookie is Secure when it is https.")
def serve(host: str, port: int, db: str | None, data: Path | None, sandbox: str, workers: int, broker: str | None,
          queue_prefix: str, job_deadline: float, public_url: str | None) -> None:
    """Run the course server: students submit over HTTP; a local worker pool (or, with --broker, Celery
    workers) grades. Ctrl-C stops."""
    from grader.commands.serve import serve as run
    from grader.course import CourseConfigError
    from grader.sandbox import resolve_backend
    from grader.spec import course_root

    try:
        run(course_root(), host=host, port=port, db=db, data=data, backend=resolve_backend(sandbox), workers=workers,
            broker=broker, queue_prefix=queue_prefix, job_deadline=job_deadline, public_url=public_url)
    except (SpecError, CourseConfigError, SandboxUnavailable, OSError, ValueError) as exc:
        _fail(str(exc))


@main.command()
@click.option("--broker", required=True, help="The Celery broker the server dispatches to (redis://host:6379/0).")
@click.option("--db", default=None, help="The server's database (a path or postgresql://user:pw@host/db).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The server's data folder (shared with the server: submissions in, results out).")
@click.option("--course", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The course folder (default: the one containing the current directory).")
@click.option("--sandbox", type=click.Choice(BACKENDS), default="auto", show_default=True)
@click.option("--concurrency", type=int, default=1, show_default=True, help="Jobs at once (one judge each).")
@click.option("--queue-prefix", default="grader", show_default=True, help="As for `grader serve`.")
@click.option("--job-deadline", type=float, default=900.0, show_default=True, help="As for `grader serve`.")
@click.option("--lease", type=float, default=30.0, show_default=True,
              help="Seconds a running job stays this worker's without a heartbeat (then it is graded elsewhere).")
def worker(broker: str, db: str | None, data: Path | None, course: Path | None, sandbox: str, concurrency: int,
           queue_prefix: str, job_deadline: float, lease: float) -> None:
    """Run a Celery worker that grades the course server's submissions on this host (SIGTERM stops)."""
    from grader.commands.serve import worker as run
    from grader.course import CourseConfigError
    from grader.sandbox import resolve_backend
    from grader.spec import course_root

    root = course.resolve() if course else course_root()
    try:
        run(root, broker=broker, db=db, data=data, backend=resolve_backend(sandbox), concurrency=concurrency,
            queue_prefix=queue_prefix, job_deadline=job_deadline, lease=lease)
    except (SpecError, CourseConfigError, SandboxUnavailable, OSError) as exc:
        _fail(str(exc))


@main.group()
def db() -> None:
    """The course server's database."""


@db.command("upgrade")
@click.option("--db", "database", default=None, help="The server's database (as for `grader serve`).")
def db_upgrade(database: str | None) -> None:
    """Apply the schema migrations (`grader serve` and `grader worker` also do this when they start)."""
    from grader.commands.serve import db_upgrade as run
    from grader.spec import course_root

    click.echo(f"database at revision {run(course_root(), database)}")


@main.group()
def tokens() -> None:
    """Accounts for the course server."""


@tokens.command("issue")
@click.option("--staff", multiple=True, help="Also a token for staff: ID:ta or ID:instructor (repeatable).")
@click.option("--db", default=None, help="The server's database (as for `grader serve`).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The server's data folder (as for `grader serve`).")
def tokens_issue(staff: tuple[str, ...], db: str | None, data: Path | None) -> None:
    """A new token for every roster student (and staff); prints the CSV to hand out (tokens are not kept)."""
    from grader.commands.serve import issue
    from grader.course import CourseConfigError
    from grader.spec import course_root

    try:
        click.echo(issue(course_root(), db=db, data=data, staff=staff), nl=False)
    except (SpecError, CourseConfigError, ValueError, OSError) as exc:
        _fail(str(exc))


@main.command()
@click.argument("url")
@click.option("--token", prompt=True, hide_input=True, help="The token your course staff gave you.")
def login(url: str, token: str) -> None:
    """Check TOKEN against the course server at URL and keep it in your config folder (mode 0600)."""
    from grader.server.client import ClientError, login

    try:
        me, path = login(url, token.strip())
    except ClientError as exc:
        _fail(str(exc))
        return
    click.echo(f"logged in to {clean(url, 200)} as {clean(me['id'], 64)} ({me['role']}); token kept in {path}")


@main.command()
@click.argument("exercise", required=False)
def status(exercise: str | None) -> None:
    """Your submissions on the course server (all, or for EXERCISE), with where each is in the queue."""
    from grader.commands.serve import status_lines
    from grader.server.client import ClientError, submissions

    try:
        rows = submissions(exercise)
    except ClientError as exc:
        _fail(str(exc))
        return
    for line in status_lines(rows):
        click.echo(line)


@main.command()
@click.argument("exercise")
@click.option("--all", "all_", is_flag=True, help="Every submission's result, not only the counted one.")
def results(exercise: str, all_: bool) -> None:
    """Your results for EXERCISE from the course server: the submission that counts (what the student page
    shows), or the latest while none can count yet."""
    from grader.commands.serve import result_lines, shown_rows
    from grader.server.client import ClientError, result, submissions

    try:
        rows = submissions(exercise)
        if not rows:
            click.echo(f"no submissions for {clean(exercise, 64)} yet")
            return
        for row in rows if all_ else shown_rows(rows):
            for line in result_lines(result(int(row["id"]))):
                click.echo(line)
    except ClientError as exc:
        _fail(str(exc))


@main.group()
def extensions() -> None:
    """Per-student extensions and time multipliers (also settable in course.toml; see docs/workflow.md)."""


@extensions.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def extensions_import(csv_file: Path) -> None:
    """Replace extensions.toml (next to course.toml) with CSV_FILE's rows: student,assignment,due,time_multiplier.

    All or nothing: a bad row is an error naming its line and column, and nothing changes. The course
    server reads the new file for the next submission."""
    from grader.course import CourseConfigError, import_extensions
    from grader.spec import course_root

    try:
        count, multipliers, written = import_extensions(course_root(), csv_file)
    except (SpecError, CourseConfigError, OSError) as exc:
        _fail(str(exc))
        return
    click.echo(f"{written}: {count} extension(s), {multipliers} time multiplier(s); grade-assignment and the "
               "course server apply them from now on")


@extensions.command("list")
def extensions_list() -> None:
    """Every student whose due date differs from the assignment's: the date and why (course.toml + extensions.toml)."""
    from rich.table import Table

    from grader.course import CourseConfigError, load_course
    from grader.spec import course_root

    try:
        course = load_course(course_root())
    except (SpecError, CourseConfigError) as exc:
        _fail(str(exc))
        return
    table = Table("assignment", "student", "due", "assignment's due", "why")
    for assignment in course.assignments.values():
        for student, deadline in sorted(assignment.deadlines.items()):
            table.add_row(assignment.id, student, deadline.due.isoformat(sep=" ", timespec="minutes"),
                          assignment.due.isoformat(sep=" ", timespec="minutes"), deadline.note)
    console.print(table if table.row_count else "no extensions or time multipliers")


@main.command("grade-assignment")
@click.argument("assignment")
@click.option("--inbox", required=True, type=click.Path(path_type=Path), help="The folder students submitted to.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for <exercise>/<student>/results.json, report.html and gradebook.csv.")
@click.option("--sandbox", type=click.Choice(BACKENDS), default="auto", show_default=True)
@click.option("--seed", type=int, default=None, help="Seed for the hidden tests' inputs (default: fresh, recorded).")
@click.option("--jobs", "-j", type=int, default=None, help="Submissions graded at once (default: number of cores).")
@click.option("--force", is_flag=True, help="Grade again even if the counted submission was already graded.")
@ISOLATION
def grade_assignment(assignment: str, inbox: Path, out: Path, sandbox: str, seed: int | None, jobs: int | None,
                     force: bool, isolation: str) -> None:
    """Grade every rostered student's counted submission for ASSIGNMENT, apply the late policy, write a gradebook."""
    from grader.assignment import grade_assignment, summary_text
    from grader.batch import default_jobs
    from grader.course import CourseConfigError
    from grader.sandbox import resolve_backend

    try:
        summary = grade_assignment(assignment, inbox, out, backend=resolve_backend(sandbox), seed=seed,
                                   jobs=jobs or default_jobs(), force=force, console=errors,
                                   isolation=isolation_mode(isolation))
    except (SpecError, CourseConfigError, SandboxUnavailable) as exc:
        _fail(str(exc))
        return
    if summary.gradebook is not None and summary.gradebook.is_file():
        from grader.commands.assignment import gradebook_table

        console.print(gradebook_table(summary.gradebook))
    console.print(clean(summary_text(summary), 1 << 20), markup=False)
    if summary.not_graded:
        sys.exit(1)


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
    from grader.bundle import BundleError
    from grader.course import CourseConfigError
    from grader.exports.autograder import export_gradescope

    try:
        console.print(f"wrote {export_gradescope(exercise, out, visibility=visibility)} (instructor-only: it holds "
                      "the hidden tests and the reference)")
    except (SpecError, CourseConfigError, BundleError) as exc:
        _fail(str(exc))


EXPORT_FORMATS = ["gradebook", "canvas", "gradescope"]  # grader.exports.FORMATS (tested), not imported at start-up
RELEASES = click.Choice(["before-due", "after-due", "published"])
RELEASE_HELP = "What student pages show: tests with visibility after_due_date / after_published appear once released."


@export.command("grades")
@click.argument("results", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--format", "formats", type=click.Choice(EXPORT_FORMATS), multiple=True,
              help="Repeat to choose (default: all): gradebook.csv, canvas.csv, "
                   "gradescope/<exercise>/<student>/results.json.")
def export_grades(results: Path, out: Path, formats: tuple[str, ...]) -> None:
    """Export the grades under RESULTS, TA overrides applied."""
    from grader.commands.export import export

    summary = export(results, out, formats)
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


@main.command()
@click.argument("exercise")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the TA-only pages (default: similarity/EXERCISE).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Pairs at or above this score get a page (default: the spec's similarity_threshold, else 0.5).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the CSV of all pairs here (default: OUT/pairs.csv).")
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="With a results tree: the inbox or folder that was graded (results.json has no code).")
def similarity(exercise: str, path: Path, out: Path | None, threshold: float | None, csv_path: Path | None,
               sources: Path | None) -> None:
    """Rank pairs of EXERCISE submissions in PATH (an inbox, a results tree or a folder) by shared code."""
    from grader.commands.similarity import run_similarity, summary_text
    from grader.similarity import SimilarityError

    try:
        console.print(summary_text(run_similarity(exercise, path, out, threshold=threshold, csv_path=csv_path,
                                                  sources=sources)), markup=False)
    except (SimilarityError, SpecError) as exc:
        _fail(str(exc))


if __name__ == "__main__":
    main()

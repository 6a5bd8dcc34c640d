"""`grader grade-assignment`: grade every rostered student's counted submission, apply the late policy.

Which submission counts: the latest one made on time; if there is none, the latest late one the
policy accepts (with its deduction); otherwise none. Every (exercise, student) pair gets a folder
``RESULTS/<exercise>/<student>/`` with results.json and report.html, including pairs with no
counted submission (status ``missing``, score 0, the reason in ``errors``), so the results tree is
the whole truth and ``RESULTS/gradebook.csv`` is built from it alone.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from grader import __version__
from grader.batch import Job, fresh_seed, run_jobs
from grader.course import Assignment, Course, CourseConfigError, LatePolicy, late_days, load_course
from grader.exports import gradebook
from grader.extensions import Deadline
from grader.inbox import InboxEntry, inbox_entries
from grader.kept import KEPT_DIR
from grader.results import Result, load_result
from grader.results_tree import collect
from grader.site.render import write_report
from grader.spec import ExerciseSpec, course_root


@dataclass(frozen=True)
class Choice:
    entry: InboxEntry | None
    days_late: int = 0
    reason: str = ""  # why nothing counts
    deadline: Deadline | None = None  # the student's own due date, when it is not the assignment's


def choose(entries: list[InboxEntry], deadline: Deadline | dt.datetime, policy: LatePolicy) -> Choice:
    """The submission that counts (``entries`` oldest first), against the student's own due date
    (``Assignment.deadline(student)``: their extension or time multiplier, else the assignment's)."""
    if isinstance(deadline, dt.datetime):
        deadline = Deadline(deadline)
    due, own = deadline.due, deadline if deadline.note else None
    if not entries:
        return Choice(None, reason="no submission", deadline=own)
    on_time = [e for e in entries if late_days(e.manifest.time, due) == 0]
    if on_time:
        return Choice(on_time[-1], deadline=own)
    accepted = [e for e in entries if policy.accepts(late_days(e.manifest.time, due))]
    if accepted:
        return Choice(accepted[-1], late_days(accepted[-1].manifest.time, due), deadline=own)
    after = f"after the due date ({deadline.describe()})" if own else "after the due date"
    return Choice(None, reason=f"{len(entries)} submission(s), all {after}; {policy.describe()}", deadline=own)


def apply_late(result: Result, student: str, choice: Choice, policy: LatePolicy) -> Result:
    """Set the student and late fields (the score itself stays the judge's score)."""
    result.student = student
    result.late_days = choice.days_late
    result.late_fraction = policy.fraction(choice.days_late)
    result.late_penalty = round(result.score * result.late_fraction, 4)
    if choice.entry is not None:
        note = f"graded submission {choice.entry.folder.name}, submitted {choice.entry.manifest.submitted_at}"
        if choice.deadline is not None:
            note += f" ({choice.deadline.describe()})"
        if choice.days_late:
            note += f", {choice.days_late} day(s) late: -{result.late_penalty:g} point(s)"
        lines = [line for line in result.output.splitlines() if not line.startswith("graded submission ")]
        result.output = "\n".join([note, *lines])
    return result


def missing_result(spec: ExerciseSpec, student: str, reason: str) -> Result:
    return Result(exercise=spec.id, title=spec.title, submission="", sha256="", seed=0, score=0.0,
                  max_score=spec.points, status="missing", errors=[reason], grader_version=__version__,
                  graded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), output=f"Not graded: {reason}.",
                  student=student)


def _write(result: Result, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_report(result, folder / "report.html")
    result.write(folder / "results.json")  # last: its presence means the folder is complete


def _up_to_date(folder: Path, entry: InboxEntry) -> Result | None:
    """The existing result if it graded this very submission with this grader version."""
    try:
        result = load_result(folder / "results.json")
    except ValueError:
        return None
    if (result.status in ("graded", "rejected") and result.sha256 == entry.manifest.sha256
            and result.grader_version == __version__ and (folder / "report.html").is_file()):
        return result
    return None


@dataclass
class AssignmentSummary:
    assignment: str
    graded: int = 0
    reused: int = 0
    missing: int = 0
    not_graded: int = 0  # status "error": the grader failed, a re-run grades them
    problems: list[str] = field(default_factory=list)
    gradebook: Path | None = None
    wall_s: float = 0.0
    backend: str = ""  # the sandbox that graded this run


def _stray_students(inbox: Path, exercise: str, roster: dict[str, str]) -> list[str]:
    folder = inbox / exercise
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    return [f"{folder / n}: not on the roster, not graded" for n in names if n not in roster]


def grade_assignment(assignment_id: str, inbox: Path, out: Path, *, backend: str = "local", seed: int | None = None,
                     jobs: int = 1, force: bool = False, console: Console | None = None,
                     course: Course | None = None) -> AssignmentSummary:
    console = console or Console(stderr=True)
    course = course or load_course(course_root())
    assignment: Assignment = course.assignment(assignment_id)
    specs = course.specs(assignment)
    if not inbox.is_dir():
        raise CourseConfigError(f"the inbox {inbox} does not exist (pass the folder students submit to)")
    roster = course.roster()
    summary = AssignmentSummary(assignment.id, backend=backend)
    started = time.monotonic()
    run_seed = fresh_seed() if seed is None else seed
    todo: list[Job] = []
    pending: dict[str, tuple[str, Choice]] = {}
    for spec in specs:
        summary.problems += _stray_students(inbox, spec.id, roster)
        for student in roster:
            entries, problems = inbox_entries(inbox, spec.id, student)
            summary.problems += problems
            choice = choose(entries, assignment.deadline(student), assignment.late)
            folder = out / spec.id / student
            if choice.entry is None:
                _write(missing_result(spec, student, choice.reason), folder)
                summary.missing += 1
                continue
            existing = None if force else _up_to_date(folder, choice.entry)
            if existing is not None:
                _write(apply_late(existing, student, choice, assignment.late), folder)
                summary.reused += 1
                continue
            key = f"{spec.id}/{student}"
            pending[key] = (student, choice)
            todo.append(Job(key, spec.id, choice.entry.source.absolute(), run_seed, backend, limits=spec.limits,
                            keep=(folder / KEPT_DIR).absolute()))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not todo) as progress:
        task = progress.add_task(f"grading {assignment.id}", total=len(todo))

        def done(job: Job, result: Result) -> None:
            student, choice = pending[job.key]
            _write(apply_late(result, student, choice, assignment.late), out / job.exercise / student)
            summary.graded += 1
            summary.not_graded += result.status == "error"
            progress.update(task, advance=1)

        run_jobs(course.root, todo, jobs, done)
    summary.gradebook, problems = write_assignment_gradebook(course, assignment, out)
    summary.problems += problems
    summary.wall_s = time.monotonic() - started
    return summary


def write_assignment_gradebook(course: Course, assignment: Assignment, out: Path) -> tuple[Path, list[str]]:
    """RESULTS/gradebook.csv from the results tree (rebuilt after every TA override, see exports.gradebook);
    returns its path and what could not be read."""
    found = collect(out, course.roster())
    path = gradebook.write_derived(found, list(assignment.exercises), list(course.roster()))
    return path, found.problems


def summary_text(summary: AssignmentSummary) -> str:
    text = (f"{summary.assignment}: {summary.graded} graded, {summary.reused} unchanged since the last run, "
            f"{summary.missing} missing; {summary.wall_s:.1f} s ({summary.backend}); gradebook: {summary.gradebook}")
    if summary.not_graded:
        text += (f"\nNOT GRADED: {summary.not_graded} (the grader failed, not the students; they count for "
                 "nothing: run the same command again to grade them)")
    if summary.problems:
        text += "\n" + "\n".join(f"warning: {p}" for p in summary.problems)
    return text


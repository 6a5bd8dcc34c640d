"""Every page of the site, rendered from a Collection; shared by the static build and the review app,
so both show exactly the same thing (the review app adds its forms to TA pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from grader.course import Course
from grader.kept import read_kept
from grader.results_tree import Collection, Exercise, Submission, slug
from grader.similarity.site import similarity_links
from grader.site.course_view import CourseView, course_view, starter_hashes
from grader.site.render import csp, render
from grader.site.stats import exercise_stats
from grader.site.views import Neighbour, Release, attach_code, submission_view
from grader.text import status_words


@dataclass
class ReviewContext:
    """What the review app adds: the CSRF token, the default TA name, a message after a save; ``server``:
    served by `grader serve` to a signed-in TA (the navigation adds Home and Log out)."""

    token: str
    ta: str
    flash: str = ""
    error: str = ""
    server: bool = False


@dataclass
class Cell:
    text: str
    sort: str
    css: str
    href: str = ""
    title: str = ""
    overridden: bool = False
    late: bool = False
    no_import: bool = False  # results.json import_error: the file did not import
    starter: bool = False  # the untouched starter file (its sha256)


@dataclass
class Row:
    student: str
    student_page: str
    name: str = ""  # from the roster
    cells: list[Cell] = field(default_factory=list)
    late_penalty: float = 0.0
    total: float = 0.0
    flags: list[str] = field(default_factory=list)


SCALE = ((0.0, "s0", "0 points"), (0.5, "s1", "under 50%"), (0.8, "s2", "50–79%"), (1.0, "s3", "80–99%"),
         (float("inf"), "s4", "full marks"))  # (upper bound of the share of points, class, legend)


def scale(score: float, max_score: float) -> str:
    """The colour-scale class of a score: s0 (nothing) … s4 (full marks)."""
    if max_score <= 0 or score <= 0:
        return "s0"
    fraction = score / max_score
    return next(css for bound, css, _ in SCALE[1:] if fraction < bound)


def _cell(sub: Submission | None, exercise: Exercise, view: CourseView) -> Cell:
    if sub is None:
        return Cell("—", "-1", "missing", title="no result")
    a, status = sub.adjusted, sub.result.status
    if status == "missing":
        return Cell("missing", "-1", "missing", sub.ta_page, "; ".join(sub.result.errors) or "no submission")
    title = f"{status_words(status)}; {a.score:g} / {a.max_score:g}"
    title += f"; late −{a.late_penalty:g}" if a.late_penalty else ""
    no_import, starter = bool(sub.result.import_error), view.is_starter(sub.exercise, sub.result.sha256)
    title += "; did not import" if no_import else ""
    title += "; the untouched starter file" if starter else ""
    return Cell(f"{a.score:g}", f"{a.score:g}", scale(a.score, a.max_score) if status == "graded" else "bad",
                sub.ta_page, title, a.overridden, bool(sub.result.late_days or a.late_penalty), no_import, starter)


def index_rows(c: Collection, view: CourseView | None = None) -> tuple[list[Row], float]:
    view = view or course_view(c, None)
    exercises = view.exercises
    rows: list[Row] = []
    max_total = sum(e.max_score for e in exercises)
    for student in c.students:
        row = Row(student, f"student/{slug(student)}/index.html", c.names.get(student, ""))
        for exercise in exercises:
            sub = c.submissions.get((exercise.id, student))
            cell = _cell(sub, exercise, view)
            row.cells.append(cell)
            if sub is None or sub.result.status in ("missing", "error", "rejected"):
                _flag(row, "incomplete")
            if sub is not None and sub.result.status != "missing":
                row.total += sub.adjusted.score
                row.late_penalty += sub.adjusted.late_penalty
            for flag, on in (("overridden", cell.overridden), ("late", cell.late), ("no-import", cell.no_import),
                             ("starter", cell.starter)):
                if on:
                    _flag(row, flag)
        row.total = max(0.0, row.total - row.late_penalty)
        if max_total and row.total < max_total / 2:
            _flag(row, "below-half")
        rows.append(row)
    return rows, max_total


def _flag(row: Row, flag: str) -> None:
    if flag not in row.flags:
        row.flags.append(flag)


@dataclass
class ExerciseRow:
    exercise: Exercise
    count: int
    mean: float
    overridden: int


def index_page(c: Collection, release: Release, review: ReviewContext | None = None,
               course: Course | None = None) -> str:
    view = course_view(c, course)
    rows, max_total = index_rows(c, view)
    summary = []
    for exercise in view.exercises:
        subs = [s for s in c.of_exercise(exercise.id) if s.result.status != "missing"]
        mean = sum(s.adjusted.score for s in subs) / len(subs) if subs else 0.0
        summary.append(ExerciseRow(exercise, len(subs), mean, sum(s.adjusted.overridden for s in subs)))
    return render("index.html", csp=csp(script=True), nav="staff", review=review, rows=rows, max_total=max_total,
                  exercises=view.exercises, groups=view.groups, grouped=view.grouped,
                  exercise_rows={r.exercise.id: r for r in summary}, legend=SCALE, problems=c.problems,
                  notes=c.notes, submission_count=len(c.submissions), source=str(c.root), release=release.label,
                  named=bool(c.names), similarity=[] if review else similarity_links(c.root),
                  built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))


def exercise_page(c: Collection, exercise: Exercise, review: ReviewContext | None = None,
                  course: Course | None = None) -> str:
    subs = c.of_exercise(exercise.id)
    hashes = starter_hashes(course, exercise.id) if course else set()
    starters = {s.student for s in subs if s.result.sha256 and s.result.sha256 in hashes}
    stats = exercise_stats(exercise, subs, starters=starters)
    return render("exercise.html", root="../", nav="staff", review=review, stats=stats, submissions=subs,
                  pages={(s.exercise, s.student): s.ta_page for s in subs}, names=c.names, starters=starters)


def ta_page(c: Collection, sub: Submission, review: ReviewContext | None = None) -> str:
    """Everything, with the graded code (when kept) and the previous / next student of the exercise."""
    view = submission_view(sub.result, sub.student, ta=True, adjusted=sub.adjusted)
    attach_code(view, read_kept(c.root / sub.folder, sub.result.sha256))
    others = c.of_exercise(sub.exercise)
    at = next((i for i, other in enumerate(others) if other.student == sub.student), None)
    if at is not None:
        root = "../../"
        if at > 0:
            view.previous = Neighbour(root + others[at - 1].ta_page, others[at - 1].student)
        if at + 1 < len(others):
            view.next = Neighbour(root + others[at + 1].ta_page, others[at + 1].student)
    return render("report.html", root="../../", nav="staff", review=review, view=view,
                  csp=csp(forms=review is not None))


def student_page(sub: Submission, release: Release) -> str:
    """Self-contained: links only to the student's own pages, so a student's folder can be handed out."""
    view = submission_view(sub.result, sub.student, ta=False, release=release, adjusted=sub.adjusted)
    return render("report.html", root="../../", nav="student", review=None, view=view)


@dataclass
class StudentItem:
    href: str
    view: object


def student_index_page(c: Collection, student: str, release: Release) -> str:
    items = [StudentItem(f"{slug(s.exercise)}.html",
                         submission_view(s.result, s.student, ta=False, release=release, adjusted=s.adjusted))
             for s in c.of_student(student)]
    return render("student_index.html", root="../../", nav="student", review=None, student=student, items=items)


def message_page(heading: str, message: str, *, css: str = "error", back: str = "") -> str:
    return render("message.html", nav=None, review=None, heading=heading, message=message, css=css, back=back)

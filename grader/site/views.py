"""What a student and what a TA may see of one result (the templates only lay it out).

Student view, per test, following Gradescope's visibility: ``visible`` tests are listed; ``hidden``
tests never are; ``after_due_date`` / ``after_published`` tests are listed once the release phase
reaches them, and until then only counted ("2 tests, 3 points, shown after the due date"). A listed
hidden-suite test shows its name, points and the instructor's hint (on failure) only: never the judge's
message, expected values, timings, memory or the program's output. The total is withheld while any
test is unreleased, so it cannot be used to infer the unreleased verdicts, unless grades are published.
TA view: everything, plus the graded code (grader/kept.py) with each failing test's traceback linked to
its lines. Students never see code on these pages (they have their own file; nothing else's).

Comments: a TA comment addressed to the student (``Override.to_student``) is shown on the student page
once the release phase is after-due or later (per-test ones only beside a listed test); a staff note
never is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from grader.kept import KeptCode, frames, traceback_parts
from grader.overrides import Adjusted, Override, adjust
from grader.results import Result, SandboxRecord
from grader.text import clean, judge_message, plain_text

ERROR_FOR_STUDENTS = "The grader could not run the tests on this submission (not your fault); course staff can see why."


class Release(enum.IntEnum):
    BEFORE_DUE = 0
    AFTER_DUE = 1
    PUBLISHED = 2

    @classmethod
    def parse(cls, text: str) -> Release:
        try:
            return cls[text.upper().replace("-", "_")]
        except KeyError:
            raise ValueError(f"release must be one of {', '.join(r.label for r in cls)}") from None

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")


WHEN = {"after_due_date": (Release.AFTER_DUE, "after the due date"),
        "after_published": (Release.PUBLISHED, "once grades are published")}


def released(visibility: str, release: Release) -> bool:
    if visibility == "visible":
        return True
    if visibility in WHEN:
        return release >= WHEN[visibility][0]
    return False  # "hidden" and anything unknown: never


@dataclass
class Feedback:
    """A comment addressed to the student: what the student page shows of it (never who wrote it)."""

    test: str | None
    text: str
    at: str


FEEDBACK_FROM = Release.AFTER_DUE  # comments to students are shown from this release phase on


@dataclass
class CodeRef:
    anchor: str  # "L<module line>"
    label: str  # "line 12" or "cell 3, line 4"


@dataclass
class TestRow:
    name: str
    status: str
    score: float
    max_score: float
    graded: float
    override: Override | None
    public: bool
    description: str = ""
    describe: bool = False  # students see the description
    hint: str = ""
    feedback: str = ""  # student-safe text
    visibility: str = "visible"
    message: str = ""  # TA only from here on
    details: str = ""
    program_output: str = ""
    duration_s: float = 0.0
    cpu_s: float | None = None
    max_rss_kb: int | None = None
    comments: list[Feedback] = field(default_factory=list)  # to the student (student view, after release)
    trace: list[tuple[str, str]] = field(default_factory=list)  # TA: details split at links to code lines
    refs: list[CodeRef] = field(default_factory=list)  # TA: the code lines its traceback names


@dataclass
class Neighbour:
    href: str
    student: str


@dataclass
class Withheld:
    when: str
    count: int
    points: float


@dataclass
class SubmissionView:
    ta: bool
    exercise: str
    title: str
    student: str
    submission: str
    status: str
    graded_at: str
    adjusted: Adjusted
    tests: list[TestRow]
    output: str
    score_shown: bool = True
    withheld: list[Withheld] = field(default_factory=list)
    late_days: int = 0
    errors: list[str] = field(default_factory=list)  # TA only
    import_error: str = ""  # the file does not import: said once (both views)
    sha256: str = ""
    source: str = ""  # TA only: the path it was graded from
    seed: int | None = None
    sandbox: SandboxRecord | None = None
    duration_s: float = 0.0
    peak_memory_mb: float | None = None
    grader_version: str = ""
    feedback: list[Feedback] = field(default_factory=list)  # to the student, about the whole submission
    code: KeptCode | None = None  # TA only: what was graded
    previous: Neighbour | None = None  # TA only: the exercise's previous / next student
    next: Neighbour | None = None


def _feedback(record: Override) -> Feedback:
    return Feedback(record.test, record.reason, record.at)


def attach_code(view: SubmissionView, code: KeptCode | None) -> None:
    """TA view: the graded code, each failing test's traceback split at its frames in that code, and
    every line a failing test's traceback names marked with the test."""
    view.code = code
    if code is None:
        return
    for test in view.tests:
        if not test.details:
            continue
        text = clean(test.details, 16384)
        test.trace = traceback_parts(text, code.module)
        for number in dict.fromkeys(reversed(frames(text, code.module))):  # deepest frame first
            line = code.line(number)
            if line is None:
                continue
            test.refs.append(CodeRef(line.anchor, f"cell {_cell_of(code, number)}, line {line.shown}"
                                     if code.notebook else f"line {number}"))
            if test.status != "passed" and test.name not in line.hits:
                line.hits.append(test.name)


def _cell_of(code: KeptCode, number: int) -> int | None:
    return next((b.cell for b in code.blocks if any(line.number == number for line in b.lines)), None)


def _row(test_index: int, result: Result, adjusted: Adjusted, ta: bool) -> TestRow:
    test = result.tests[test_index]
    score = adjusted.tests[test.name] if test.name in adjusted.tests else None
    final = score.score if score else test.score
    row = TestRow(name=test.name, status=test.status, score=final, max_score=test.max_score, graded=test.score,
                  override=score.override if score else None, public=test.public, visibility=test.visibility,
                  description=test.description, describe=test.describe, hint=test.hint or "")
    if test.public:
        row.feedback = test.output
    elif test.status != "passed" and test.hint:
        row.feedback = f"Hint: {test.hint}"
    if ta:
        row.message = plain_text(judge_message(test.details)) if test.details else ""  # no internal class names
        row.details, row.program_output = plain_text(test.details), test.program_output
        row.duration_s, row.cpu_s, row.max_rss_kb = test.duration_s, test.cpu_s, test.max_rss_kb
    return row


def submission_view(result: Result, student: str, *, ta: bool, release: Release = Release.BEFORE_DUE,
                    history: list[Override] | None = None, adjusted: Adjusted | None = None) -> SubmissionView:
    adjusted = adjusted or adjust(result, student, history or [])
    view = SubmissionView(ta=ta, exercise=result.exercise, title=result.title, student=student,
                          submission=result.submission, status=result.status, graded_at=result.graded_at,
                          adjusted=adjusted, tests=[], output=result.output, late_days=result.late_days,
                          import_error=plain_text(str(result.import_error or "")))
    if ta:
        view.tests = [_row(i, result, adjusted, True) for i in range(len(result.tests))]
        view.errors, view.sha256, view.seed = list(result.errors), result.sha256, result.seed
        view.source = str(result.source or "")
        view.sandbox = result.sandbox
        view.duration_s, view.peak_memory_mb = result.duration_s, result.peak_memory_mb
        view.grader_version = result.grader_version
        return view
    if result.status == "error":
        view.output = ERROR_FOR_STUDENTS
    withheld: dict[str, Withheld] = {}
    never_shown = 0
    for i, test in enumerate(result.tests):
        if released(test.visibility, release):
            view.tests.append(_row(i, result, adjusted, False))
        elif test.visibility in WHEN:
            when = WHEN[test.visibility][1]
            group = withheld.setdefault(when, Withheld(when, 0, 0.0))
            group.count += 1
            group.points += test.max_score
        else:
            never_shown += 1
    if release >= FEEDBACK_FROM:
        listed = {row.name: row for row in view.tests}
        for record in adjusted.feedback:
            if record.test is None:
                view.feedback.append(_feedback(record))
            elif record.test in listed:
                listed[record.test].comments.append(_feedback(record))
    view.withheld = list(withheld.values())
    view.score_shown = release >= Release.PUBLISHED or (not withheld and not never_shown)
    return view

"""What a student is told before `grader submit` stores a submission, in one short block.

Gradescope warns about lateness at submission time; we also say whether the file imports, how many
public tests pass (the same intake, sandbox and judge as grading) and whether it is still the untouched
starter. Only what can never count is refused (late work the assignment's policy does not accept);
everything else is stored with its warnings, so nothing a student hands in is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Assignment, known_assignments, late_days
from grader.intake import sha256_of
from grader.spec import ExerciseSpec


@dataclass
class Precheck:
    timing: str = ""  # "on time", "2 day(s) late: ...", or "" (no due date known here)
    accepted: bool = True  # False: late work the policy does not accept (never counts)
    extension: str = ""  # the student's own due date when it is not the assignment's ("" otherwise)
    imports: bool | None = None  # None: not checked (a quiz, or --no-check)
    import_error: str = ""
    public: tuple[int, int] | None = None  # (passed, total) public tests
    warnings: list[str] = field(default_factory=list)

    def refusal(self) -> str:
        """Why a submission that can never count is not stored."""
        ask = "" if self.extension else ". Ask course staff if you need an extension"
        return f"not submitted: {self.timing}; it could never count{ask}"

    def lines(self) -> list[str]:
        out = [self.timing] if self.timing else []
        if self.imports is not None:
            out.append("imports: yes" if self.imports else f"imports: NO: {self.import_error.splitlines()[0]}")
        if self.public is not None:
            out.append(f"public tests: {self.public[0]}/{self.public[1]} passed")
        return out + [f"warning: {w}" for w in self.warnings]


def assignment_of(spec: ExerciseSpec, root: Path) -> Assignment | None:
    return next((a for a in known_assignments(root) or [] if spec.id in a.exercises), None)


def timing(assignment: Assignment | None, now: dt.datetime, student: str | None = None) -> tuple[str, bool]:
    """Words for when this is handed in (against ``student``'s own due date), and whether it can still count."""
    if assignment is None:
        return "", True
    deadline = assignment.deadline(student)
    due = deadline.describe()
    if deadline.note:
        due += f"; the assignment's due date is {assignment.due.isoformat(sep=' ', timespec='minutes')}"
    days = late_days(now, deadline.due)
    if days == 0:
        return f"on time ({due})", True
    if not assignment.late.accepts(days):
        if not assignment.extensions_known:  # a bundle: only the course knows who has an extension
            return (f"{days} day(s) late ({due}): {assignment.late.describe()}, so this counts only if course "
                    "staff gave you an extension (stored all the same)"), True
        return f"{days} day(s) late ({due}): not accepted: {assignment.late.describe()}", False
    penalty = assignment.late.fraction(days)
    return f"{days} day(s) late ({due}): -{penalty:.0%} of the points earned ({assignment.late.describe()})", True


def precheck(spec: ExerciseSpec, source: Path, root: Path, now: dt.datetime, run_tests: bool = True,
             student: str | None = None) -> Precheck:
    """Everything a student should know before this submission is stored."""
    report = Precheck()
    assignment = assignment_of(spec, root)
    report.timing, report.accepted = timing(assignment, now, student)
    report.extension = assignment.deadline(student).note if assignment else ""
    if spec.starter_file.is_file() and source.is_file() and source.suffix == spec.starter_file.suffix \
            and sha256_of(source) == sha256_of(spec.starter_file):
        report.warnings.append("this is the untouched starter file: it scores 0")
    if run_tests and spec.kind != "quiz":
        from grader.selfcheck import run_check  # the sandbox and judge, only when asked for

        outcome = run_check(spec.id, source)
        if outcome.problem is None:
            report.imports = not outcome.import_error
            report.import_error = outcome.import_error
            report.public = (outcome.passed, len(outcome.lines))
            if report.imports and outcome.passed < len(outcome.lines):
                report.warnings.append("some public tests fail: `grader check` shows which and why")
    return report

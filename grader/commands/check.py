"""`grader check`: a student runs the public tests on their file, with the same intake, sandbox and judge.

It needs only the public side of an exercise (``exercises/<id>/``), so it works inside an unzipped
bundle. For a quiz there is no key here: check only says whether the answers file parses and
answers every question.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from grader.grading import grade_submission
from grader.intake import IntakeError, stage_submission
from grader.quiz import load_questions
from grader.results import TestResult
from grader.spec import ExerciseSpec, course_root, load_exercise

EXCEPTION_WORDS = {
    "grader.judge.proxy.StudentError: ": "your code raised ",
    "grader.judge.proxy.StudentTimeout: ": "",
    "grader.judge.proxy.WorkerCrashed: ": "your program stopped: ",
    "grader.judge.proxy.HandleMisuse: ": "",
    "AssertionError: ": "",
    "Failed: ": "",
}
GENERIC_HINTS = (
    ("NotImplementedError", "replace the `raise NotImplementedError  # TODO` lines with your code"),
    ("failed to import", "your file does not import: run it with python to see the error and its line"),
    ("timed out", "a call ran too long: look for an infinite loop or a very slow loop"),
    ("time limit", "a call ran too long: look for an infinite loop or a very slow loop"),
    ("memory limit", "your code used too much memory: avoid huge intermediate tensors"),
    ("plain data", "return numbers, lists, arrays or tensors, not your own objects"),
)


CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object, limit: int) -> str:
    """Terminal-safe text: no escape sequences, control or bidi characters; capped."""
    plain = CONTROL.sub("", "" if text is None else str(text))
    return plain if len(plain) <= limit else plain[:limit] + f" … ({len(plain) - limit} characters omitted)"


class CheckError(Exception):
    """Nothing could be checked (no file found, an unknown exercise); the message says what to do."""


@dataclass
class CheckLine:
    name: str
    passed: bool
    description: str = ""
    message: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)


@dataclass
class CheckOutcome:
    exercise: str
    path: Path
    lines: list[CheckLine] = field(default_factory=list)
    problem: str | None = None  # the submission could not be checked at all
    notes: list[str] = field(default_factory=list)
    sandbox: str = ""
    quiz: bool = False

    @property
    def passed(self) -> int:
        return sum(line.passed for line in self.lines)

    @property
    def exit_code(self) -> int:
        if self.problem:
            return 2
        return 0 if self.lines and self.passed == len(self.lines) else 1


def find_submission(spec: ExerciseSpec, where: Path) -> Path:
    """The student's file when no PATH is given: in ``<id>/`` or here, the newest .py/.ipynb/.toml."""
    names = [spec.submission] if spec.kind == "quiz" else [spec.submission, f"{spec.module_name}.ipynb"]
    for folder in (where / spec.id, where):
        found = [folder / name for name in names if (folder / name).is_file()]
        if found:
            return max(found, key=lambda p: (p.stat().st_mtime, p.suffix == ".ipynb"))
    raise CheckError(f"no {' or '.join(names)} in {where / spec.id} or {where}; pass the file to check as PATH")


def failure_message(details: str) -> list[str]:
    """The few lines of a pytest failure a student needs: the E-lines, with our class names put in words."""
    lines = [re.sub(r"^E\s+", "", line) for line in details.splitlines() if re.match(r"^E\s", line)]
    if not lines:
        lines = [line for line in details.splitlines() if line.strip()][-4:]
    words = []
    for line in lines[:12]:
        for prefix, replacement in EXCEPTION_WORDS.items():
            if line.startswith(prefix):
                line = replacement + line[len(prefix):]
        words.append(clean(line, 300))
    return words


def _line(test: TestResult) -> CheckLine:
    line = CheckLine(test.name, test.status == "passed", test.description)
    if line.passed:
        return line
    text = test.details or test.output
    line.message = failure_message(text)
    if test.hint:
        line.hints.append(test.hint)
    line.hints += [hint for needle, hint in GENERIC_HINTS if needle in text and hint not in line.hints][:1]
    return line


def check_quiz(spec: ExerciseSpec, path: Path) -> CheckOutcome:
    """Parse the answers and report unanswered questions; correctness is only known to the grader."""
    outcome = CheckOutcome(spec.id, path, sandbox="none, a quiz runs no code", quiz=True)
    workdir = Path(tempfile.mkdtemp(prefix="grader-check-"))
    try:
        staged = stage_submission(path, spec, workdir / "submission")
        answers = tomllib.loads((staged.directory / spec.submission).read_text(encoding="utf-8"))
    except IntakeError as exc:
        outcome.problem = str(exc)
        return outcome
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        outcome.problem = f"{path.name} is not valid TOML ({exc}); put text answers in quotes"
        return outcome
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    questions = load_questions(spec)
    for question in questions:
        answer = answers.get(question.id)
        line = CheckLine(question.id, answer not in (None, ""), question.prompt[:120])
        if not line.passed:
            line.message = ["no answer yet" if question.id in answers else f"'{question.id}' is missing from the file"]
        outcome.lines.append(line)
    unknown = sorted(set(answers) - {q.id for q in questions})
    if unknown:
        outcome.notes.append(f"not questions of this quiz (ignored): {', '.join(unknown)}")
    return outcome


def run_check(exercise: str, path: Path | None = None, *, backend: str = "local", seed: int = 0) -> CheckOutcome:
    spec = load_exercise(exercise, course_root())
    source = path if path is not None else find_submission(spec, Path.cwd())
    if not source.exists():
        raise CheckError(f"{source} does not exist")
    if spec.kind == "quiz":
        return check_quiz(spec, source)
    result = grade_submission(spec, source, seed=seed, backend=backend, public=True)
    outcome = CheckOutcome(spec.id, source, sandbox=result.sandbox.backend if result.sandbox else backend)
    if result.status == "rejected":
        outcome.problem = "; ".join(result.errors) or "the submission was not accepted"
    elif result.status == "error":
        outcome.problem = "the public tests could not run (tell your instructor): " + "; ".join(result.errors)[:600]
    outcome.lines = [_line(test) for test in result.tests]
    outcome.notes = [n for n in result.output.splitlines() if n and n not in result.errors]
    return outcome


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

"""A student's self-check: the public tests on their file, with the same intake, sandbox and judge.

It needs only the public side of an exercise (``exercises/<id>/``), so it works inside an unzipped
bundle. For a quiz there is no key here: check only says whether the answers file parses and
answers every question.
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader.grading import grade_submission
from grader.intake import IntakeError, stage_submission
from grader.quiz import load_questions
from grader.results import TestResult
from grader.sandbox import SandboxOptions
from grader.spec import ExerciseSpec, course_root, load_exercise
from grader.text import clean, failure_lines, plain_words

GENERIC_HINTS = (
    ("NotImplementedError", "replace the `raise NotImplementedError  # TODO` lines with your code"),
    ("failed to import", "your file does not import: run it with python to see the error and its line"),
    ("timed out", "a call ran too long: look for an infinite loop or a very slow loop"),
    ("time limit", "a call ran too long: look for an infinite loop or a very slow loop"),
    ("memory limit", "your code used too much memory: avoid huge intermediate tensors"),
    ("plain data", "return numbers, lists, arrays or tensors, not your own objects"),
)


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
    import_error: str = ""  # the file does not import: said once, instead of a failure per check
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
    """The few lines of a pytest failure a student needs, with the judge's class names put in words."""
    return [clean(plain_words(line), 300) for line in failure_lines(details)[:12]]


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


def run_check(exercise: str, path: Path | None = None, *, backend: str = "local", seed: int = 0,
              isolation: str = "auto") -> CheckOutcome:
    spec = load_exercise(exercise, course_root())
    source = path if path is not None else find_submission(spec, Path.cwd())
    if not source.exists():
        raise CheckError(f"{source} does not exist")
    if spec.kind == "quiz":
        return check_quiz(spec, source)
    result = grade_submission(spec, source, seed=seed, backend=backend, public=True,
                              options=SandboxOptions(isolation=isolation))
    outcome = CheckOutcome(spec.id, source, sandbox=result.sandbox.backend if result.sandbox else backend)
    if result.status == "rejected":
        outcome.problem = "; ".join(result.errors) or "the submission was not accepted"
    elif result.status == "error":
        outcome.problem = "the public tests could not run (tell your instructor): " + "; ".join(result.errors)[:600]
    outcome.lines = [_line(test) for test in result.tests]
    outcome.import_error = result.import_error
    outcome.notes = [n for n in result.output.splitlines() if n and n not in result.errors]
    return outcome

"""Small courses for the workflow tests: the toy exercise, a quiz, and a course.toml of the test's choosing."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from conftest import COURSE

from grader.mutants import make_patch

QUIZ = {
    "exercises/w01-quiz/spec.toml": 'id = "w01-quiz"\ntitle = "Checkpoint quiz"\nweek = 1\nkind = "quiz"\n'
                                    'submission = "answers.toml"\npoints = 2\n',
    "exercises/w01-quiz/README.md": "# Checkpoint quiz\nTwo questions on linear layers.\n",
    "exercises/w01-quiz/quiz.toml": '[[question]]\nid = "q1"\ntype = "numeric"\npoints = 1\n'
                                    'prompt = "How many parameters does nn.Linear(16, 4) have?"\n\n'
                                    '[[question]]\nid = "q2"\ntype = "choice"\npoints = 1\nprompt = "IoU is a ..."\n'
                                    'choices = { a = "loss", b = "metric" }\n',
    "exercises/w01-quiz/starter/answers.toml": 'q1 = ""\nq2 = ""\n',
    "hidden_tests/w01-quiz/key.toml": '[q1]\nanswer = 68\nhint = "weights plus biases"\n[q2]\nanswer = "b"\n',
    "reference/w01-quiz/answers.toml": 'q1 = 68\nq2 = "b"\n',
    "reference/w01-quiz/mutants/no_bias.patch": make_patch('q1 = 68\nq2 = "b"\n', 'q1 = 64\nq2 = "b"\n',
                                                           "answers.toml", "forgot the bias"),
}
ROSTER = "id,name\nalice,Alice\nbob,Bob\ncarol,Carol\n"
ASSIGNMENTS = """
[assignments.t1]
title = "Toy assignment"
exercises = ["w01-toy"]
due = 2099-01-01T00:00:00Z

[assignments.q1]
title = "Quiz"
exercises = ["w01-quiz"]
due = 2099-01-01T00:00:00Z
"""


def make_course(root: Path, assignments: str = ASSIGNMENTS, roster: str = ROSTER) -> Path:
    """A course folder with w01-toy (from tests/course), the w01-quiz quiz, a course.toml and a roster."""
    for part in ("exercises", "reference", "hidden_tests"):
        shutil.copytree(COURSE / part / "w01-toy", root / part / "w01-toy", dirs_exist_ok=True)
    for name, text in QUIZ.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "course.toml").write_text('[course]\nname = "Workflow tests"\nroster = "roster.csv"\n\n'
                                      '[defaults]\nlate = { per_day = 0.1, cap = 0.5 }\n' + assignments)
    (root / "roster.csv").write_text(roster)
    return root


def unzip(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(into)
    return into


def secret_files(root: Path, exercise: str) -> dict[str, bytes]:
    """Everything a student must never get: hidden tests (and key), reference, mutants."""
    files = {}
    for part in ("reference", "hidden_tests"):
        for path in (root / part / exercise).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                files[str(path.relative_to(root))] = path.read_bytes()
    return files

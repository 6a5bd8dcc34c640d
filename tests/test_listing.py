"""`grader list`: exercises grouped by week, each with its assignment, no word cut at 80 columns."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from workflow_helpers import make_course

from cli import console, main
from grader.course import load_course
from grader.spec import load_all

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def narrow(monkeypatch):
    monkeypatch.setattr(console, "_width", 80)  # what a pipe or an 80-column terminal gets


def test_the_course_is_listed_by_week_with_each_assignment_and_no_word_cut(narrow, monkeypatch):
    monkeypatch.setenv("GRADER_COURSE", str(REPO))
    run = CliRunner().invoke(main, ["list"])
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert max(len(line) for line in lines) <= 80 and "…" not in run.output
    course = load_course(REPO)
    specs = load_all(REPO)
    headings = [" ".join(line.split()) for line in lines if re.match(r"week \d", line.strip())]
    expected = []
    for week in sorted({s.week for s in specs}):
        owners = {a.id: a for a in course.assignments.values() for s in specs if s.week == week and s.id in a.exercises}
        dues = [f"{a.id} · due {a.due.date().isoformat()}" for a in owners.values()]
        expected.append(f"week {week} " + "; ".join(dues))
    assert headings == expected and headings[5] == "week 6 a6 · due 2026-03-13"
    words = set(run.output.split())
    for spec in specs:  # every exercise once, under its week's heading, every word of its title whole
        row = next(i for i, line in enumerate(lines) if re.match(rf"\s+{re.escape(spec.id)}\s", line))
        assert [h for h in lines[:row] if re.match(r"week \d", h.strip())][-1].strip().startswith(f"week {spec.week} ")
        assert set(spec.title.split()) <= words, spec.id
    for assignment in course.assignments.values():  # the assignments' own titles and due times, below
        assert assignment.due.isoformat(timespec="minutes") in run.output
        assert set(assignment.title.split()) <= words


def test_a_week_of_several_assignments_names_each_exercise_s(narrow, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_COURSE", str(make_course(tmp_path / "course")))
    run = CliRunner().invoke(main, ["list"])
    assert run.exit_code == 0, run.output
    text = " ".join(run.output.split())
    assert "week 1 q1 · due 2099-01-01; t1 · due 2099-01-01" in text
    assert "w01-quiz Checkpoint quiz (q1) quiz 2" in text and "w01-toy Toy exercise for the grader's tests (t1)" in text
    run = CliRunner().invoke(main, ["list", "--markdown"])
    assert "## Week 1\n" in run.output
    assert "| `w01-quiz` | Checkpoint quiz | quiz | 2 | `q1` (due 2099-01-01) | - |" in run.output


def test_without_a_course_toml_assignments_are_said_to_be_unknown(narrow, tmp_path, monkeypatch):
    root = make_course(tmp_path / "course")
    (root / "course.toml").unlink()
    shutil.rmtree(root / "exercises" / "w01-quiz")
    monkeypatch.setenv("GRADER_COURSE", str(root))
    run = CliRunner().invoke(main, ["list"])
    assert run.exit_code == 0, run.output
    text = " ".join(run.output.split())
    assert "week 1 w01-toy Toy exercise for the grader's tests code 5" in text
    assert "no course.toml here: assignments unknown" in text and "Assignments" not in text

"""The student workflow end to end: bundle, check, submit, grade-assignment; and its bad inputs."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import COURSE, REFERENCE_TOY
from rich.console import Console
from workflow_helpers import make_course, unzip

from cli import main
from grader.assignment import choose, grade_assignment
from grader.bundle import build_bundle
from grader.commands.check import print_outcome
from grader.course import CourseConfigError, LatePolicy, load_course
from grader.inbox import InboxEntry, Manifest, SubmitError, inbox_entries, submit
from grader.mutants import Mutant
from grader.results import load_result
from grader.selfcheck import CheckError, find_submission, run_check
from grader.spec import load_exercise

MUTANT = Mutant("toy.py", COURSE / "reference" / "w01-toy" / "mutants" / "subtracts.patch",
                COURSE / "reference" / "w01-toy" / "toy.py").text()


def quiet() -> Console:
    return Console(file=io.StringIO())


def gradebook(out: Path) -> dict[str, dict[str, str]]:
    with (out / "gradebook.csv").open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle) if row["student"] != "Points Possible"}


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "course")


@pytest.fixture
def bundle(course, tmp_path, monkeypatch):
    """An unzipped t1 bundle, as the current folder, with no course configured: a student's machine."""
    folder = unzip(build_bundle("t1", tmp_path / "dist", course), tmp_path / "student") / "t1"
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def inbox(tmp_path):
    (tmp_path / "inbox").mkdir()
    return tmp_path / "inbox"


def fill_notebook(notebook_path: Path, code: str, out: Path) -> nbformat.NotebookNode:
    """The starter notebook with ``code`` in its first code cell and the other starter cells emptied."""
    notebook = nbformat.read(notebook_path, as_version=4)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    cells[0].source = code
    for cell in cells[1:-1]:
        cell.source = "# solved in the first cell"
    nbformat.write(notebook, out)
    return notebook


def test_round_trip_reference_notebook_gets_full_marks_and_a_mutant_less(course, bundle, inbox, tmp_path):
    notebook_path = bundle / "w01-toy" / "toy.ipynb"
    notebook = fill_notebook(notebook_path, REFERENCE_TOY, notebook_path)
    # the notebook's last cell, run as Jupyter would (from the notebook's folder) in a fresh process
    argv = shlex.split(notebook.cells[-1].source.lstrip("!"))
    assert argv[0] == "grader"
    env = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"} | {"COLUMNS": "200"}
    run = subprocess.run([sys.executable, "-m", "cli", *argv[1:]], cwd=notebook_path.parent, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "✓ test_add_small" in run.stdout and "1 of 1 public checks passed" in run.stdout

    bob_path = bundle / "bob" / "toy.ipynb"  # bob's copy of the notebook, with a mutant's code
    bob_path.parent.mkdir()
    fill_notebook(notebook_path, MUTANT, bob_path)
    outcome = run_check("w01-toy", bob_path)
    assert outcome.exit_code == 1
    shown = Console(file=io.StringIO(), width=200, record=True)
    print_outcome(outcome, shown)
    text = shown.export_text()
    assert "✗ test_add_small" in text and "assert -1 == 5" in text and "0 of 1 public checks passed" in text

    alice, _ = submit("w01-toy", Path("w01-toy/toy.ipynb"), "alice", inbox)
    bob, _ = submit("w01-toy", bob_path, "bob", inbox)
    assert alice.manifest.assignment == "t1" and alice.source.suffix == ".ipynb"
    assert json.loads((bob.folder / "manifest.json").read_text())["student"] == "bob"

    out = tmp_path / "results"
    summary = grade_assignment("t1", inbox, out, backend="local", seed=5, jobs=1, course=load_course(course),
                               console=quiet())
    assert (summary.graded, summary.missing, summary.problems) == (2, 1, [])
    results = {s: load_result(out / "w01-toy" / s / "results.json") for s in ("alice", "bob", "carol")}
    assert all((out / "w01-toy" / s / "report.html").is_file() for s in results)
    assert results["alice"].score == results["alice"].max_score == 5 and results["alice"].student == "alice"
    assert results["bob"].status == "graded" and results["bob"].score < 5
    assert results["carol"].status == "missing" and results["carol"].errors == ["no submission"]
    rows = gradebook(out)
    assert rows["alice"] == {"student": "alice", "name": "Alice", "w01-toy": "5", "late_penalty": "0", "total": "5",
                             "missing": ""}
    assert rows["bob"]["w01-toy"] == f"{results['bob'].score:g}"
    assert rows["carol"]["w01-toy"] == "" and rows["carol"]["missing"] == "w01-toy" and rows["carol"]["total"] == "0"

    # the same submissions against a due date 36 hours before them: 2 days late, nothing graded again
    config = load_course(course)
    due = alice.manifest.time - dt.timedelta(hours=36)
    late = dataclasses.replace(config, assignments={"t1": dataclasses.replace(config.assignments["t1"], due=due)})
    summary = grade_assignment("t1", inbox, out, backend="local", course=late, console=quiet())
    assert (summary.graded, summary.reused) == (0, 2)
    alice_late = load_result(out / "w01-toy" / "alice" / "results.json")
    assert (alice_late.score, alice_late.late_days, alice_late.late_penalty) == (5, 2, 1.0)
    assert "2 day(s) late: -1 point(s)" in alice_late.output
    assert gradebook(out)["alice"] | {} == {"student": "alice", "name": "Alice", "w01-toy": "5",
                                           "late_penalty": "1", "total": "4", "missing": ""}

    closed = dataclasses.replace(late, assignments={"t1": dataclasses.replace(late.assignments["t1"],
                                                                             late=LatePolicy(accept_late=False))})
    summary = grade_assignment("t1", inbox, out, backend="local", course=closed, console=quiet())
    assert summary.missing == 3 and gradebook(out)["alice"]["w01-toy"] == ""
    assert "all after the due date; late work is not accepted" in load_result(
        out / "w01-toy" / "alice" / "results.json").errors[0]
    assert len(inbox_entries(inbox, "w01-toy", "alice")[0]) == 1  # the submission itself is untouched


def test_a_quiz_is_checked_for_answers_then_graded_with_the_key(course, tmp_path, inbox, monkeypatch):
    folder = unzip(build_bundle("q1", tmp_path / "dist", course), tmp_path / "student") / "q1"
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    monkeypatch.chdir(folder)
    answers = folder / "w01-quiz" / "answers.toml"
    outcome = run_check("w01-quiz")
    assert outcome.exit_code == 1 and [line.passed for line in outcome.lines] == [False, False]
    answers.write_text('q1 = "sixty"\n')  # parses; q2 missing
    outcome = run_check("w01-quiz", answers)
    assert [line.message for line in outcome.lines] == [[], ["'q2' is missing from the file"]]
    answers.write_text('q1 = 68\nq2 = b\n')
    assert "not valid TOML" in (run_check("w01-quiz", answers).problem or "")
    with pytest.raises(SubmitError, match="not valid TOML"):
        submit("w01-quiz", answers, "alice", inbox)
    answers.write_text('q1 = 68\nq2 = "b"\n')
    assert run_check("w01-quiz", answers).exit_code == 0
    submit("w01-quiz", answers, "alice", inbox)
    answers.write_text('q1 = 64\nq2 = "b"\n')
    submit("w01-quiz", answers, "bob", inbox)
    out = tmp_path / "results"
    grade_assignment("q1", inbox, out, backend="local", jobs=1, course=load_course(course), console=quiet())
    rows = gradebook(out)
    assert (rows["alice"]["w01-quiz"], rows["bob"]["w01-quiz"], rows["carol"]["w01-quiz"]) == ("2", "1", "")


def test_check_finds_the_newest_file_in_the_exercise_folder(bundle):
    spec = load_exercise("w01-toy")
    notebook, plain = bundle / "w01-toy" / "toy.ipynb", bundle / "w01-toy" / "toy.py"
    os.utime(notebook, (2_000_000_000, 2_000_000_000))
    assert find_submission(spec, bundle) == notebook
    os.utime(plain, (2_000_000_100, 2_000_000_100))
    assert find_submission(spec, bundle) == plain
    with pytest.raises(CheckError, match="no toy.py or toy.ipynb"):
        find_submission(spec, bundle / "exercises")


def test_resubmissions_keep_history_and_damaged_entries_are_reported(bundle, inbox):
    first, _ = submit("w01-toy", Path("w01-toy/toy.py"), "alice", inbox)
    (bundle / "w01-toy" / "toy.py").write_text(REFERENCE_TOY)
    second, _ = submit("w01-toy", Path("w01-toy/toy.py"), "alice", inbox)
    entries, problems = inbox_entries(inbox, "w01-toy", "alice")
    assert [e.folder for e in entries] == [first.folder, second.folder] and problems == []
    assert first.source.read_text() != second.source.read_text()
    first.source.write_text("tampered")
    entries, problems = inbox_entries(inbox, "w01-toy", "alice")
    assert [e.folder for e in entries] == [second.folder]
    assert "does not match its sha256" in problems[0]


def nothing_written(inbox: Path) -> bool:
    return not any(inbox.rglob("*.*"))


@pytest.mark.parametrize(("metadata", "nbformat_version", "words"), [
    ({"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}}, 4, "uses a R kernel"),
    ({}, 3, r"not a valid Jupyter notebook \(nbformat v4\)"),
])
def test_a_notebook_with_the_wrong_kernel_or_version_is_refused(bundle, inbox, metadata, nbformat_version, words):
    path = bundle / "w01-toy" / "toy.ipynb"
    data = json.loads(path.read_text())
    data["metadata"], data["nbformat"] = metadata, nbformat_version
    path.write_text(json.dumps(data))
    with pytest.raises(SubmitError, match=words):
        submit("w01-toy", path, "alice", inbox)
    assert nothing_written(inbox)


def test_submit_refuses_bad_ids_a_missing_inbox_and_other_exercises(course, bundle, inbox, tmp_path, monkeypatch):
    with pytest.raises(SubmitError, match="the inbox .*nope does not exist"):
        submit("w01-toy", Path("w01-toy/toy.py"), "alice", tmp_path / "nope")
    assert not (tmp_path / "nope").exists()
    with pytest.raises(SubmitError, match="student id '../bob' must be letters"):
        submit("w01-toy", Path("w01-toy/toy.py"), "../bob", inbox)
    (bundle / "w01-toy" / "numpy.py").write_text("x = 1")
    with pytest.raises(SubmitError, match="not submitted: .*shadow a module"):
        submit("w01-toy", bundle / "w01-toy", "alice", inbox)
    assert nothing_written(inbox)
    monkeypatch.chdir(course)  # the instructor's folder: course.toml knows the roster and every assignment
    with pytest.raises(SubmitError, match="'mallory' is not on the course roster"):
        submit("w01-toy", bundle / "w01-toy" / "toy.py", "mallory", inbox)
    monkeypatch.chdir(bundle)  # a bundle whose assignment.toml does not list the exercise
    assignment = bundle / "assignment.toml"
    assignment.write_text(assignment.read_text().replace('"w01-toy"', '"w01-quiz"'))
    with pytest.raises(SubmitError, match=r"w01-toy is not part of this assignment \(t1: w01-quiz\)"):
        submit("w01-toy", Path("w01-toy/toy.py"), "alice", inbox)
    assert nothing_written(inbox)


def test_grade_assignment_needs_an_existing_inbox_and_a_known_assignment(course, tmp_path):
    config = load_course(course)
    with pytest.raises(CourseConfigError, match="the inbox .*missing does not exist"):
        grade_assignment("t1", tmp_path / "missing", tmp_path / "out", course=config, console=quiet())
    with pytest.raises(CourseConfigError, match="no assignment 'a7'"):
        grade_assignment("a7", tmp_path, tmp_path / "out", course=config, console=quiet())
    assert not (tmp_path / "out").exists()


def entry(minutes_after_due: int, name: str) -> InboxEntry:
    due = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    when = (due + dt.timedelta(minutes=minutes_after_due)).isoformat()
    return InboxEntry(Path(name), Manifest("alice", "w01-toy", "t1", "toy.py", "toy.py", "0" * 64, when, "0", "py"))


def test_the_latest_on_time_submission_counts_then_the_latest_accepted_late_one():
    due = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    policy = LatePolicy(True, 0.1, 0.5, max_days=2)
    early, on_time, late, very_late = entry(-60, "early"), entry(0, "on-time"), entry(30, "late"), entry(4000, "v")
    assert choose([early, on_time, late], due, policy).entry == on_time  # a late resubmission does not replace it
    choice = choose([late, very_late], due, policy)  # very_late is 3 days late: past max_days
    assert choice.entry == late and choice.days_late == 1
    choice = choose([very_late], due, policy)
    assert choice.entry is None and "1 submission(s), all after the due date" in choice.reason
    assert choose([], due, policy).reason == "no submission"
    assert choose([late], due, LatePolicy()).entry is None


def test_submit_and_grade_assignment_on_the_command_line(bundle, inbox, course, tmp_path, monkeypatch):
    runner = CliRunner()
    run = runner.invoke(main, ["submit", "w01-toy", "w01-toy/toy.py", "--student", "carol", "--to", str(inbox)])
    assert run.exit_code == 0 and "submitted toy.py for w01-toy as carol" in run.output
    run = runner.invoke(main, ["submit", "w01-toy", "w01-toy/toy.py", "--student", "carol", "--to", "typo"])
    assert run.exit_code == 2 and "the inbox typo does not exist" in run.output
    monkeypatch.chdir(course)
    run = runner.invoke(main, ["grade-assignment", "t1", "--inbox", "typo", "--out", str(tmp_path / "r")])
    assert run.exit_code == 2 and "the inbox typo does not exist" in run.output
    assert len(inbox_entries(inbox, "w01-toy", "carol")[0]) == 1


LATE_COURSE = """
[assignments.t1]
title = "Toy assignment"
exercises = ["w01-toy"]
due = 2020-01-01T00:00:00Z
late = { per_day = 0.1, cap = 0.5 }

[assignments.q1]
title = "Quiz"
exercises = ["w01-quiz"]
due = 2020-01-01T00:00:00Z
late = "none"
"""


def test_submit_says_late_import_failure_and_public_tests_before_storing(tmp_path, monkeypatch, inbox):
    course = make_course(tmp_path / "late", LATE_COURSE)
    monkeypatch.chdir(course)
    monkeypatch.delenv("GRADER_COURSE", raising=False)
    broken = tmp_path / "toy.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# my work"),
                nbformat.v4.new_code_cell("def add(a, b)\n    return a + b")]
    nbformat.write(nb, broken)
    run = CliRunner().invoke(main, ["submit", "w01-toy", str(broken), "--student", "alice", "--to", str(inbox)])
    assert run.exit_code == 0, run.output
    said = " ".join(run.output.split())  # the terminal may wrap long lines
    assert "day(s) late (due 2020-01-01 00:00+00:00): -50% of the points earned" in said
    assert "imports: NO: SyntaxError: expected ':' (toy.py, line 2) [notebook cell 2, line 1]" in said
    assert "public tests: 0/1 passed" in said and said.index("public tests") < said.index("submitted toy.ipynb")
    assert len(list((inbox / "w01-toy" / "alice").iterdir())) == 1  # stored all the same: it can still count

    starter = course / "exercises" / "w01-toy" / "starter" / "toy.py"
    quiet = CliRunner().invoke(main, ["submit", "w01-toy", str(starter), "--student", "bob", "--to", str(inbox),
                                      "--quiet", "--no-check"])
    assert quiet.exit_code == 0 and quiet.output.startswith("submitted"), quiet.output  # --quiet: one line

    loud = CliRunner().invoke(main, ["submit", "w01-toy", str(starter), "--student", "bob", "--to", str(inbox),
                                     "--no-check"])
    assert "warning: this is the untouched starter file: it scores 0" in " ".join(loud.output.split())

    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = 68\nq2 = "b"\n')
    refused = CliRunner().invoke(main, ["submit", "w01-quiz", str(answers), "--student", "carol", "--to", str(inbox)])
    assert refused.exit_code == 2 and "not accepted: late work is not accepted" in " ".join(refused.output.split())
    assert not (inbox / "w01-quiz").exists()  # nothing stored: it could never count

"""The `grader` command as a user runs it: real subprocesses, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import COURSE, REFERENCE_TOY


def grader(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRADER_COURSE": str(COURSE), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env,
                          cwd=cwd or Path(__file__).parent.parent, timeout=600)


def test_list_shows_the_exercises():
    run = grader("list")
    assert run.returncode == 0
    assert "w01-toy" in run.stdout and "Toy exercise" in run.stdout


def test_grade_writes_results_and_reports_and_exits_zero_whatever_the_scores(tmp_path):
    good, wrong, broken = tmp_path / "alice.py", tmp_path / "bob.py", tmp_path / "carol.ipynb"
    good.write_text(REFERENCE_TOY)
    wrong.write_text(REFERENCE_TOY.replace("a + b", "a * b"))
    broken.write_text("not a notebook")
    run = grader("grade", "w01-toy", str(good), str(wrong), str(broken), "--out", str(tmp_path / "out"),
                 "--seed", "11", "--jobs", "2", "--sandbox", "local")
    assert run.returncode == 0, run.stderr
    results = {name: json.loads((tmp_path / "out" / name / "results.json").read_text())
               for name in ("alice", "bob", "carol")}
    assert results["alice"]["score"] == 5 and results["bob"]["score"] == 3
    assert results["carol"]["status"] == "rejected" and "not a valid Jupyter notebook" in results["carol"]["errors"][0]
    for data in results.values():  # Gradescope's fields are all there
        assert {"score", "max_score", "execution_time", "output", "tests"} <= set(data)
        assert all({"name", "score", "max_score", "status", "output", "visibility"} <= set(t) for t in data["tests"])
        assert data["seed"] == 11
    assert "<html" in (tmp_path / "out" / "alice" / "report.html").read_text()
    assert "alice" in run.stdout and "mean score" in run.stdout

    again = grader("grade", "w01-toy", str(good), "--out", str(tmp_path / "out"), "--sandbox", "local")
    assert again.returncode == 0 and "1 unchanged since an earlier run" in again.stdout


def test_grader_problems_exit_non_zero_with_the_reason(tmp_path):
    run = grader("grade", "w99-nope", str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and "unknown exercise 'w99-nope'" in run.stderr


def test_validate_catches_every_mutant_of_the_toy():
    run = grader("validate", "w01-toy", "--seeds", "1,2", "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2/2" in run.stdout and "ok" in run.stdout


def test_validate_fails_when_a_mutant_survives(tmp_path):
    import shutil

    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    from grader.mutants import make_patch

    patch = make_patch(REFERENCE_TOY, REFERENCE_TOY + "\n# same\n", "toy.py", "a comment, no mistake")
    (course / "reference" / "w01-toy" / "mutants" / "harmless.patch").write_text(patch)
    env_run = subprocess.run([sys.executable, "-m", "cli", "--course", str(course), "validate", "w01-toy",
                              "--seeds", "1"], capture_output=True, text=True, timeout=600,
                             cwd=Path(__file__).parent.parent, env={**os.environ, "COLUMNS": "200"})
    assert env_run.returncode == 1
    assert "mutant:harmless.py was not caught" in env_run.stdout


def test_a_judge_that_dies_still_leaves_a_result_for_every_submission(tmp_path):
    first, second = tmp_path / "one.py", tmp_path / "two.py"
    first.write_text(REFERENCE_TOY)
    second.write_text(REFERENCE_TOY)
    run = grader("grade", "w01-judge-crash", str(first), str(second), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run.returncode == 1 and "NOT GRADED" in run.stderr, run.stderr  # the grader failed: run again
    for name in ("one", "two"):
        data = json.loads((tmp_path / "out" / name / "results.json").read_text())
        assert data["status"] == "error" and data["score"] == 0
        assert "the grader crashed" in data["errors"][0]


def test_results_of_an_lms_download_are_named_after_each_student_and_record_their_source(tmp_path):
    """subs/<student>/toy.py for every student (same file name): results land in out/<student>/."""
    for student in ("alice", "bob"):
        (tmp_path / "subs" / student).mkdir(parents=True)
        (tmp_path / "subs" / student / "toy.py").write_text(REFERENCE_TOY)
    subs = tmp_path / "subs"
    run = grader("grade", "w01-toy", str(subs / "alice" / "toy.py"), str(subs / "bob" / "toy.py"),
                 "--out", str(tmp_path / "out"), "--jobs", "2", "--sandbox", "local")
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["alice", "bob"]
    data = json.loads((tmp_path / "out" / "bob" / "results.json").read_text())
    assert data["source"] == str(tmp_path / "subs" / "bob" / "toy.py")


def test_output_names_prefer_a_roster_id_then_the_file_then_its_folder():
    from grader.commands.grade import output_names

    sources = [Path("lms/u17/detection.ipynb"), Path("lms/u18/detection.ipynb"), Path("mine/carol.py"),
               Path("s002/answer.py"), Path("x/..."), Path("y/...")]
    assert output_names(sources, roster=["s002"]) == ["u17", "u18", "carol", "s002", "x", "y"]


def test_grade_json_prints_the_results_for_scripts(tmp_path):
    (tmp_path / "alice.py").write_text(REFERENCE_TOY)
    run = grader("grade", "w01-toy", str(tmp_path / "alice.py"), "--out", str(tmp_path / "out"), "--json",
                 "--sandbox", "local", "--seed", "1")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["backend"] == "local" and [s["submission"] for s in data["submissions"]] == ["alice"]
    assert data["submissions"][0]["score"] == data["submissions"][0]["max_score"] == 5


def test_the_validation_table_fits_80_columns_without_cutting_a_word():
    from rich.console import Console

    from grader.commands.validate import validation_table
    from grader.results import Result
    from grader.spec import load_all
    from grader.validation import ExerciseCheck

    longest = max(load_all(Path(__file__).resolve().parent.parent), key=lambda s: len(s.id))
    check = ExerciseCheck(longest)
    for key, score in (("x|reference|1", 10), ("x|reference|2", 10), ("x|reference|3", 10), ("x|starter|1", 0)):
        check.results[key] = Result(exercise=longest.id, title="", submission="", sha256="", seed=1, score=score,
                                    max_score=10, status="graded")
    check.mutants_total = check.mutants_killed = 12
    console = Console(width=80, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(validation_table([check]))
    text = console.export_text()
    assert longest.id in text and "…" not in text and max(map(len, text.splitlines())) <= 80


def test_grade_assignment_prints_a_row_per_student(tmp_path):
    from rich.console import Console

    from grader.commands.assignment import gradebook_table

    book = tmp_path / "gradebook.csv"
    book.write_text("student,name,w01-toy,late_penalty,total,missing\nPoints Possible,,5,,5,\n"
                    "alice,Alice,5,0,5,\ncarol,Carol,,0,0,w01-toy\n")
    console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(gradebook_table(book))
    text = console.export_text()
    assert "Alice" in text and "carol" in text and "Points Possible" in text and "w01-toy" in text

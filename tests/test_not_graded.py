"""Issue #10 "Also": an infrastructure failure is never the student's score. When the sandboxed worker
cannot start, the result is status "error" with "not graded: <reason>", it counts for nothing in
the gradebook, the batch exits non-zero, and a re-run grades it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import COURSE, REFERENCE_TOY, REPO, needs_isolation

from grader.exports.canvas import canvas_csv
from grader.exports.gradebook import gradebook_csv
from grader.exports.layout import layout
from grader.grading import grade_submission
from grader.results_tree import collect
from grader.sandbox.local import LocalSandbox


@needs_isolation
def test_a_worker_that_cannot_start_is_not_graded_and_counts_for_nothing(toy, tmp_path, monkeypatch):
    monkeypatch.setattr(LocalSandbox, "python", property(lambda self: "/nonexistent/python3"))
    source = tmp_path / "toy.py"
    source.write_text(REFERENCE_TOY)
    result = grade_submission(toy, source, seed=3, backend="local")
    assert result.status == "error" and result.score == 0 and result.tests == []
    assert result.errors[0].startswith("not graded: the sandboxed worker did not start")
    assert "/nonexistent/python3" in result.errors[0]  # what the sandbox said

    tree = tmp_path / "results"
    result.write(tree / "alice" / "results.json")
    found = collect(tree)
    assert found.problems == [] and [e.id for e in found.exercises] == ["w01-toy"]
    assert gradebook_csv(found, layout(found)).splitlines()[2] == "alice,,,0,0,w01-toy (not graded)"
    assert canvas_csv(found).splitlines()[2].split(",")[-1] == ""  # Canvas leaves the grade alone


@needs_isolation
def test_a_batch_with_a_broken_sandbox_exits_non_zero_and_a_rerun_grades_it(tmp_path):
    # An interpreter path the sandbox cannot see (like a virtual environment's, outside every bind).
    broken_python = tmp_path / "venv" / "bin" / "python3"
    broken_python.parent.mkdir(parents=True)
    broken_python.symlink_to(sys.executable)
    source = tmp_path / "alice.py"
    source.write_text(REFERENCE_TOY)
    out = tmp_path / "out"
    env = {**os.environ, "GRADER_COURSE": str(COURSE), "COLUMNS": "200"}

    def grade(python: Path | str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(python), str(REPO / "cli.py"), "grade", "w01-toy", str(source), "--out", str(out),
                               "--seed", "5", "--jobs", "1", "--sandbox", "local"],
                              capture_output=True, text=True, env=env, cwd=REPO, timeout=600)

    broken = grade(broken_python)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "NOT GRADED" in broken.stderr and "alice" in broken.stderr
    data = json.loads((out / "alice" / "results.json").read_text())
    assert data["status"] == "error" and data["score"] == 0 and data["tests"] == []
    assert data["errors"][0].startswith("not graded: ") and str(broken_python) in data["errors"][0]

    fixed = grade(sys.executable)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "1 submission(s) this run: 1 graded" in " ".join(fixed.stdout.split()) and "earlier run" not in fixed.stdout
    data = json.loads((out / "alice" / "results.json").read_text())
    assert data["status"] == "graded" and data["score"] == data["max_score"] == 5

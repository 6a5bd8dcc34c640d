"""`grader export gradescope`: the zip, and run_autograder end to end in a stand-in /autograder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner
from conftest import COURSE
from workflow_helpers import make_course, secret_files

from cli import main
from grader.bundle import BundleError
from grader.exports.autograder import export_gradescope, gradescope_json
from grader.mutants import Mutant
from grader.results import Result
from grader.results import TestResult as Outcome

# Gradescope's documented results.json fields (gradescope-autograders.readthedocs.io/en/latest/specs/)
TOP_FIELDS = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
              "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
               "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def assert_valid_gradescope_results(data: dict) -> None:
    assert set(data) <= TOP_FIELDS, set(data) - TOP_FIELDS
    assert isinstance(data["score"], int | float) and isinstance(data["execution_time"], int | float)
    assert isinstance(data["output"], str) and data["output_format"] in FORMATS
    assert data.get("visibility", "visible") in VISIBILITY and data.get("stdout_visibility") in VISIBILITY
    assert isinstance(data.get("extra_data", {}), dict)
    for test in data["tests"]:
        assert set(test) <= TEST_FIELDS, set(test) - TEST_FIELDS
        assert {"score", "max_score", "name", "status", "output", "visibility"} <= set(test)
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITY
        assert 0 <= test["score"] <= test["max_score"] and isinstance(test["name"], str)
        assert isinstance(test["number"], str) and all(isinstance(t, str) for t in test["tags"])
    assert abs(data["score"] - sum(t["score"] for t in data["tests"])) < 1e-9
    json.dumps(data, allow_nan=False)  # strict JSON


def test_the_zip_has_the_scripts_platform_tests_and_reference_but_no_mutant(tmp_path):
    course = make_course(tmp_path / "course")
    archive = export_gradescope("w01-toy", tmp_path / "autograder.zip", course)
    with zipfile.ZipFile(archive) as handle:
        infos = {i.filename: i for i in handle.infolist()}
        contents = {handle.read(name) for name in infos}
    for script in ("setup.sh", "run_autograder"):  # at the root, executable
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
    for name in ("platform/pyproject.toml", "platform/cli.py", "platform/grader/grading.py",
                 "platform/grader/judge/pytest.ini", "platform/grader/inside/worker.py", "gradescope.json",
                 "course/exercises/w01-toy/spec.toml", "course/hidden_tests/w01-toy/test_toy.py",
                 "course/reference/w01-toy/toy.py"):
        assert name in infos, name
    assert not any("/mutants/" in name or "__pycache__" in name for name in infos)
    mutants = {v for k, v in secret_files(course, "w01-toy").items() if "mutants" in k}
    assert len(mutants) == 2 and not mutants & contents
    assert export_gradescope("w01-toy", tmp_path / "again.zip", course).read_bytes() == archive.read_bytes()
    with pytest.raises(Exception, match="unknown exercise 'w03-nope'"):
        export_gradescope("w03-nope", tmp_path / "x.zip", course)


def test_run_autograder_grades_a_submission_in_gradescopes_layout(tmp_path):
    archive = export_gradescope("w01-toy", tmp_path / "autograder.zip", COURSE)
    root = tmp_path / "autograder"  # stands in for /autograder
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")  # what Gradescope's image build does
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    mutant = COURSE / "reference" / "w01-toy" / "mutants" / "softmax_wrong_dim.patch"
    reference = COURSE / "reference" / "w01-toy" / "toy.py"
    (root / "submission" / "toy.py").write_text(Mutant("toy.py", mutant, reference).text())
    (root / "submission_metadata.json").write_text(json.dumps({"users": [{"name": "Alice", "id": 1}]}))
    (root / "results").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_COURSE", "PYTHONPATH")}
    env |= {"AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": sys.executable}
    run = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"from {root / 'source' / 'platform'}" in run.stdout  # the exported platform graded it, not this checkout
    data = json.loads((root / "results" / "results.json").read_text())
    assert_valid_gradescope_results(data)
    assert data["score"] == 4 and len(data["tests"]) == 5
    softmax = next(t for t in data["tests"] if t["name"].startswith("test_softmax"))
    assert softmax["status"] == "failed"
    assert softmax["output"].startswith("Failed: values differ: ")
    assert softmax["output"].endswith("Hint: softmax over the last dimension")
    assert data["extra_data"]["sandbox"] == "local" and data["stdout_visibility"] == "hidden"
    assert "reference.softmax" not in json.dumps(data)  # nothing from the hidden tests' source or the judge's details


def test_gradescope_json_hides_grader_errors_and_shows_intake_refusals():
    test = Outcome("test_add", 0.0, 1.0, "failed", output="Failed: not run.", details="expected 5 got -1",
                      program_output="secret print", visibility="after_due_date")
    error = Result("w01-toy", "Toy", "toy.py", "", 1, 0.0, 1.0, "error", tests=[test],
                   errors=["could not collect /autograder/source/course/hidden_tests/..."], output="collect failed")
    data = gradescope_json(error)
    assert_valid_gradescope_results(data)
    assert "not your fault" in data["output"] and "hidden_tests" not in json.dumps(data)
    assert "expected 5" not in json.dumps(data) and "secret print" not in json.dumps(data)
    assert data["tests"][0]["visibility"] == "after_due_date"
    rejected = Result("w01-toy", "Toy", "x.txt", "", 1, 0.0, 1.0, "rejected", output="x.txt: submit toy.py")
    assert gradescope_json(rejected, "hidden")["output"] == "x.txt: submit toy.py"


def test_export_on_the_command_line_and_its_refusals(tmp_path, monkeypatch):
    course = make_course(tmp_path / "course")
    monkeypatch.setenv("GRADER_COURSE", str(course))
    run = CliRunner().invoke(main, ["export", "gradescope", "w01-toy", "--out", str(tmp_path / "ag.zip")])
    assert run.exit_code == 0 and "instructor-only" in run.output and (tmp_path / "ag.zip").is_file()
    shutil.rmtree(course / "hidden_tests" / "w01-toy")
    with pytest.raises(BundleError, match="w01-toy: no hidden tests"):
        export_gradescope("w01-toy", tmp_path / "a.zip", course)
    run = CliRunner().invoke(main, ["export", "gradescope", "w01-toy", "--out", str(tmp_path / "b.zip")])
    assert run.exit_code == 2 and "no hidden tests" in run.output and not (tmp_path / "b.zip").exists()

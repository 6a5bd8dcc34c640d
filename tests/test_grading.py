"""End-to-end grading through the real sandbox and judge, including hostile submissions."""

from __future__ import annotations

import re
import textwrap
import time

from conftest import REFERENCE_TOY, scores

ALL = {"test_add": 1.0, "test_scale": 1.0, "test_softmax": 1.0, "test_acc": 1.0, "test_add_equality": 1.0}


def test_reference_gets_full_marks_and_records_how(grade_source):
    result = grade_source(REFERENCE_TOY)
    assert result.status == "graded"
    assert scores(result) == ALL
    assert result.score == result.max_score == 5
    assert result.seed == 7 and len(result.sha256) == 64
    assert result.sandbox is not None and result.sandbox.backend == "local"
    assert result.sandbox.isolation.startswith(("L3", "L2", "L0"))
    assert all(t.cpu_s is not None and t.duration_s > 0 for t in result.tests)


def test_same_seed_same_scores_and_failures_are_explained(grade_source):
    wrong = REFERENCE_TOY.replace("dim=-1", "dim=0")
    first, second = grade_source(wrong, seed=3), grade_source(wrong, seed=3)
    assert scores(first) == scores(second)
    softmax = next(t for t in first.tests if t.name == "test_softmax")
    assert softmax.status == "failed"
    assert re.fullmatch(r"Failed: values differ: \d+ of 20 elements, worst relative error [\d.e+-]+\. "
                        r"Hint: softmax over the last dimension", softmax.output), softmax.output
    assert "max abs error" in softmax.details  # TAs see the judge's message, students do not


def test_exit_at_import_fails_every_test_but_still_gets_a_result(grade_source):
    result = grade_source("import sys\nsys.exit(0)\n" + REFERENCE_TOY)
    assert result.status == "graded" and result.score == 0
    assert result.import_error.startswith("SystemExit")  # said once, for the file
    assert all(t.output.startswith("Not run: your file does not import") for t in result.tests)


def test_os_exit_inside_a_call_fails_only_that_test(grade_source):
    source = REFERENCE_TOY.replace("    return a + b", "    import os\n    os._exit(0)")
    result = grade_source(source)
    assert scores(result) == {**ALL, "test_add": 0.0, "test_add_equality": 0.0}
    add = next(t for t in result.tests if t.name == "test_add")
    assert "crashed or exited" in add.output


def test_patching_pytest_and_printing_a_score_changes_nothing(grade_source):
    source = textwrap.dedent("""
        import json, sys, builtins
        import _pytest.runner, pytest
        _pytest.runner.pytest_runtest_makereport = lambda item, call: None
        pytest.fail = lambda *a, **k: None
        builtins.AssertionError = Exception
        print('{"score": 100, "max_score": 5}')
        print("All tests passed! score: 5/5")
        open("results.json", "w").write(json.dumps({"score": 5}))
    """) + REFERENCE_TOY.replace("dim=-1", "dim=0")
    result = grade_source(source)
    assert scores(result)["test_softmax"] == 0.0
    assert result.score == 4.0
    assert "All tests passed" in "".join(t.program_output for t in result.tests)  # kept for TAs, never parsed


def test_always_equal_object_gets_no_points(grade_source):
    source = REFERENCE_TOY.replace("    return a + b", """
    class Liar:
        def __eq__(self, other):
            return True
        __hash__ = object.__hash__
    return Liar()""")
    result = grade_source(source)
    assert scores(result)["test_add"] == 0.0 and scores(result)["test_add_equality"] == 0.0
    assert "returned an object" in next(t for t in result.tests if t.name == "test_add_equality").output
    assert scores(result)["test_scale"] == 1.0


def test_lying_tensor_subclass_is_judged_on_its_data(grade_source):
    source = REFERENCE_TOY + """
class Liar(torch.Tensor):
    def __eq__(self, other):
        return torch.ones_like(other, dtype=torch.bool)
    def allclose(self, *a, **k):
        return True

def scale(x, k):
    return (x * 0).as_subclass(Liar)
"""
    result = grade_source(source)
    assert scores(result)["test_scale"] == 0.0
    assert result.score == 4.0


def test_nan_never_passes(grade_source):
    source = REFERENCE_TOY + "\ndef softmax(x):\n    return torch.full_like(x, float('nan'))\n"
    result = grade_source(source)
    softmax = next(t for t in result.tests if t.name == "test_softmax")
    assert softmax.score == 0.0 and "NaN" in softmax.details


def test_infinite_loop_fails_only_its_test_within_the_deadline(grade_source, toy):
    source = REFERENCE_TOY.replace("    return x * k", "    while True:\n        pass")
    started = time.monotonic()
    result = grade_source(source)
    elapsed = time.monotonic() - started
    scale = next(t for t in result.tests if t.name == "test_scale")
    assert scale.score == 0.0
    assert scale.output.startswith(f"Failed: time limit exceeded ({toy.limits.call_timeout_s:g} s)")
    assert scores(result) == {**ALL, "test_scale": 0.0}
    assert elapsed < toy.limits.call_timeout_s + 40  # the rest went on after the kill


def test_notebook_and_py_with_the_same_code_score_the_same(grade_source, tmp_path, toy):
    import nbformat

    from grader.grading import grade_submission

    wrong = REFERENCE_TOY.replace("dim=-1", "dim=0")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# My toy"),
                      nbformat.v4.new_code_cell("%matplotlib inline\n!pip list\n" + wrong),
                      nbformat.v4.new_code_cell("print(add(1, 2))")]
    path = tmp_path / "toy.ipynb"
    nbformat.write(notebook, path)
    from_notebook = grade_submission(toy, path, seed=5, backend="local")
    from_py = grade_source(wrong, seed=5)
    assert scores(from_notebook) == scores(from_py)
    assert from_notebook.score == 4.0
    assert "dropped 2 IPython magic/shell line(s)" in from_notebook.output


def test_forbidden_module_is_refused_at_intake_and_inside_the_worker(grade_source):
    result = grade_source("from torchvision import ops\n" + REFERENCE_TOY)
    assert result.status == "rejected" and result.score == 0
    assert "line 1 uses torchvision.ops" in result.errors[0]
    sneaky = grade_source(REFERENCE_TOY + "\nimport importlib\nimportlib.import_module('fract' + 'ions')\n")
    assert sneaky.score == 0
    assert "importing fractions is not allowed" in sneaky.tests[0].details


def test_rejected_submission_gets_a_result_with_every_test_failed(grade_source, tmp_path, toy):
    from grader.grading import grade_submission

    bad = tmp_path / "toy.ipynb"
    bad.write_text("{ this is not json")
    result = grade_submission(toy, bad, seed=1, backend="local")
    assert result.status == "rejected" and result.score == 0
    assert "not a valid Jupyter notebook" in result.errors[0]
    assert len(result.tests) == 5 and all(t.output.startswith("Failed") for t in result.tests)
    # ...and the next submission is graded normally.
    assert grade_source(REFERENCE_TOY).score == 5


def test_a_failed_hidden_test_says_what_kind_of_mismatch_without_the_expected_values(grade_source):
    source = REFERENCE_TOY.replace("    return x * k", "    return (x * k).double()").replace(
        "return torch.softmax(x, dim=-1)", "return torch.softmax(x, dim=0)").replace(
        "    return a + b", "    return [a + b]")
    result = grade_source(source)
    outputs = {t.name: t.output for t in result.tests}
    assert outputs["test_scale"].startswith("Failed: wrong dtype: got torch.float64, expected torch.float32.")
    assert outputs["test_add"].startswith("Failed: wrong type: got list, expected a number. Hint: add the two")
    softmax = outputs["test_softmax"]
    assert softmax.startswith("Failed: values differ: ") and "of 20 elements, worst relative error" in softmax
    details = {t.name: t.details for t in result.tests}
    assert "expected" in details["test_softmax"]  # the TA still sees the values
    assert "expected" not in softmax and "index" not in softmax  # no expected value, no position


def test_two_exercises_with_the_same_test_file_name_are_each_judged_by_their_own_tests(tmp_path, toy):
    """A judge process grades exercise after exercise (validate --all, a batch): the second exercise's
    test_toy.py must not be the first one's, already imported under the same module name."""
    import shutil

    from grader.grading import grade_submission
    from grader.spec import load_exercise

    course = tmp_path / "course"
    for part in ("exercises", "reference", "hidden_tests"):
        shutil.copytree(toy.exercise_dir.parent.parent / part / "w01-toy", course / part / "w01-toy")
        shutil.copytree(toy.exercise_dir.parent.parent / part / "w01-toy", course / part / "w01-twin")
    spec = course / "exercises" / "w01-twin" / "spec.toml"
    spec.write_text(spec.read_text().replace('id = "w01-toy"', 'id = "w01-twin"').replace("points = 5", "points = 1"))
    (course / "hidden_tests" / "w01-twin" / "test_toy.py").write_text(
        "from grader.judge import assert_close, points\n\n\n@points(1)\ndef test_twin_only(student):\n"
        "    assert_close(student.add(2, 3), 5)\n")
    source = tmp_path / "toy.py"
    source.write_text(REFERENCE_TOY)
    first = grade_submission(load_exercise("w01-toy", course), source, seed=1, backend="local")
    second = grade_submission(load_exercise("w01-twin", course), source, seed=1, backend="local")
    assert [t.name for t in first.tests] == list(ALL) and first.score == 5
    assert [t.name for t in second.tests] == ["test_twin_only"] and second.score == second.max_score == 1


def test_a_notebook_that_does_not_import_is_said_once_with_its_cell(grade_source, tmp_path, toy):
    import nbformat

    from grader.site.render import render_report

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# toy"), nbformat.v4.new_code_cell("import torch"),
                      nbformat.v4.new_code_cell("x = 1\ndef add(a, b)\n    return a + b")]
    path = tmp_path / "toy.ipynb"
    nbformat.write(notebook, path)
    from grader.grading import grade_submission

    result = grade_submission(toy, path, seed=1, backend="local")
    assert result.import_error.startswith("SyntaxError: expected ':'") and "[notebook cell 3, line 2]" in \
        result.import_error
    assert all(t.output == "Not run: your file does not import (see the message above)." and t.hint is None
               for t in result.tests)
    page = render_report(result, ta_view=False)
    assert page.count("Your file does not import") == 1 and "add the two numbers" not in page  # no logic hints
    assert "[notebook cell 3, line 2]" in result.tests[0].details  # the TA's traceback points at the cell too


def test_a_missing_module_is_named_once_with_what_to_do(grade_source):
    from grader.exports.gradescope import gradescope_json

    result = grade_source("import matplotlib_not_here\n" + REFERENCE_TOY)
    assert result.import_error.startswith("ModuleNotFoundError: No module named 'matplotlib_not_here'")
    assert "not installed where your code is graded" in result.import_error
    assert gradescope_json(result)["output"].startswith("Your file does not import, so no test could run:\n"
                                                         "ModuleNotFoundError")

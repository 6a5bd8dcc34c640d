"""A results tree whose submissions kept their code (grader/kept.py), for the code view and comment tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
from sitedata import make_result, write

from grader.intake import notebook_to_module
from grader.kept import keep_submission

CODE = ("import numpy as np\n\n\ndef xywh_to_xyxy(boxes):\n    x, y, w, h = boxes.T\n"
        "    return np.stack([x, y, w, h], 1)\n")
TRACE = ('Traceback (most recent call last):\n  File "/submission/solution.py", line 6, in xywh_to_xyxy\n'
         '    return np.stack([x, y, w, h], 1)\nE   AssertionError: 7 of 36 elements differ <script>alert(1)</script>')
CELLS = ["import numpy as np", "def add(a, b):\n    return a +\n"]


def write_with_code(root: Path, student: str, passes: list[bool], code: str = CODE, **fields: object) -> Path:
    result = make_result("w06-box-formats", student, passes, sha256=f"{student:0>64}"[:64], **fields)
    for test in result.tests:
        if test.status == "failed":
            test.details = TRACE
    folder = write(result, root, student)
    staged = root / ".staged" / student
    staged.mkdir(parents=True, exist_ok=True)
    (staged / "solution.py").write_text(code)
    keep_submission(staged, "solution.py", staged / "solution.py", result.sha256, folder / "submission")
    return folder


def notebook_bytes(cells: list[str] = CELLS) -> bytes:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    notebook.cells[0].outputs = [nbformat.v4.new_output("display_data", {"text/html": "<script>alert(2)</script>"})]
    notebook.metadata["kernelspec"] = {"language": "python", "name": "python3", "display_name": "Python 3"}
    return nbformat.writes(notebook).encode()


def write_notebook_import_failure(root: Path, student: str = "s100") -> Path:
    """A notebook with a syntax error in cell 2: results.json has import_error, every test not run."""
    module, _ = notebook_to_module(notebook_bytes(), "numpy_basics.ipynb")
    error = ('SyntaxError: invalid syntax\n  File "/submission/numpy_basics.py", line 6 [notebook cell 2, line 2]\n'
             "    return a +\n               ^")
    result = make_result("w01-toy", student, [False] * 5, sha256="c" * 64, submission="numpy_basics.ipynb",
                         import_error=error, score=0.0)
    for test in result.tests:
        test.output, test.hint = "Not run: your file does not import (see the message above).", None
        test.details = f"E   the submission failed to import: {error}"
    folder = write(result, root, student)
    staged = root / ".staged" / student
    staged.mkdir(parents=True, exist_ok=True)
    (staged / "numpy_basics.py").write_text(module)
    (staged / "numpy_basics.ipynb").write_bytes(notebook_bytes())
    keep_submission(staged, "numpy_basics.py", staged / "numpy_basics.ipynb", result.sha256, folder / "submission")
    return folder

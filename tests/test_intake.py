"""Intake refuses bad submissions with messages a student can act on, and stages good ones."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import nbformat
import pytest

from grader.intake import IntakeError, stage_submission

GOOD = "def add(a, b):\n    return a + b\n"


def _zip(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def _stage(toy, tmp_path: Path, source: Path):
    return stage_submission(source, toy, tmp_path / "staged")


@pytest.mark.parametrize("members, links, message", [
    ({"../toy.py": GOOD}, None, "contains '..'"),
    ({"/etc/toy.py": GOOD}, None, "absolute"),
    ({"C:/work/toy.py": GOOD}, None, "absolute or Windows path"),
    ({"toy.py": GOOD}, {"data.txt": "/etc/passwd"}, "symbolic link"),
    ({"toy.py": GOOD, "conftest.py": "import os"}, None, "would shadow"),
    ({"toy.py": GOOD, "numpy.py": ""}, None, "would shadow"),
    ({"toy.py": GOOD, "pytest.py": ""}, None, "would shadow"),
    ({"toy.py": GOOD, "sitecustomize.py": ""}, None, "would shadow"),
    ({"toy.py": GOOD, "evil.pth": "import os"}, None, "would shadow"),
    ({"solution.py": GOOD}, None, "expected toy.py or toy.ipynb"),
    ({"toy.py": GOOD, "TOY.py": GOOD}, None, "appears twice"),
])
def test_bad_archives_are_refused_with_a_reason(toy, tmp_path, members, links, message):
    archive = _zip(tmp_path / "hw.zip", members, links)
    with pytest.raises(IntakeError, match=message):
        _stage(toy, tmp_path, archive)
    assert not (tmp_path / "staged" / "toy.py").exists()


def test_zip_bomb_is_stopped_by_counting_real_bytes(toy, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("toy.py", GOOD)
        handle.writestr("data.bin", b"\0" * (60 << 20))
    with pytest.raises(IntakeError, match="unpacks to more than|a file over"):
        _stage(toy, tmp_path, archive)


def test_not_a_zip(toy, tmp_path):
    fake = tmp_path / "hw.zip"
    fake.write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(IntakeError, match="not a readable .zip"):
        _stage(toy, tmp_path, fake)


def test_zip_of_a_folder_with_helpers_is_flattened(toy, tmp_path):
    archive = _zip(tmp_path / "hw.zip", {"hw/toy.py": GOOD, "hw/helpers.py": "X = 1", "__MACOSX/._toy.py": ""})
    staged = _stage(toy, tmp_path, archive)
    assert sorted(p.name for p in staged.directory.iterdir()) == ["helpers.py", "toy.py"]
    assert staged.kind == "zip" and len(staged.sha256) == 64


def test_folder_with_symlink_is_refused(toy, tmp_path):
    folder = tmp_path / "hw"
    folder.mkdir()
    (folder / "toy.py").write_text(GOOD)
    os.symlink("/etc/passwd", folder / "data.txt")
    with pytest.raises(IntakeError, match="symbolic link"):
        _stage(toy, tmp_path, folder)


def test_oversized_py_is_refused(toy, tmp_path):
    big = tmp_path / "toy.py"
    big.write_text("# " + "x" * (2 << 20))
    with pytest.raises(IntakeError, match="must be under 1.0 MiB"):
        _stage(toy, tmp_path, big)


def test_wrong_file_type(toy, tmp_path):
    other = tmp_path / "toy.txt"
    other.write_text(GOOD)
    with pytest.raises(IntakeError, match="submit toy.py"):
        _stage(toy, tmp_path, other)


@pytest.mark.parametrize("text, message", [
    ("{ not json", "not a valid Jupyter notebook"),
    ('{"cells": [], "metadata": {}, "nbformat": 4}', "not a valid Jupyter notebook"),
    ("[]", "not a valid Jupyter notebook"),
])
def test_broken_notebooks_are_refused(toy, tmp_path, text, message):
    path = tmp_path / "toy.ipynb"
    path.write_text(text)
    with pytest.raises(IntakeError, match=message):
        _stage(toy, tmp_path, path)


def test_notebook_with_another_kernel_is_refused(toy, tmp_path):
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}})
    notebook.cells = [nbformat.v4.new_code_cell("x <- 1")]
    path = tmp_path / "toy.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(IntakeError, match="uses a R kernel"):
        _stage(toy, tmp_path, path)


def test_notebook_code_cells_become_the_module(toy, tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("def not_code(): pass"),
        nbformat.v4.new_code_cell("%%time\nprint('timed cell dropped')"),
        nbformat.v4.new_code_cell("import numpy as np\n!pip install torch\nfiles = !ls\n%matplotlib inline\n" + GOOD),
    ]
    notebook.cells[2].outputs = [nbformat.v4.new_output("stream", text="ignored")]
    path = tmp_path / "toy.ipynb"
    nbformat.write(notebook, path)
    staged = _stage(toy, tmp_path, path)
    module = (staged.directory / "toy.py").read_text()
    compile(module, "toy.py", "exec")
    assert "def add" in module and "not_code" not in module and "timed cell" not in module
    assert "pip install" not in module.replace("dropped by the grader: !pip install", "")
    assert staged.notes == ["dropped 5 IPython magic/shell line(s)"]


def test_a_rejected_submission_leaves_the_original_untouched(toy, tmp_path):
    archive = _zip(tmp_path / "hw.zip", {"../toy.py": GOOD})
    before = archive.read_bytes()
    with pytest.raises(IntakeError):
        _stage(toy, tmp_path, archive)
    assert archive.read_bytes() == before
    assert io.BytesIO(before).getvalue() == before


SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


def _statements(code: str) -> list[str]:
    import ast

    return [ast.dump(node) for node in ast.parse(code).body]


@pytest.mark.parametrize("separator", SEPARATORS, ids=[f"U+{ord(s):04X}" for s in SEPARATORS])
def test_notebook_comment_with_a_unicode_line_separator_stays_a_comment(toy, tmp_path, separator):
    cells = [GOOD, f"# harmless comment{separator}FORGED = 5\nx = 1\r\ny = 2\rz = 3\n"]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    path = tmp_path / "toy.ipynb"
    nbformat.write(notebook, path)
    module = (_stage(toy, tmp_path, path).directory / "toy.py").read_text(encoding="utf-8")
    # Jupyter compiles each cell's source as Python does: the module must run exactly those statements
    assert _statements(module) == [s for cell in cells for s in _statements(cell)]
    namespace: dict[str, object] = {}
    exec(compile(module, "toy.py", "exec"), namespace)
    assert "FORGED" not in namespace and namespace["z"] == 3


def _notebook(code: str) -> bytes:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)], metadata={
        "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    return nbformat.writes(notebook).encode()


@pytest.mark.parametrize("name", ["my_work/week6/toy.ipynb", "my_work/week6/toy.py", "a/b/c/d/toy.py"])
def test_the_one_expected_file_is_found_in_nested_folders(toy, tmp_path, name):
    data = _notebook(GOOD) if name.endswith(".ipynb") else GOOD.encode()
    members = {name: data, str(Path(name).parent / "helpers.py"): b"X = 1", "my_work/notes.txt": b"todo",
               "__MACOSX/my_work/week6/._toy.py": b""}
    staged = _stage(toy, tmp_path, _zip(tmp_path / "hw.zip", members))
    assert sorted(p.name for p in staged.directory.iterdir()) == ["helpers.py", "toy.py"]  # its folder's helpers
    assert "def add(a, b):" in (staged.directory / "toy.py").read_text() and staged.kind == "zip"


@pytest.mark.parametrize("members, listed", [
    ({"my_work/week6/toy.ipynb": _notebook(GOOD), "my_work/old/toy.ipynb": _notebook(GOOD)},
     "my_work/old/toy.ipynb, my_work/week6/toy.ipynb"),
    ({"toy.py": GOOD.encode(), "backup/toy.py": GOOD.encode()}, "toy.py, backup/toy.py"),
    ({"hw/toy.py": GOOD.encode(), "hw/toy.ipynb": _notebook(GOOD)}, "hw/toy.ipynb, hw/toy.py"),
])
def test_several_candidates_are_refused_by_name(toy, tmp_path, members, listed):
    with pytest.raises(IntakeError) as caught:
        _stage(toy, tmp_path, _zip(tmp_path / "hw.zip", members))
    message = str(caught.value)
    assert message.startswith(f"{len(members)} files could be your submission ({listed})")
    assert "submit one toy.py or toy.ipynb" in message
    assert not (tmp_path / "staged" / "toy.py").exists()


def test_a_folder_follows_the_same_rule(toy, tmp_path):
    nested = tmp_path / "hw" / "my_work" / "week6"
    nested.mkdir(parents=True)
    (nested / "toy.ipynb").write_bytes(_notebook(GOOD))
    assert "def add" in (_stage(toy, tmp_path, tmp_path / "hw").directory / "toy.py").read_text()
    (tmp_path / "hw" / "toy.py").write_text(GOOD)
    with pytest.raises(IntakeError, match=r"2 files could be your submission \(toy.py, my_work/week6/toy.ipynb\)"):
        stage_submission(tmp_path / "hw", toy, tmp_path / "staged-2")

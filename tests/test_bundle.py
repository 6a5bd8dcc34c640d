"""`grader bundle`: what students get (and never get), reproducibly."""

from __future__ import annotations

import ast
import os
import re
import shlex
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from workflow_helpers import make_course, secret_files, unzip

from cli import main
from grader.bundle import BundleError, build_bundle, starter_cells, statement_cells
from grader.course import load_assignment_file
from grader.intake import notebook_to_module


@pytest.fixture
def course(tmp_path):
    return make_course(tmp_path / "course")


def test_bundle_holds_the_public_side_and_nothing_secret(course, tmp_path):
    archive = build_bundle("t1", tmp_path / "out", course)
    assert archive == tmp_path / "out" / "t1.zip"
    names = sorted(zipfile.ZipFile(archive).namelist())
    assert names == ["t1/README.md", "t1/assignment.toml", "t1/exercises/w01-toy/README.md",
                     "t1/exercises/w01-toy/spec.toml", "t1/exercises/w01-toy/starter/toy.py",
                     "t1/exercises/w01-toy/tests/test_public.py", "t1/w01-toy/toy.ipynb", "t1/w01-toy/toy.py"]
    root = unzip(archive, tmp_path / "student")
    shipped = {p.read_bytes() for p in root.rglob("*") if p.is_file()}
    secrets = secret_files(course, "w01-toy")
    assert secrets and not any(name in "\n".join(names) for name in ("reference", "hidden_tests", "mutants"))
    assert not shipped & set(secrets.values())  # no file of theirs, under any name
    readme = (root / "t1" / "README.md").read_text()
    for words in ("grader check w01-toy", "grader submit w01-toy", "2099-01-01T00:00:00+00:00", "10% of the points"):
        assert words in readme
    assignment = load_assignment_file(root / "t1" / "assignment.toml")
    assert assignment.exercises == ("w01-toy",) and assignment.late.per_day == 0.1


def test_bundles_are_byte_identical_whatever_the_time_and_file_dates(course, tmp_path):
    first = build_bundle("t1", tmp_path / "one", course).read_bytes()
    for path in course.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    second = build_bundle("t1", tmp_path / "two", course).read_bytes()
    assert first == second
    infos = zipfile.ZipFile(tmp_path / "two" / "t1.zip").infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)} and {i.external_attr >> 16 for i in infos} == {
        0o100644}


def test_the_starter_notebook_is_valid_and_becomes_the_starter_module(course, tmp_path):
    root = unzip(build_bundle("t1", tmp_path, course), tmp_path / "student")
    raw = (root / "t1" / "w01-toy" / "toy.ipynb").read_bytes()
    notebook = nbformat.reads(raw.decode(), as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4 and notebook.metadata.kernelspec.language == "python"
    assert [c.id for c in notebook.cells] == [f"cell-{i:02d}" for i in range(len(notebook.cells))]
    kinds = [c.cell_type for c in notebook.cells]
    assert kinds[0] == "markdown" and kinds[-1] == "code" and kinds.count("code") == 5  # 4 definitions + check
    assert "`softmax(x)`" in "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert notebook.cells[-1].source == "!grader --course .. check w01-toy toy.ipynb"
    module, notes = notebook_to_module(raw, "toy.ipynb")  # what the grader will see: the starter, check dropped
    defined = {n.name for n in ast.parse(module).body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    assert defined == {"add", "scale", "softmax", "Acc"} and notes == ["dropped 1 IPython magic/shell line(s)"]


def test_starters_and_statements_are_split_into_cells():
    code = "import torch\n\nSCALE = 2\n\n\n# the first one\n@decorate\ndef f():\n    pass\n\n\nclass C:\n    x = 1\n"
    assert starter_cells(code) == ["import torch\n\nSCALE = 2", "# the first one\n@decorate\ndef f():\n    pass",
                                   "class C:\n    x = 1"]
    assert starter_cells("def broken(:\n") == ["def broken(:"]
    readme = "# Title\nintro\n## API\n```python\n# not a heading\n```\n### Detail\ntext\n## Grading\nall\n"
    assert statement_cells(readme) == ["# Title\nintro", "## API\n```python\n# not a heading\n```\n### Detail\ntext",
                                       "## Grading\nall"]


def test_a_public_test_using_the_reference_is_refused_by_name(course, tmp_path):
    public = course / "exercises" / "w01-toy" / "tests" / "test_public.py"
    public.write_text(public.read_text() + "\n\ndef test_sneaky(student, reference):\n    assert True\n")
    with pytest.raises(BundleError, match=r"test_public.py: test_sneaky uses the 'reference' fixture"):
        build_bundle("t1", tmp_path / "out", course)
    assert not (tmp_path / "out" / "t1.zip").exists()


def test_a_quiz_ships_questions_and_blank_answers_but_no_key(course, tmp_path):
    archive = build_bundle("q1", tmp_path, course)
    names = set(zipfile.ZipFile(archive).namelist())
    assert {"q1/exercises/w01-quiz/quiz.toml", "q1/w01-quiz/answers.toml"} <= names
    assert not any(n.endswith((".ipynb", "key.toml")) or "reference" in n for n in names)
    root = unzip(archive, tmp_path / "student")
    assert tomllib.loads((root / "q1" / "w01-quiz" / "answers.toml").read_text()) == {"q1": "", "q2": ""}
    assert "How many parameters does nn.Linear(16, 4) have?" in (root / "q1" / "README.md").read_text()
    shipped = {p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert not shipped & set(secret_files(course, "w01-quiz").values())


def test_bundle_errors_are_clear_on_the_command_line(course, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_COURSE", str(course))
    toml = course / "course.toml"
    toml.write_text(toml.read_text().replace('exercises = ["w01-toy"]', 'exercises = ["w01-toy", "w04-unwritten"]'))
    runner = CliRunner()
    run = runner.invoke(main, ["bundle", "t1", "--out", str(tmp_path / "out")])
    assert run.exit_code == 2 and "assignments.t1.exercises: unknown exercise 'w04-unwritten'" in run.output
    run = runner.invoke(main, ["bundle", "t9", "--out", str(tmp_path / "out")])
    assert run.exit_code == 2 and "no assignment 't9'; known assignments: q1, t1" in run.output
    assert not (tmp_path / "out").exists()
    run = runner.invoke(main, ["bundle", "q1", "--out", str(tmp_path / "out")])
    assert run.exit_code == 0 and (tmp_path / "out" / "q1.zip").is_file()


def test_every_assignment_of_the_real_course_bundles_and_covers_every_week(tmp_path):
    from grader.course import load_course
    from grader.spec import load_all

    course = load_course(Path(__file__).resolve().parent.parent)
    weeks = {spec.id: spec.week for spec in load_all(course.root)}
    assert sorted(weeks) == sorted(e for a in course.assignments.values() for e in a.exercises)  # each exactly once
    covered = set()
    for assignment in course.assignments.values():
        archive = build_bundle(assignment.id, tmp_path / "out", course.root)
        names = zipfile.ZipFile(archive).namelist()
        assert not any(("/reference/" in n or "/hidden_tests/" in n or "/mutants/" in n) for n in names), archive
        root = unzip(archive, tmp_path / "student") / assignment.id
        for where, command in printed_commands(root):  # each names a file the bundle holds, from where it is typed
            argv = shlex.split(command)
            argv = argv[3:] if argv[1] == "--course" else argv[1:]
            assert argv[0] in ("check", "submit") and argv[1] in assignment.exercises, (archive, command)
            assert (root / where / argv[2]).is_file(), (archive, where, command)
            assert where == argv[1] or argv[2].startswith(f"{argv[1]}/"), (archive, where, command)
        covered |= {weeks[e] for e in assignment.exercises}
    assert covered == set(range(1, 16))


COMMAND = re.compile(r"`(grader [^`]+)`|^(?: {4})?!?(grader \S.*)$", re.MULTILINE)


def printed_commands(root: Path) -> list[tuple[str, str]]:
    """Every `grader ...` command the bundle prints, with the folder it is typed in: the README's, each
    statement's and public test docstring's, a notebook's markdown (from the bundle's root) and its check
    cell (run by Jupyter in the notebook's folder)."""
    texts = [(".", (root / "README.md").read_text())]
    texts += [(".", path.read_text()) for path in sorted(root.glob("exercises/*/README.md"))]
    for test_file in sorted(root.glob("exercises/*/tests/*.py")):
        texts.append((".", ast.get_docstring(ast.parse(test_file.read_text())) or ""))
    for path in sorted(root.glob("*/*.ipynb")):
        for cell in nbformat.reads(path.read_text(), as_version=4).cells:
            texts.append((path.parent.name if cell.cell_type == "code" else ".", cell.source))
    return [(where, " ".join((a or b).split())) for where, text in texts for a, b in COMMAND.findall(text)]


def fake_wheel(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as handle:
        handle.writestr("grader/__init__.py", "")
    return path


def test_every_command_a_bundle_prints_works_from_its_root(course, tmp_path, monkeypatch):
    wheel = fake_wheel(tmp_path / "grader-0.1.0-py3-none-any.whl")
    root = unzip(build_bundle("t1", tmp_path / "out", course, wheel=wheel), tmp_path / "student") / "t1"
    readme = (root / "README.md").read_text()
    assert "    pip install ./grader-0.1.0-py3-none-any.whl\n" in readme
    assert zipfile.is_zipfile(root / "grader-0.1.0-py3-none-any.whl")  # the install line names a shipped file
    commands = printed_commands(root)
    assert sorted(commands) == sorted([
        (".", "grader check w01-toy w01-toy/toy.py"), (".", "grader check w01-toy w01-toy/toy.ipynb"),
        (".", "grader submit w01-toy w01-toy/toy.py --student YOUR_ID --to INBOX"),
        (".", "grader submit w01-toy w01-toy/toy.ipynb --student YOUR_ID --to INBOX"),
        (".", "grader check w01-toy w01-toy/toy.py"),  # tests/test_public.py's docstring
        (".", "grader submit w01-toy w01-toy/toy.ipynb --student YOUR_ID --to INBOX"),  # the notebook's last words
        ("w01-toy", "grader --course .. check w01-toy toy.ipynb")])  # and its check cell
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("GRADER_COURSE", "")  # recorded first, so the end of the test restores the caller's value

    def run_all(expected_check: int) -> None:
        for where, command in commands:
            monkeypatch.delenv("GRADER_COURSE", raising=False)  # nothing set: the folder alone finds the course
            monkeypatch.chdir(root / where)  # typed from the bundle's root (or, for a cell, the notebook's folder)
            argv = shlex.split(command.replace("YOUR_ID", "alice").replace("INBOX", str(inbox)))[1:]
            run = CliRunner().invoke(main, argv)
            verb = next(word for word in argv if word in ("check", "submit"))
            expected = expected_check if verb == "check" else 0
            assert run.exit_code == expected, (command, run.output)
            assert "error:" not in run.output and "does not exist" not in run.output, (command, run.output)
            if verb == "check":
                path = argv[argv.index("check") + 2]
                assert f"public checks on {path}" in run.output and "public checks passed" in run.output

    run_all(expected_check=1)  # the untouched starters: checked (not refused), and the tests fail: exit 1
    assert len(list((inbox / "w01-toy" / "alice").iterdir())) == 3
    solution = (course / "reference" / "w01-toy" / "toy.py").read_text()
    (root / "w01-toy" / "toy.py").write_text(solution)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(solution)],
                                        metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                 "display_name": "Python 3"}})
    (root / "w01-toy" / "toy.ipynb").write_text(nbformat.writes(notebook))
    run_all(expected_check=0)  # a finished solution, in either form: every command succeeds
    assert len(list((inbox / "w01-toy" / "alice").iterdir())) == 6


def test_the_install_line_is_the_course_s_or_the_shipped_wheel_s(course, tmp_path, monkeypatch):
    root = unzip(build_bundle("t1", tmp_path / "plain", course), tmp_path / "plain") / "t1"
    readme = (root / "README.md").read_text()
    assert "pip install" not in readme and "the way your instructor tells you" in readme
    toml = course / "course.toml"
    install = 'install = "python3 -m pip install --user ./{wheel}"\n'
    toml.write_text(toml.read_text().replace('roster = "roster.csv"\n', 'roster = "roster.csv"\n' + install))
    with pytest.raises(BundleError, match=r"names \{wheel\} but no wheel is shipped"):
        build_bundle("t1", tmp_path / "none", course)
    wheel = fake_wheel(tmp_path / "grader-0.1.0-py3-none-any.whl")
    root = unzip(build_bundle("t1", tmp_path / "w", course, wheel=wheel), tmp_path / "w") / "t1"
    assert "    python3 -m pip install --user ./grader-0.1.0-py3-none-any.whl\n" in (root / "README.md").read_text()
    (tmp_path / "notes.txt").write_text("not a wheel")
    with pytest.raises(BundleError, match="not a wheel file"):
        build_bundle("t1", tmp_path / "bad", course, wheel=tmp_path / "notes.txt")
    monkeypatch.setenv("GRADER_COURSE", str(course))
    run = CliRunner().invoke(main, ["bundle", "t1", "--out", str(tmp_path / "cli"), "--wheel", str(wheel)])
    assert run.exit_code == 0 and "warning" not in run.output
    toml.write_text(toml.read_text().replace(install, ""))
    run = CliRunner().invoke(main, ["bundle", "t1", "--out", str(tmp_path / "cli")])
    assert run.exit_code == 0 and "no --wheel and no [course] install" in " ".join(run.output.split())

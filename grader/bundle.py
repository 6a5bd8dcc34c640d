"""`grader bundle`: the student zip for one assignment, byte-identical for the same inputs.

The bundle holds only the public side of each exercise (``exercises/<id>/``, in the layout the
judge expects so that ``grader check`` runs inside the unzipped folder), a working copy of each
starter, a starter notebook, the assignment's public facts and a README. It never reads from
``reference/`` or ``hidden_tests/``, so no hidden test, reference or mutant can end up in it.
"""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from nbformat import v4

from grader.course import ASSIGNMENT_FILE, Assignment, Course, assignment_toml, load_course
from grader.quiz import load_questions
from grader.resources import templates_dir
from grader.spec import ExerciseSpec, SpecError, course_root

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time leaks into the bytes
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


class BundleError(Exception):
    """The assignment cannot be bundled; the message names the exercise and file to fix."""


def write_zip(entries: dict[str, bytes], path: Path, executable: frozenset[str] = frozenset()) -> None:
    """A reproducible zip: sorted names, fixed dates and permissions; written atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the permission bits below are honoured
            info.external_attr = (0o100755 if name in executable else 0o100644) << 16
            archive.writestr(info, entries[name], compresslevel=9)
    partial.replace(path)


def public_files(folder: Path) -> dict[str, bytes]:
    """Every shippable file under ``folder`` by relative posix path (no caches, no dotfiles)."""
    files = {}
    for item in sorted(folder.rglob("*")):
        relative = item.relative_to(folder)
        if any(p in SKIPPED_PARTS or p.startswith(".") for p in relative.parts) or item.suffix == ".pyc":
            continue
        if item.is_symlink():
            raise BundleError(f"{item} is a symbolic link; bundles hold regular files only")
        if item.is_file():
            files[relative.as_posix()] = item.read_bytes()
    return files


def check_public_tests(spec: ExerciseSpec) -> None:
    """Public tests run where no reference exists, so one that asks for it is refused here."""
    for path in sorted(spec.public_tests_dir.glob("**/*.py")):
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            raise BundleError(f"{path}: line {exc.lineno}: {exc.msg}") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                if "reference" in names:
                    raise BundleError(f"{path}: {node.name} uses the 'reference' fixture, which public tests "
                                      "cannot have (students have no reference); compare with literal values")
        if re.search(r"""getfixturevalue\(\s*["']reference["']|usefixtures\([^)]*["']reference["']""", source):
            raise BundleError(f"{path}: asks for the 'reference' fixture, which public tests cannot have")


def statement_cells(readme: str) -> list[str]:
    """The statement split at its first- and second-level headings (outside code fences)."""
    cells: list[list[str]] = [[]]
    fenced = False
    for line in readme.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,2} ", line) and any(s.strip() for s in cells[-1]):
            cells.append([])
        cells[-1].append(line)
    return [text for text in ("\n".join(c).strip() for c in cells) if text]


def starter_cells(code: str) -> list[str]:
    """The starter split into one cell per top-level function or class (imports and setup first)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return [code.strip()]
    lines = code.splitlines()
    starts = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            while start > 0 and lines[start - 1].lstrip().startswith("#"):
                start -= 1  # keep a comment block with the definition it introduces
            starts.append(start)
    bounds = sorted({0, *starts, len(lines)})
    cells = ["\n".join(lines[a:b]).strip("\n") for a, b in zip(bounds, bounds[1:], strict=False)]
    return [cell for cell in cells if cell.strip()]


def starter_notebook(spec: ExerciseSpec) -> str:
    """The statement as markdown, the starter as code cells, and a last cell running the public tests."""
    notebook_name = f"{spec.module_name}.ipynb"
    statement = statement_cells((spec.exercise_dir / "README.md").read_text(encoding="utf-8"))
    intro = (f"`{spec.id}`, week {spec.week}, {spec.points:g} points. Write your solution in the code cells "
             "below, save the notebook, and run the last cell to check it.")
    if not statement or not statement[0].startswith("# "):
        intro = f"# {spec.title}\n\n{intro}"  # the statement has no title of its own
    cells: list[Any] = [v4.new_markdown_cell(text) for text in statement[:1]]
    cells += [v4.new_markdown_cell(intro)] + [v4.new_markdown_cell(text) for text in statement[1:]]
    cells.append(v4.new_markdown_cell("## Your solution"))
    cells += [v4.new_code_cell(text) for text in starter_cells(spec.starter_file.read_text(encoding="utf-8"))]
    cells.append(v4.new_markdown_cell(
        "## Check your work\n\nSave the notebook first (Ctrl+S): the public tests run on the saved file, in a "
        "sandbox, exactly as the grader will run it. Then submit it with\n\n"
        f"    grader submit {spec.id} {spec.id}/{notebook_name} --student YOUR_ID --to INBOX\n\n"
        "from the bundle's folder. Shell lines starting with `!` are ignored when grading."))
    cells.append(v4.new_code_cell(f"!grader --course .. check {spec.id} {notebook_name}"))
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index:02d}"  # nbformat would draw random ids: fixed ones keep bundles reproducible
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def _quiz_lines(spec: ExerciseSpec) -> list[dict[str, str]]:
    try:
        questions = load_questions(spec)
    except SpecError as exc:
        raise BundleError(str(exc)) from None
    return [{"id": q.id, "points": f"{q.points:g}", "prompt": q.prompt,
             "choices": ", ".join(f"{k}) {v}" for k, v in q.choices.items())} for q in questions]


def exercise_entries(spec: ExerciseSpec, top: str) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The files one exercise adds to the bundle, and what the README says about it."""
    if not spec.starter_file.is_file():
        raise BundleError(f"{spec.id}: no starter file {spec.starter_file}")
    info: dict[str, Any] = {"id": spec.id, "title": spec.title, "points": f"{spec.points:g}", "kind": spec.kind,
                            "submission": spec.submission, "notebook": f"{spec.module_name}.ipynb", "questions": []}
    entries = {f"{top}/exercises/{spec.id}/{name}": data for name, data in public_files(spec.exercise_dir).items()}
    entries[f"{top}/{spec.id}/{spec.submission}"] = spec.starter_file.read_bytes()
    if spec.kind == "quiz":
        info["questions"] = _quiz_lines(spec)
        return entries, info
    if not (spec.exercise_dir / "README.md").is_file():
        raise BundleError(f"{spec.id}: no statement: {spec.exercise_dir / 'README.md'} is missing")
    if not any(spec.public_tests_dir.glob("test_*.py")):
        raise BundleError(f"{spec.id}: no public tests in {spec.public_tests_dir} (students could not check)")
    check_public_tests(spec)
    entries[f"{top}/{spec.id}/{info['notebook']}"] = starter_notebook(spec).encode("utf-8")
    return entries, info


def install_line(course: Course, wheel: str | None) -> str:
    """The setup command the README prints, typed from the bundle's root; "" when nothing true can be said.

    course.toml's ``[course] install`` is printed as written (``{wheel}`` stands for the shipped wheel's
    file name); without one, a shipped wheel is installed with ``pip install ./<wheel>``."""
    if course.install:
        if "{wheel}" in course.install and wheel is None:
            raise BundleError("course.toml: [course] install names {wheel} but no wheel is shipped: pass --wheel FILE")
        return course.install.replace("{wheel}", wheel or "")
    return f"pip install ./{wheel}" if wheel else ""


def wheel_entry(wheel: Path) -> tuple[str, bytes]:
    """The grader wheel the instructor ships at the bundle's root."""
    if wheel.suffix != ".whl" or not wheel.is_file() or not zipfile.is_zipfile(wheel):
        raise BundleError(f"{wheel}: not a wheel file (build one with `python3 -m pip wheel --no-deps -w dist .`)")
    if not re.fullmatch(r"[A-Za-z0-9_.+-]+\.whl", wheel.name):
        raise BundleError(f"{wheel}: a wheel's file name has letters, digits, '.', '_', '+' and '-' only")
    return wheel.name, wheel.read_bytes()


def readme(course: Course, assignment: Assignment, exercises: list[dict[str, Any]], wheel: str | None = None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir() / "bundle")), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template("README.md.j2").render(
        course=course.name, assignment=assignment, due=assignment.due.isoformat(), late=assignment.late.describe(),
        install=install_line(course, wheel), exercises=exercises)


def bundle_entries(course: Course, assignment: Assignment, wheel: Path | None = None) -> dict[str, bytes]:
    top = assignment.id
    entries: dict[str, bytes] = {}
    wheel_name = None
    if wheel is not None:
        wheel_name, data = wheel_entry(wheel)
        entries[f"{top}/{wheel_name}"] = data
    infos = []
    for spec in course.specs(assignment):
        files, info = exercise_entries(spec, top)
        entries.update(files)
        infos.append(info)
    entries[f"{top}/{ASSIGNMENT_FILE}"] = assignment_toml(assignment, course.name).encode("utf-8")
    entries[f"{top}/README.md"] = readme(course, assignment, infos, wheel_name).encode("utf-8")
    return entries


def build_bundle(assignment_id: str, out: Path, root: Path | None = None, wheel: Path | None = None) -> Path:
    """Write OUT/<assignment>.zip and return its path; WHEEL (the grader's) is shipped at its root."""
    course = load_course(root or course_root())
    assignment = course.assignment(assignment_id)
    path = out / f"{assignment.id}.zip"
    write_zip(bundle_entries(course, assignment, wheel), path)
    return path

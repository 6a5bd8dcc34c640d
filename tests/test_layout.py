"""The structure a new maintainer relies on: no import cycles, the trust boundary in one package, the
documented layout and the packaging list true to the tree."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "grader"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """Every grader module ``path`` imports, at the top or inside a function (lazy imports count)."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found.update(n for n in names if n in known)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_inside_grader() -> None:
    known = modules()
    graph = {name: imports_of(path, known) - {name} for name, path in known.items()}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_code_inside_the_sandbox_imports_only_the_standard_library_numpy_torch_and_its_siblings() -> None:
    inside = PACKAGE / "inside"
    siblings = {p.stem for p in inside.glob("*.py")}
    allowed = set(sys.stdlib_module_names) | {"numpy", "torch"} | siblings
    for path in inside.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                tops = [node.module or ""]
            else:
                continue
            for name in tops:
                top = name.split(".")[0]
                ok = top in allowed or name == "grader.inside" or name.startswith("grader.inside.")
                assert ok, f"{path.relative_to(ROOT)} imports {name}: code inside the sandbox may only use the " \
                           "standard library, numpy, torch and grader/inside"
    from grader.inside import FILES

    assert sorted(FILES) == sorted(p.name for p in inside.glob("*.py") if p.name != "__init__.py")


def test_readme_layout_names_every_module_and_nothing_that_is_gone() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```")[1]
    listed = set(re.findall(r"^\s{2,}([\w.]+/?)\s", block, re.MULTILINE))
    actual = {p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    actual |= {p.name + "/" for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert actual - listed == set(), f"README's layout misses {sorted(actual - listed)}"
    assert listed - actual == set(), f"README's layout lists what does not exist: {sorted(listed - actual)}"
    for top in re.findall(r"^([\w.-]+/?)", block, re.MULTILINE):
        assert (ROOT / top.split("<")[0]).exists(), f"README's layout lists {top}, which does not exist"


def test_pyproject_packages_are_every_package_under_grader() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert set(config["packages"]) == packages | {"grader.templates"}
    assert config["package-dir"] == {"grader.templates": "templates"}


def test_no_document_points_outside_the_repository() -> None:
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "defences.md" not in text, f"{path.name} refers outside the repository"


def test_the_package_and_the_course_material_are_lint_and_type_clean() -> None:
    import shutil
    import subprocess

    if shutil.which("ruff") is None or shutil.which("mypy") is None:
        pytest.skip("ruff or mypy is not installed (pip install -e '.[dev]')")
    paths = ["grader", "cli.py", "tests", "bench", "hidden_tests", *map(str, ROOT.glob("exercises/*/tests"))]
    ruff = subprocess.run(["ruff", "check", *paths], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert ruff.returncode == 0, ruff.stdout[-4000:]
    mypy = subprocess.run(["mypy"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert mypy.returncode == 0, mypy.stdout[-4000:]


def test_command_modules_do_not_import_each_other() -> None:
    known = modules()
    for name, path in known.items():
        if name.startswith("grader.commands."):
            others = {m for m in imports_of(path, known) if m.startswith("grader.commands.") and m != name}
            assert not others, f"{name} imports {sorted(others)}: put shared code in the library, not a command"

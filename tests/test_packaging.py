"""A wheel install works away from the repository: templates and judge config are package data, and the
sandbox binds what a virtual environment imports from (a venv under /tmp included)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import COURSE, REFERENCE_TOY

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation",
                            "-w", str(out), "-q"], capture_output=True, text=True, timeout=600, cwd=out)
    assert build.returncode == 0, build.stderr
    shutil.rmtree(REPO / "build", ignore_errors=True)
    [path] = out.glob("grader-*.whl")
    return path


def test_the_wheel_carries_templates_and_judge_config(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"grader/templates/report.html", "grader/templates/static/site.css", "grader/templates/bundle/README.md.j2",
            "grader/judge/pytest.ini", "grader/inside/worker.py", "grader/inside/wire.py", "cli.py",
            "grader/templates/server/login.html", "grader/templates/server/regrade.html"} <= names
    assert not any(n.startswith(("tests/", "reference/", "hidden_tests/", "exercises/")) for n in names)


@pytest.mark.slow
def test_a_wheel_in_a_fresh_venv_grades_from_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"  # under /tmp: the sandbox's own /tmp must not hide it
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import grader; print(grader.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    (tmp_path / "alice.py").write_text(REFERENCE_TOY)
    run = subprocess.run([str(venv / "bin" / "grader"), "--course", str(course), "grade", "w01-toy",
                          str(tmp_path / "alice.py"), "--out", str(tmp_path / "out"), "--sandbox", "local",
                          "--seed", "1"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())
    assert result["status"] == "graded" and result["score"] == result["max_score"] > 0, result
    assert "<html" in (tmp_path / "out" / "alice" / "report.html").read_text()

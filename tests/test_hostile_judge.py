"""Hostile submissions against the judge side (issue #10: items 2, 3, 4, 6, 7, 9 and terminal text)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COURSE

from grader.intake import IntakeError, stage_submission

REPO = Path(__file__).parent.parent


def grader(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRADER_COURSE": str(COURSE), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=600)


# --- item 7: a submission path through a symbolic link -----------------------------------------


def test_a_symlinked_folder_on_the_path_is_refused_at_intake(toy, tmp_path):
    link = tmp_path / "handin"
    link.symlink_to(COURSE / "reference" / "w01-toy", target_is_directory=True)
    with pytest.raises(IntakeError, match="symbolic link"):
        stage_submission(link / "toy.py", toy, tmp_path / "staged")


def test_grade_never_follows_a_symlink_to_the_reference_or_the_hidden_tests(tmp_path):
    (tmp_path / "alice.py").symlink_to(COURSE / "reference" / "w01-toy" / "toy.py")
    (tmp_path / "carol").symlink_to(COURSE / "hidden_tests" / "w01-toy", target_is_directory=True)
    run = grader("grade", "w01-toy", str(tmp_path / "alice.py"), str(tmp_path / "carol"),
                 "--out", str(tmp_path / "out"), "--sandbox", "local", "--seed", "1")
    assert run.returncode == 0, run.stderr
    for name in ("alice", "carol"):
        data = json.loads((tmp_path / "out" / name / "results.json").read_text())
        assert data["status"] == "rejected" and data["score"] == 0, data
        assert "symbolic link" in data["errors"][0]
        assert "test_toy" not in json.dumps(data["errors"]) + data["output"]  # no hidden test file is named

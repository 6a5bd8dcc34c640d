"""The course's exercises grade what they claim: `grader validate` on the real content.

Every reference gets full marks on several seeds, every starter 0, every mutant loses points,
and grading is deterministic. CI validates the `HEADLINE` five always, plus every exercise whose
content changed since its last recorded green validation (`exercises/validated.toml`, written by
`grader validate --all --record`), which keeps CI within its time budget (docs/authoring.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.spec import load_all

REPO = Path(__file__).parent.parent
HEADLINE = ["w02-backprop", "w03-param-count", "w06-iou", "w11-bigram", "w15-attention"]


def test_every_spec_loads_and_has_its_files():
    specs = load_all(REPO)
    assert {s.id for s in specs} >= set(HEADLINE)
    for spec in specs:
        assert (spec.exercise_dir / "README.md").is_file(), spec.id
        assert spec.starter_file.is_file(), spec.id
        assert spec.reference_file.is_file(), spec.id
        if spec.kind == "code":
            assert list(spec.hidden_tests_dir.glob("test_*.py")), spec.id
            assert len(spec.mutants()) >= 6, spec.id
        else:
            assert (spec.hidden_tests_dir / "key.toml").is_file(), spec.id


def test_exercise_table_is_up_to_date():
    from grader.commands.listing import exercise_markdown

    os.environ.setdefault("GRADER_COURSE", str(REPO))
    listed = (REPO / "docs" / "exercises.md").read_text().split("\n## Validation", 1)[0]
    assert listed == exercise_markdown(), "regenerate with: grader list --markdown (docs/authoring.md)"


@pytest.mark.slow
def test_headline_exercises_validate():
    run = subprocess.run([sys.executable, "-m", "cli", "--course", str(REPO), "validate", *HEADLINE, "--changed",
                          "--seeds", "1,2,3"], capture_output=True, text=True, cwd=REPO, timeout=1800,
                         env={**os.environ, "COLUMNS": "200"})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]


def test_a_changed_exercise_is_validated_again(tmp_path):
    import shutil

    from grader.validation import ExerciseCheck, changed_since_record, write_record

    course = tmp_path / "course"
    shutil.copytree(REPO / "tests" / "course", course)
    assert "w01-toy" in changed_since_record(course)  # never recorded
    write_record(course, [ExerciseCheck(s) for s in load_all(course)])  # no problems: green
    assert changed_since_record(course) == []
    hidden = next((course / "hidden_tests" / "w01-toy").glob("test_*.py"))
    hidden.write_text(hidden.read_text() + "\n# a changed hidden test\n")
    assert changed_since_record(course) == ["w01-toy"]

"""Batch grading on the docker backend against a real engine: attacks do not disturb the next
submission, nothing is left behind. (Isolation between submissions: tests/test_isolation.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import tight_course

from grader.commands.grade import grade_batch
from grader.sandbox import docker_engine as engine
from grader.sandbox.local import JOBS_ROOT

EXERCISE = "w01-multiply-by-2"
REASON = engine.engine_problem() or engine.image_problem(engine.image_info())
pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}")]

LIMITS = "[limits]\ncall_timeout_s = 3\nimport_timeout_s = 30\ntotal_timeout_s = 90\nmemory_mb = 300\npids = 64\n"
ATTACKS = {
    "fork_bomb": "def create_dataset(n):\n    import os\n    while True:\n        os.fork()\n",
    "memory_bomb": "def create_dataset(n):\n    b = []\n    while True:\n        b.append(b'x' * (32 << 20))\n",
    "sleeper": "def create_dataset(n):\n    import time\n    time.sleep(3600)\n",
}


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course's w01-multiply-by-2 with tight limits, so attacks end in seconds."""
    root = tight_course(tmp_path, EXERCISE, LIMITS)
    monkeypatch.setenv("GRADER_COURSE", str(root))
    return root


def submission(folder: Path, course: Path, name: str, extra: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text((course / "reference" / EXERCISE / "multiply_by_2.py").read_text() + "\n\n" + extra)
    return path


def our_leftovers() -> list[str]:
    """Containers and job folders whose grader process is gone (or is this test process)."""
    me = engine.process_identity()
    containers = [c["Names"][0] for c in engine.api().containers(all=True, filters={"label": [engine.LABEL_JOB]})
                  if c["Labels"].get(engine.LABEL_OWNER) == me or not engine.identity_alive(c["Labels"].get(
                      engine.LABEL_OWNER, ""))]
    folders = [p.name for p in JOBS_ROOT.glob("job-*") if not _alive(p / "owner")] if JOBS_ROOT.is_dir() else []
    return containers + folders


def _alive(owner: Path) -> bool:
    import os

    try:
        os.kill(int(owner.read_text()), 0)
        return True
    except (OSError, ValueError):
        return False


def test_attacks_in_a_parallel_batch_leave_the_next_submission_and_the_machine_clean(course, tmp_path):
    from grader.sandbox import docker_zygote

    docker_zygote.shutdown()  # this process's own pool from earlier tests is not the batch's leftover
    folder = tmp_path / "in"
    sources = [submission(folder, course, name, code) for name, code in ATTACKS.items()]
    sources.append(submission(folder, course, "honest", ""))
    summary = grade_batch(EXERCISE, sources, tmp_path / "out", backend="docker", seed=11, jobs=2)
    results = summary.results
    assert results["honest"].score == results["honest"].max_score == 10
    words = {"fork_bomb": "process limit exceeded (64", "memory_bomb": "memory limit exceeded (300 MiB)",
             "sleeper": "time limit exceeded (3 s)"}
    for name, verdict in words.items():
        attacked = next(t for t in results[name].tests if t.name == "test_create_dataset")
        assert verdict in attacked.output, (name, attacked.output)
        assert results[name].score == 9
    assert our_leftovers() == []

"""Issue #10 "Also" on the docker backend: a worker that cannot start in its container is not the
student's score (status "error", "not graded: <reason>", no tests), in both isolation modes."""

from __future__ import annotations

import pytest
from test_docker_sandbox import REASON

from grader.grading import grade_submission
from grader.sandbox import SandboxOptions
from grader.sandbox.docker import DockerSandbox
from grader.sandbox.docker_zygote import DockerZygoteSandbox

pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}")]


@pytest.mark.parametrize(("isolation", "cls"), [("zygote", DockerZygoteSandbox), ("container", DockerSandbox)])
def test_a_worker_that_cannot_start_in_its_container_is_not_graded(spec, tmp_path, monkeypatch, isolation, cls):
    real = cls.worker_command

    def broken(self, *args):  # the worker's path as a broken image would have it
        return [a.replace("/worker/worker.py", "/worker/missing.py") for a in real(self, *args)]

    monkeypatch.setattr(cls, "worker_command", broken)
    source = tmp_path / "multiply_by_2.py"
    source.write_text(spec.reference_file.read_text())
    result = grade_submission(spec, source, seed=3, backend="docker", options=SandboxOptions(isolation=isolation))
    assert result.status == "error" and result.score == 0 and result.tests == []
    assert result.errors[0].startswith("not graded: the sandboxed worker did not start")
    assert "missing.py" in result.errors[0]
    assert result.sandbox is None or any(d.startswith(f"isolation mode: {isolation}") for d in result.sandbox.details)

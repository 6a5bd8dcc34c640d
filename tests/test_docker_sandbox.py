"""Docker-specific checks against a real engine (the flags of every container, image provenance,
daemons left at import). What every backend must do is in tests/test_sandbox_contract.py. Skipped, with
the reason, only when no engine answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.grading import grade_submission
from grader.sandbox import docker_engine as engine
from grader.spec import ExerciseSpec

REPO = Path(__file__).resolve().parent.parent


def _engine_reason() -> str | None:
    problem = engine.engine_problem()
    if problem:
        return problem
    if engine.image_problem(engine.image_info()):
        from grader.commands.image import build_offline

        build_offline()  # seconds, offline: the tests need the image, not a registry
    return engine.image_problem(engine.image_info())


REASON = _engine_reason()
pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}")]

@pytest.fixture(scope="module", autouse=True)
def no_container_left_behind() -> Iterator[None]:
    """After the module: no container this test process started is left, running or stopped (the zygote
    pool container lives as long as its judge process: shut down here as at the process's exit)."""
    yield
    from grader.sandbox import docker_zygote

    docker_zygote.shutdown()
    mine = engine.api().containers(all=True, filters={"label": [f"{engine.LABEL_OWNER}={engine.process_identity()}"]})
    assert mine == []


def hostile(tmp_path: Path, spec: ExerciseSpec, replacement: str, name: str = "multiply_by_2.py") -> Path:
    """The reference solution with ``create_dataset`` replaced by an attack."""
    path = tmp_path / name
    path.write_text(spec.reference_file.read_text() + "\n\n" + replacement)
    return path


def test_socket_attempt_is_recorded_as_network_unreachable(spec, tmp_path):
    source = hostile(tmp_path, spec, '''
import socket
try:
    socket.create_connection(("8.8.8.8", 53), timeout=2)
    print("NET: connected")
except OSError as exc:
    print(f"NET: {exc}")
''')
    result = grade_submission(spec, source, seed=3, backend="docker")
    assert result.score == result.max_score
    assert "NET: [Errno 101] Network is unreachable" in result.tests[0].program_output
    assert result.sandbox is not None and result.sandbox.backend == "docker"
    assert result.sandbox.image == engine.image_info().id  # type: ignore[union-attr]
    assert result.peak_memory_mb and all(t.cpu_s is not None and t.max_rss_kb for t in result.tests)


def test_sleeping_child_and_exit_at_import_are_handled(spec, tmp_path):
    source = hostile(tmp_path, spec, '''
import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(3600)  # a daemon left behind: killed with the generation
raise SystemExit(0)
''')
    result = grade_submission(spec, source, seed=5, backend="docker")
    assert result.score == 0 and result.import_error.startswith("SystemExit")
    assert all(t.output.startswith("Not run: your file does not import") for t in result.tests)
    assert result.duration_s < 60


def test_worker_container_gets_exactly_the_flags_of_the_design(spec):
    from grader.sandbox.docker_container import WorkerContainer

    container = WorkerContainer(engine.image_info(), spec.limits, ())  # type: ignore[arg-type]
    try:
        container.start()
        data = engine.api().inspect_container(container.id)
    finally:
        container.remove()
    host, config = data["HostConfig"], data["Config"]
    assert host["NetworkMode"] == "none" and config["User"] == "65532:65532"
    assert host["CapDrop"] == ["ALL"] and host["SecurityOpt"] == ["no-new-privileges:true"]
    assert host["ReadonlyRootfs"] and host["Init"] and host["AutoRemove"] and host["IpcMode"] == "private"
    assert host["Memory"] == host["MemorySwap"] == 300 << 20 and host["PidsLimit"] == 64 and host["NanoCpus"] > 0
    assert set(host["Tmpfs"]) == {"/tmp", "/job"} and "size=256m" in host["Tmpfs"]["/tmp"]
    assert {u["Name"]: u["Hard"] for u in host["Ulimits"]} == {"core": 0, "nofile": 1024,
                                                               "fsize": spec.limits.file_size_mb << 20}
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m", "max-file": "1"}}
    assert all(b.endswith(":ro") for b in host["Binds"])
    assert not any("hidden_tests" in b or "reference" in b or "docker.sock" in b for b in host["Binds"])
    assert config["Labels"][engine.LABEL_JOB] == container.job and set(config["Env"]) <= {
        f"{k}={v}" for k, v in __import__("grader.sandbox.base", fromlist=["BASE_ENV"]).BASE_ENV.items()}

"""The docker sandbox against a real engine: what a submission can see and do, and the verdicts
the judge gives when it attacks the limits. Skipped, with the reason, only when no engine answers.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.grading import grade_submission
from grader.judge.proxy import StudentModule, WorkerClient
from grader.sandbox import docker_engine as engine
from grader.spec import ExerciseSpec, load_exercise

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

SNOOP = '''
import os, socket, sys

def snoop(paths, secret):
    hits = []
    for top, dirs, files in os.walk("/"):
        if top.startswith(("/proc", "/sys", "/dev", "/usr")) or top.startswith(sys.base_prefix):
            dirs[:] = []
            continue
        hits += [os.path.join(top, n) for n in dirs + files
                 if n in ("hidden_tests", "reference", "test_multiply_by_2.py", "spec.toml")]
    try:
        socket.create_connection(("1.1.1.1", 80), timeout=2)
        net = "connected"
    except OSError as exc:
        net = f"{type(exc).__name__}: {exc}"
    try:
        open("/usr/evil", "w")
        rootfs = "writable"
    except OSError as exc:
        rootfs = f"{type(exc).__name__}: {exc}"
    try:
        environ = open("/proc/1/environ", "rb").read().decode(errors="replace")
    except OSError as exc:
        environ = f"unreadable: {exc}"
    pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    return {"seen": {p: os.path.exists(p) for p in paths}, "hits": hits, "net": net, "rootfs": rootfs,
            "environ": environ, "secret_in_env": secret in repr(dict(os.environ)), "uid": os.getuid(),
            "gid": os.getgid(), "pids": pids,
            "root_home": sorted(os.listdir("/root")) if os.path.isdir("/root") else [],
            "job_writable": os.access("/job", os.W_OK), "submission_writable": os.access("/submission", os.W_OK),
            "cwd": os.getcwd(), "status": open("/proc/self/status").read()}
'''


@pytest.fixture(scope="module", autouse=True)
def no_container_left_behind() -> Iterator[None]:
    """After the module: no container this test process started is left, running or stopped."""
    yield
    mine = engine.api().containers(all=True, filters={"label": [f"{engine.LABEL_OWNER}={engine.process_identity()}"]})
    assert mine == []


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    """w01-multiply-by-2 (numpy only, quick to boot) with tight limits so attacks end fast."""
    base = load_exercise("w01-multiply-by-2", REPO)
    limits = dataclasses.replace(base.limits, call_timeout_s=3, import_timeout_s=30, total_timeout_s=90,
                                 memory_mb=300, pids=64)
    return dataclasses.replace(base, limits=limits)


def hostile(tmp_path: Path, spec: ExerciseSpec, replacement: str, name: str = "multiply_by_2.py") -> Path:
    """The reference solution with ``create_dataset`` replaced by an attack."""
    path = tmp_path / name
    path.write_text(spec.reference_file.read_text() + "\n\n" + replacement)
    return path


def call_in_container(spec: ExerciseSpec, tmp_path: Path, source: str, function: str, *args: object) -> object:
    from grader.sandbox.docker import DockerSandbox

    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / spec.submission).write_text(source)
    with DockerSandbox(folder, spec.limits) as sandbox:
        client = WorkerClient(sandbox, spec, time.monotonic() + 120)
        try:
            client.begin(0)
            return getattr(StudentModule(client), function)(*args)
        finally:
            client.end()
            client.close()


def test_submission_sees_no_network_no_secrets_no_hidden_files_and_runs_unprivileged(spec, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "s3cret-token")
    secret_paths = [str(REPO), str(REPO / "hidden_tests"), str(REPO / "reference"), str(spec.hidden_tests_dir),
                    str(spec.reference_file), "/etc/shadow", "/var/run/docker.sock", str(tmp_path)]
    report = call_in_container(spec, tmp_path, SNOOP, "snoop", secret_paths, "s3cret-token")
    assert isinstance(report, dict)
    assert report["seen"] == {p: False for p in secret_paths}
    assert report["hits"] == []
    assert "Network is unreachable" in report["net"]
    assert "Read-only file system" in report["rootfs"]
    assert (report["uid"], report["gid"]) == (65532, 65532)
    assert "s3cret-token" not in report["environ"] and not report["secret_in_env"]
    assert len(report["pids"]) < 10  # its own pid namespace: docker-init, boot, the worker, this test
    assert set(report["root_home"]) <= {".pyenv"}  # only the bound interpreter, nothing else of the host
    assert report["job_writable"] and not report["submission_writable"] and report["cwd"] == "/job"
    status = dict(line.split(":\t", 1) for line in report["status"].splitlines() if ":\t" in line)
    assert status["CapEff"].strip() == "0000000000000000" and status["NoNewPrivs"].strip() == "1"
    assert status["Seccomp"].strip() == "2"


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


@pytest.mark.parametrize("attack, verdict", [
    ("def create_dataset(n):\n    import os\n    while True:\n        os.fork()\n",
     "process limit exceeded (64 processes/threads)"),
    ("def create_dataset(n):\n    blocks = []\n    while True:\n        blocks.append(b'x' * (32 << 20))\n",
     "memory limit exceeded (300 MiB)"),
    ("def create_dataset(n):\n    while True:\n        pass\n", "time limit exceeded (3 s)"),
], ids=["fork-bomb", "memory-bomb", "infinite-loop"])
def test_attack_gets_its_verdict_within_the_limit_and_the_other_tests_still_run(spec, tmp_path, attack, verdict):
    result = grade_submission(spec, hostile(tmp_path, spec, attack), seed=5, backend="docker")
    attacked = next(t for t in result.tests if t.name == "test_create_dataset")
    assert attacked.status == "failed" and verdict in attacked.output
    assert attacked.duration_s < spec.limits.call_timeout_s + 6
    assert all(t.status == "passed" for t in result.tests if t is not attacked)
    assert result.duration_s < 60


def test_sleeping_child_and_exit_at_import_are_handled(spec, tmp_path):
    source = hostile(tmp_path, spec, '''
import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(3600)  # a daemon left behind: killed with the generation
raise SystemExit(0)
''')
    result = grade_submission(spec, source, seed=5, backend="docker")
    assert result.score == 0 and all("failed to import" in t.output for t in result.tests)
    assert result.duration_s < 60


def test_one_shot_command_runs_unprivileged_and_is_killed_at_its_deadline(spec, tmp_path):
    from grader.sandbox.docker import DockerSandbox

    (tmp_path / spec.submission).write_text("x = 1\n")
    with DockerSandbox(tmp_path, spec.limits) as sandbox:
        python = sandbox.image.python
        done = sandbox.run([python, "-I", "-c", "import os; print(os.getuid(), os.listdir('/submission'))"], 60)
        started = time.monotonic()
        hung = sandbox.run([python, "-I", "-c", "import time; time.sleep(600)"], 2)
    assert done.exit_code == 0 and done.stdout.strip() == f"65532 ['{spec.submission}']"
    assert hung.timed_out and time.monotonic() - started < 30


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

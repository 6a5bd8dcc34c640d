"""The sandbox contract, run against every registered backend that can run here (grader.sandbox.REGISTRY).

What every backend must give a submission: no way to the hidden tests, references, network, host
secrets or the grader's files; a read-only view of everything but its scratch space; honest verdicts for
fork bombs, memory bombs and infinite loops; deadlines enforced from outside; nothing left behind; peak
memory measured. Backend-specific details (Docker's flags, bubblewrap's probe) stay in their own files.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import IO

import pytest

from grader.grading import grade_submission
from grader.inside.wire import SANDBOX_UID
from grader.judge.proxy import StudentModule, WorkerClient
from grader.sandbox import REGISTRY, backend, open_sandbox, sweep_leftovers
from grader.sandbox.base import JOBS_ROOT, SandboxProcess, run_to_end
from grader.spec import ExerciseSpec

REPO = Path(__file__).resolve().parent.parent


def _params() -> list[object]:
    params = []
    for name in REGISTRY:
        problem = backend(name).problem()
        if problem is None and name == "local" and backend(name).isolation()[0].startswith("L0"):
            problem = "no bubblewrap/user namespaces here (L0)"
        marks = [pytest.mark.skipif(problem is not None, reason=f"{name} unavailable: {problem}")]
        if name == "docker":
            marks.append(pytest.mark.docker)
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.fixture(params=_params())
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


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
    writes = {}
    for path in ("/submission/multiply_by_2.py", "/worker/worker.py", "/usr/evil", "/job/scratch", "/tmp/scratch"):
        try:
            open(path, "w").write("x")
            writes[path] = "written"
        except OSError as exc:
            writes[path] = type(exc).__name__
    try:
        environ = open("/proc/1/environ", "rb").read().decode(errors="replace")
    except OSError as exc:
        environ = f"unreadable: {exc}"
    status = dict(line.split(":\\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\\t" in line)
    return {"seen": {p: os.path.exists(p) for p in paths}, "hits": hits, "net": net, "writes": writes,
            "environ": environ, "secret_in_env": secret in repr(dict(os.environ)), "uid": os.getuid(),
            "env": sorted(os.environ), "cap_eff": status["CapEff"].strip(), "cwd": os.getcwd()}
'''


def call(name: str, spec: ExerciseSpec, tmp_path: Path, source: str, function: str, *args: object) -> object:
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / spec.submission).write_text(source)
    with open_sandbox(name, folder, spec.limits) as sandbox:
        client = WorkerClient(sandbox, spec, time.monotonic() + 120)
        try:
            client.begin(0)
            return getattr(StudentModule(client), function)(*args)
        finally:
            client.end()
            client.close()


def hostile(tmp_path: Path, spec: ExerciseSpec, replacement: str) -> Path:
    """The reference solution with ``create_dataset`` replaced by an attack."""
    path = tmp_path / spec.submission
    path.write_text(spec.reference_file.read_text() + "\n\n" + replacement)
    return path


def test_secrets_hidden_files_network_and_the_host_are_out_of_reach(name, spec, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "s3cret-token")
    secret_paths = [str(REPO), str(REPO / "hidden_tests"), str(REPO / "reference"), str(spec.hidden_tests_dir),
                    str(spec.reference_file), "/etc/shadow", "/var/run/docker.sock", str(tmp_path)]
    report = call(name, spec, tmp_path, SNOOP, "snoop", secret_paths, "s3cret-token")
    assert isinstance(report, dict)
    assert report["seen"] == {p: False for p in secret_paths} and report["hits"] == []
    assert report["net"].startswith("OSError") and "unreachable" in report["net"].lower()
    assert "s3cret-token" not in report["environ"] and not report["secret_in_env"]
    assert set(report["env"]) <= {"PATH", "HOME", "TMPDIR", "LANG", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE",
                                  "MPLBACKEND", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                  "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "PWD", "HOSTNAME"}
    assert report["uid"] == SANDBOX_UID and report["cap_eff"] == "0000000000000000" and report["cwd"] == "/job"
    writes = report["writes"]
    assert writes["/job/scratch"] == writes["/tmp/scratch"] == "written"
    assert all(writes[p] != "written" for p in ("/submission/multiply_by_2.py", "/worker/worker.py", "/usr/evil"))


@pytest.mark.parametrize("attack, verdict", [
    ("def create_dataset(n):\n    import os\n    while True:\n        try:\n            os.fork()\n"
     "        except OSError:\n            pass\n", "process limit exceeded (64 processes/threads)"),
    ("def create_dataset(n):\n    blocks = []\n    while True:\n        blocks.append(bytearray(32 << 20))\n",
     "memory limit exceeded (300 MiB)"),
    ("def create_dataset(n):\n    while True:\n        pass\n", "time limit exceeded (3 s)"),
], ids=["fork-bomb", "memory-bomb", "infinite-loop"])
def test_an_attack_gets_its_verdict_within_the_limit_and_the_other_tests_still_run(name, spec, tmp_path, attack,
                                                                                  verdict):
    if name == "local" and "cgroup" not in backend("local").isolation()[0] and "loop" not in attack:
        pytest.skip("needs cgroups for kernel-enforced limits")
    result = grade_submission(spec, hostile(tmp_path, spec, attack), seed=5, backend=name)
    attacked = next(t for t in result.tests if t.name == "test_create_dataset")
    assert attacked.status == "failed" and verdict in attacked.output
    assert attacked.duration_s < spec.limits.call_timeout_s + 6
    assert all(t.status == "passed" for t in result.tests if t is not attacked)
    assert result.peak_memory_mb and result.sandbox is not None and result.sandbox.backend == name


def test_a_one_shot_command_is_killed_at_its_deadline(name, spec, tmp_path):
    (tmp_path / spec.submission).write_text("x = 1\n")
    with open_sandbox(name, tmp_path, spec.limits) as sandbox:
        python = sandbox.worker_command(spec.submission, [], [])[0]
        done = sandbox.run([python, "-I", "-c", "import os; print(os.getuid(), os.listdir('/submission'))"], 60)
        started = time.monotonic()
        hung = sandbox.run([python, "-I", "-c", "import time; time.sleep(600)"], 2)
    assert done.exit_code == 0 and done.stdout.strip() == f"{SANDBOX_UID} ['{spec.submission}']"
    assert hung.timed_out and time.monotonic() - started < 30


def test_nothing_is_left_behind_and_sweeping_spares_live_runs(name, spec, tmp_path):
    source = hostile(tmp_path, spec, "import subprocess\n"
                                     "subprocess.Popen(['sleep', '1000'], start_new_session=True)\n")
    grade_submission(spec, source, seed=1, backend=name)
    mine = [p for p in (JOBS_ROOT.iterdir() if JOBS_ROOT.exists() else []) if (p / "owner").is_file()
            and (p / "owner").read_text() == str(os.getpid())]
    zygotes = [p for p in mine if p.name.startswith("zygote-")]  # one per judge process, kept for the next job
    assert [p for p in mine if p not in zygotes] == [] and all(not any((p / "subs").iterdir()) for p in zygotes)
    leftover = []
    for proc in Path("/proc").iterdir():
        try:
            if (proc / "cmdline").read_bytes() == b"sleep\x001000\x00":
                leftover.append(proc.name)
        except OSError:
            pass
    assert leftover == []
    folder = tmp_path / "live"
    folder.mkdir()
    with open_sandbox(name, folder, spec.limits) as sandbox:
        sweep_leftovers()  # another run's sweep must not touch a sandbox in use
        python = sandbox.worker_command(spec.submission, [], [])[0]
        assert sandbox.run([python, "-I", "-c", "print('alive')"], 60).stdout.strip() == "alive"


class _SlowReaderProcess(SandboxProcess):
    """A process that has already ended, whose output the reader threads only get to after a pause (as
    on a loaded machine), and whose kill closes the pipes (as the real ones do)."""

    def __init__(self) -> None:
        read_end, write_end = os.pipe()
        os.write(write_end, b"alive\n")
        os.close(write_end)
        self.stdin = open(os.devnull, "wb")
        self.stdout = _Late(os.fdopen(read_end, "rb"))
        self.stderr = _Late(open(os.devnull, "rb"))

    def poll(self) -> int | None:
        return 0

    def wait(self, timeout: float) -> bool:
        return True

    def exit_status(self) -> int | None:
        return 0

    def kill(self) -> None:
        for stream in (self.stdin, self.stdout, self.stderr):
            stream.close()


class _Late:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def read(self, size: int) -> bytes:
        time.sleep(0.2)
        return self.stream.read(size)

    def close(self) -> None:
        self.stream.close()


def test_a_one_shot_commands_output_is_read_to_the_end_before_its_pipes_are_closed():
    code, stdout, _stderr, timed_out = run_to_end(_SlowReaderProcess(), 60, 1 << 16)
    assert (code, stdout, timed_out) == (0, "alive\n", False)

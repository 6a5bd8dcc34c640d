"""Batch grading on the docker backend against a real engine: attacks do not disturb the next
submission, warm containers are wiped between submissions, nothing is left behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.commands.grade import grade_batch
from grader.sandbox import docker_engine as engine
from grader.sandbox.local import JOBS_ROOT

REPO = Path(__file__).resolve().parent.parent
EXERCISE = "w01-multiply-by-2"
REASON = engine.engine_problem() or engine.image_problem(engine.image_info())
pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}")]

LIMITS = "[limits]\ncall_timeout_s = 3\nimport_timeout_s = 30\ntotal_timeout_s = 90\nmemory_mb = 300\npids = 64\n"
ATTACKS = {
    "fork_bomb": "def create_dataset(n):\n    import os\n    while True:\n        os.fork()\n",
    "memory_bomb": "def create_dataset(n):\n    b = []\n    while True:\n        b.append(b'x' * (32 << 20))\n",
    "sleeper": "def create_dataset(n):\n    import time\n    time.sleep(3600)\n",
}
LITTER = '''
import ctypes, os, time
print("INIT", open("/proc/1/stat").read().split()[21])
open("/job/litter.txt", "w").write("x")
open("/tmp/litter.txt", "w").write("x")
if not os.path.exists("/job/locked"):  # imported again for every test: litter once
    os.makedirs("/job/locked/deeper")
    os.chmod("/job/locked", 0)
open("/dev/shm/litter", "w").write("x")
ctypes.CDLL(None).shmget(4242, 4096, 0o1666)
if os.fork() == 0:
    os.setsid()
    time.sleep(3600)
'''
SNOOP = '''
import os
print("INIT", open("/proc/1/stat").read().split()[21])
print("LEFT", sorted(os.listdir("/job")), sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")),
      open("/proc/sysvipc/shm").read().splitlines()[1:])
print("PROCS", len([p for p in os.listdir("/proc") if p.isdigit()]))
'''
TAMPER = '''
import os, signal
print("INIT", open("/proc/1/stat").read().split()[21])
zygote = os.getppid()
boot = int(open(f"/proc/{zygote}/stat").read().rsplit(")", 1)[1].split()[1])
os.setpriority(os.PRIO_PROCESS, boot, 19)
os.kill(boot, signal.SIGSTOP)
'''


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the course's w01-multiply-by-2 with tight limits, so attacks end in seconds."""
    root = tmp_path / "course"
    for part in ("exercises", "hidden_tests", "reference"):
        shutil.copytree(REPO / part / EXERCISE, root / part / EXERCISE)
    spec = root / "exercises" / EXERCISE / "spec.toml"
    text = spec.read_text()
    spec.write_text(text[: text.index("[limits]")] + LIMITS)
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


def test_warm_container_is_reused_and_wiped_between_submissions(course, tmp_path):
    folder = tmp_path / "in"
    sources = [submission(folder, course, "a_litter", LITTER), submission(folder, course, "b_snoop", SNOOP)]
    summary = grade_batch(EXERCISE, sources, tmp_path / "out", backend="docker", seed=11, jobs=1, warm=True)
    litter, snoop = summary.results["a_litter"], summary.results["b_snoop"]
    assert litter.score == snoop.score == 10
    first = [line for line in litter.tests[0].program_output.splitlines() if line.startswith("INIT")]
    seen = dict(line.split(" ", 1) for line in snoop.tests[0].program_output.splitlines() if line[:4] in
                ("INIT", "LEFT", "PROC"))
    assert first == [f"INIT {seen['INIT']}"]  # the same container served both
    assert seen["LEFT"] == "[] [] [] []"  # no files, no shared memory, no SysV segment
    assert seen["PROCS"] == "4"  # docker-init, boot, the worker and this test's process: no daemon
    assert "warm container" in (snoop.sandbox.details[0] if snoop.sandbox else "")
    assert our_leftovers() == []


def test_submission_that_tampers_with_boot_gets_its_container_thrown_away(course, tmp_path):
    folder = tmp_path / "in"
    sources = [submission(folder, course, "a_tamper", TAMPER), submission(folder, course, "b_snoop", SNOOP)]
    summary = grade_batch(EXERCISE, sources, tmp_path / "out", backend="docker", seed=11, jobs=1, warm=True)
    tamper, snoop = summary.results["a_tamper"], summary.results["b_snoop"]
    assert snoop.score == 10 and snoop.tests[0].status == "passed"
    before = tamper.tests[0].program_output.split()[1]
    after = snoop.tests[0].program_output.split()[1]
    assert before != after  # boot noticed the tampering and the container was replaced
    assert our_leftovers() == []


def test_leftovers_of_a_crashed_run_are_swept_at_start(tmp_path):
    import socket

    from rich.console import Console

    from grader.commands.grade import sweep_before_run
    from grader.spec import Limits

    image = engine.image_info()
    assert image is not None
    labels = {engine.LABEL_JOB: "job-crashed", engine.LABEL_RUN: "crashed",
              engine.LABEL_OWNER: f"{socket.gethostname()}:999999:12345"}  # a grader process that is gone
    config = engine.container_config(image, [image.python, "-c", "import time; time.sleep(600)"], Limits(), labels,
                                     {}, stdin=False)
    container = engine.api().create_container(**config)["Id"]
    engine.api().start(container)
    JOBS_ROOT.mkdir(mode=0o700, exist_ok=True)
    folder = JOBS_ROOT / "job-crashed0000-xyz"
    folder.mkdir()
    (folder / "owner").write_text("999999")
    sweep_before_run(Console(file=open(tmp_path / "log.txt", "w")))
    assert engine.api().containers(all=True, filters={"id": container}) == []
    assert not folder.exists()
    assert "removed" in (tmp_path / "log.txt").read_text()

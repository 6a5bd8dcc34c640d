"""The local sandbox: what a submission can and cannot see or do from inside it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import REFERENCE_TOY, REPO, scores

from grader.judge.proxy import StudentModule, WorkerClient
from grader.sandbox.local import LocalSandbox, local_isolation

SNOOP = '''
import os, socket, sys

def snoop(paths):
    seen = {p: os.path.exists(p) for p in paths}
    hits = []
    for top, dirs, files in os.walk("/"):
        if top.startswith(("/proc", "/sys", "/dev", "/usr")) or top.startswith(sys.base_prefix):
            dirs[:] = []
            continue
        hits += [os.path.join(top, n) for n in dirs + files if n in ("hidden_tests", "reference", "test_toy.py")]
    try:
        socket.create_connection(("1.1.1.1", 80), timeout=2)
        net = "connected"
    except OSError as exc:
        net = f"{type(exc).__name__}: {exc}"
    try:
        environ = open("/proc/1/environ", "rb").read().decode(errors="replace")
    except OSError as exc:
        environ = f"unreadable: {exc}"
    return {"seen": seen, "hits": hits, "net": net, "environ": environ, "env": dict(os.environ), "uid": os.getuid()}
'''

needs_isolation = pytest.mark.skipif(local_isolation()[0].startswith("L0"),
                                     reason="no bubblewrap/user namespaces here: " + "; ".join(local_isolation()[1]))


def call_in_sandbox(toy, tmp_path: Path, source: str, function: str, *args):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "toy.py").write_text(source)
    with LocalSandbox(folder, toy.limits) as sandbox:
        client = WorkerClient(sandbox, toy, time.monotonic() + 60)
        try:
            client.begin(0)
            return getattr(StudentModule(client), function)(*args)
        finally:
            client.end()
            client.close()


@needs_isolation
def test_hidden_tests_references_network_and_secrets_are_out_of_reach(toy, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "s3cret-token")
    secret_paths = [str(REPO / "hidden_tests"), str(REPO / "reference"), str(toy.hidden_tests_dir), str(REPO)]
    report = call_in_sandbox(toy, tmp_path, SNOOP, "snoop", secret_paths)
    assert report["seen"] == {p: False for p in secret_paths}
    assert report["hits"] == []
    assert report["net"].startswith("OSError") and "unreachable" in report["net"].lower()
    assert "s3cret" not in report["environ"] and "s3cret" not in str(report["env"])
    assert set(report["env"]) <= {"PATH", "HOME", "TMPDIR", "LANG", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE",
                                  "MPLBACKEND", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                  "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "PWD"}
    assert report["uid"] != 0


@needs_isolation
def test_submission_cannot_write_outside_its_scratch_space(toy, tmp_path):
    source = '''
def attempt(paths):
    results = {}
    for path in paths:
        try:
            open(path, "w").write("x")
            results[path] = "written"
        except OSError as exc:
            results[path] = type(exc).__name__
    return results
'''
    targets = ["/submission/toy.py", "/worker/worker.py", "/usr/evil", "/job/scratch.txt", "/tmp/scratch.txt"]
    results = call_in_sandbox(toy, tmp_path, source, "attempt", targets)
    assert results["/job/scratch.txt"] == results["/tmp/scratch.txt"] == "written"
    assert all(results[p] != "written" for p in targets[:3])


def test_fork_bomb_and_memory_bomb_get_honest_verdicts(grade_source, toy):
    isolation = local_isolation()[0]
    if not isolation.startswith("L3"):
        pytest.skip(f"needs cgroups for kernel-enforced limits; here: {isolation}")
    bombs = REFERENCE_TOY.replace("    return a + b", """
    import os
    while True:
        try:
            os.fork()
        except OSError:
            pass""").replace("    return x * k", """
    hog = []
    while True:
        hog.append(bytearray(64 << 20))""")
    result = grade_source(bombs)
    by_name = {t.name: t for t in result.tests}
    assert by_name["test_add"].score == 0
    assert by_name["test_add"].output.startswith("Failed: process limit exceeded (64 processes/threads).")
    assert by_name["test_scale"].output == f"Failed: memory limit exceeded ({toy.limits.memory_mb} MiB)."
    assert scores(result)["test_softmax"] == 1.0 and scores(result)["test_acc"] == 1.0


def test_nothing_is_left_behind(grade_source):
    from grader.sandbox.local import JOBS_ROOT

    grade_source(REFERENCE_TOY.replace("    return a + b", "    import subprocess\n"
                                       "    subprocess.Popen(['sleep', '1000'], start_new_session=True)\n"
                                       "    return a + b"))
    jobs = list(JOBS_ROOT.iterdir()) if JOBS_ROOT.exists() else []
    mine = [p for p in jobs if (p / "owner").read_text() == str(os.getpid())]
    assert mine == []
    leftover = []
    for proc in Path("/proc").iterdir():
        try:
            if (proc / "cmdline").read_bytes() == b"sleep\x001000\x00":
                leftover.append(proc.name)
        except OSError:
            pass
    assert leftover == []

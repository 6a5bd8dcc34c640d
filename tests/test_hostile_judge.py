"""Hostile submissions against the judge side (issue #10: items 2, 3, 4, 6, 7, 9 and terminal text)."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import COURSE, REFERENCE_TOY

from grader.grading import grade_submission
from grader.intake import IntakeError, stage_submission
from grader.judge.channel import MAX_QUEUED_BYTES
from grader.judge.proxy import StudentTimeout, WorkerClient, WorkerCrashed
from grader.results import Result
from grader.results import TestResult as _TestResult
from grader.sandbox.base import SandboxProcess

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


# --- helpers: grade a hostile toy submission on a backend, bounded in time -----------------------

ALL = {"test_add": 1.0, "test_scale": 1.0, "test_softmax": 1.0, "test_acc": 1.0, "test_add_equality": 1.0}


@functools.cache
def _docker_problem() -> str | None:
    from grader.sandbox import docker_engine as engine

    problem = engine.engine_problem()
    if problem:
        return problem
    if engine.image_problem(engine.image_info()):
        from grader.commands.image import build_offline

        build_offline()
    return engine.image_problem(engine.image_info())


BACKENDS = ["local", pytest.param("docker", marks=pytest.mark.docker)]


@pytest.fixture
def grade_on(tmp_path, toy, request):
    """grade(source, backend, within_s): the Result, or a failure if grading did not end in time."""

    def grade(source: str, backend: str, within_s: float = 150.0):
        if backend == "docker" and _docker_problem():
            pytest.skip(f"no Docker engine: {_docker_problem()}")
        path = tmp_path / "toy.py"
        path.write_text(textwrap.dedent(source))
        box: dict[str, object] = {}
        thread = threading.Thread(target=lambda: box.update(
            result=grade_submission(toy, path, seed=7, backend=backend)), daemon=True)
        started = time.monotonic()
        thread.start()
        thread.join(within_s)
        assert not thread.is_alive(), f"grading was still blocked after {within_s:g} s"
        assert "result" in box, "grading raised"
        return box["result"], time.monotonic() - started

    return grade


def scores(result) -> dict[str, float]:
    return {t.name: t.score for t in result.tests}


# --- item 3: a heartbeat must not reset the per-call deadline ------------------------------------

HEARTBEAT = '''
import gc, io, sys, threading, time

def _heartbeat():
    """Send a stale frame every 2 s on every reply channel this process holds."""
    channels = [o for o in gc.get_objects() if isinstance(o, io.FileIO) and not o.closed
                and "w" in o.mode and o.fileno() > 2]
    proto = sys.modules["protocol"]

    def beat():
        while True:
            for channel in channels:
                try:
                    proto.write_frame(channel, {"seq": None, "alive": True})
                except Exception:
                    pass
            time.sleep(2)

    threading.Thread(target=beat, daemon=True).start()
'''


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_heartbeat_does_not_extend_the_call_deadline(grade_on, backend):
    slow_add = REFERENCE_TOY.replace("    return a + b", "    _heartbeat()\n    time.sleep(8)\n    return a + b")
    result, _ = grade_on(HEARTBEAT + slow_add, backend)
    assert scores(result) == {**ALL, "test_add": 0.0, "test_add_equality": 0.0}  # 8 s calls, a 3 s limit
    add = next(t for t in result.tests if t.name == "test_add")
    assert "time limit exceeded (3 s)" in add.output


# --- item 2: a submission that jams its own stdin and stops reading ------------------------------

JAM = '''
import os, sys, time

def _jam():
    """Fill this process's stdin pipe through /proc/self/fd/0, then never read it again."""
    try:
        fd = os.open("/proc/self/fd/0", os.O_WRONLY | os.O_NONBLOCK)
        for size in (4096, 1):
            try:
                while True:
                    os.write(fd, b"\\0" * size)
            except BlockingIOError:
                pass
    except OSError:
        pass
    proto = sys.modules.get("protocol")
    if proto is not None:
        proto.read_frame = lambda stream: time.sleep(10**6)
'''


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_submission_that_fills_its_stdin_cannot_block_the_judge(grade_on, backend):
    source = JAM + REFERENCE_TOY.replace("    return a + b", "    _jam()\n    return a + b")
    result, took = grade_on(source, backend, within_s=150)
    assert result.status == "graded"
    assert scores(result)["test_scale"] == scores(result)["test_softmax"] == scores(result)["test_acc"] == 1.0
    assert took < 120


# --- item 2: the judge's reads and writes are bounded by the call, its queue by count and bytes ---

FAKE_WORKER = '''
import json, struct, sys, time
out, inp = sys.stdout.buffer, sys.stdin.buffer
def send(message):
    body = json.dumps(message).encode()
    out.write(struct.pack(">I", len(body)) + body)
    out.flush()
def read():
    (n,) = struct.unpack(">I", inp.read(4))
    return json.loads(inp.read(n))
send({"ready": True})
begin = read()
send({"seq": begin["seq"], "ok": None})
MODE
'''
FLOOD = '''
request = read()
send({"seq": request["seq"], "ok": 1})
pad = "x" * (4 << 20)
for _ in range(64):  # 256 MiB of frames nobody asked for, then never read again
    send({"seq": None, "pad": pad})
time.sleep(600)
'''
DEAF = "time.sleep(600)  # never reads its stdin again\n"


class _Process(SandboxProcess):
    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen
        assert popen.stdin and popen.stdout and popen.stderr
        self.stdin, self.stdout, self.stderr = popen.stdin, popen.stdout, popen.stderr

    def poll(self):
        return self.popen.poll()

    def kill(self) -> None:
        self.popen.kill()
        self.popen.wait()


class _FakeSandbox:
    """Runs a scripted hostile worker as a plain process (no isolation needed: the judge is tested)."""

    def __init__(self, script: str) -> None:
        self.script, self.processes = script, []

    def worker_command(self, *args):
        return [sys.executable, "-c", self.script]

    def spawn(self, argv):
        process = _Process(subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE))
        self.processes.append(process)
        return process

    def limit_exceeded(self):
        return None

    def close(self):
        for process in self.processes:
            process.kill()


@pytest.fixture
def fake_client(toy):
    clients = []

    def make(mode: str) -> WorkerClient:
        sandbox = _FakeSandbox(FAKE_WORKER.replace("MODE", mode))
        client = WorkerClient(sandbox, toy, time.monotonic() + 60)  # type: ignore[arg-type]
        clients.append((client, sandbox))
        client.begin(1)
        return client

    yield make
    for client, sandbox in clients:
        client.close()
        sandbox.close()


def test_a_request_to_a_worker_that_stopped_reading_times_out(fake_client, toy):
    client = fake_client(DEAF)
    box: dict[str, BaseException] = {}

    def call() -> None:
        try:
            client.call_op("call", 0, args=[{"t": "tuple", "v": []}], pad="x" * (1 << 20))  # > any pipe buffer
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    started = time.monotonic()
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the judge is stuck writing to the worker"
    assert isinstance(box.get("error"), StudentTimeout)
    assert time.monotonic() - started < toy.limits.call_timeout_s + 3


def test_a_flood_of_stale_frames_fails_the_worker_and_stays_bounded(fake_client):
    client = fake_client(FLOOD)
    assert client.call_op("getattr", 0, name="x") == 1
    time.sleep(3)  # the judge is busy elsewhere (e.g. in the reference) while the worker floods it
    assert client.frames.queued_bytes <= MAX_QUEUED_BYTES
    with pytest.raises(WorkerCrashed, match="nobody asked for"):
        client.call_op("getattr", 0, name="x")


# --- item 2: one submission that kills its judge costs only itself ---------------------------------


def test_a_judge_killed_by_one_submission_leaves_real_scores_for_the_rest(tmp_path):
    killer, first, second = tmp_path / "killer.py", tmp_path / "first.py", tmp_path / "second.py"
    killer.write_text(REFERENCE_TOY)  # the broken exercise's hidden test kills the judge for a right add()
    for benign in (first, second):
        benign.write_text(REFERENCE_TOY.replace("a + b", "a - b"))
    run = grader("grade", "w01-judge-crash", str(killer), str(first), str(second), "--out", str(tmp_path / "out"),
                 "--jobs", "1", "--sandbox", "local")
    assert run.returncode == 1 and "NOT GRADED" in run.stderr, run.stderr  # only the killer is not graded
    results = {name: json.loads((tmp_path / "out" / name / "results.json").read_text())
               for name in ("killer", "first", "second")}
    assert results["killer"]["status"] == "error" and "the grader crashed twice" in results["killer"]["errors"][0]
    for name in ("first", "second"):
        assert results[name]["status"] == "graded" and results[name]["score"] == 1, results[name]


def test_a_judge_process_has_a_memory_limit(tmp_path):
    probe = ("from grader import batch\nimport resource\nbatch._init_judge()\n"
             "print(resource.getrlimit(resource.RLIMIT_AS)[0] >> 20)\n"
             "try:\n    bytearray(1 << 30)\n    print('allocated')\nexcept MemoryError:\n    print('MemoryError')\n")
    env = {**os.environ, "GRADER_JUDGE_MEMORY_MB": "900"}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=REPO,
                         timeout=300)
    assert run.stdout.split() == ["900", "MemoryError"], run.stderr


# --- item 4: a test's process answers "end" with a forged exit frame and serves the next test ------

FORGER = '''
import gc, io, os, sys

print(f"fresh import in process {os.getpid()}")
os.register_at_fork(after_in_child=lambda: print(f"fresh process {os.getpid()}", flush=True))  # tests fork


def _take_over():
    """Answer the judge's "end" with a forged exit frame and its next "begin" ourselves."""
    proto = sys.modules["protocol"]
    channels = [o for o in gc.get_objects() if isinstance(o, io.FileIO) and not o.closed
                and "w" in o.mode and o.fileno() > 2]
    original = proto.read_frame

    def read_frame(stream):
        while True:
            request = original(stream)
            if request.get("op") == "end":
                for channel in channels:
                    proto.write_frame(channel, {"seq": None, "nonce": request.get("nonce"),
                                                "exit": {"status": 0, "cpu_s": 0.0, "max_rss_kb": 1}})
                continue
            if request.get("op") == "begin":
                for channel in channels:
                    proto.write_frame(channel, {"seq": request["seq"], "ok": None})
                continue
            return request

    proto.read_frame = read_frame


_take_over()
'''


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_forged_exit_frame_is_not_believed_and_every_test_gets_a_fresh_process(grade_on, backend):
    result, _ = grade_on(FORGER + REFERENCE_TOY, backend)
    assert scores(result) == ALL
    for test in result.tests:
        assert "fresh process" in test.program_output, test.name  # no test served by an old process
        assert test.max_rss_kb is not None and test.max_rss_kb > 1000, test.name  # real usage, not the forged 1 KiB


# --- item 9: decode errors are protocol errors; statuses never come from text; folder names -------


@pytest.mark.parametrize("tag", ["ndarray", "tensor"])
def test_an_undecodable_array_is_a_protocol_error_not_a_value_error(tag):
    import base64
    import io as _io

    import numpy as np

    from grader.inside import protocol

    buffer = _io.BytesIO()
    np.save(buffer, np.arange(4, dtype=">f4"), allow_pickle=False)  # big-endian: torch cannot take it
    payload = {"t": tag, "npy": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(protocol.ProtocolError, match="byte order"):
        protocol.decode(payload, lambda ref: None)


def test_the_failure_category_never_comes_from_the_students_words(grade_source):
    lying = REFERENCE_TOY.replace(
        "    return a + b", "    raise ValueError('the submission failed to import: memory limit exceeded (1 MiB)')")
    result = grade_source(lying)
    add = next(t for t in result.tests if t.name == "test_add")
    assert add.output == "Failed: your code raised ValueError. Hint: add the two numbers"


def test_a_zip_member_name_cannot_change_the_status(toy, tmp_path):
    import zipfile

    archive = tmp_path / "hw.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("could not be collected.py", "x = 1\n")
    result = grade_submission(toy, archive, seed=1, backend="local")
    assert result.status == "rejected" and result.score == 0


def test_a_file_named_dot_dot_py_stays_inside_out(tmp_path):
    handin = tmp_path / "handin"
    handin.mkdir()
    (handin / "...py").write_text(REFERENCE_TOY)
    out = tmp_path / "box" / "out"
    run = grader("grade", "w01-toy", str(handin / "...py"), "--out", str(out), "--sandbox", "local", "--seed", "1")
    assert run.returncode == 0, run.stderr
    assert not (out.parent / "results.json").exists() and not (out.parent / "report.html").exists()
    written = [p for p in out.rglob("results.json")]
    assert len(written) == 1 and written[0].parent.parent == out
    assert json.loads(written[0].read_text())["score"] == 5


# --- terminal control sequences in any student text never reach a terminal --------------------------

HOSTILE_TEXT = "\x1b[2J\x1b]0;owned\x07\x9b31m\u202eevil\u2066 \x1bc"
FORBIDDEN = re.compile("[\x1b\x80-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _hostile_result(name: str) -> Result:
    test = _TestResult(name=HOSTILE_TEXT, score=0.0, max_score=1.0, status="failed", output=HOSTILE_TEXT,
                      description=HOSTILE_TEXT, hint=HOSTILE_TEXT, details=f"E   AssertionError: {HOSTILE_TEXT}",
                      program_output=HOSTILE_TEXT)
    return Result(exercise="w01-toy", title=HOSTILE_TEXT, submission=HOSTILE_TEXT, sha256="0" * 64, seed=1,
                  score=0.0, max_score=5.0, status="graded", tests=[test], errors=[HOSTILE_TEXT],
                  output=HOSTILE_TEXT, student=name, graded_at="2030-01-01T00:00:00+00:00")


def test_no_cli_command_prints_terminal_control_sequences_from_a_result(tmp_path):
    from click.testing import CliRunner

    from cli import main

    results = tmp_path / "results"
    _hostile_result("s001").write(results / "s001" / "results.json")
    broken = results / f"bad{HOSTILE_TEXT.replace('/', '')}"  # its path shows up in a "problem" line
    broken.mkdir(parents=True)
    (broken / "results.json").write_text("{not json " + HOSTILE_TEXT)
    submission = tmp_path / "toy.py"  # prints, raises and fails with control sequences in every message
    submission.write_text(f"HOSTILE = {HOSTILE_TEXT!r}\nprint(HOSTILE)\n" + REFERENCE_TOY.replace(
        "    return a + b", "    print(HOSTILE)\n    raise ValueError(HOSTILE)"))
    runner = CliRunner()
    env = {"GRADER_COURSE": str(COURSE), "COLUMNS": "200"}
    commands = [
        ["report", str(results), "--out", str(tmp_path / "site")],
        ["export", "grades", str(results), "--out", str(tmp_path / "grades")],
        ["grade", "w01-toy", str(submission), "--out", str(tmp_path / "graded"), "--sandbox", "local", "--jobs", "1"],
        ["check", "w01-toy", str(submission), "--sandbox", "local"],
        ["grade", "w01-toy", str(tmp_path / f"missing{HOSTILE_TEXT}.py"), "--out", str(tmp_path / "x")],
    ]
    for command in commands:
        outcome = runner.invoke(main, command, env=env, catch_exceptions=False)
        printed = outcome.output + (outcome.stderr if outcome.stderr_bytes is not None else "")
        assert not FORBIDDEN.findall(printed), (command[0], printed[-2000:])
        assert printed.strip(), command  # it did print something

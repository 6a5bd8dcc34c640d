"""Issue 11: fresh isolation per submission. Planter/finder pairs graded through the real path (one batch,
one judge, so one zygote serves both): nothing the planter leaves (files in /job, /tmp, /dev/shm, an
abstract Unix socket, SysV shared memory/semaphores/message queues, a POSIX message queue, a daemon)
reaches the finder; the finder's PID 1 is its own init, it sees only its own processes and only the
loopback interface; limits give their verdicts and the next submission is unaffected; a submission that
tampers with everything it can reach changes neither the zygote nor the next score; the submission is
imported once, so a hanging import costs one import deadline.

Parametrised over backends: a backend that runs the zygote adds itself to ``BACKENDS``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import needs_isolation, tight_course

from grader.commands.grade import grade_batch
from grader.results import Result

EXERCISE = "w01-multiply-by-2"
LIMITS = "[limits]\ncall_timeout_s = 3\nimport_timeout_s = 4\ntotal_timeout_s = 90\nmemory_mb = 300\npids = 64\n"
def _docker_reason() -> str | None:
    from grader.sandbox import docker_engine as engine

    return engine.engine_problem() or engine.image_problem(engine.image_info())


BACKENDS = [pytest.param("local", marks=needs_isolation, id="local"),
            pytest.param("docker", marks=[pytest.mark.docker, pytest.mark.skipif(
                _docker_reason() is not None, reason=f"no Docker engine: {_docker_reason()}")], id="docker")]

PLANTER = r'''
import ctypes, ctypes.util, os, socket, subprocess
libc = ctypes.CDLL(None, use_errno=True)
rt = ctypes.CDLL(ctypes.util.find_library("rt") or "librt.so.1", use_errno=True)
for path in ("/job/planted", "/tmp/planted", "/dev/shm/planted"):
    open(path, "w").write("x")
planted = [libc.shmget(4242, 4096, 0o1666), libc.msgget(4243, 0o1666), libc.semget(4244, 1, 0o1666)]
rt.mq_open.restype = ctypes.c_int
planted.append(rt.mq_open(b"/planted", os.O_CREAT | os.O_RDWR, 0o666, None))
abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
abstract.bind(b"\0grader-planted")
abstract.listen()
subprocess.Popen(["sleep", "3600"], start_new_session=True, pass_fds=[abstract.fileno()])
print("PLANTED", *[int(p >= 0) for p in planted], flush=True)
'''
FINDER = r'''
import ctypes, ctypes.util, os, socket
libc = ctypes.CDLL(None, use_errno=True)
rt = ctypes.CDLL(ctypes.util.find_library("rt") or "librt.so.1", use_errno=True)
print("FILES", sorted(os.listdir("/job")), sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")))
print("SYSV", *[len(open(f"/proc/sysvipc/{n}").read().splitlines()) - 1 for n in ("shm", "msg", "sem")],
      libc.shmget(4242, 0, 0), libc.msgget(4243, 0), libc.semget(4244, 0, 0))
rt.mq_open.restype = ctypes.c_int
print("MQUEUE", rt.mq_open(b"/planted", os.O_RDONLY, 0, None))
print("ABSTRACT", sum("@grader-planted" in line for line in open("/proc/net/unix")))
procs = {int(p): open(f"/proc/{p}/cmdline", "rb").read() for p in os.listdir("/proc") if p.isdigit()}
print("PROCS", len(procs), sum(c.startswith(b"sleep") for c in procs.values()), os.getppid())
print("NET", [name for _, name in socket.if_nameindex()])
print("THP", [line.split()[1] for line in open("/proc/self/status") if line.startswith("THP_enabled")])
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
    print("OUT connected")
except OSError as exc:
    print("OUT", type(exc).__name__)
'''
# Everything a submission can reach: every pid it can name, its own init's and the importer's limits and
# priorities, the user-wide priority and I/O priority, signals to every process, ptrace.
TAMPER = r'''
import ctypes, os, resource, signal
libc = ctypes.CDLL(None, use_errno=True)
hits = []
for pid in range(1, 1 << 15):
    try:
        os.kill(pid, 0)
    except OSError:
        continue
    hits.append(pid)
    for attempt in (lambda: os.setpriority(os.PRIO_PROCESS, pid, 19),
                    lambda: resource.prlimit(pid, resource.RLIMIT_NOFILE, (64, 64)),
                    lambda: libc.syscall(251, 1, pid, 3 << 13),
                    lambda: libc.ptrace(16, pid, 0, 0)):
        try:
            attempt()
        except OSError:
            pass
for attempt in (lambda: os.setpriority(os.PRIO_USER, 0, 19), lambda: libc.syscall(251, 3, 0, 3 << 13),
                lambda: os.sched_setaffinity(0, {0})):
    try:
        attempt()
    except OSError:
        pass
print("REACHED", len(hits), max(hits))
for pid in hits:
    if pid not in (1, os.getpid()):
        try:
            os.kill(pid, signal.SIGSTOP)
        except OSError:
            pass
'''
IMPORTED = r'''
import os as _os
print("IMPORTED-ONCE", flush=True)
_create = create_dataset
def create_dataset(n):
    print("PARENT", _os.getppid(), flush=True)
    return _create(n)
'''
# A thread left running by the import: the importer forks each test the way that is safe with threads.
THREADED = "import threading, time\nthreading.Thread(target=time.sleep, args=(3600,), daemon=True).start()\n" + IMPORTED
SLEEPER = 'import time\ntime.sleep(30)\n'
MEMORY_HOG = "def create_dataset(n):\n    b = []\n    while True:\n        b.append(b'x' * (32 << 20))\n"
FORK_BOMB = "def create_dataset(n):\n    import os\n    while True:\n        os.fork()\n"
# Two processes spin for 1.5 s each: 3 CPU-seconds on two free cores, 1.5 under the one-core cap.
SPINNERS = r'''
import os as _os, time as _time
def create_dataset(n):
    before, pids = _os.times(), []
    for _ in range(2):
        pid = _os.fork()
        if pid == 0:
            end = _time.monotonic() + 1.5
            while _time.monotonic() < end:
                pass
            _os._exit(0)
        pids.append(pid)
    for pid in pids:
        _os.waitpid(pid, 0)
    after = _os.times()
    print("CPU", round(after.children_user + after.children_system - before.children_user - before.children_system, 2))
    return [(x, 2 * x) for x in range(n)]
'''


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of w01-multiply-by-2 with tight limits, so attacks end in seconds."""
    root = tight_course(tmp_path, EXERCISE, LIMITS)
    monkeypatch.setenv("GRADER_COURSE", str(root))
    return root


def grade(course: Path, tmp_path: Path, backend: str, submissions: dict[str, str]) -> dict[str, Result]:
    """Grade the reference plus each extra code, in name order, in one batch with one judge."""
    folder = tmp_path / "in"
    folder.mkdir()
    reference = (course / "reference" / EXERCISE / "multiply_by_2.py").read_text()
    sources = []
    for name, extra in submissions.items():
        sources.append(folder / f"{name}.py")
        sources[-1].write_text(reference + "\n\n" + extra)
    return grade_batch(EXERCISE, sources, tmp_path / "out", backend=backend, seed=11, jobs=1).results


def said(result: Result, word: str) -> str:
    lines = [line for t in result.tests for line in t.program_output.splitlines() if line.startswith(word + " ")]
    return lines[0].split(" ", 1)[1] if lines else ""


def zygote_of(result: Result) -> str:
    assert result.sandbox is not None
    return result.sandbox.details[0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_nothing_the_planter_leaves_reaches_the_finder(course, tmp_path, backend):
    results = grade(course, tmp_path, backend, {"a_planter": PLANTER, "b_finder": FINDER})
    planter, finder = results["a_planter"], results["b_finder"]
    assert planter.score == finder.score == 10
    assert said(planter, "PLANTED") == "1 1 1 1"  # files, SysV shm/msg/sem and a POSIX queue were made
    assert zygote_of(planter) == zygote_of(finder) and "zygote #" in zygote_of(finder)  # one zygote served both
    assert said(finder, "FILES") == "[] [] []"
    assert said(finder, "SYSV") == "0 0 0 -1 -1 -1"
    assert said(finder, "MQUEUE") == "-1" and said(finder, "ABSTRACT") == "0"
    count, sleepers, parent = said(finder, "PROCS").split()
    assert sleepers == "0" and int(count) <= 3 and parent == "1"  # its init, the importer, this test
    assert said(finder, "NET") == "['lo']" and said(finder, "OUT") == "OSError"
    assert said(finder, "THP") == "['0']"  # its allocations never wait on the kernel compacting memory


@pytest.mark.parametrize("backend", BACKENDS)
def test_limits_give_their_verdicts_and_the_next_submission_is_unaffected(course, tmp_path, backend):
    results = grade(course, tmp_path, backend, {"a_memory": MEMORY_HOG, "b_forks": FORK_BOMB, "c_honest": ""})
    words = {"a_memory": "memory limit exceeded (300 MiB)", "b_forks": "process limit exceeded (64"}
    seen = {n: (r.score, zygote_of(r), [(t.name, t.output[:120]) for t in r.tests if t.status != "passed"])
            for n, r in results.items()}
    for name, verdict in words.items():
        attacked = next(t for t in results[name].tests if t.name == "test_create_dataset")
        assert verdict in attacked.output, seen
        assert results[name].score == 9, seen
    assert results["c_honest"].score == results["c_honest"].max_score == 10, seen
    assert len({zygote_of(r) for r in results.values()}) == 1, seen


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_tamperer_changes_neither_the_zygote_nor_the_next_score(course, tmp_path, backend):
    results = grade(course, tmp_path, backend, {"a_tamper": TAMPER, "b_honest": "", "c_finder": FINDER})
    reached, highest = (int(n) for n in said(results["a_tamper"], "REACHED").split())
    assert reached <= 3 and highest <= 3  # its own init, its importer and itself: nothing else to name
    assert results["b_honest"].score == 10 and results["c_finder"].score == 10
    assert len({zygote_of(r) for r in results.values()}) == 1  # the zygote did not need replacing
    count, sleepers, parent = said(results["c_finder"], "PROCS").split()
    assert int(count) <= 3 and parent == "1"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_submission_is_imported_once_and_a_hanging_import_costs_one_deadline(course, tmp_path, backend):
    results = grade(course, tmp_path, backend, {"a_once": IMPORTED, "b_sleeper": SLEEPER, "c_threads": THREADED})
    once, sleeper = results["a_once"], results["b_sleeper"]
    for result in (once, results["c_threads"]):
        assert result.score == 10 and len(result.tests) > 1
        assert sum(t.program_output.count("IMPORTED-ONCE") for t in result.tests) == 1
        parents = [line for t in result.tests for line in t.program_output.splitlines() if line.startswith("PARENT")]
        assert parents and set(parents) == {"PARENT 1"}  # each test is a child of the submission's init
    assert sleeper.score == 0 and all("time limit exceeded (4 s)" in t.output for t in sleeper.tests)
    assert sum(t.duration_s >= 4 for t in sleeper.tests) == 1  # the first test waited out the deadline, no other


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_submission_gets_one_core_however_many_processes_it_starts(course, tmp_path, backend):
    spinners = grade(course, tmp_path, backend, {"a_spinners": SPINNERS})["a_spinners"]
    assert spinners.score == 10
    assert 0.5 < float(said(spinners, "CPU")) <= 2.0  # 3.0 if its two processes had a core each

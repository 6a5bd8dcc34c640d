"""Issue 11, item 3: the tests of one submission in parallel lanes (grader/judge/lanes.py).

Each case grades the same submission twice through the real path, with lanes (the default,
``parallel_tests = 4``) and one test at a time (``parallel_tests = 1``), and checks that the verdicts are
the same test by test: lanes change how long a submission takes, never what it scores. A function that
loops forever costs its call timeouts together; each lane has its own memory limit; what a test kills
in its lane never reaches a test running in another lane.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import REFERENCE_TOY, needs_isolation, scores, tight_course
from test_isolation import BACKENDS

from grader.commands.grade import grade_batch
from grader.results import Result

EXERCISE = "w01-multiply-by-2"  # 7 tests; calculate_loss is used by the last five
LIMITS = "[limits]\ncall_timeout_s = 3\nimport_timeout_s = 8\ntotal_timeout_s = 90\nmemory_mb = 300\npids = 64\n"
LOOPS = "def calculate_loss(w, dataset):\n    while True:\n        pass\n"
# Each test that computes a loss holds 180 MiB for 1.5 s: two lanes at once would need 360 MiB of a
# shared 300 MiB limit. A test starts from the import's snapshot, so every test allocates anew.
HOLDS_MEMORY = '''
import time as _time
_loss, _held = calculate_loss, []
def calculate_loss(w, dataset):
    if not _held:
        _held.append(b"x" * (180 << 20))
        _time.sleep(1.5)
    return _loss(w, dataset)
'''
# The loss tests are slow but right; train kills every process it can see, then fails. In one shared
# namespace it would kill the loss tests running in the other lanes.
KILLS_WHAT_IT_SEES = '''
import os as _os, signal as _signal, time as _time
_loss, _slow = calculate_loss, []
def calculate_loss(w, dataset):
    if not _slow:
        _slow.append(1)
        _time.sleep(1.5)
    return _loss(w, dataset)
def train(*args, **kwargs):
    _time.sleep(0.3)
    for pid in range(2, 1 << 16):
        if pid != _os.getpid():
            try:
                _os.kill(pid, _signal.SIGKILL)
            except OSError:
                pass
    raise RuntimeError("killed everything I could see")
'''


def grade_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, extra: str
               ) -> tuple[Result, float, Result, float]:
    """The reference plus ``extra``, graded with lanes and then one test at a time: (result, seconds) each."""
    graded = []
    for name, limits in (("lanes", LIMITS), ("sequential", LIMITS + "parallel_tests = 1\n")):
        root = tight_course(tmp_path / name, EXERCISE, limits)
        monkeypatch.setenv("GRADER_COURSE", str(root))
        source = tmp_path / name / "multiply_by_2.py"
        source.write_text((root / "reference" / EXERCISE / "multiply_by_2.py").read_text() + "\n\n" + extra)
        started = time.monotonic()
        result = grade_batch(EXERCISE, [source], tmp_path / name / "out", backend=backend, seed=5, jobs=1).results
        graded += [result["multiply_by_2"], time.monotonic() - started]
    return graded[0], graded[1], graded[2], graded[3]


def verdicts(result: Result) -> list[tuple[str, str, float]]:
    return [(t.name, t.status, t.score) for t in result.tests]


def lanes_used(result: Result) -> int:
    assert result.sandbox is not None
    said = [d for d in result.sandbox.details if d.startswith("tests in parallel:")]
    return int(said[0].split()[3]) if said else 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_tests_that_hang_overlap_and_score_as_one_at_a_time(tmp_path, monkeypatch, backend):
    lanes, lanes_s, sequential, sequential_s = grade_both(tmp_path, monkeypatch, backend, LOOPS)
    assert verdicts(lanes) == verdicts(sequential)
    hung = [t for t in lanes.tests if "time limit exceeded (3 s)" in t.output]
    assert len(hung) == 5 and lanes.score == 2  # create_dataset and initialize_weights still pass
    assert 3 <= lanes_used(lanes) <= 4 and lanes_used(sequential) == 1  # never more than parallel_tests
    assert sequential_s >= 5 * 3  # five call timeouts, one after the other
    assert lanes_s < 0.7 * sequential_s, (lanes_s, sequential_s)  # they overlapped


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_lane_has_the_submissions_memory_limit_of_its_own(tmp_path, monkeypatch, backend):
    lanes, _, sequential, _ = grade_both(tmp_path, monkeypatch, backend, HOLDS_MEMORY)
    assert lanes_used(lanes) >= 2
    assert lanes.score == lanes.max_score == 10, [t.output for t in lanes.tests]
    assert verdicts(lanes) == verdicts(sequential)


@pytest.mark.parametrize("backend", BACKENDS)
def test_what_a_test_kills_never_reaches_another_lane(tmp_path, monkeypatch, backend):
    lanes, _, sequential, _ = grade_both(tmp_path, monkeypatch, backend, KILLS_WHAT_IT_SEES)
    assert lanes_used(lanes) >= 2
    assert verdicts(lanes) == verdicts(sequential)
    failed = {t.name for t in lanes.tests if t.status == "failed"}
    assert all("train" in name for name in failed) and len(failed) == 2, [t.output for t in lanes.tests]


@pytest.mark.parametrize("backend", BACKENDS)
def test_quick_tests_run_in_one_lane(tmp_path, monkeypatch, backend):
    lanes, _, sequential, _ = grade_both(tmp_path, monkeypatch, backend, "")
    assert lanes_used(lanes) == 1 and lanes.score == 10
    assert verdicts(lanes) == verdicts(sequential)



@needs_isolation
def test_lanes_work_after_the_judge_itself_ran_torch_on_several_threads(grade_source):
    """The judge runs tests itself (lane 0) and forks further lanes from a copy of itself. torch's thread
    pool, started in the judge (here: a product computed on two threads), must not leave a lane's
    reference computation (the toy's softmax) waiting for threads that a fork does not have."""
    import torch

    torch.set_num_threads(2)
    assert float((torch.ones(512, 512) @ torch.ones(512, 512)).sum()) == 512.0 ** 3  # the pool has run
    started = time.monotonic()
    result = grade_source(REFERENCE_TOY.replace("    return x * k", "    while True:\n        pass"))
    assert result.status == "graded" and lanes_used(result) >= 2, result.errors
    assert scores(result)["test_scale"] == 0 and scores(result)["test_softmax"] > 0
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_judges_spare_grades_each_submission_with_its_own_code(tmp_path, monkeypatch, backend):
    """One judge, two submissions of the same exercise: the spare copied for the first forks the second's
    lanes too, and they must import the second's file (a slow but right one), not the first's (a loop)."""
    slow = ("import time as _time\n_loss, _slow = calculate_loss, []\ndef calculate_loss(w, dataset):\n"
            "    if not _slow:\n        _slow.append(1)\n        _time.sleep(1.0)\n    return _loss(w, dataset)\n")
    root = tight_course(tmp_path, EXERCISE, LIMITS)
    monkeypatch.setenv("GRADER_COURSE", str(root))
    reference = (root / "reference" / EXERCISE / "multiply_by_2.py").read_text()
    sources = []
    for name, extra in (("a_loops", LOOPS), ("b_slow", slow)):
        sources.append(tmp_path / name / "multiply_by_2.py")
        sources[-1].parent.mkdir()
        sources[-1].write_text(reference + "\n\n" + extra)
    results = grade_batch(EXERCISE, sources, tmp_path / "out", backend=backend, seed=5, jobs=1).results
    loops, right = results["a_loops"], results["b_slow"]
    assert loops.score == 2 and lanes_used(loops) >= 2
    assert right.score == 10 and lanes_used(right) >= 2, [t.output for t in right.tests]

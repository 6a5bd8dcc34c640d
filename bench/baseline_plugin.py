"""Baseline (a) of bench/grade_batch.py: the hidden tests run in-process against the submission, with
NO isolation, the way most autograders run them. Never use this to grade students.

Loaded with ``-p baseline_plugin`` (bench/ on PYTHONPATH) in a fresh ``python -m pytest`` per
submission. It gives the tests the fixtures the judge gives (``student`` = the imported
submission module, ``reference``, a seeded ``rng``, the same per-test seeds), a per-test wall-clock
limit (SIGALRM, the only kind available in-process), and writes pass/fail and points as JSON.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.judge.plugin import seed_everything, test_seed

SUBMISSION = Path(os.environ.get("BENCH_SUBMISSION", "/nonexistent"))
REFERENCE = Path(os.environ.get("BENCH_REFERENCE", "/nonexistent"))
SEED = int(os.environ.get("BENCH_SEED", "0"))
TIMEOUT_S = float(os.environ.get("BENCH_CALL_TIMEOUT", "10"))
REPORT = os.environ.get("BENCH_REPORT")
RESULTS: dict[str, dict[str, Any]] = {}


def _load(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "grader(points, hint, visibility, name): grading metadata")


def _alarm(signum: int, frame: Any) -> None:
    raise TimeoutError(f"time limit exceeded ({TIMEOUT_S:g} s)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    entry = RESULTS.setdefault(report.nodeid, {"passed": None, "points": 0.0})
    if report.failed:
        entry["passed"] = False
    elif report.when == "call" and report.passed and entry["passed"] is None:
        entry["passed"] = True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("grader")
        RESULTS[item.nodeid] = {"passed": None, "points": float(marker.kwargs.get("points", 0)) if marker else 0.0,
                                "name": item.name}


def pytest_sessionfinish(session: pytest.Session) -> None:
    if REPORT:
        score = sum(r["points"] for r in RESULTS.values() if r["passed"])
        Path(REPORT).write_text(json.dumps({"score": score, "tests": RESULTS}))


@pytest.fixture(autouse=True)
def _seed(request: pytest.FixtureRequest) -> None:
    seed_everything(test_seed(SEED, request.node.name))


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    return np.random.default_rng(test_seed(SEED, request.node.name))


@pytest.fixture(scope="session")
def reference() -> Any:
    return _load(REFERENCE, "_reference_module")


@pytest.fixture(scope="session")
def student() -> Any:
    return _load(SUBMISSION, SUBMISSION.stem)

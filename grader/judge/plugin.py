"""The pytest plugin that runs hidden tests in the judge: fixtures, seeds, and per-test verdicts.

Verdicts are recorded from pytest's own reports in this (trusted) process; the set of tests is
fixed by collection here, before any student code runs, and every collected test ends with a
verdict, so nothing the submission does can add, remove or rename a test.
"""

from __future__ import annotations

import hashlib
import importlib.util
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from grader.judge.assertions import Mismatch
from grader.judge.proxy import (
    HandleMisuse,
    StudentError,
    StudentModule,
    StudentTimeout,
    TestStats,
    WorkerClient,
    WorkerCrashed,
)

if TYPE_CHECKING:
    from grader.judge.lanes import Lanes


@dataclass
class TestRecord:
    nodeid: str
    name: str
    points: float
    visibility: str = "visible"
    hint: str | None = None
    description: str = ""
    describe: bool = False  # students may see the description
    passed: bool | None = None
    category: str = ""  # student-safe words for what went wrong
    details: str = ""  # TA-only
    import_failure: str = ""  # the submission did not import: its exception and traceback (set by the judge)
    duration_s: float = 0.0
    stats: TestStats = field(default_factory=TestStats)


def test_seed(run_seed: int, test_name: str) -> int:
    """A per-test seed that depends on the run's seed and the test's name, not on test order."""
    return int.from_bytes(hashlib.sha256(f"{run_seed}:{test_name}".encode()).digest()[:4], "big")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        # the CPU generator is all there is here; torch.manual_seed would also queue a seed for CUDA,
        # XPU and MTIA, formatting the whole call stack three times (a few ms per test)
        torch.random.default_generator.manual_seed(seed)
        # one thread, as in the sandbox: the same floating-point results whatever the machine, and no
        # OpenMP pool (which a fork of this judge, a test lane, could not use: it would wait forever)
        torch.set_num_threads(1)


def describe_failure(exc: BaseException) -> str:
    """Words a student may see for a hidden test: the kind of failure, never values or inputs."""
    if isinstance(exc, StudentTimeout):
        return str(exc).split(" while ")[0]
    if isinstance(exc, WorkerCrashed):
        return str(exc) if exc.limit else "your program crashed or exited during this test"
    if isinstance(exc, StudentError):
        if exc.import_failed:  # flags set by the judge: the student's text never picks the category
            return f"your file failed to import ({exc.type_name})"
        return f"your code raised {exc.type_name}"
    if isinstance(exc, HandleMisuse):
        return "your code returned an object where plain data (a number, array or tensor) was expected"
    if isinstance(exc, Mismatch):
        return exc.kind
    if isinstance(exc, AssertionError):
        return "wrong result"
    return "the test could not check your code"


def _load_module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class GraderPlugin:
    def __init__(self, client_factory: Callable[[], WorkerClient] | None, reference_path: Path | None,
                 run_seed: int, refusal: str | None = None, lanes: Lanes | None = None) -> None:
        self.client_factory = client_factory
        self.client: WorkerClient | None = None
        self.lanes = lanes  # run the tests in parallel lanes (grader/judge/lanes.py), if more than one
        self.on_begin: Callable[[float], None] | None = None  # told how long each test's start took (lanes)
        self._reference: Any = None
        self.reference_path = reference_path
        self.run_seed = run_seed
        self.refusal = refusal  # why student code cannot be run at all (intake, missing package)
        self.records: dict[str, TestRecord] = {}
        self.collection_errors: list[str] = []

    # --- collection ------------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "grader(points, hint, visibility, name, describe): grading metadata")

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(self, collection_path: Path, config: pytest.Config) -> bool | None:
        """Only the exercise's own folder (the rootdir): pytest would otherwise look at every other
        exercise's folder next to it, for every submission."""
        root = config.rootpath
        return None if root == collection_path or root in collection_path.parents else True

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(str(report.longreprtext))

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            marker = item.get_closest_marker("grader")
            meta = marker.kwargs if marker else {}
            doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
            self.records[item.nodeid] = TestRecord(
                nodeid=item.nodeid,
                name=meta.get("name") or item.name,
                points=float(meta.get("points", 0.0)),
                visibility=meta.get("visibility", "visible"),
                hint=meta.get("hint"),
                description=doc.strip().splitlines()[0] if doc.strip() else "",
                describe=bool(meta.get("describe", False)),
            )

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool | None:
        """The tests in lanes where allowed; else pytest's own loop, one test after the other."""
        if (self.lanes is None or self.refusal or session.testsfailed or session.config.option.collectonly
                or len(session.items) < 2):
            return None
        self.lanes.run(session.items, self)
        return True

    # --- verdicts --------------------------------------------------------------------------------
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
        outcome = yield
        report = outcome.get_result()  # type: ignore[attr-defined]
        record = self.records.get(item.nodeid)
        if record is None:
            return
        record.duration_s += report.duration
        if report.passed and call.when == "call" and record.passed is None:
            record.passed = True
        elif report.failed or report.skipped:
            if record.passed is not False:
                exc = call.excinfo.value if call.excinfo else None
                record.category = describe_failure(exc) if exc else "failed"
                if report.skipped:
                    record.category = "not run"
                record.details = str(report.longreprtext)[-20000:]
                if isinstance(exc, StudentError) and exc.traceback:
                    record.details += "\n\nTraceback inside the submission:\n" + exc.traceback
                if isinstance(exc, StudentError) and exc.import_failed:
                    record.import_failure = f"{exc.type_name}: {exc.message}\n{exc.traceback}"
            record.passed = False

    # --- fixtures --------------------------------------------------------------------------------
    @pytest.fixture(autouse=True)
    def _grader_seed(self, request: pytest.FixtureRequest) -> None:
        seed_everything(test_seed(self.run_seed, request.node.name))

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest) -> np.random.Generator:
        return np.random.default_rng(test_seed(self.run_seed, request.node.name))

    @pytest.fixture(scope="session")
    def reference(self) -> Any:
        if self.reference_path is None or not self.reference_path.is_file():
            pytest.fail("the reference solution is not available here (public tests cannot use it)")
        if self._reference is None:  # kept here, not only by pytest: a lane tears the session down after each test
            name = f"_reference_{self.reference_path.parent.name.replace('-', '_')}"
            self._reference = _load_module(self.reference_path, name)
        return self._reference

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> Iterator[StudentModule]:
        if self.refusal:
            pytest.fail(f"not run: {self.refusal}")
        started = time.monotonic()
        if self.client is None:
            assert self.client_factory is not None
            self.client = self.client_factory()
        record = self.records.get(request.node.nodeid)
        client = self.client
        if time.monotonic() >= client.deadline:
            pytest.fail(f"not run: time limit exceeded ({client.spec.limits.total_timeout_s:g} s for the submission)")
        client.begin(test_seed(self.run_seed, request.node.name))
        if self.on_begin is not None:
            self.on_begin(time.monotonic() - started)
        try:
            yield StudentModule(client)
        finally:
            stats = client.end()
            if record is not None:
                record.stats = stats

    def start_failure(self) -> str:
        """Why the sandboxed worker never started (the judge's verdict and what the sandbox printed), or ""."""
        if self.client is None or self.client.started:
            return ""
        verdicts = [line.split("WorkerCrashed:", 1)[1].strip() for r in self.records.values()
                    for line in r.details.splitlines() if "WorkerCrashed:" in line]
        printed = self.client.output.since(0)
        said = list(dict.fromkeys(line.strip() for line in printed.splitlines() if line.strip()))[-4:]  # the error
        why = (verdicts[0] if verdicts else "the sandboxed worker did not start")[:500]
        return why + (f"; the sandbox said: {' | '.join(said)[:1000]}" if said else "")

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

"""Shared fixtures: a tiny course (tests/course) and a helper that grades source text for real."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.grading import grade_submission
from grader.results import Result
from grader.spec import ExerciseSpec, load_exercise

COURSE = Path(__file__).parent / "course"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _course_env_restored() -> Iterator[None]:
    """`grader --course X` sets GRADER_COURSE for the rest of the process (its commands' judges read it);
    after each test it is what it was before, so a CliRunner call cannot change the next test's course."""
    import os

    before = os.environ.get("GRADER_COURSE")
    yield
    if before is None:
        os.environ.pop("GRADER_COURSE", None)
    else:
        os.environ["GRADER_COURSE"] = before


@pytest.fixture(scope="session")
def toy() -> ExerciseSpec:
    return load_exercise("w01-toy", COURSE)


@pytest.fixture
def grade_source(tmp_path: Path, toy: ExerciseSpec) -> Callable[..., Result]:
    """Write ``source`` as a submission file and grade it in the local sandbox."""

    def grade(source: str, name: str = "toy.py", seed: int = 7) -> Result:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return grade_submission(toy, path, seed=seed, backend="local")

    return grade


def scores(result: Result) -> dict[str, float]:
    return {t.name: t.score for t in result.tests}


REFERENCE_TOY = (COURSE / "reference" / "w01-toy" / "toy.py").read_text()


def tight_course(tmp_path: Path, exercise: str, limits: str) -> Path:
    """A copy of the course's ``exercise`` whose [limits] table is ``limits``, so attacks end in seconds."""
    import shutil

    root = tmp_path / "course"
    for part in ("exercises", "hidden_tests", "reference"):
        shutil.copytree(REPO / part / exercise, root / part / exercise)
    spec = root / "exercises" / exercise / "spec.toml"
    text = spec.read_text()
    spec.write_text(text[: text.index("[limits]")] + limits)
    return root


def _local_isolation() -> tuple[str, tuple[str, ...]]:
    from grader.sandbox.local import local_isolation

    return local_isolation()


needs_isolation = pytest.mark.skipif(_local_isolation()[0].startswith("L0"),
                                     reason="no bubblewrap/user namespaces here: " + "; ".join(_local_isolation()[1]))


def call_in_sandbox(spec: ExerciseSpec, tmp_path: Path, source: str, function: str, *args: object,
                    backend: str = "local") -> object:
    """Write ``source`` as the submission, start a real worker in ``backend`` and call ``function`` once."""
    import time

    from grader.judge.proxy import StudentModule, WorkerClient
    from grader.sandbox import open_sandbox

    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / spec.submission).write_text(source)
    with open_sandbox(backend, folder, spec.limits) as sandbox:
        client = WorkerClient(sandbox, spec, time.monotonic() + 120)
        try:
            client.begin(0)
            return getattr(StudentModule(client), function)(*args)
        finally:
            client.end()
            client.close()


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    """w01-multiply-by-2 of the real course (numpy only, quick to start) with tight limits so attacks end
    fast: the sandbox contract and the docker checks grade hostile variants of its reference."""
    import dataclasses

    base = load_exercise("w01-multiply-by-2", Path(__file__).resolve().parent.parent)
    limits = dataclasses.replace(base.limits, call_timeout_s=3, import_timeout_s=30, total_timeout_s=90,
                                 memory_mb=300, pids=64)
    return dataclasses.replace(base, limits=limits)



def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With GRADER_FAIL_ON_SKIP=1 (`make test`, hence CI) a skipped test fails the run: every skip here
    means a real component (Docker, Redis, PostgreSQL, the CI Celery worker, Chromium, bubblewrap) was
    missing, and a green run must have exercised them all."""
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if os.environ.get("GRADER_FAIL_ON_SKIP") == "1" and skipped and exitstatus == 0:
        reasons = sorted({str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
                          for report in skipped})
        print(f"\n{len(skipped)} test(s) skipped with GRADER_FAIL_ON_SKIP=1 (a service is missing):\n  "
              + "\n  ".join(reasons))
        session.exitstatus = 1

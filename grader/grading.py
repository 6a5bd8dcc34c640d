"""Grading one submission end to end: intake, sandbox, hidden tests in the judge, a Result."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grader import __version__
from grader.intake import CELL_MARKER, IntakeError, StagedSubmission, sha256_of, stage_submission, with_cell_locations
from grader.judge.lanes import Recipe, lanes_for
from grader.judge.plugin import GraderPlugin, TestRecord
from grader.judge.proxy import WorkerClient
from grader.kept import keep_submission
from grader.quiz import grade_quiz
from grader.resources import judge_ini
from grader.results import Result, SandboxRecord, TestResult
from grader.sandbox import Sandbox, SandboxOptions, SandboxUnavailable, open_sandbox
from grader.spec import ExerciseSpec
from grader.text import clean


class NotGraded(Exception):
    """The grader's infrastructure failed (the sandboxed worker never started): nothing was graded."""


def run_pytest(tests_dir: Path, plugin: GraderPlugin) -> str:
    """Run the tests in this (trusted) process with our plugin only; returns pytest's output."""
    for variable in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS"):
        os.environ.pop(variable, None)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    # no:unraisableexception: no student code runs here, and its clean-up ran gc.collect() five times per
    # submission (about 6 ms in a judge with torch loaded)
    args = [str(tests_dir), "-c", str(judge_ini()), "--rootdir", str(tests_dir), "--noconftest",
            "--import-mode=importlib", "-p", "no:cacheprovider", "-p", "no:stepwise", "-p", "no:unraisableexception",
            "--capture=sys", "-q", "-o", "python_files=test_*.py", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    output = io.StringIO()
    before = set(sys.modules)
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            pytest.main(args, plugins=[plugin])
    finally:
        forget_course_modules(before, tests_dir.parent.parent)
    return output.getvalue()


def forget_course_modules(before: set[str], course: Path) -> None:
    """Drop the hidden-test and reference modules this run imported. A judge process grades many
    exercises one after another, and two exercises may both have a ``test_windows.py``: without this,
    the second would be judged by the first one's tests (a module of that name is already imported)."""
    root = str(course.resolve()) + os.sep
    for name in set(sys.modules) - before:
        where = getattr(sys.modules.get(name), "__file__", None) or ""
        if os.path.realpath(where).startswith(root):
            del sys.modules[name]


def _test_result(record: TestRecord, public: bool) -> TestResult:
    passed = bool(record.passed)
    if passed:
        output = "Passed."
    elif public:
        output = record.details[-4000:] or record.category
    else:
        output = f"Failed: {record.category}." + (f" Hint: {record.hint}" if record.hint else "")
    return TestResult(
        name=record.name, score=record.points if passed else 0.0, max_score=record.points,
        status="passed" if passed else "failed", output=output, visibility=record.visibility,
        description=record.description, describe=record.describe, hint=record.hint,
        details=record.details if not passed else "", program_output=record.stats.output,
        duration_s=round(record.duration_s, 4), cpu_s=record.stats.cpu_s, max_rss_kb=record.stats.max_rss_kb,
        public=public)


def run_code_tests(spec: ExerciseSpec, staged: StagedSubmission | None, refusal: str | None, seed: int,
                   backend: str, public: bool, options: SandboxOptions | None = None
                   ) -> tuple[list[TestResult], SandboxRecord | None, list[str], float | None, str]:
    tests_dir = spec.public_tests_dir if public else spec.hidden_tests_dir
    sandbox: Sandbox | None = None
    errors: list[str] = []
    if refusal is None and staged is not None:
        try:
            if options is not None:
                options = dataclasses.replace(options, preload=tuple(spec.preload))
            sandbox = open_sandbox(backend, staged.directory, spec.limits, options)
        except (SandboxUnavailable, RuntimeError, OSError) as exc:
            raise SandboxUnavailable(str(exc)) from None
    deadline = time.monotonic() + spec.limits.total_timeout_s
    factory = (lambda: WorkerClient(sandbox, spec, deadline)) if sandbox else None
    lanes = None
    if sandbox is not None and staged is not None:
        recipe = Recipe(backend, staged.directory, spec.limits, options, spec, deadline, seed)
        lanes = lanes_for(sandbox, recipe, None if public else spec.reference_file, spec.limits.parallel_tests)
    plugin = GraderPlugin(factory, None if public else spec.reference_file, seed, refusal, lanes)
    peak = None
    try:
        log = run_pytest(tests_dir, plugin)
    finally:
        plugin.close()
        if sandbox is not None:
            peak_bytes = lanes.peak_memory_bytes() if lanes is not None else sandbox.peak_memory_bytes()
            peak = round(peak_bytes / (1 << 20), 1) if peak_bytes else None
            sandbox.close()
    not_started = plugin.start_failure() or (lanes.failure if lanes is not None else "")
    if not_started:
        raise NotGraded(not_started)
    if plugin.collection_errors or not plugin.records:
        errors.append(f"the tests in {tests_dir} could not be collected (a grader problem, not the student's):\n"
                      + ("\n".join(plugin.collection_errors) or log)[-4000:])
    for record in plugin.records.values():
        if record.passed is None:  # collected but never reported: no verdict means failed
            record.passed, record.category = False, "failed: no result"
    tests = [_test_result(r, public) for r in plugin.records.values()]
    details = list(sandbox.info.details) if sandbox else []
    if lanes is not None and (parallel := lanes.describe()):
        details.append(parallel)
    sandbox_record = SandboxRecord(sandbox.info.backend, sandbox.info.isolation, details,
                                   sandbox.info.image) if sandbox else None
    failure = next((r.import_failure for r in plugin.records.values() if r.import_failure), "")
    if failure:
        for test, record in zip(tests, plugin.records.values(), strict=True):
            if record.import_failure:  # said once for the file, not once per test with every logic hint
                test.output, test.hint = "Not run: your file does not import (see the message above).", None
    return tests, sandbox_record, errors, peak, failure


def submission_seed(run_seed: int, sha256: str) -> int:
    """The seed one submission's tests use: the first 31 bits of sha256("<run seed>:<submission sha256>").
    Stable (``--seed`` reproduces every submission), and different for every submission of a run, so
    what one submission observed (inputs, expected outputs) answers nothing another one is asked."""
    return int.from_bytes(hashlib.sha256(f"{run_seed}:{sha256}".encode()).digest()[:4], "big") & 0x7FFFFFFF


def grade_submission(spec: ExerciseSpec, source: Path, *, seed: int, backend: str = "local",
                     options: SandboxOptions | None = None,
                     public: bool = False, keep: Path | None = None) -> Result:
    """Grade ``source`` against ``spec``. Raises SandboxUnavailable only if no sandbox can start.
    ``keep``: a folder to copy what was graded into (grader/kept.py), for the TA's code view."""
    started = time.monotonic()
    graded_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    workdir = Path(tempfile.mkdtemp(prefix="grader-stage-"))
    errors: list[str] = []
    staged: StagedSubmission | None = None
    refusal: str | None = None
    not_graded = ""
    import_error = ""
    collection_failed = False
    try:
        try:
            staged = stage_submission(source, spec, workdir / "submission")
        except IntakeError as exc:
            refusal = f"submission rejected: {exc}"
            errors.append(str(exc))
        missing = spec.missing_requirements()
        if missing and refusal is None:
            refusal = f"needs {', '.join(missing)} (install it to grade this exercise)"
            errors.append(refusal)
        sandbox_record, peak = None, None
        sha256 = staged.sha256 if staged else (sha256_of(source) if source.is_file() else "")
        own_seed = submission_seed(seed, sha256)
        if spec.kind == "quiz":
            answers = staged.directory / spec.submission if staged else None
            tests = grade_quiz(spec, answers, refusal)
        else:
            try:
                tests, sandbox_record, test_errors, peak, failure = run_code_tests(
                    spec, staged, refusal, own_seed, backend, public, options)
                errors.extend(test_errors)
                if failure and staged is not None:
                    import_error = describe_import_failure(failure, staged.directory / spec.submission)
                    for test in tests:
                        test.details = locate_in_notebook(test.details, staged.directory / spec.submission)
                collection_failed = bool(test_errors)  # run_code_tests reports only the grader's own failures
            except NotGraded as exc:  # an infrastructure failure is never the student's score
                tests, not_graded = [], f"not graded: {exc}"
                errors.insert(0, not_graded)
        if keep is not None and staged is not None:
            try:
                keep_submission(staged.directory, spec.submission, source, staged.sha256, keep)
            except OSError as exc:  # the grade stands without the copy
                errors.append(f"the graded code could not be kept for the TA view: {exc}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    status = "rejected" if staged is None else "graded"
    if collection_failed:  # never from message text: a file name in an intake error can say anything
        status = "error"
    if not_graded:
        status = "error"
    score = sum(t.score for t in tests)
    return Result(
        exercise=spec.id, title=spec.title, submission=source.name, source=str(source),
        sha256=sha256, seed=seed, submission_seed=own_seed,
        score=score, max_score=sum(t.max_score for t in tests) or spec.points, status=status,
        tests=tests, errors=errors, sandbox=sandbox_record, duration_s=round(time.monotonic() - started, 3),
        peak_memory_mb=peak, grader_version=__version__, graded_at=graded_at, import_error=import_error,
        output="\n".join(errors + (staged.notes if staged else [])))


def locate_in_notebook(text: str, module: Path) -> str:
    """Tracebacks of a converted notebook also name the notebook cell and the line inside it."""
    try:
        module_text = module.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return text
    if not CELL_MARKER.match(module_text.split("\n", 1)[0]):
        return text  # not made from a notebook
    return with_cell_locations(text, module.name, module_text)


def describe_import_failure(failure: str, module: Path) -> str:
    """What stopped the file from importing, once, in the student's terms: the exception, where (the
    notebook cell and line for a notebook), and the lines of the traceback inside their code."""
    head, _, trace = failure.partition("\n")
    head = head.replace("the submission failed to import: ", "", 1)
    lines = trace.splitlines()
    start = next((i for i, line in enumerate(lines) if '"/submission/' in line), len(lines))
    text = "\n".join([head, *lines[start:]]).strip()
    if head.startswith("ModuleNotFoundError"):
        text += "\n(that module is not installed where your code is graded: remove the import, or ask course staff)"
    return clean(locate_in_notebook(text, module), 3000)

"""The job function, `run_job`: the one thing both the embedded pool (pool.py) and a Celery worker
(celery_app.py) call to grade a job.

It claims the job row atomically (grader/server/queue.py), so a re-delivered duplicate is a no-op;
grades the submission in a judge process (spawned, like `grader grade`) with the job's deadline;
writes results.json and report.html in DATA/graded/<submission id>/<grade key>/; then the Grade row,
whose unique (submission, grade key) makes a second write a no-op. A failure of the grader (not
the student: a sandbox that would not start, a crashed judge, a deadline) goes back to the queue;
after ``max_attempts`` the submission is "ungradable — not your fault", never given a 0.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError

from grader.assignment import apply_late, choose
from grader.batch import Job as BatchJob
from grader.batch import _init_judge, _run_job, fresh_seed
from grader.course import load_course, with_default_limits
from grader.results import Result, load_result
from grader.server.db import Grade, Job, Submission
from grader.server.queue import UNGRADABLE, claim, fail, grade_key, latest_grade, record_grade
from grader.server.store import Server, entry_of, history
from grader.site.render import write_report
from grader.spec import load_exercise

__all__ = ["UNGRADABLE", "JobFailed", "Judges", "run_job", "update_counted", "with_db_retry"]
T = TypeVar("T")


class JobFailed(Exception):
    """The grader could not grade this submission (retried, then ungradable)."""


def _orphan_watch(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)  # the server or worker died (kill -9): no judge outlives it; its job's lease runs out


def _init_server_judge(parent: int) -> None:
    threading.Thread(target=_orphan_watch, args=(parent,), name="grader-orphan-watch", daemon=True).start()
    _init_judge()


class Judges:
    """Judge processes (spawned, like `grader grade`), rebuilt if one dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_init_server_judge, initargs=(os.getpid(),))
            return self._pool

    def broken(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _grade(server: Server, judges: Judges, row: Submission) -> Result:
    course = load_course(server.root)
    spec = with_default_limits(load_exercise(row.exercise, server.root), course.default_limits)
    job = BatchJob(f"submission-{row.id}", spec.id, Path(row.stored_path), fresh_seed(), server.backend,
                   limits=spec.limits)
    pool = judges.pool()
    try:
        data = pool.submit(_run_job, str(server.root), job).result(timeout=server.job_deadline_s)
    except BrokenProcessPool:
        judges.broken(pool)
        raise JobFailed("the judge process died while grading") from None
    except TimeoutError:
        judges.broken(pool)
        raise JobFailed(f"grading took longer than {server.job_deadline_s:g} s") from None
    if "__unavailable__" in data:
        raise JobFailed(f"no sandbox: {data['__unavailable__']}")
    result = Result.from_json(data)
    if result.status == "error":
        raise JobFailed("; ".join(result.errors) or "the grader failed")
    return result


def _grade_into(server: Server, judges: Judges, job: Job, row: Submission) -> tuple[Path, float, float]:
    folder = server.graded_dir(row.id, job.grade_key)
    here = grade_key(server.root, row.exercise)
    if here != job.grade_key:
        raise JobFailed(f"this worker's course gives grade key {here}, the job wants {job.grade_key}: "
                        "every worker host needs the server's course folder (docs/deploy.md)")
    result = _grade(server, judges, row)
    result.student = row.student
    folder.mkdir(parents=True, exist_ok=True)
    write_report(result, folder / "report.html")
    result.write(folder / "results.json")
    return folder, result.score, result.max_score


DB_PATIENCE_S = 120.0  # how long a worker waits for a restarting database before giving the job up


def with_db_retry(step: Callable[[], T], patience_s: float = DB_PATIENCE_S) -> T:
    """``step`` (one transaction), again while the database is unreachable (a restart), for ``patience_s``."""
    deadline, pause = time.monotonic() + patience_s, 0.5
    while True:
        try:
            return step()
        except (OperationalError, InterfaceError):
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _claimed(server: Server, job_id: int, worker: str) -> tuple[Job, Submission, Grade | None] | None:
    with server.sessions.begin() as session:
        if not claim(session, job_id, worker, server.lease_s, server.max_attempts):
            return None
        job = session.get(Job, job_id)
        assert job is not None
        row = session.get(Submission, job.submission_id)
        assert row is not None
        done = session.scalar(select(Grade).where(Grade.submission_id == row.id, Grade.grade_key == job.grade_key))
        return job, row, done


def run_job(server: Server, judges: Judges, job_id: int, worker: str) -> str:
    """Claim and grade job ``job_id`` as ``worker``; returns "done", "queued" (retried later), "failed"
    (out of attempts: ungradable) or "skipped" (someone else holds it or it is finished: a duplicate).
    Each database step waits out a database restart (with_db_retry)."""
    claimed = with_db_retry(lambda: _claimed(server, job_id, worker))
    if claimed is None:
        return "skipped"
    job, row, done = claimed
    try:
        if done is None:
            folder, score, max_score = _grade_into(server, judges, job, row)
        else:
            folder, score, max_score = Path(done.result_path), done.score, done.max_score
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, never silent
        reason = str(exc) if isinstance(exc, JobFailed) else f"{type(exc).__name__}: {exc}"
        logging.getLogger("grader.jobs").warning("job %s (submission %s): attempt failed: %s", job_id, row.id,
                                                 reason[:500])

        def failed() -> str:
            with server.sessions.begin() as session:
                return fail(session, job_id, reason, server.max_attempts, worker)
        return with_db_retry(failed)

    def graded() -> None:
        with server.sessions.begin() as session:
            record_grade(session, job, folder, score, max_score)
    with_db_retry(graded)
    with_db_retry(lambda: update_counted(server, row.student, row.exercise))
    return "done"


_COUNTED = threading.Lock()


def update_counted(server: Server, student: str, exercise: str) -> None:
    """RESULTS/<exercise>/<student>/ holds the counted submission's latest result, with the late deduction."""
    course = load_course(server.root)
    assignment = next((a for a in course.assignments.values() if exercise in a.exercises), None)
    if assignment is None:
        return
    with _COUNTED, server.sessions() as session:
        rows = {r.id: r for r in history(session, student, exercise) if r.status != "ungradable"}
        entries = [entry_of(r) for r in rows.values()]
        choice = choose(entries, assignment.due, assignment.late)
        if choice.entry is None:
            return
        chosen = int(choice.entry.folder.name.removeprefix("submission-"))
        grade = latest_grade(session, chosen)
        if grade is None:
            return  # the counted one is still queued: its job writes this when it is done
        result = load_result(Path(grade.result_path) / "results.json")
        out = server.results / exercise / student
        out.mkdir(parents=True, exist_ok=True)
        result = apply_late(result, student, choice, assignment.late)
        write_report(result, out / "report.html")
        result.write(out / "results.json")

"""Grading jobs: one job function, `grade_job`, and an in-process worker pool that runs it.

A job is claimed in one UPDATE (queued -> running, attempts + 1, a lease), so two workers never
hold it at once; the result is written once per (submission, grader version): results.json and
report.html in DATA/graded/<id>/<version>/, then a Grade row whose unique key makes a second write
a no-op. A job that fails (the grader, not the student: a sandbox that would not start, a crashed
judge) or outlives its lease is queued again; after ``max_attempts`` the submission is marked
"ungradable" with the reason, never given a 0. Jobs left "running" by a server that died are
queued again when the next one starts.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from grader import __version__
from grader.assignment import apply_late, choose
from grader.batch import Job as BatchJob
from grader.batch import _init_judge, _run_job, fresh_seed
from grader.course import load_course, with_default_limits
from grader.results import Result, load_result
from grader.server.db import Grade, Job, Submission, utcnow
from grader.server.store import Server, entry_of, history
from grader.site.render import write_report
from grader.spec import load_exercise

UNGRADABLE = "ungradable: not your fault; course staff have been told (it does not count against you)"


class JobFailed(Exception):
    """The grader could not grade this submission (retried, then ungradable)."""


def _orphan_watch(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)  # the server died (kill -9): no judge outlives it; its job is queued again on restart


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


def grade_job(server: Server, judges: Judges, submission_id: int) -> Path:
    """Grade one submission and write its result exactly once; returns the result's folder."""
    folder = server.graded_dir(submission_id, __version__)
    with server.sessions() as session:
        row = session.get(Submission, submission_id)
        if row is None:
            raise JobFailed(f"no submission {submission_id}")
        done = session.scalar(select(Grade).where(Grade.submission_id == submission_id,
                                                  Grade.grader_version == __version__))
    if done is None:
        result = _grade(server, judges, row)
        result.student = row.student
        folder.mkdir(parents=True, exist_ok=True)
        write_report(result, folder / "report.html")
        result.write(folder / "results.json")
        try:
            with server.sessions.begin() as session:
                session.add(Grade(submission_id=submission_id, grader_version=__version__, result_path=str(folder)))
        except IntegrityError:
            pass  # graded meanwhile by another worker (a re-delivered job): its result stands
    with server.sessions.begin() as session:
        session.execute(update(Submission).where(Submission.id == submission_id).values(status="graded"))
        session.execute(update(Job).where(Job.submission_id == submission_id).values(state="done", lease_until=None))
    update_counted(server, row.student, row.exercise)
    return folder


_COUNTED = threading.Lock()


def update_counted(server: Server, student: str, exercise: str) -> None:
    """RESULTS/<exercise>/<student>/ holds the counted submission's result, with the late deduction."""
    course = load_course(server.root)
    assignment = next((a for a in course.assignments.values() if exercise in a.exercises), None)
    if assignment is None:
        return
    with _COUNTED, server.sessions() as session:
        rows = {r.id: r for r in history(session, student, exercise) if r.status != "ungradable"}
        graded = {g.submission_id for g in session.scalars(
            select(Grade).where(Grade.submission_id.in_(rows), Grade.grader_version == __version__))}
    entries = [entry_of(r) for r in rows.values()]
    choice = choose(entries, assignment.deadline(student), assignment.late)
    if choice.entry is None:
        return
    chosen = int(choice.entry.folder.name.removeprefix("submission-"))
    if chosen not in graded:
        return  # the counted one is still queued: its job writes this when it is done
    result = load_result(server.graded_dir(chosen, __version__) / "results.json")
    out = server.results / exercise / student
    out.mkdir(parents=True, exist_ok=True)
    result = apply_late(result, student, choice, assignment.late)
    write_report(result, out / "report.html")
    result.write(out / "results.json")


def fail_job(server: Server, submission_id: int, reason: str) -> None:
    with server.sessions.begin() as session:
        job = session.scalar(select(Job).where(Job.submission_id == submission_id))
        if job is None or job.state == "done":
            return
        job.last_error = reason[:2000]
        job.lease_until = None
        if job.attempts >= server.max_attempts:
            job.state = "failed"
            session.execute(update(Submission).where(Submission.id == submission_id)
                            .values(status="ungradable", reason=f"{UNGRADABLE} ({reason[:500]})"))
        else:
            job.state = "queued"
            session.execute(update(Submission).where(Submission.id == submission_id).values(status="queued"))


def requeue_abandoned(server: Server, everything: bool = False) -> int:
    """Jobs whose lease ran out (or, at start, every "running" job: its server died) go back to the queue;
    one that has already used its attempts becomes ungradable instead."""
    now = utcnow()
    with server.sessions.begin() as session:
        query = select(Job).where(Job.state == "running")
        if not everything:
            query = query.where(Job.lease_until < now)
        stale = list(session.scalars(query))
        for job in stale:
            job.lease_until = None
            if job.attempts >= server.max_attempts:
                job.state, job.last_error = "failed", f"stopped while grading it {job.attempts} times"
                session.execute(update(Submission).where(Submission.id == job.submission_id).values(
                    status="ungradable", reason=f"{UNGRADABLE} (the grader stopped while grading it)"))
            else:
                job.state = "queued"
                session.execute(update(Submission).where(Submission.id == job.submission_id).values(status="queued"))
    return len(stale)


def claim(server: Server, limit: int) -> list[int]:
    """Up to ``limit`` queued jobs, oldest first, each moved to "running" by exactly one claimer."""
    claimed = []
    with server.sessions.begin() as session:
        queued = select(Job.submission_id).where(Job.state == "queued").order_by(Job.id).limit(limit)
        ids = list(session.scalars(queued))
        lease = utcnow() + dt.timedelta(seconds=server.job_deadline_s * 1.5)
        for submission_id in ids:
            done = session.execute(update(Job).where(Job.submission_id == submission_id, Job.state == "queued")
                                   .values(state="running", attempts=Job.attempts + 1, lease_until=lease))
            if done.rowcount:  # type: ignore[attr-defined]
                session.execute(update(Submission).where(Submission.id == submission_id).values(status="grading"))
                claimed.append(submission_id)
    return claimed


class WorkerPool:
    """The embedded default: ``workers`` threads, each grading one claimed job in a judge process."""

    def __init__(self, server: Server, workers: int, poll_s: float = 0.2) -> None:
        self.server, self.workers, self.poll_s = server, workers, poll_s
        self.judges = Judges(max(1, workers))
        self._threads = ThreadPoolExecutor(max(1, workers), thread_name_prefix="grader-job")
        self._running: set[Future[None]] = set()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="grader-dispatch", daemon=True)

    def start(self) -> None:
        requeue_abandoned(self.server, everything=True)
        if self.workers > 0:
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def _run(self, submission_id: int) -> None:
        try:
            grade_job(self.server, self.judges, submission_id)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, never silent
            fail_job(self.server, submission_id, f"{type(exc).__name__}: {exc}" if not isinstance(exc, JobFailed)
                     else str(exc))

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._running = {f for f in self._running if not f.done()}
            free = self.workers - len(self._running)
            if free > 0:
                requeue_abandoned(self.server)
                for submission_id in claim(self.server, free):
                    self._running.add(self._threads.submit(self._run, submission_id))
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._threads.shutdown(wait=False, cancel_futures=True)
        self.judges.close()

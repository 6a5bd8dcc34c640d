"""The job table as a state machine: queueing (idempotent), claiming (atomic), finishing, failing, expiring.

    queued ──dispatcher──> dispatched ──worker claims──> running ──> done
       ^                       │                            │
       └── failed attempt, expired lease or dispatch ───────┘──> failed (attempts used up: "ungradable")

Every transition is one UPDATE guarded by the state it leaves, so two workers (or a re-delivered
duplicate from the broker) never both hold a job; the embedded pool and `grader worker` both go
through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader import __version__
from grader.server.db import LIVE, Grade, Job, Submission, utcnow

UNGRADABLE = "ungradable: not your fault; course staff have been told (it does not count against you)"
WAITING = ("queued", "dispatched")


@lru_cache(maxsize=256)
def _key(root: str, exercise: str, stamp: tuple[float, ...]) -> str:
    from grader.spec import load_exercise
    from grader.validation import content_hash

    return f"{__version__}+{content_hash(load_exercise(exercise, Path(root)))[:12]}"


def grade_key(root: Path, exercise: str) -> str:
    """``<grader version>+<first 12 hex of the exercise's content hash>`` (grader/validation.py: its public
    folder, reference, mutants and hidden tests): a changed hidden test gives a new key."""
    folders = [root / part / exercise for part in ("exercises", "reference", "hidden_tests")]
    stamp = tuple(max((p.stat().st_mtime for p in f.rglob("*")), default=0.0) for f in folders if f.is_dir())
    return _key(str(root), exercise, stamp)


def enqueue(session: Session, submission_id: int, priority: int, root: Path) -> Job:
    """The job grading ``submission_id`` under the course's current grade key, created once (idempotent:
    queueing it again returns the existing job). Runs inside the caller's transaction (the outbox)."""
    row = session.get(Submission, submission_id)
    if row is None:
        raise KeyError(f"no submission {submission_id}")
    key = grade_key(root, row.exercise)
    query = select(Job).where(Job.submission_id == submission_id, Job.grade_key == key)
    existing = session.scalar(query)
    if existing is not None:
        return existing
    job = Job(submission_id=submission_id, grade_key=key, priority=priority, state="queued", attempts=0,
              worker="", last_error="", created_at=utcnow())
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:  # queued meanwhile by another transaction
        found = session.scalar(query)
        assert found is not None
        return found
    return job


def _status(session: Session, job: Job | int, status: str, reason: str = "", live_only: bool = True) -> None:
    """The submission's status follows its live job (a re-grade leaves what the student sees alone)."""
    if isinstance(job, int):
        found = session.get(Job, job)
        assert found is not None
        job = found
    if live_only and job.priority != LIVE:
        return
    session.execute(update(Submission).where(Submission.id == job.submission_id)
                    .values(status=status, reason=reason))


def claim(session: Session, job_id: int, worker: str, lease_s: float, max_attempts: int) -> bool:
    """Take the job for ``worker`` if it is waiting (or its holder's lease ran out): True for exactly one
    claimer; a re-delivered duplicate of a job that is running, done or failed gets False."""
    now = utcnow()
    taken = session.execute(
        update(Job).where(Job.id == job_id, Job.attempts < max_attempts,
                          or_(Job.state.in_(WAITING), (Job.state == "running") & (Job.lease_until < now)))
        .values(state="running", attempts=Job.attempts + 1, worker=worker[:128], started_at=now,
                lease_until=now + dt.timedelta(seconds=lease_s)).execution_options(synchronize_session=False))
    if not taken.rowcount:  # type: ignore[attr-defined]
        return False
    _status(session, job_id, "grading")
    return True


def renew(session: Session, worker: str, lease_s: float, job_ids: Collection[int]) -> int:
    """Extend the leases of the jobs ``worker`` is grading right now (its heartbeat)."""
    if not job_ids:
        return 0
    done = session.execute(update(Job).where(Job.id.in_(list(job_ids)), Job.state == "running",
                                             Job.worker == worker[:128])
                           .values(lease_until=utcnow() + dt.timedelta(seconds=lease_s)))
    return int(done.rowcount)  # type: ignore[attr-defined]


def record_grade(session: Session, job: Job, result_path: Path, score: float, max_score: float) -> None:
    """The Grade row (written once per (submission, grade key): a second write is a no-op) and the job done."""
    try:
        with session.begin_nested():
            session.add(Grade(submission_id=job.submission_id, grade_key=job.grade_key, result_path=str(result_path),
                              score=score, max_score=max_score, graded_at=utcnow()))
    except IntegrityError:
        pass  # graded meanwhile by another worker (a re-delivered job): its result stands
    session.execute(update(Job).where(Job.id == job.id).values(state="done", lease_until=None, finished_at=utcnow()))
    _status(session, job, "graded", live_only=False)


def fail(session: Session, job_id: int, reason: str, max_attempts: int, worker: str | None = None) -> str:
    """A failed attempt: back to "queued", or "failed" (the submission ungradable) once attempts are used up.
    With ``worker``, only if that worker still holds the job (its lease may have gone to another)."""
    job = session.get(Job, job_id)
    if job is None or job.state in ("done", "failed"):
        return job.state if job else "missing"
    if worker is not None and (job.state != "running" or job.worker != worker[:128]):
        return job.state
    job.last_error, job.lease_until, job.worker = reason[:2000], None, ""
    if job.attempts >= max_attempts:
        job.state, job.finished_at = "failed", utcnow()
        graded = session.scalar(select(Grade.id).where(Grade.submission_id == job.submission_id).limit(1))
        if graded is None:  # a failed re-grade keeps the earlier grade; no grade at all: ungradable
            _status(session, job, "ungradable", f"{UNGRADABLE} ({reason[:500]})", live_only=False)
    else:
        job.state = "queued"
        _status(session, job, "queued")
    return job.state


def expire(session: Session, dispatch_timeout_s: float, max_attempts: int, everything: bool = False,
           max_running_s: float | None = None) -> int:
    """Jobs whose running lease ran out (a worker that died), running longer than ``max_running_s`` (a
    worker stuck past the job deadline while still beating) and jobs dispatched longer than
    ``dispatch_timeout_s`` ago (a broker that lost them) go back to "queued" (or "failed" when out of
    attempts); with ``everything``, every running job (the embedded server that held them died)."""
    now = utcnow()
    running = select(Job).where(Job.state == "running")
    if not everything:
        stuck = Job.lease_until < now
        if max_running_s is not None:
            stuck = or_(stuck, Job.started_at < now - dt.timedelta(seconds=max_running_s))
        running = running.where(stuck)
    count = 0
    for job in list(session.scalars(running)):
        fail(session, job.id, f"the worker stopped or overran its deadline while grading it (attempt "
                              f"{job.attempts})", max_attempts)
        count += 1
    lost = session.execute(update(Job).where(Job.state == "dispatched", Job.lease_until < now)
                           .values(state="queued", lease_until=None))
    return count + int(lost.rowcount)  # type: ignore[attr-defined]


def waiting(session: Session, limit: int, priority: int | None = None) -> list[Job]:
    """Queued jobs, live before re-grades, oldest first."""
    query = select(Job).where(Job.state == "queued")
    if priority is not None:
        query = query.where(Job.priority == priority)
    return list(session.scalars(query.order_by(Job.priority, Job.id).limit(limit)))


def mark_dispatched(session: Session, job_ids: list[int], dispatch_timeout_s: float) -> None:
    if job_ids:
        session.execute(update(Job).where(Job.id.in_(job_ids), Job.state == "queued").values(
            state="dispatched", lease_until=utcnow() + dt.timedelta(seconds=dispatch_timeout_s)))


def latest_grade(session: Session, submission_id: int) -> Grade | None:
    """The newest grade of a submission (a re-grade's new key after the old one)."""
    return session.scalar(select(Grade).where(Grade.submission_id == submission_id)
                          .order_by(Grade.graded_at.desc(), Grade.id.desc()).limit(1))

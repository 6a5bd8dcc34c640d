"""What monitoring and a waiting student see: worker heartbeats, queue depth, health, queue position and ETA.

The estimate: live jobs ahead of yours (waiting, live first then oldest) divided by the worker slots
seen in the last minute, times the median of the last 50 grading durations, plus one duration for
your own.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from grader.server.db import Job, WorkerBeat, aware, utcnow
from grader.server.queue import WAITING

SEEN_S = 60.0  # a worker whose last heartbeat is older than this is not counted
DEFAULT_DURATION_S = 30.0  # before anything was graded


def beat(session: Session, name: str, slots: int, busy: int) -> None:
    row = session.get(WorkerBeat, name[:128])
    if row is None:
        session.add(WorkerBeat(name=name[:128], slots=slots, busy=busy, seen_at=utcnow()))
    else:
        row.slots, row.busy, row.seen_at = slots, busy, utcnow()


def workers_seen(session: Session, within_s: float = SEEN_S) -> list[WorkerBeat]:
    since = utcnow() - dt.timedelta(seconds=within_s)
    return list(session.scalars(select(WorkerBeat).where(WorkerBeat.seen_at >= since).order_by(WorkerBeat.name)))


def median_duration(session: Session, last: int = 50) -> float | None:
    query = select(Job.started_at, Job.finished_at).where(Job.state == "done", Job.started_at.is_not(None),
                                                          Job.finished_at.is_not(None))
    rows = session.execute(query.order_by(Job.finished_at.desc()).limit(last)).all()
    durations = [(aware(done) - aware(start)).total_seconds() for start, done in rows if start and done]
    return statistics.median(durations) if durations else None


def position(session: Session, job: Job) -> int | None:
    """1 + the waiting jobs that go before ``job`` (a lower priority number, or the same and older)."""
    if job.state not in WAITING:
        return None
    ahead = session.scalar(select(func.count()).select_from(Job).where(
        Job.state.in_(WAITING), (Job.priority < job.priority) | ((Job.priority == job.priority) & (Job.id < job.id))))
    return int(ahead or 0) + 1


def eta_seconds(session: Session, place: int) -> float:
    slots = sum(w.slots for w in workers_seen(session)) or 1
    each = median_duration(session) or DEFAULT_DURATION_S
    return round(((place - 1) // slots + 1) * each, 1)


def queue_depth(session: Session) -> dict[str, Any]:
    counts = session.execute(select(Job.state, Job.priority, func.count()).group_by(Job.state, Job.priority)).all()
    by_state: dict[str, int] = {}
    by_priority: dict[str, dict[str, int]] = {}
    for state, priority, count in counts:
        by_state[state] = by_state.get(state, 0) + count
        by_priority.setdefault("live" if priority == 0 else "regrade", {})[state] = count
    oldest = session.scalar(select(func.min(Job.created_at)).where(Job.state.in_(WAITING)))
    return {"by_state": by_state, "by_priority": by_priority,
            "oldest_waiting_s": round((utcnow() - aware(oldest)).total_seconds(), 1) if oldest else 0.0,
            "median_grading_s": median_duration(session),
            "workers": [{"name": w.name, "slots": w.slots, "busy": w.busy, "seen_at": aware(w.seen_at).isoformat()}
                        for w in workers_seen(session)]}


def health(session: Session, broker_ok: bool | None) -> dict[str, Any]:
    """DB answers, broker reachable (None: no broker, the embedded pool), workers seen in the last minute."""
    try:
        session.execute(text("SELECT 1"))
        seen = len(workers_seen(session))
        db_ok = True
    except Exception:  # noqa: BLE001 - health reports, never raises
        seen, db_ok = 0, False
    ok = db_ok and broker_ok is not False and seen > 0
    return {"ok": ok, "database": db_ok, "broker": broker_ok, "workers_seen": seen}


def waiting_place(session: Session, submission_id: int) -> tuple[int, float] | None:
    """(position, estimated seconds until graded) of the submission's waiting job, None if none waits."""
    job = session.scalar(select(Job).where(Job.submission_id == submission_id, Job.state.in_(WAITING))
                         .order_by(Job.priority, Job.id).limit(1))
    if job is None:
        return None
    place = position(session, job)
    return (place, eta_seconds(session, place)) if place is not None else None

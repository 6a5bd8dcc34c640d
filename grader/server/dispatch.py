"""The outbox's dispatcher: a thread in `grader serve` (when a broker is configured) that moves committed
"queued" jobs to Celery and marks them "dispatched".

Restart-safe by construction: it keeps no state of its own. A job is sent first and marked after, so a
crash in between sends it again (the worker's atomic claim makes the duplicate a no-op). Each tick it
also puts back what was lost: jobs whose worker stopped beating (their lease ran out), jobs sent but
never claimed within ``dispatch_timeout_s``, and, when Redis answers with a new run id (it restarted
and may have lost its queues), every job still "dispatched". Live jobs go first; re-grades are sent
only while no live job waits, a few at a time, so a re-grade backlog never sits in front of a student.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy import func, select, update

from grader.server.celery_app import TASK, make_celery, queue_names
from grader.server.db import LIVE, REGRADE, Job
from grader.server.monitor import workers_seen
from grader.server.queue import expire, mark_dispatched, waiting
from grader.server.store import Server

LOG = logging.getLogger("grader.dispatch")


class Dispatcher:
    def __init__(self, server: Server, broker: str, prefix: str = "grader", poll_s: float = 0.5,
                 batch: int = 200) -> None:
        self.server, self.broker, self.prefix, self.poll_s, self.batch = server, broker, prefix, poll_s, batch
        self.app = make_celery(broker, prefix, server.job_deadline_s)
        self.live, self.regrade = queue_names(prefix)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="grader-dispatch", daemon=True)
        self._run_id: str | None = None
        self._redis: Any = None
        self._broker_ok: tuple[float, bool] = (0.0, False)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _client(self) -> Any:
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self.broker, socket_timeout=3, socket_connect_timeout=3)
        return self._redis

    def broker_ok(self) -> bool:
        checked, ok = self._broker_ok
        if time.monotonic() - checked > 2:
            try:
                ok = bool(self._client().ping())
            except Exception:  # noqa: BLE001 - reported, not raised
                ok = False
            self._broker_ok = (time.monotonic(), ok)
        return ok

    def _restarted(self) -> bool:
        """True once after Redis comes back with a new run id (its unacked and queued messages may be gone)."""
        run_id = str(self._client().info("server").get("run_id", ""))
        restarted = self._run_id is not None and run_id != self._run_id
        self._run_id = run_id
        return restarted

    def tick(self) -> int:
        """One round: put back what was lost, then send what waits; returns how many jobs were sent."""
        server = self.server
        restarted = self._restarted()
        with server.sessions.begin() as session:
            if restarted:
                LOG.warning("the broker restarted: sending every dispatched job again")
                session.execute(update(Job).where(Job.state == "dispatched").values(state="queued", lease_until=None))
            expire(session, server.dispatch_timeout_s, server.max_attempts,
                   max_running_s=server.job_deadline_s * 2 + 60)
            jobs = [(j.id, j.priority) for j in waiting(session, self.batch, LIVE)]
            if not jobs:
                in_flight = session.scalar(select(func.count()).select_from(Job).where(
                    Job.priority == REGRADE, Job.state == "dispatched")) or 0
                room = max(2, 2 * sum(w.slots for w in workers_seen(session))) - int(in_flight)
                jobs = [(j.id, j.priority) for j in waiting(session, room, REGRADE)] if room > 0 else []
        sent: list[int] = []
        try:
            for job_id, priority in jobs:
                self.app.send_task(TASK, args=[job_id], queue=self.live if priority == LIVE else self.regrade,
                                   retry=True, retry_policy={"max_retries": 2, "interval_start": 0.2,
                                                             "interval_step": 0.5, "interval_max": 1})
                sent.append(job_id)
        finally:
            with server.sessions.begin() as session:
                mark_dispatched(session, sent, server.dispatch_timeout_s)
        return len(sent)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.tick()
            except Exception as exc:  # noqa: BLE001 - broker or database down: try again next tick
                LOG.warning("dispatch failed (will retry): %s", str(exc)[:300])
                self._redis, sent = None, 0
            if sent < self.batch:
                self._wake.wait(self.poll_s)
                self._wake.clear()

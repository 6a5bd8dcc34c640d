"""Grading on Celery with a Redis broker: the app both sides share, its one task, and `grader worker`.

The task calls the same job function as the embedded pool (jobs.run_job), which claims the job row
atomically: a message the broker delivers twice (a worker killed before its ack, celery/celery#7918)
grades once. Settings: late acks and reject-on-worker-lost (a killed worker's task is delivered
again), prefetch 1 (a slot never hoards jobs), a visibility timeout above the job deadline, and two
queues, ``<prefix>-live`` consumed before ``<prefix>-regrade`` (queue_order_strategy "priority").
Workers use Celery's thread pool, one judge process per slot (a prefork child is a daemon and could
not start the judge's process pool); each worker beats in the database every 2 s, which renews the
leases of its running jobs and tells /api/health it is alive.

The beat also watches Celery's consumer. One whose broker connection broke while a job ran cannot ack
that job's message; the message keeps the worker's only prefetch slot, so the consumer never polls the
broker again and never learns that it came back (celery/celery#9054 and its kin): an idle worker while
jobs wait. A worker that stays idle for ``STUCK_BEATS`` beats while its queues hold messages stops
(a warm shutdown) and asks to be started again (``grader worker`` re-executes itself); the job whose
ack was lost is already done in the database, so its message, delivered again, grades nothing twice.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

from celery import Celery
from kombu import Exchange, Queue
from kombu.exceptions import ChannelError

from grader.server.jobs import Judges, run_job
from grader.server.monitor import beat
from grader.server.queue import renew
from grader.server.store import Server

TASK = "grader.grade"
BEAT_S = 2.0
STUCK_BEATS = 5  # idle while jobs wait for this many beats in a row: the consumer is stuck


def queue_names(prefix: str) -> tuple[str, str]:
    return f"{prefix}-live", f"{prefix}-regrade"


def make_celery(broker: str, prefix: str, job_deadline_s: float) -> Celery:
    live, regrade = queue_names(prefix)
    app = Celery("grader", broker=broker, set_as_current=False)
    queues = tuple(Queue(name, Exchange(name), routing_key=name) for name in (live, regrade))  # one exchange each
    app.conf.update(
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_ignore_result=True, task_default_queue=live, task_queues=queues,
        broker_transport_options={"visibility_timeout": int(job_deadline_s * 2 + 60),
                                  "queue_order_strategy": "priority"},
        broker_connection_retry_on_startup=True, broker_connection_timeout=5,
        broker_connection_max_retries=None, worker_hijack_root_logger=False,
        worker_enable_remote_control=False, worker_send_task_events=False)

    @app.task(name=TASK)
    def grade(job_id: int) -> str:
        context = _CONTEXT.get("worker")
        if context is None:
            raise RuntimeError("this process is not a `grader worker`")
        with context.lock:
            context.active.add(int(job_id))
        try:
            outcome = run_job(context.server, context.judges, int(job_id), context.name)
        finally:
            with context.lock:
                context.active.discard(int(job_id))
        logging.getLogger("grader.worker").info("job %s: %s", job_id, outcome)
        return outcome

    return app


@dataclass
class WorkerContext:
    server: Server
    judges: Judges
    name: str
    slots: int
    active: set[int] = field(default_factory=set)  # the jobs this worker's threads grade right now
    lock: threading.Lock = field(default_factory=threading.Lock)
    restart: bool = False  # set when the watchdog stopped a stuck consumer


_CONTEXT: dict[str, WorkerContext] = {}


def _waiting(app: Celery, prefix: str) -> int:
    """Messages waiting in this worker's queues, asked over a connection of its own (0 if unreachable)."""
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)
            channel = connection.default_channel
            waiting = 0
            for name in queue_names(prefix):
                try:
                    waiting += channel.queue_declare(queue=name, passive=True).message_count
                except ChannelError:  # no such queue: nothing was ever sent to it, or it is empty
                    pass
            return waiting
    except Exception:  # noqa: BLE001 - the broker is down or restarting: nothing to say yet
        return 0


def _beat(context: WorkerContext, app: Celery, prefix: str, stop: threading.Event) -> None:
    idle_while_waiting = 0
    while not stop.wait(BEAT_S):
        with context.lock:
            active = set(context.active)
        try:
            with context.server.sessions.begin() as session:
                renew(session, context.name, context.server.lease_s, active)
                beat(session, context.name, context.slots, len(active))
        except Exception as exc:  # noqa: BLE001 - the database may be restarting: beat again later
            logging.getLogger("grader.worker").warning("heartbeat failed: %s", str(exc)[:300])
        idle_while_waiting = idle_while_waiting + 1 if not active and _waiting(app, prefix) else 0
        if idle_while_waiting >= STUCK_BEATS and not context.restart:
            logging.getLogger("grader.worker").warning(
                "idle for %.0f s while jobs wait in the broker: Celery's consumer is stuck (its connection "
                "broke during a job); restarting this worker", idle_while_waiting * BEAT_S)
            context.restart = True
            os.kill(os.getpid(), signal.SIGTERM)  # Celery's warm shutdown; run_worker then says restart


def run_worker(server: Server, broker: str, prefix: str = "grader", concurrency: int = 1,
               name: str | None = None) -> bool:
    """A Celery worker grading jobs from both queues until stopped (SIGTERM finishes the running jobs).
    True if it stopped itself because its consumer was stuck: start a new process for it (Celery keeps
    process-wide state that a second worker in the same process would inherit)."""
    concurrency = max(1, concurrency)
    name = name or f"grader{os.getpid()}@{socket.gethostname()}"
    context = WorkerContext(server, Judges(concurrency), name, concurrency)
    _CONTEXT["worker"] = context
    stop = threading.Event()
    with server.sessions.begin() as session:
        beat(session, name, concurrency, 0)
    app = make_celery(broker, prefix, server.job_deadline_s)
    threading.Thread(target=_beat, args=(context, app, prefix, stop), name="grader-beat", daemon=True).start()
    try:
        worker: Any = app.Worker(hostname=name, pool="threads", concurrency=concurrency,
                                 queues=list(queue_names(prefix)), loglevel="INFO", without_gossip=True,
                                 without_mingle=True, without_heartbeat=True, optimization="fair")
        worker.start()
    finally:
        stop.set()
        context.judges.close()
    return context.restart

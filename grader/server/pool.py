"""The embedded default (no broker): ``workers`` threads inside `grader serve`, each running the same job
function as a Celery worker (jobs.run_job) on a job taken from the database, live ones first."""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from grader.server.jobs import Judges, run_job
from grader.server.monitor import beat
from grader.server.queue import expire, renew, waiting
from grader.server.store import Server


class WorkerPool:
    def __init__(self, server: Server, workers: int, poll_s: float = 0.2) -> None:
        self.server, self.workers, self.poll_s = server, workers, poll_s
        self.name = f"embedded@{socket.gethostname()}:{os.getpid()}"
        self.judges = Judges(max(1, workers))
        self._threads = ThreadPoolExecutor(max(1, workers), thread_name_prefix="grader-job")
        self._running: dict[Future[str], int] = {}
        self._stop = threading.Event()
        self._beat_at = 0.0
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="grader-pool", daemon=True)

    def start(self) -> None:
        with self.server.sessions.begin() as session:  # this server held every running job: it died
            expire(session, self.server.dispatch_timeout_s, self.server.max_attempts, everything=True)
        if self.workers > 0:
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._running = {f: j for f, j in self._running.items() if not f.done()}
            free = self.workers - len(self._running)
            with self.server.sessions.begin() as session:
                if time.monotonic() - self._beat_at > 2:
                    self._beat_at = time.monotonic()
                    renew(session, self.name, self.server.lease_s, set(self._running.values()))
                    beat(session, self.name, self.workers, len(self._running))
                expire(session, self.server.dispatch_timeout_s, self.server.max_attempts,
                       max_running_s=self.server.job_deadline_s * 2 + 60)
                ids = [job.id for job in waiting(session, free)] if free > 0 else []
            for job_id in ids:
                self._running[self._threads.submit(run_job, self.server, self.judges, job_id, self.name)] = job_id
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._threads.shutdown(wait=False, cancel_futures=True)
        self.judges.close()

    def broker_ok(self) -> bool | None:
        return None  # no broker: the embedded pool

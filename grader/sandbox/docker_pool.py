"""Containers started before they are needed, one pool per judge process.

Default (fresh): each container serves exactly one submission; while the judge grades one, the
next container is already booting (importing numpy/torch), so the judge never waits for it.
Opt-in (warm): a container is kept after a submission and serves the next submissions of the same
exercise, wiped between them; docs/sandboxes.md lists exactly what isolation that gives up.
"""

from __future__ import annotations

import atexit
import queue
import threading
from dataclasses import dataclass

from grader.sandbox import docker_engine as engine
from grader.sandbox.docker_container import WorkerContainer
from grader.spec import Limits

MAX_WARM_USES = 50  # submissions per warm container before it is replaced anyway


@dataclass(frozen=True)
class Plan:
    """What the next submissions of this judge process need."""

    limits: Limits
    preload: tuple[str, ...]
    warm: bool = False
    prestart: bool = False  # more submissions follow: boot the next container now


class ContainerPool:
    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.spare: WorkerContainer | None = None
        self.idle: WorkerContainer | None = None
        self.lock = threading.Lock()
        self.doomed: queue.Queue[WorkerContainer | None] = queue.Queue()
        self.reaper: threading.Thread | None = None

    def configure(self, plan: Plan) -> None:
        with self.lock:
            self.plan = plan
            for name in ("spare", "idle"):
                container: WorkerContainer | None = getattr(self, name)
                if container is not None and (container.limits != plan.limits or container.preload != plan.preload):
                    setattr(self, name, None)
                    self.discard(container)

    def acquire(self, image: engine.ImageInfo, limits: Limits) -> WorkerContainer | None:
        """A booting or booted container for a new submission, or None (not configured for these limits)."""
        with self.lock:
            plan = self.plan
            if plan is None or plan.limits != limits:
                return None
            container = None
            if plan.warm and self.idle is not None:
                container, self.idle = self.idle, None
                if not container.alive or container.image.id != image.id or container.submissions >= MAX_WARM_USES:
                    self.discard(container)
                    container = None
            if container is None and self.spare is not None:
                container, self.spare = self.spare, None
                if container.image.id != image.id:
                    self.discard(container)
                    container = None
            if container is None:
                container = WorkerContainer(image, limits, plan.preload).start_async()
            if plan.prestart and not plan.warm and self.spare is None:
                self.spare = WorkerContainer(image, limits, plan.preload).start_async()
            return container

    def release(self, container: WorkerContainer, reusable: bool) -> None:
        """Done with a submission: keep the container warm for the next one, or remove it."""
        with self.lock:
            plan = self.plan
            if (plan is not None and plan.warm and reusable and container.alive and self.idle is None
                    and container.submissions < MAX_WARM_USES):
                self.idle = container
                return
        self.discard(container)

    def discard(self, container: WorkerContainer) -> None:
        """Remove in the background: the judge goes on with the next submission meanwhile."""
        if self.reaper is None or not self.reaper.is_alive():
            self.reaper = threading.Thread(target=self._reap, daemon=True, name="docker-reaper")
            self.reaper.start()
        self.doomed.put(container)

    def _reap(self) -> None:
        while (container := self.doomed.get()) is not None:
            try:
                container.remove()
            except Exception:  # noqa: BLE001 - the end-of-run sweep removes what is left
                pass

    def shutdown(self) -> None:
        with self.lock:
            for container in (self.spare, self.idle):
                if container is not None:
                    self.discard(container)
            self.spare = self.idle = None
            self.plan = None
        if self.reaper is not None and self.reaper.is_alive():
            self.doomed.put(None)
            self.reaper.join(timeout=60)


POOL = ContainerPool()


def _shutdown() -> None:
    POOL.shutdown()


atexit.register(_shutdown)
try:  # judge processes of a multiprocessing pool exit without running atexit handlers
    import multiprocessing.util

    multiprocessing.util.Finalize(None, _shutdown, exitpriority=10)
except ImportError:  # pragma: no cover
    pass

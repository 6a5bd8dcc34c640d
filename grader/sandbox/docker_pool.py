"""Containers started before they are needed, one pool per judge process.

``--isolation container``: each container serves exactly one submission; while the judge grades
one, the next container is already booting (importing numpy/torch), so the judge never waits for it.
(The shared warm pool of earlier versions is retired: docs/sandboxes.md.)
"""

from __future__ import annotations

import atexit
import queue
import threading
from dataclasses import dataclass

from grader.sandbox import docker_engine as engine
from grader.sandbox.docker_container import WorkerContainer
from grader.spec import Limits


@dataclass(frozen=True)
class Plan:
    """What the next submissions of this judge process need."""

    limits: Limits
    preload: tuple[str, ...]
    prestart: bool = False  # more submissions follow: boot the next container now


class ContainerPool:
    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.spare: WorkerContainer | None = None
        self.lock = threading.Lock()
        self.doomed: queue.Queue[WorkerContainer | None] = queue.Queue()
        self.reaper: threading.Thread | None = None

    def configure(self, plan: Plan) -> None:
        with self.lock:
            self.plan = plan
            container = self.spare
            if container is not None and (container.limits != plan.limits or container.preload != plan.preload):
                self.spare = None
                self.discard(container)

    def acquire(self, image: engine.ImageInfo, limits: Limits) -> WorkerContainer | None:
        """A booting or booted container for a new submission, or None (not configured for these limits)."""
        with self.lock:
            plan = self.plan
            if plan is None or plan.limits != limits:
                return None
            container = None
            if self.spare is not None:
                container, self.spare = self.spare, None
                if container.image.id != image.id:
                    self.discard(container)
                    container = None
            if container is None:
                container = WorkerContainer(image, limits, plan.preload).start_async()
            if plan.prestart and self.spare is None:
                self.spare = WorkerContainer(image, limits, plan.preload).start_async()
            return container

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
            if self.spare is not None:
                self.discard(self.spare)
            self.spare = None
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

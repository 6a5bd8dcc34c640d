"""The docker sandbox: each submission runs in its own container (defences.md 4.2 flags).

Behind the same interface as the local backend. ``spawn`` starts the worker as a *generation*
inside the submission's container: boot.py, the container's main process, has imported
numpy/torch before the submission was even known, and forks the worker; a per-call timeout kills
the generation from outside and the next test gets a new one in the same container without
paying for a new container or a new ``import torch``. Containers come from a per-process pool
(docker_pool.py) that boots the next one while the judge works. The default is not this class but
the zygote pool (docker_zygote.py); this is ``--isolation container``. The shared warm pool of
earlier versions is retired: the zygote pool is as fast and isolates each submission (docs/sandboxes.md).
"""

from __future__ import annotations

import functools
import os
import shutil
import struct
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader.sandbox import docker_engine as engine
from grader.sandbox import docker_zygote, zygote_child
from grader.sandbox.base import ISOLATION_FRESH, JOBS_ROOT, RunResult, Sandbox, SandboxInfo, SandboxOptions, limit_words
from grader.sandbox.docker_container import ContainerFailed, DockerProcess, WorkerContainer, copy_submission
from grader.sandbox.docker_pool import POOL, Plan
from grader.sandbox.docker_zygote import DockerZygoteSandbox
from grader.spec import Limits

ISOLATION = ("L4: Docker container (namespaces, default seccomp, no network, uid 65532, no capabilities, "
             "no-new-privileges, read-only root, cgroup memory/pids/cpu limits)")
CONTAINER_MODES = ("container", ISOLATION_FRESH)  # a fresh container per submission
SYNC_TIMEOUT_S = 15.0  # a container that served before must answer a new generation this fast
BOOT_TIMEOUT_S = 300.0  # a new container imports numpy/torch first: slow on a busy machine, not the student's fault


@functools.cache
def _image() -> engine.ImageInfo | None:
    return engine.image_info()


_usable = False  # once the engine and image were fine in this process, they stay assumed fine


def available() -> str | None:
    """None if the docker backend can run here, else why not (engine, image)."""
    global _usable
    if _usable:
        return None
    problem = engine.engine_problem() or engine.image_problem(_image())
    if problem:
        _image.cache_clear()
    _usable = problem is None
    return problem


def problem() -> str | None:
    return available()


def isolation() -> tuple[str, tuple[str, ...]]:
    """The default's level (the zygote pool); ``--isolation container`` reaches ISOLATION."""
    return docker_zygote.ISOLATION, ("--isolation container: a container per submission",)


def open_sandbox(submission_dir: Path, limits: Limits, options: SandboxOptions | None) -> Sandbox:
    """The zygote pool by default (docker_zygote.py); a container per submission for ``--isolation
    container``; with "auto", a container per submission when the pool cannot start."""
    wanted = options.isolation if options else "auto"
    if wanted in CONTAINER_MODES:
        return DockerSandbox(submission_dir, limits, options)
    try:
        return DockerZygoteSandbox(submission_dir, limits, options)
    except (zygote_child.ZygoteError, OSError, RuntimeError) as exc:
        if wanted != "auto":
            raise RuntimeError(f"the docker zygote pool cannot run here: {exc}") from None
        sandbox = DockerSandbox(submission_dir, limits, options)
        sandbox.info = replace(sandbox.info, details=(*sandbox.info.details,
                                                      f"zygote pool unavailable, a container per submission: {exc}"))
        return sandbox


def sweep(run: str | None = None) -> int:
    """Remove our containers: those of ``run``, or (None) those whose grader process is gone."""
    return engine.sweep(run)


def shutdown() -> None:
    POOL.shutdown()
    docker_zygote.shutdown()


def _preload_of(argv: list[str]) -> tuple[str, ...]:
    if "--preload" in argv[:-1]:
        return tuple(filter(None, argv[argv.index("--preload") + 1].split(",")))
    return ()


@dataclass
class DockerSandbox(Sandbox):
    container: WorkerContainer | None = field(default=None, init=False)
    pooled: bool = field(default=False, init=False)
    loaded: bool = field(default=False, init=False)
    _seen: tuple[int, int] = field(default=(0, 0), init=False)
    _peak: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        image = _image()
        problem = engine.image_problem(image)
        if problem or image is None:
            raise RuntimeError(problem or "no worker image")
        self.image = image
        if self.options is not None:  # a batch: tell this process's pool what the next submissions need
            POOL.configure(Plan(self.limits, self.options.preload, self.options.prestart))
        self.container = POOL.acquire(image, self.limits)
        self.pooled = self.container is not None
        mode = "fresh container for this submission"
        where = (f"host interpreter {self.image.python} and /usr bound read-only" if self.image.kind == "host"
                 else "self-contained image")
        self.info = SandboxInfo(backend="docker", isolation=ISOLATION,
                                details=(mode, where, "isolation mode: container"),
                                image=self.image.id)

    def worker_command(self, submission_name: str, preload: list[str], forbid: list[str]) -> list[str]:
        return self.worker_argv(self.image.python, submission_name, preload, forbid)

    def _container_for(self, argv: list[str]) -> WorkerContainer:
        container = self.container
        worker = argv[1:4] == ["-I", "-B", "/worker/worker.py"]
        preload = _preload_of(argv) if worker else self.container_preload()
        if container is not None:
            try:
                container.ready()
            except ContainerFailed:
                self._drop(container)
                container = None
        if container is not None and (not container.alive or (worker and container.preload != preload)):
            self._drop(container)
            container = None
        if container is None:
            container = WorkerContainer(self.image, self.limits, preload)
            self.container = container
            container.start()
            self.loaded = False
        if not self.loaded:
            container.load_submission(self.submission_dir)
            self.loaded = True
            usage = container.usage()
            self._seen = (usage["oom"], usage["pids"])
        return container

    def container_preload(self) -> tuple[str, ...]:
        return POOL.plan.preload if POOL.plan else ()

    def _drop(self, container: WorkerContainer) -> None:
        self._note_peak(container)
        self.container = None
        if self.pooled:
            POOL.discard(container)
        else:
            container.remove()

    def _note_peak(self, container: WorkerContainer) -> None:
        peak = container.usage()["peak"] if container.alive else None
        self._peak = max(self._peak, peak or 0)

    def spawn(self, argv: list[str]) -> DockerProcess:
        """Start the worker once boot answers, so booting never counts against the submission's time.

        A container that answered before must answer at once; if it does not (a submission stopped
        or tampered with boot, or the container died), the next try uses a new container.
        """
        for attempt in range(3):
            container = self._container_for(argv)
            wait = SYNC_TIMEOUT_S if container.generations > 0 else BOOT_TIMEOUT_S
            process = container.spawn(argv)
            if container.wait_synced(process.generation, wait) or attempt == 2:
                return process
            process.kill()
            self._drop(container)
        raise AssertionError("unreachable")

    def run(self, argv: list[str], timeout_s: float, output_limit: int = 64 << 10) -> RunResult:
        """A one-shot command in its own fresh container (no boot, no stdin)."""
        import requests

        client = engine.api()
        JOBS_ROOT.mkdir(mode=0o700, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="job-run-", dir=JOBS_ROOT))
        (folder / "owner").write_text(str(os.getpid()))
        copy_submission(self.submission_dir, folder / "submission")
        config = engine.container_config(self.image, argv, self.limits, engine.labels_for("run"),
                                         {str(folder / "submission"): "/submission"}, stdin=False)
        config["host_config"]["AutoRemove"] = False  # keep it until its state has been read
        try:
            container_id = client.create_container(use_config_proxy=False, **config)["Id"]
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        try:
            sock = client.attach_socket(container_id, params={"stdout": 1, "stderr": 1, "stream": 1})
            raw = getattr(sock, "_sock", sock)
            captured = {1: bytearray(), 2: bytearray()}
            reader = threading.Thread(target=_drain, args=(raw, captured, output_limit), daemon=True)
            reader.start()
            client.start(container_id)
            timed_out, code = False, None
            try:
                code = int(client.wait(container_id, timeout=timeout_s)["StatusCode"])
            except requests.exceptions.RequestException:
                timed_out = True
                client.kill(container_id, "SIGKILL")
            reader.join(timeout=5)
            state = client.inspect_container(container_id)["State"]
            limit = f"memory limit exceeded ({self.limits.memory_mb} MiB)" if state.get("OOMKilled") else None
            return RunResult(code, captured[1].decode(errors="replace"), captured[2].decode(errors="replace"),
                             timed_out, limit)
        finally:
            engine.remove(container_id)
            shutil.rmtree(folder, ignore_errors=True)

    def kill_all(self) -> None:
        if self.container is not None:
            self.container.kill_generation()

    def limit_exceeded(self) -> str | None:
        """A limit hit since the previous call (the kernel's counters for this container)."""
        container = self.container
        if container is None or container.view is None:
            return None
        usage = container.usage()
        counts = (int(usage["oom"]), int(usage["pids"]))
        before, self._seen = self._seen, counts
        return limit_words(self.limits, before, counts)

    def peak_memory_bytes(self) -> int | None:
        if self.container is not None:
            self._note_peak(self.container)
        return self._peak or None

    def close(self) -> None:
        container, self.container = self.container, None
        if container is None:
            return
        try:
            container.ready()
        except ContainerFailed:
            pass
        self._note_peak(container)
        container.kill_generation()
        if self.pooled:
            POOL.discard(container)
        else:
            container.remove()


def _drain(sock: object, captured: dict[int, bytearray], cap: int) -> None:
    """Demultiplex a finished command's output, keeping at most ``cap`` bytes per stream."""
    stream = sock.makefile("rb")  # type: ignore[attr-defined]
    while len(header := stream.read(8)) == 8:
        kind, size = header[0], struct.unpack(">I", header[4:])[0]
        payload = stream.read(size)
        if kind in captured and len(captured[kind]) < cap:
            captured[kind] += payload[: cap - len(captured[kind])]

"""The docker backend's default: the shared zygote (grader/inside/zygote.py) in a long-lived pool
container, a fresh child per worker in new namespaces, and a fresh cgroup per submission.

One pool container per judge process and (worker image, limits), with every flag of a submission
container (docker_engine.container_config: no network, read-only root, cap-drop ALL,
no-new-privileges, uid 65532, memory/pids limits for the whole pool) and the seccomp profile that
adds user namespaces to the engine's default (docker_seccomp.py). The host folder of the pool holds
``worker`` (bound read-only at /worker), ``subs`` (one folder per submission, read-only at /subs; each
child binds only its own at /submission and covers /subs) and ``control``: the host listens on a
SOCK_SEQPACKET socket there, the container's first process connects to it and execs the zygote with
that descriptor, and the host unlinks the socket once connected (SCM_RIGHTS crosses the container
boundary: the children's pipes are the host's). Per submission the host creates a child cgroup under
the container's (cgroup v1: the memory and pids hierarchies, ``.../docker/<id>/job-*``), moves each
child into it before it runs, reads its counters for the verdicts and removes it afterwards. A pool
whose zygote died, refused a request or reported tampering is removed, never reused.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from grader.inside.wire import SANDBOX_UID
from grader.sandbox import docker_engine as engine
from grader.sandbox import docker_seccomp, zygote_child, zygote_host
from grader.sandbox.base import (
    BASE_ENV,
    ISOLATION_ZYGOTE,
    PASSTHROUGH_ENV,
    Sandbox,
    SandboxInfo,
)
from grader.sandbox.cgroups import JobCgroup
from grader.spec import Limits

ISOLATION = ("L4: Docker pool container (no network, uid 65532, no capabilities, no-new-privileges, read-only "
             "root, default seccomp + user namespaces) + a zygote fork into fresh namespaces (user, pid, net, ipc, "
             "uts, mount, cgroup) and a fresh cgroup per submission + rlimits + seccomp (keyring, mounts, "
             "namespaces, modules, bpf, perf, ptrace... denied)")
# What the engine masks and makes read-only in a container's /proc and /sys (HostConfig.MaskedPaths,
# ReadonlyPaths of a default container; tests/test_docker_zygote.py compares). The pool container runs
# without them, because a masked /proc forbids the fresh /proc each child mounts in its PID namespace;
# each child applies them again in its own mount namespace before the submission runs.
MASKED_PATHS = ("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware")
READONLY_PATHS = ("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")
ZYGOTE_MB = 768  # the zygote's own interpreter with numpy and torch, on top of one submission's memory
ZYGOTE_PIDS = 64
CONNECT = ("import os, socket, sys\n"
           "s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n"
           "s.connect('/control/zygote.sock')\n"
           "os.set_inheritable(s.fileno(), True)\n"
           "os.execv(sys.executable, [sys.executable, '-I', '-B', '/worker/zygote.py', '--control', str(s.fileno()),"
           " '--preload', sys.argv[1]])\n")


def pool_limits(limits: Limits) -> Limits:
    """The pool container's limits: room for one submission's test lanes, each with its own cgroup and the
    submission's limits (grader/judge/lanes.py), plus the zygote's own."""
    lanes = max(1, limits.parallel_tests)
    return replace(limits, memory_mb=limits.memory_mb * lanes + ZYGOTE_MB, pids=limits.pids * lanes + ZYGOTE_PIDS)


class PoolZygote(zygote_host.Zygote):
    """The zygote running in its own pool container (see the module docstring)."""

    def __init__(self, image: engine.ImageInfo, limits: Limits) -> None:
        self.image, self.limits = image, limits
        self.container_id: str | None = None
        self.view: engine.CgroupView | None = None
        self.number = 0  # the how-manieth pool of this judge process (set by ``shared``)
        super().__init__()

    def _start(self) -> None:
        control = self.dir / "control"
        control.mkdir(mode=0o755)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            listener.bind(str(control / "zygote.sock"))
            os.chown(control / "zygote.sock", SANDBOX_UID, SANDBOX_UID)
            os.chmod(control / "zygote.sock", 0o600)
            listener.listen(1)
            self._start_container(control)
            listener.settimeout(zygote_host.START_TIMEOUT_S)
            try:
                self.sock, _ = listener.accept()
            except TimeoutError:
                raise zygote_child.ZygoteError("the pool container's zygote did not connect in time") from None
        finally:
            listener.close()
            (control / "zygote.sock").unlink(missing_ok=True)  # nothing else connects to it
        peer = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
        peer_pid = int.from_bytes(peer[:4], "little")
        if self.view is None or not self.view.owns(peer_pid):
            raise zygote_child.ZygoteError("the control socket's peer is not the pool container's process")
        self.sock.setblocking(True)
        hello = self._receive(time.monotonic() + zygote_host.START_TIMEOUT_S)
        if not hello.get("ready") or zygote_host._nspids(peer_pid)[1:2] != [hello.get("pid")]:
            raise zygote_child.ZygoteError(f"the zygote did not start: {hello}")
        self.host_pid: int = peer_pid

    def _start_container(self, control: Path) -> None:
        command = [self.image.python, "-I", "-B", "-c", CONNECT, zygote_host.PRELOAD]
        binds = {str(self.dir / "worker"): "/worker", str(self.subs): "/subs", str(control): "/control"}
        labels = engine.labels_for(self.dir.name)
        config = engine.container_config(self.image, command, pool_limits(self.limits), labels, binds, stdin=False,
                                         seccomp=docker_seccomp.profile_text())
        config["host_config"]["MaskedPaths"] = config["host_config"]["ReadonlyPaths"] = []
        client = engine.api()
        self.container_id = client.create_container(name=f"grader-{self.dir.name}", use_config_proxy=False,
                                                    **config)["Id"]
        client.start(self.container_id)
        init_pid = int(client.inspect_container(self.container_id)["State"]["Pid"])
        self.view = engine.CgroupView.attach(self.container_id, init_pid)
        if self.view is None:
            raise zygote_child.ZygoteError("the host cannot see the pool container's processes and cgroup")

    def alive(self) -> bool:
        try:
            return self.view is not None and self.view.owns(self.host_pid)
        except AttributeError:  # not started
            return False

    def stop(self) -> None:
        if self.container_id is not None:
            try:
                engine.remove(self.container_id)
            except Exception:  # noqa: BLE001 - the end-of-run sweep removes what is left
                pass
        super().stop()

    def child_cgroup(self, name: str, limits: Limits) -> JobCgroup | None:
        """A cgroup for one submission below the pool container's, with that submission's limits."""
        if self.view is None or "memory" not in self.view.dirs or "pids" not in self.view.dirs:
            return None
        memory, pids = self.view.dirs["memory"] / name, self.view.dirs["pids"] / name
        v2 = memory == pids
        try:
            memory.mkdir()
            if not v2:
                pids.mkdir()
        except OSError:
            return None
        group = JobCgroup(memory, pids, 2 if v2 else 1)
        try:
            if v2:
                (memory / "memory.max").write_text(str(limits.memory_mb << 20))
                (memory / "memory.swap.max").write_text("0")
            else:
                (memory / "memory.limit_in_bytes").write_text(str(limits.memory_mb << 20))
                (memory / "memory.memsw.limit_in_bytes").write_text(str(limits.memory_mb << 20))
            (pids / "pids.max").write_text(str(limits.pids))
        except OSError:
            group.remove()
            return None
        return group


_POOLS: dict[tuple[str, Limits], PoolZygote] = {}
_POOLS_LOCK = threading.Lock()
_STARTED = [0]  # pools this process started: a result says which one graded it


def shared(image: engine.ImageInfo, limits: Limits) -> PoolZygote:
    """This process's pool for (image, limits), started on first use and again whenever it died."""
    key = (image.id, limits)
    with _POOLS_LOCK:
        for other, value in list(_POOLS.items()):
            if value.owner != os.getpid():  # a forked process (a pool worker): never share its parent's socket
                _POOLS.pop(other)
        pool = _POOLS.get(key)
        if pool is not None and not pool.alive():
            _POOLS.pop(key)
            pool.stop()
            pool = None
        if pool is None:
            if not _POOLS:
                atexit.register(shutdown)
            pool = _POOLS[key] = PoolZygote(image, limits)
            _STARTED[0] += 1
            pool.number = _STARTED[0]
        return pool


def adopt_inherited() -> None:
    """In a test lane (a fork of this judge, grader/judge/lanes.py): use the judge's pools, never stop them."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.owner, pool.borrowed = os.getpid(), True


def numbers() -> list[int]:
    """Which of this process's pools are in use (grader.sandbox.zygote_numbers)."""
    return [pool.number for pool in _POOLS.values()]


def discard(pool: PoolZygote) -> None:
    """Remove a pool that failed a request; the next ``shared()`` starts a fresh one."""
    with _POOLS_LOCK:
        for key, value in list(_POOLS.items()):
            if value is pool:
                _POOLS.pop(key)
    pool.stop()


def shutdown() -> None:
    with _POOLS_LOCK:
        pools = [pool for pool in _POOLS.values()
                 if pool.owner == os.getpid() and not pool.borrowed]  # never a parent's or a judge's
        _POOLS.clear()
    for pool in pools:
        pool.stop()


try:  # judge processes of a multiprocessing pool exit without running atexit handlers
    import multiprocessing.util

    multiprocessing.util.Finalize(None, shutdown, exitpriority=10)
except ImportError:  # pragma: no cover
    pass


@dataclass
class DockerZygoteSandbox(zygote_child.CgroupCounted, Sandbox):
    """One submission: its folder in the pool, its cgroup, and the children the zygote forked for it."""

    processes: list[zygote_child.ZygoteProcess] = field(default_factory=list, init=False)
    _seen: tuple[int, int] = field(default=(0, 0), init=False)

    def __post_init__(self) -> None:
        image = engine.image_info()
        problem = engine.image_problem(image)
        if problem or image is None:
            raise RuntimeError(problem or "no worker image")
        self.image = image
        self.job_id = f"job-{uuid.uuid4().hex[:12]}"
        self.cgroup: JobCgroup | None = None
        self.pool = self._place(shared(image, self.limits))
        where = (f"host interpreter {image.python} and /usr bound read-only" if image.kind == "host"
                 else "self-contained image")
        self.info = SandboxInfo(backend="docker", isolation=ISOLATION, details=(self._mode(), where), image=image.id)

    def _mode(self) -> str:
        return f"isolation mode: {ISOLATION_ZYGOTE} #{self.pool.number} of this judge (pool container)"

    def _place(self, pool: PoolZygote) -> PoolZygote:
        """The submission in ``pool``'s folder (readable by the sandbox's user) and its cgroup there."""
        target = pool.subs / self.job_id / "submission"
        shutil.copytree(self.submission_dir, target, symlinks=False,
                        ignore=lambda folder, names: [n for n in names if os.path.islink(os.path.join(folder, n))])
        for top, _dirs, files in os.walk(pool.subs / self.job_id):
            os.chmod(top, 0o755)
            for name in files:
                os.chmod(os.path.join(top, name), 0o444)
        if self.cgroup is not None:
            self.cgroup.remove()
        self.cgroup = pool.child_cgroup(self.job_id, self.limits)
        if self.cgroup is None:
            raise RuntimeError("could not create the submission's cgroup below the pool container's")
        self._seen = (0, 0)
        return pool

    def worker_command(self, submission_name: str, preload: list[str], forbid: list[str]) -> list[str]:
        return self.worker_argv(self.image.python, submission_name, preload, forbid)

    def forks_cheaply(self) -> bool:
        return True

    def _request(self, argv: list[str]) -> dict[str, Any]:
        env = dict(BASE_ENV)
        env.update({k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ})
        rlimits = {"RLIMIT_CORE": 0, "RLIMIT_NOFILE": engine.NOFILE, "RLIMIT_FSIZE": self.limits.file_size_mb << 20,
                   "RLIMIT_CPU": int(self.limits.total_timeout_s) + 10}
        return {"submission": f"/subs/{self.job_id}/submission", "argv": argv, "env": env,
                "mode": "worker" if argv[1:4] == ["-I", "-B", "/worker/worker.py"] else "exec",
                "tmpfs_bytes": min(self.limits.memory_mb, 1024) << 20, "rlimits": rlimits,
                "seccomp": zygote_child.encoded_filter(), "hide": ["/subs", "/control"],
                "mask": list(MASKED_PATHS), "readonly": list(READONLY_PATHS)}

    def spawn(self, argv: list[str]) -> zygote_child.ZygoteProcess:
        """A fresh child of the pool's zygote (``start_in_zygote``)."""
        return self.start_in_zygote(self._request(argv))

    def _zygote(self) -> PoolZygote:
        pool = shared(self.image, self.limits)
        if pool is not self.pool:  # the previous pool died or failed: a fresh one, and the result says so
            shutil.rmtree(self.pool.subs / self.job_id, ignore_errors=True)
            self.pool = self._place(pool)
            self.info = replace(self.info, details=(self._mode(), *self.info.details[1:]))
        return pool

    def _discard(self, zygote: zygote_child.Spawner) -> None:
        assert isinstance(zygote, PoolZygote)
        discard(zygote)

    def close(self) -> None:
        self.kill_all()
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        shutil.rmtree(self.pool.subs / self.job_id, ignore_errors=True)

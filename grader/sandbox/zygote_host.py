"""The trusted side of the local backend's zygote (grader/inside/zygote.py): start it, ask it for a
freshly isolated child per submission, move that child into the submission's cgroup, kill it.

One zygote per judge process, started lazily inside an outer bubblewrap sandbox (read-only binds, no
network, the unprivileged uid SANDBOX_UID, but without ``--disable-userns`` and under the seccomp
variant that lets it make namespaces and mounts). It is restarted when it died, refused a request,
or reported that its own state changed, so a dead or tampered zygote never grades another
submission. Every wait on it has a deadline; every message from it is size-capped (one datagram).
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from grader.inside.wire import SANDBOX_UID
from grader.sandbox import cgroups, seccomp
from grader.sandbox.base import (
    BASE_ENV,
    CPUS,
    JOBS_ROOT,
    python_dirs,
    stage_worker_files,
)
from grader.sandbox.bubblewrap import LAUNCHER, host_identity, prepare_jobs_root, staged_python_binds
from grader.sandbox.cgroups import JobCgroup
from grader.sandbox.zygote_child import ZygoteError, encoded_filter, start_child

PRELOAD = "numpy,torch"
START_TIMEOUT_S = 180.0  # import torch on a loaded machine
SPAWN_TIMEOUT_S = 30.0
THP = "/sys/kernel/mm/transparent_hugepage"  # read-only: whether (and how) huge pages are on
MAX_MESSAGE = 1 << 16


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def _nspids(pid: int) -> list[int]:
    """A process's pid in each PID namespace it is in, outermost (ours) first."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return [int(p) for p in line.split()[1:]]
    except (OSError, ValueError):
        pass
    return []


def _parent(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("PPid:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


class Zygote:
    """One running zygote sandbox and its control socket."""

    def __init__(self) -> None:
        prepare_jobs_root(0o711)
        self.dir = Path(tempfile.mkdtemp(prefix="zygote-", dir=JOBS_ROOT))
        self.dir.chmod(0o711)
        (self.dir / "owner").write_text(str(os.getpid()))
        stage_worker_files(self.dir / "worker")
        self.subs = self.dir / "subs"
        self.subs.mkdir(mode=0o711)
        self.lock = threading.Lock()
        self.number = 0  # the how-manieth zygote of this process (set by ``shared``)
        self.owner = os.getpid()
        self.borrowed = False  # a test lane's view of its judge's zygote (adopt_inherited): never stopped there
        self.popen: subprocess.Popen[bytes] | None = None
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        drop_to = host_identity()[0]
        self.cpu = cgroups.cpu_cap(self.dir.name, CPUS)  # the zygote and all it forks share one core
        config: dict[str, Any] = {"rlimits": {"RLIMIT_CORE": 0, "RLIMIT_NOFILE": 4096},
                                  "drop_to": list(drop_to) if drop_to else None,
                                  "cgroup_procs": self.cpu.procs_files if self.cpu else []}
        binds: list[str] = []
        if seccomp.supported():
            (self.dir / "zygote.bpf").write_bytes(seccomp.zygote_program())
            (self.dir / "zygote.bpf").chmod(0o400)
            config["seccomp"] = str(self.dir / "zygote.bpf")
        if drop_to:
            config["stage"], binds = staged_python_binds(self.dir / "py")
        else:
            for directory in python_dirs():
                binds += ["--ro-bind", directory, directory]
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [shutil.which("bwrap") or "bwrap", "--die-with-parent", "--new-session", "--unshare-all",
                   "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--cap-drop", "ALL",
                   "--hostname", "sandbox", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
                   "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
                   "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--proc", "/proc", "--dev", "/dev",
                   "--ro-bind-try", THP, THP,  # malloc reads the mode to use huge pages (inside/zygote.py)
                   "--tmpfs", "/tmp", "--dir", "/job", "--dir", "/submission", *binds,
                   "--ro-bind", str(self.subs), "/subs", "--ro-bind", str(self.dir / "worker"), "/worker",
                   "--chdir", "/", "--clearenv", *[a for k, v in BASE_ENV.items() for a in ("--setenv", k, v)],
                   "--", sys.executable, "-I", "-B", "/worker/zygote.py", "--control", str(theirs.fileno()),
                   "--preload", PRELOAD]
        launcher = [sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(config), "--"]
        log = open(self.dir / "zygote.log", "wb")  # noqa: SIM115 - the zygote's own stderr, for doctor
        try:
            self.popen = subprocess.Popen(launcher + command, stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, pass_fds=[theirs.fileno()], cwd=self.dir,
                                          env={"PATH": BASE_ENV["PATH"]}, start_new_session=True)
        finally:
            theirs.close()
            log.close()
        self.exited: int | None = os.pidfd_open(self.popen.pid)  # readable once it exits, also in test lanes
        hello = self._receive(time.monotonic() + START_TIMEOUT_S)
        if not hello.get("ready") or type(hello.get("pid")) is not int:
            raise ZygoteError(f"the zygote did not start: {hello}")
        host_pid = self._find(self.popen.pid, lambda nspid: len(nspid) == 2 and nspid[1] == hello["pid"])
        if host_pid is None:
            raise ZygoteError("the zygote's process was not found")
        self.host_pid: int = host_pid
        self._self_test()

    def _self_test(self) -> None:
        """One real child (an empty interpreter run) before any submission: where the kernel or bubblewrap
        refuses a step (nested namespaces, a fresh /proc), the zygote is not used at all."""
        folder = self.subs / "self-test" / "submission"
        folder.mkdir(parents=True)
        folder.chmod(0o755)
        request = {"submission": "/subs/self-test/submission", "argv": [sys.executable, "-I", "-S", "-c", ""],
                   "mode": "exec", "env": dict(BASE_ENV), "tmpfs_bytes": 1 << 20, "rlimits": {},
                   "seccomp": encoded_filter(), "hide": ["/subs"]}
        process = start_child(self, "self-test", request, None)
        try:
            code = process.exit_status() if process.wait(60) else None
            why = b""
            if code != 0 and select.select([process.stderr], [], [], 0)[0]:
                why = os.read(process.stderr.fileno(), 2000)
        finally:
            process.kill()
            shutil.rmtree(folder.parent, ignore_errors=True)
        if code != 0:
            raise ZygoteError(f"its children cannot isolate here (exit {code}): "
                              f"{why.decode(errors='replace').strip()[-300:]}")

    def _find(self, top: int, match: Any, depth: int = 4) -> int | None:
        for child in _children(top):
            if match(_nspids(child)):
                return child
            if depth > 1 and (found := self._find(child, match, depth - 1)) is not None:
                return found
        return None

    def _child(self, ns_pid: int) -> int | None:
        """The host pid of the zygote's child numbered ``ns_pid`` in the zygote's namespace (and 1 in its own).
        The kernel's children list can miss entries while other children exit, so it is read again, then
        every process is checked."""
        def match(nspid: list[int]) -> bool:
            return len(nspid) == 3 and nspid[1] == ns_pid and nspid[2] == 1

        for _ in range(3):
            if (found := self._find(self.host_pid, match, depth=1)) is not None:
                return found
        for entry in os.listdir("/proc"):
            if entry.isdigit() and match(_nspids(int(entry))) and _parent(int(entry)) == self.host_pid:
                return int(entry)
        return None

    def _receive(self, deadline: float) -> dict[str, Any]:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.sock], [], [], remaining)[0]:
                raise ZygoteError("the zygote did not answer in time")
            data = self.sock.recv(MAX_MESSAGE)
            if not data:
                log = (self.dir / "zygote.log").read_bytes()[-400:].decode(errors="replace")
                raise ZygoteError(f"the zygote exited: {log.strip()}")
            try:
                message = json.loads(data)
            except ValueError:
                raise ZygoteError("the zygote sent an undecodable message") from None
            if not isinstance(message, dict):
                raise ZygoteError("the zygote sent a malformed message")
            if "tampered" in message:
                raise ZygoteError(f"the zygote was tampered with: {message['tampered']}")
            return message

    def alive(self) -> bool:
        exited = getattr(self, "exited", None)
        return exited is not None and not select.select([exited], [], [], 0)[0]

    def spawn(self, ident: str, request: dict[str, Any], fds: list[int], cgroup: JobCgroup | None) -> int:
        """A new child for ``request`` with ``fds`` as its stdin, stdout, stderr, moved into ``cgroup`` and
        released; returns a pidfd for it (the caller closes it). The exchange holds a file lock too: the
        test lanes of one submission (forks of this judge, grader/judge/lanes.py) share the control socket."""
        with self.lock, open(self.dir / "spawn.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            body = json.dumps({**request, "op": "spawn", "id": ident}).encode()
            socket.send_fds(self.sock, [body], fds)
            reply = self._receive(time.monotonic() + SPAWN_TIMEOUT_S)
            if reply.get("id") != ident or "error" in reply or type(reply.get("pid")) is not int:
                raise ZygoteError(f"the zygote could not start the submission: {reply.get('error', reply)}")
            pid = self._child(reply["pid"])
            if pid is None:
                self.sock.send(json.dumps({"op": "cancel", "id": ident}).encode())
                raise ZygoteError("the submission's process was not found below the zygote")
            pidfd = os.pidfd_open(pid)
            try:
                if cgroup is not None:
                    for procs in cgroup.procs_files:
                        Path(procs).write_text(str(pid))
                self.sock.send(json.dumps({"op": "go", "id": ident}).encode())
            except BaseException:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                os.close(pidfd)
                raise
            return pidfd

    def stop(self) -> None:
        if self.popen is not None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if getattr(self, "sock", None) is not None:
            self.sock.close()
        exited = getattr(self, "exited", None)
        if exited is not None:
            os.close(exited)
            self.exited = None
        cpu: cgroups.JobCgroup | None = getattr(self, "cpu", None)
        if cpu is not None and not self.borrowed:
            cpu.remove()
            self.cpu = None
        shutil.rmtree(self.dir, ignore_errors=True)


_SHARED: list[Zygote] = []
_SHARED_LOCK = threading.Lock()
_STARTED = [0]  # zygotes this process started: a result says which one graded it


def shared() -> Zygote:
    """This process's zygote, started on first use and again whenever the previous one died."""
    with _SHARED_LOCK:
        if _SHARED and _SHARED[0].owner != os.getpid():  # a forked process (a pool worker): never share its socket
            _SHARED.clear()
        if _SHARED and not _SHARED[0].alive():
            _SHARED.pop().stop()
        if not _SHARED:
            _SHARED.append(Zygote())
            _STARTED[0] += 1
            _SHARED[0].number = _STARTED[0]
            if _STARTED[0] == 1:
                atexit.register(shutdown)
        return _SHARED[0]


def adopt_inherited() -> None:
    """In a test lane (a fork of this judge that grades some tests of the same submission): use the
    judge's zygote, never stop it; one the lane starts itself (the judge's died) is stopped by ``shutdown``."""
    with _SHARED_LOCK:
        for zygote in _SHARED:
            zygote.owner, zygote.borrowed = os.getpid(), True


def numbers() -> list[int]:
    """Which of this process's zygotes are in use (grader.sandbox.zygote_numbers)."""
    return [zygote.number for zygote in _SHARED]


def running() -> bool:
    """Whether this process has a live zygote (it started one and it works)."""
    return bool(_SHARED) and _SHARED[0].alive()


def problem() -> str | None:
    """Why the local backend cannot use the zygote here (it then starts a bubblewrap per submission), or None;
    starts this process's zygote (and runs its self-test) to find out."""
    try:
        shared()
    except (ZygoteError, OSError) as exc:
        return str(exc)
    return None


def discard(zygote: Zygote) -> None:
    """Stop a zygote that failed a request; the next ``shared()`` starts a fresh one."""
    with _SHARED_LOCK:
        if zygote in _SHARED:
            _SHARED.remove(zygote)
    zygote.stop()


def shutdown() -> None:
    with _SHARED_LOCK:
        while _SHARED:
            zygote = _SHARED.pop()
            if zygote.owner == os.getpid() and not zygote.borrowed:
                zygote.stop()

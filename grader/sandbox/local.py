"""The local process sandbox: bubblewrap namespaces plus cgroups where the machine allows.

Two isolation modes (SandboxOptions.isolation; the result's details say which): by default each
submission is a child of this process's zygote (grader/sandbox/zygote_host.py, grader/inside/zygote.py),
cloned into brand-new namespaces and moved into its own cgroup; "fresh-process" (and the fallback where
the zygote cannot run) starts a bubblewrap sandbox per submission.

Levels (recorded in every result):
  L3  bubblewrap (user, pid, net, ipc, uts, mount namespaces) + cgroup memory/pids + rlimits
  L2  bubblewrap namespaces + rlimits (memory not bounded by the kernel)
  L0  NOT ISOLATED: own session + rlimits only; the submission could read the grader's files.
      Good enough for an instructor checking their own reference, never for students' code.

At L3/L2 a seccomp filter (grader/sandbox/seccomp.py) denies the kernel keyring and the other
calls Docker's default profile denies, and when the grader runs as root the launcher drops to
the unprivileged host uid SANDBOX_UID before bubblewrap starts, so the sandbox's user is that
uid on the host, not root (``host_identity`` says which this machine allows).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.inside.wire import SANDBOX_UID
from grader.sandbox import seccomp, zygote_child, zygote_host
from grader.sandbox.base import (
    BASE_ENV,
    ISOLATION_FRESH,
    ISOLATION_ZYGOTE,
    JOBS_ROOT,
    PASSTHROUGH_ENV,
    Sandbox,
    SandboxInfo,
    SandboxOptions,
    SandboxProcess,
    python_dirs,
    stage_worker_files,
)
from grader.sandbox.bubblewrap import LAUNCHER, bwrap_works, host_identity, staged_python_binds
from grader.sandbox.cgroups import JobCgroup
from grader.spec import Limits

ZYGOTE_WORDS = ("zygote fork into fresh namespaces (user, pid, net, ipc, uts, mount, cgroup) per submission, "
                "inside a bubblewrap sandbox")

def _hardening() -> str:
    """The seccomp and user-mapping part of the isolation words."""
    filtered = "seccomp (keyring, mounts, namespaces, modules, bpf, perf, ptrace... denied)" if seccomp.supported() \
        else f"no seccomp filter ({os.uname().machine} unsupported)"
    return f"{filtered}; {host_identity()[1]}"


def local_isolation() -> tuple[str, tuple[str, ...]]:
    """The isolation level the local backend reaches on this machine, and why."""
    notes = []
    namespaces = bwrap_works()
    cgroup = JobCgroup.available()
    if not namespaces:
        notes.append("bubblewrap missing or user namespaces unavailable: no file-system or network isolation")
    if cgroup is None:
        notes.append("cgroups not writable: memory and process count are not kernel-bounded")
    if namespaces and cgroup:
        return (f"L3: bubblewrap namespaces (user, pid, net, ipc, uts, mount) + cgroup v{cgroup} + rlimits + "
                f"{_hardening()}", tuple(notes))
    if namespaces:
        return f"L2: bubblewrap namespaces (user, pid, net, ipc, uts, mount) + rlimits + {_hardening()}", tuple(notes)
    return "L0: NOT ISOLATED (own session + rlimits only; instructor self-test only)", tuple(notes)


class LocalProcess(SandboxProcess):
    def __init__(self, popen: subprocess.Popen[bytes], sandbox: LocalSandbox) -> None:
        assert popen.stdin and popen.stdout and popen.stderr
        self.popen, self.sandbox = popen, sandbox
        self.stdin, self.stdout, self.stderr = popen.stdin, popen.stdout, popen.stderr

    def poll(self) -> int | None:
        return self.popen.poll()

    def wait(self, timeout: float) -> bool:
        try:
            self.popen.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def exit_status(self) -> int | None:
        return self.popen.returncode

    def kill(self) -> None:
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.sandbox.cgroup is not None:
            self.sandbox.cgroup.kill_all()
        try:
            self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.stdin, self.stdout, self.stderr):
            try:
                stream.close()
            except OSError:
                pass


@dataclass
class LocalSandbox(zygote_child.CgroupCounted, Sandbox):
    require_isolation: bool = False
    processes: list[LocalProcess | zygote_child.ZygoteProcess] = field(default_factory=list, init=False)
    cgroup: JobCgroup | None = field(default=None, init=False)
    _seen: tuple[int, int] = field(default=(0, 0), init=False)

    def __post_init__(self) -> None:
        isolation, notes = local_isolation()
        if self.require_isolation and isolation.startswith("L0"):
            raise RuntimeError("the local sandbox cannot isolate code here: " + "; ".join(notes))
        self.use_bwrap = not isolation.startswith("L0")
        JOBS_ROOT.mkdir(mode=0o700, exist_ok=True)
        self.job_id = f"job-{uuid.uuid4().hex[:12]}"
        wanted = self.options.isolation if self.options else "auto"
        self.zygote: zygote_host.Zygote | None = None
        if self.use_bwrap and wanted != ISOLATION_FRESH:
            try:
                self.zygote = zygote_host.shared()
            except (zygote_child.ZygoteError, OSError) as exc:
                if wanted == ISOLATION_ZYGOTE:
                    raise RuntimeError(f"the zygote cannot run here: {exc}") from None
                notes += (f"zygote unavailable, a bubblewrap per submission instead: {exc}",)
        self.mode = ISOLATION_ZYGOTE if self.zygote else ISOLATION_FRESH
        # The job's folder: its owner file marks the job (and its cgroup) live for every grader's sweep.
        self.owner_dir = Path(tempfile.mkdtemp(prefix=f"{self.job_id}-", dir=JOBS_ROOT))
        (self.owner_dir / "owner").write_text(str(os.getpid()))
        if self.zygote:
            self.job_dir = self._place(self.zygote)
            isolation = isolation.replace("bubblewrap namespaces (user, pid, net, ipc, uts, mount)", ZYGOTE_WORDS)
        else:
            self.job_dir = self.owner_dir
            shutil.copytree(self.submission_dir, self.job_dir / "submission")
            stage_worker_files(self.job_dir / "worker")
            (self.job_dir / "work").mkdir()
        self.drop_to = host_identity()[0] if self.use_bwrap else None
        self.seccomp_file: Path | None = None
        if self.use_bwrap and seccomp.supported() and not self.zygote:
            self.seccomp_file = self.job_dir / "seccomp.bpf"
            self.seccomp_file.write_bytes(seccomp.program())
            self.seccomp_file.chmod(0o400)
        if self.drop_to is not None and not self.zygote:  # bubblewrap, as the unprivileged host user, binds these
            self.job_dir.chmod(0o711)
            _readable(self.job_dir / "submission")
        self.cgroup = JobCgroup.create(self.job_id, self.limits.memory_mb, self.limits.pids) if self.use_bwrap else None
        if self.use_bwrap and self.cgroup is None and isolation.startswith("L3"):
            isolation = isolation.replace(" + cgroup", " (cgroup creation failed)")
        mode = f"isolation mode: zygote #{self.zygote.number} of this judge" if self.zygote else \
            f"isolation mode: {self.mode}"
        self.info = SandboxInfo(backend="local", isolation=isolation, details=(mode, *notes))

    def _place(self, zygote: zygote_host.Zygote) -> Path:
        """The submission where ``zygote`` can read it (each child binds only its own, the rest is hidden)."""
        job_dir = zygote.subs / self.job_id
        job_dir.mkdir(mode=0o711)
        shutil.copytree(self.submission_dir, job_dir / "submission")
        _readable(job_dir / "submission")
        return job_dir

    # Paths as the sandboxed process sees them.
    @property
    def python(self) -> str:
        return sys.executable

    def worker_command(self, submission_name: str, preload: list[str], forbid: list[str]) -> list[str]:
        argv = self.worker_argv(self.python, submission_name, preload, forbid)
        if not self.use_bwrap:
            argv = [a.replace("/worker/", f"{self.job_dir}/worker/").replace(
                "/submission/", f"{self.job_dir}/submission/") for a in argv]
        return argv

    def forks_cheaply(self) -> bool:
        return self.zygote is not None

    def _env(self) -> dict[str, str]:
        env = dict(BASE_ENV)
        env.update({k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ})
        if not self.use_bwrap:
            env["HOME"] = env["TMPDIR"] = str(self.job_dir / "work")
        return env

    def _rlimits(self) -> dict[str, int]:
        limits = self.limits
        rlimits = {"RLIMIT_CORE": 0, "RLIMIT_NOFILE": 1024, "RLIMIT_FSIZE": limits.file_size_mb << 20,
                   "RLIMIT_CPU": int(limits.total_timeout_s) + 10,
                   "RLIMIT_AS": -1}  # unlimited (RLIM_INFINITY): not the judge's own address-space limit
        if os.geteuid() != 0:
            rlimits["RLIMIT_NPROC"] = limits.pids
        return rlimits

    def _wrap(self, argv: list[str]) -> tuple[list[str], dict[str, str]]:
        env = self._env()
        limits = self.limits
        config: dict[str, Any] = {"rlimits": self._rlimits(),
                                  "cgroup_procs": self.cgroup.procs_files if self.cgroup else []}
        python_binds: list[str] = []
        if self.use_bwrap:
            config["seccomp"] = str(self.seccomp_file) if self.seccomp_file else None
            config["drop_to"] = list(self.drop_to) if self.drop_to else None
            if self.drop_to:
                config["stage"], python_binds = staged_python_binds(self.job_dir / "py")
            else:
                for directory in python_dirs():
                    python_binds += ["--ro-bind", directory, directory]
        launcher = [sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(config), "--"]
        if not self.use_bwrap:
            return launcher + argv, env
        tmp_bytes = str(min(limits.memory_mb, 1024) << 20)
        command = [shutil.which("bwrap") or "bwrap", "--die-with-parent", "--new-session", "--unshare-all",
                   "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--disable-userns",
                   "--cap-drop", "ALL", "--hostname", "sandbox",
                   "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                   "--symlink", "usr/bin", "/bin", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                   "--proc", "/proc", "--dev", "/dev"]
        command += ["--size", tmp_bytes, "--perms", "01777", "--tmpfs", "/tmp",
                    "--size", tmp_bytes, "--perms", "01777", "--tmpfs", "/job"]
        command += python_binds  # after the tmpfs mounts: a virtual environment may live under /tmp
        command += [
                    "--ro-bind", str(self.job_dir / "submission"), "/submission",
                    "--ro-bind", str(self.job_dir / "worker"), "/worker",
                    "--chdir", "/job", "--clearenv"]
        for key, value in env.items():
            command += ["--setenv", key, value]
        return launcher + command + ["--"] + argv, {"PATH": BASE_ENV["PATH"]}

    def spawn(self, argv: list[str]) -> LocalProcess | zygote_child.ZygoteProcess:
        if self.zygote is not None:
            return self._spawn_from_zygote(argv)
        command, env = self._wrap(argv)
        popen = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env, cwd=self.job_dir / "work", start_new_session=True, close_fds=True)
        process = LocalProcess(popen, self)
        self.processes.append(process)
        return process

    def _spawn_from_zygote(self, argv: list[str]) -> zygote_child.ZygoteProcess:
        """A child of this process's zygote (``start_in_zygote``)."""
        request = {"submission": f"/subs/{self.job_id}/submission", "argv": argv, "env": self._env(),
                   "mode": "worker" if argv[:4] == [sys.executable, "-I", "-B", "/worker/worker.py"] else "exec",
                   "tmpfs_bytes": min(self.limits.memory_mb, 1024) << 20, "rlimits": self._rlimits(),
                   "seccomp": zygote_child.encoded_filter(), "hide": ["/subs"]}
        return self.start_in_zygote(request)

    def _zygote(self) -> zygote_host.Zygote:
        zygote = zygote_host.shared()
        if zygote is not self.zygote:  # the previous one died or failed: a fresh one, and the result says so
            shutil.rmtree(self.job_dir, ignore_errors=True)
            self.zygote, self.job_dir = zygote, self._place(zygote)
            self.info = dataclasses.replace(self.info, details=(
                f"isolation mode: zygote #{zygote.number} of this judge", *self.info.details[1:]))
        return zygote

    def _discard(self, zygote: zygote_child.Spawner) -> None:
        assert isinstance(zygote, zygote_host.Zygote)
        zygote_host.discard(zygote)

    def close(self) -> None:
        self.kill_all()
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        shutil.rmtree(self.job_dir, ignore_errors=True)
        shutil.rmtree(self.owner_dir, ignore_errors=True)


def _readable(folder: Path) -> None:
    """The submission, readable by the sandbox's (unprivileged) user, writable by nobody."""
    for top, _dirs, files in os.walk(folder):
        os.chmod(top, 0o755)
        for name in files:
            os.chmod(os.path.join(top, name), 0o444)


def _alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text()), 0)
        return True
    except (OSError, ValueError):
        return False


def problem() -> str | None:
    """The local backend always runs; what isolation it reaches is ``isolation()``."""
    return None


def isolation() -> tuple[str, tuple[str, ...]]:
    """The level; in the zygote's words once this process runs one (doctor starts it first)."""
    level, notes = local_isolation()
    if zygote_host.running():
        level = level.replace("bubblewrap namespaces (user, pid, net, ipc, uts, mount)", ZYGOTE_WORDS)
    return level, notes


def open_sandbox(submission_dir: Path, limits: Limits, options: SandboxOptions | None) -> LocalSandbox:
    return LocalSandbox(submission_dir, limits, options)


def sweep(run: str | None = None) -> int:
    """Remove the job folders and cgroups of graders that are no longer running (``run`` is not needed:
    a job folder records its owner's pid)."""
    from grader.sandbox import cgroups

    count = 0
    live_jobs = set()
    if JOBS_ROOT.is_dir():
        for job in JOBS_ROOT.iterdir():
            if _alive(job / "owner"):
                live_jobs.add(job.name[:16])
                continue
            shutil.rmtree(job, ignore_errors=True)
            count += 1
    return count + cgroups.sweep_leftovers(keep=live_jobs)

"""The local process sandbox: bubblewrap namespaces plus cgroups where the machine allows.

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

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from grader.inside.wire import SANDBOX_UID
from grader.sandbox import seccomp
from grader.sandbox.base import (
    BASE_ENV,
    JOBS_ROOT,
    PASSTHROUGH_ENV,
    RunResult,
    Sandbox,
    SandboxInfo,
    SandboxOptions,
    SandboxProcess,
    limit_words,
    python_dirs,
    stage_worker_files,
)
from grader.sandbox.cgroups import JobCgroup
from grader.spec import Limits

LAUNCHER = Path(__file__).with_name("launch.py")


def _prepare_jobs_root(mode: int) -> None:
    """The jobs folder: only root lists it; with 0o711 the sandbox's host user may pass through it."""
    JOBS_ROOT.mkdir(mode=mode, exist_ok=True)
    if os.geteuid() == 0 and JOBS_ROOT.stat().st_mode & 0o777 != mode:
        JOBS_ROOT.chmod(mode)


def _staged_python_binds(base: Path) -> tuple[list[list[str]], list[str]]:
    """For an unprivileged bubblewrap, which cannot reach folders below private ones (a pyenv in
    /root): the launcher, still root, bind-mounts each interpreter folder on ``base``/N in a private
    mount namespace of its own, and bubblewrap binds ``base``/N. Returns (launcher stage, bwrap args)."""
    base.mkdir(mode=0o711, exist_ok=True)
    stage: list[list[str]] = []
    args: list[str] = []
    for number, directory in enumerate(python_dirs()):
        point = base / str(number)
        point.mkdir(mode=0o711, exist_ok=True)
        stage.append([directory, str(point)])
        args += ["--ro-bind", str(point), directory]
    return stage, args


@functools.cache
def host_identity() -> tuple[tuple[int, int] | None, str]:
    """Who the sandbox's user is on the host: (uid, gid) the launcher drops to, or None, and in words."""
    if os.geteuid() != 0:
        return None, f"sandbox user is host uid {os.geteuid()} (the grader's own, unprivileged)"
    if shutil.which("bwrap") is None:
        return None, "sandbox user is host root (bubblewrap missing)"
    _prepare_jobs_root(0o711)
    base = Path(tempfile.mkdtemp(prefix="probe-", dir=JOBS_ROOT))
    base.chmod(0o711)
    stage, binds = _staged_python_binds(base / "py")
    config = json.dumps({"drop_to": [SANDBOX_UID, SANDBOX_UID], "stage": stage})
    probe = [sys.executable, "-I", "-S", str(LAUNCHER), config, "--", shutil.which("bwrap") or "bwrap",
             "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
             "--disable-userns", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
             "--symlink", "usr/lib64", "/lib64", "--ro-bind", str(base), "/probe", *binds,
             "--proc", "/proc", "--dev", "/dev", sys.executable, "-I", "-S", "-c", ""]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=120, cwd="/")  # a loaded machine is slow
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"sandbox user is host root (bubblewrap cannot run unprivileged: {exc})"
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if done.returncode != 0:  # JOBS_ROOT stays 0o711: other graders' sandboxes may be passing through it
        why = done.stderr.decode(errors="replace").strip()[-200:] or f"exit {done.returncode}"
        return None, f"sandbox user is host root (bubblewrap cannot run unprivileged here: {why})"
    return (SANDBOX_UID, SANDBOX_UID), f"sandbox user is host uid {SANDBOX_UID} (unprivileged)"


def _hardening() -> str:
    """The seccomp and user-mapping part of the isolation words."""
    filtered = "seccomp (keyring, mounts, namespaces, modules, bpf, perf, ptrace... denied)" if seccomp.supported() \
        else f"no seccomp filter ({os.uname().machine} unsupported)"
    return f"{filtered}; {host_identity()[1]}"


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap can make the namespaces we need here (not in some CI containers)."""
    if shutil.which("bwrap") is None:
        return False
    probe = ["bwrap", "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID), "--disable-userns",
             "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


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
class LocalSandbox(Sandbox):
    require_isolation: bool = False
    processes: list[LocalProcess] = field(default_factory=list, init=False)
    cgroup: JobCgroup | None = field(default=None, init=False)
    _seen_counts: tuple[int, int] = field(default=(0, 0), init=False)

    def __post_init__(self) -> None:
        isolation, notes = local_isolation()
        if self.require_isolation and isolation.startswith("L0"):
            raise RuntimeError("the local sandbox cannot isolate code here: " + "; ".join(notes))
        self.use_bwrap = not isolation.startswith("L0")
        JOBS_ROOT.mkdir(mode=0o700, exist_ok=True)
        self.job_id = f"job-{uuid.uuid4().hex[:12]}"
        self.job_dir = Path(tempfile.mkdtemp(prefix=f"{self.job_id}-", dir=JOBS_ROOT))
        shutil.copytree(self.submission_dir, self.job_dir / "submission")
        stage_worker_files(self.job_dir / "worker")
        (self.job_dir / "work").mkdir()
        self.drop_to = host_identity()[0] if self.use_bwrap else None
        self.seccomp_file: Path | None = None
        if self.use_bwrap and seccomp.supported():
            self.seccomp_file = self.job_dir / "seccomp.bpf"
            self.seccomp_file.write_bytes(seccomp.program())
            self.seccomp_file.chmod(0o400)
        if self.drop_to is not None:  # bubblewrap, as the unprivileged host user, binds these
            self.job_dir.chmod(0o711)
            for top, _dirs, files in os.walk(self.job_dir / "submission"):
                os.chmod(top, 0o755)
                for name in files:
                    os.chmod(os.path.join(top, name), 0o444)
        (self.job_dir / "owner").write_text(str(os.getpid()))
        self.cgroup = JobCgroup.create(self.job_id, self.limits.memory_mb, self.limits.pids) if self.use_bwrap else None
        if self.use_bwrap and self.cgroup is None and isolation.startswith("L3"):
            isolation = isolation.replace(" + cgroup", " (cgroup creation failed)")
        self.info = SandboxInfo(backend="local", isolation=isolation, details=notes)

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

    def _env(self) -> dict[str, str]:
        env = dict(BASE_ENV)
        env.update({k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ})
        if not self.use_bwrap:
            env["HOME"] = env["TMPDIR"] = str(self.job_dir / "work")
        return env

    def _wrap(self, argv: list[str]) -> tuple[list[str], dict[str, str]]:
        env = self._env()
        limits = self.limits
        config: dict[str, Any] = {
            "rlimits": {
                "RLIMIT_CORE": 0,
                "RLIMIT_NOFILE": 1024,
                "RLIMIT_FSIZE": limits.file_size_mb << 20,
                "RLIMIT_CPU": int(limits.total_timeout_s) + 10,
                "RLIMIT_AS": -1,  # unlimited (RLIM_INFINITY): not the judge's own address-space limit
            },
            "cgroup_procs": self.cgroup.procs_files if self.cgroup else [],
        }
        python_binds: list[str] = []
        if self.use_bwrap:
            config["seccomp"] = str(self.seccomp_file) if self.seccomp_file else None
            config["drop_to"] = list(self.drop_to) if self.drop_to else None
            if self.drop_to:
                config["stage"], python_binds = _staged_python_binds(self.job_dir / "py")
            else:
                for directory in python_dirs():
                    python_binds += ["--ro-bind", directory, directory]
        if os.geteuid() != 0:
            config["rlimits"]["RLIMIT_NPROC"] = limits.pids
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

    def spawn(self, argv: list[str]) -> LocalProcess:
        command, env = self._wrap(argv)
        popen = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env, cwd=self.job_dir / "work", start_new_session=True, close_fds=True)
        process = LocalProcess(popen, self)
        self.processes.append(process)
        return process

    def run(self, argv: list[str], timeout_s: float, output_limit: int = 64 << 10) -> RunResult:
        process = self.spawn(argv)
        process.stdin.close()
        captured: dict[str, bytes] = {}

        def drain(name: str, stream: IO[bytes]) -> None:
            kept = bytearray()
            while chunk := stream.read(65536):
                if len(kept) < output_limit:
                    kept += chunk[: output_limit - len(kept)]
            captured[name] = bytes(kept)

        readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
                   for n, s in (("stdout", process.stdout), ("stderr", process.stderr))]
        for reader in readers:
            reader.start()
        timed_out = False
        try:
            code: int | None = process.popen.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out, code = True, None
        process.kill()
        for reader in readers:
            reader.join(timeout=5)
        return RunResult(code, captured.get("stdout", b"").decode(errors="replace"),
                         captured.get("stderr", b"").decode(errors="replace"), timed_out, self.limit_exceeded())

    def kill_all(self) -> None:
        for process in self.processes:
            process.kill()
        self.processes.clear()

    def limit_exceeded(self) -> str | None:
        """A limit hit since the previous call (counters are cumulative over the job)."""
        if self.cgroup is None:
            return None
        counts = (self.cgroup.oom_kills(), self.cgroup.pids_max_hits())
        before, self._seen_counts = self._seen_counts, counts
        return limit_words(self.limits, before, counts)

    def peak_memory_bytes(self) -> int | None:
        return self.cgroup.peak_memory_bytes() if self.cgroup else None

    def close(self) -> None:
        self.kill_all()
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        shutil.rmtree(self.job_dir, ignore_errors=True)


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
    return local_isolation()


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

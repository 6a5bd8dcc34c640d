"""The local process sandbox: bubblewrap namespaces plus cgroups where the machine allows.

Levels (recorded in every result):
  L3  bubblewrap (user, pid, net, ipc, uts, mount namespaces) + cgroup memory/pids + rlimits
  L2  bubblewrap namespaces + rlimits (memory not bounded by the kernel)
  L0  NOT ISOLATED: own session + rlimits only; the submission could read the grader's files.
      Good enough for an instructor checking their own reference, never for students' code.
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

from grader.sandbox.base import (
    BASE_ENV,
    PASSTHROUGH_ENV,
    RunResult,
    Sandbox,
    SandboxInfo,
    SandboxProcess,
    limit_words,
    stage_worker_files,
)
from grader.sandbox.cgroups import JobCgroup

JOBS_ROOT = Path(tempfile.gettempdir()) / "grader-jobs"
LAUNCHER = Path(__file__).with_name("launch.py")
SANDBOX_UID = 65532


def _python_dirs() -> list[str]:
    """Directories the interpreter and its packages live in (bound read-only)."""
    import site

    dirs = {sys.base_prefix, sys.prefix, *site.getsitepackages()}
    real = sorted({os.path.realpath(d) for d in dirs if os.path.isdir(d)})
    # Drop directories already inside another bound one.
    return [d for d in real if not any(d != o and d.startswith(o + os.sep) for o in real)]


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
        return f"L3: bubblewrap namespaces (user, pid, net, ipc, uts, mount) + cgroup v{cgroup} + rlimits", tuple(notes)
    if namespaces:
        return "L2: bubblewrap namespaces (user, pid, net, ipc, uts, mount) + rlimits", tuple(notes)
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
        (self.job_dir / "owner").write_text(str(os.getpid()))
        self.cgroup = JobCgroup.create(self.job_id, self.limits.memory_mb, self.limits.pids) if self.use_bwrap else None
        if self.use_bwrap and self.cgroup is None and isolation.startswith("L3"):
            isolation = isolation.replace(" + cgroup", " (cgroup creation failed)")
        self.info = SandboxInfo(backend="local", isolation=isolation, details=notes)

    # Paths as the sandboxed process sees them.
    @property
    def python(self) -> str:
        return sys.executable

    @property
    def root_in_sandbox(self) -> str:
        return "" if self.use_bwrap else str(self.job_dir)

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
        for directory in _python_dirs():
            command += ["--ro-bind", directory, directory]
        command += ["--size", tmp_bytes, "--perms", "01777", "--tmpfs", "/tmp",
                    "--size", tmp_bytes, "--perms", "01777", "--tmpfs", "/job",
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


def sweep_leftovers() -> int:
    """Remove the job folders and cgroups of graders that are no longer running."""
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

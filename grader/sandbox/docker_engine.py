"""The Docker engine as the docker backend sees it: one API client per process, the worker image,
the exact ``docker run`` flags, the host's view of a container's cgroup, and sweeping leftovers.

Every limit that is not in the exercise spec (CPUs, tmpfs sizes, open files) is a course-wide
default here, so the flags a container gets are written down in exactly one place.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.inside.wire import SANDBOX_UID
from grader.sandbox.base import CPUS, python_dirs
from grader.spec import Limits

IMAGE = "grader-worker:latest"
USER = f"{SANDBOX_UID}:{SANDBOX_UID}"
LABEL_JOB = "grader.job"  # every container we start carries it: the sweep key
LABEL_RUN = "grader.run"  # one `grader grade` run (all its judge processes)
LABEL_OWNER = "grader.owner"  # "<host>:<pid>:<start time>" of the judge process that started it
TMP_MB = 256
SHM_MB = 64
NOFILE = 1024


@dataclass(frozen=True)
class ImageInfo:
    id: str
    kind: str  # "host": host interpreter bound read-only; "self-contained": python inside the image
    python: str  # the interpreter path inside the container
    binds: tuple[str, ...]  # host directories bound read-only at the same path ("host" images)
    size: int


@functools.cache
def api() -> Any:
    """The process's one low-level API client (docker-py's high-level objects add round trips)."""
    import docker

    return docker.APIClient(base_url=os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"),
                            version="auto", timeout=60)


def engine_problem() -> str | None:
    """None if an engine answers, else why not, in words."""
    try:
        import docker  # noqa: F401
    except ImportError:
        return "the docker Python package is not installed (pip install docker)"
    try:
        api().ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no engine here"
        api.cache_clear()
        return f"no Docker engine answers ({type(exc).__name__}: {str(exc)[:160]}); start dockerd"
    return None


def host_python() -> str:
    """The interpreter as this grader runs it: a virtual environment's own ``bin/python`` (not the base
    binary it links to), so that inside the container it finds its pyvenv.cfg and site-packages."""
    if sys.prefix != sys.base_prefix:
        return os.path.join(sys.prefix, "bin", "python")
    return os.path.realpath(sys.executable)


def host_binds() -> tuple[str, ...]:
    """What a "host" image needs bound read-only: /usr, the interpreter's prefix and site-packages."""
    dirs = ["/usr", *python_dirs()]
    return tuple(d for d in dirs if d == "/usr" or not d.startswith("/usr/"))


def image_info(tag: str = IMAGE) -> ImageInfo | None:
    import docker.errors

    try:
        data = api().inspect_image(tag)
    except docker.errors.ImageNotFound:
        return None
    labels = (data.get("Config") or {}).get("Labels") or {}
    return ImageInfo(id=data["Id"], kind=labels.get("grader.kind", "?"), python=labels.get("grader.python", ""),
                     binds=tuple(json.loads(labels.get("grader.binds", "[]"))), size=int(data.get("Size", 0)))


def image_problem(info: ImageInfo | None) -> str | None:
    """Why the worker image cannot serve this interpreter, or None."""
    if info is None:
        return f"the worker image {IMAGE} does not exist: run `grader image build`"
    if info.kind == "self-contained":
        return None
    if info.kind != "host":
        return f"{IMAGE} was not built by `grader image build` (label grader.kind={info.kind!r})"
    if info.python != host_python() or set(info.binds) != set(host_binds()):
        return (f"{IMAGE} was built for the environment {info.python} with {', '.join(info.binds)}; this grader "
                f"runs {host_python()} with {', '.join(host_binds())}: "
                "run `grader image build` again")
    return None


def process_identity(pid: int | None = None) -> str:
    """host:pid:start-time, so a recycled pid is never mistaken for a live grader."""
    pid = pid or os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}"


def _start_time(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "?"


def identity_alive(identity: str) -> bool:
    host, _, rest = identity.partition(":")
    pid, _, started = rest.partition(":")
    if host != socket.gethostname():
        return True  # another machine's grader: not ours to judge
    return pid.isdigit() and _start_time(int(pid)) == started != "?"


def container_config(image: ImageInfo, command: list[str], limits: Limits, labels: dict[str, str],
                     binds: dict[str, str], stdin: bool, seccomp: str | None = None) -> dict[str, Any]:
    """Keyword arguments for APIClient.create_container: the flags of defences.md 4.2.

    ``seccomp`` is a profile's JSON text (the zygote pool's, docker_seccomp.py); None keeps the
    engine's default profile."""
    from grader.sandbox.base import BASE_ENV

    mounts = {source: {"bind": target, "mode": "ro"} for source, target in binds.items()}
    if image.kind == "host":
        mounts.update({d: {"bind": d, "mode": "ro"} for d in image.binds})
        if os.path.isfile("/etc/ld.so.cache"):
            mounts["/etc/ld.so.cache"] = {"bind": "/etc/ld.so.cache", "mode": "ro"}
    file_bytes = limits.file_size_mb << 20
    job_mb = min(limits.memory_mb, 1024)
    host_config = api().create_host_config(
        binds=mounts,
        network_mode="none",
        cap_drop=["ALL"],
        security_opt=["no-new-privileges:true", *([f"seccomp={seccomp}"] if seccomp else [])],
        read_only=True,
        tmpfs={"/tmp": f"rw,nosuid,nodev,noexec,size={TMP_MB}m,nr_inodes=16384,mode=1777",
               "/job": f"rw,nosuid,nodev,size={job_mb}m,nr_inodes=16384,uid={SANDBOX_UID},gid={SANDBOX_UID},mode=0700"},
        mem_limit=f"{limits.memory_mb}m",
        memswap_limit=f"{limits.memory_mb}m",
        pids_limit=limits.pids,
        nano_cpus=int(min(CPUS, os.cpu_count() or 1) * 1e9),
        ipc_mode="private",
        shm_size=f"{SHM_MB}m",
        ulimits=[{"Name": "core", "Soft": 0, "Hard": 0},
                 {"Name": "nofile", "Soft": NOFILE, "Hard": NOFILE},
                 {"Name": "fsize", "Soft": file_bytes, "Hard": file_bytes}],
        init=True,
        auto_remove=True,
        log_config={"Type": "json-file", "Config": {"max-size": "1m", "max-file": "1"}},
    )
    return dict(image=image.id, command=command, user=USER, working_dir="/job", environment=dict(BASE_ENV),
                labels=labels, host_config=host_config, stdin_open=stdin, tty=False, network_disabled=True,
                stop_timeout=0, hostname="sandbox")


def labels_for(job: str) -> dict[str, str]:
    return {LABEL_JOB: job, LABEL_RUN: os.environ.get("GRADER_RUN_ID", "-"), LABEL_OWNER: process_identity()}


def remove(container_id: str) -> None:
    """Kill and remove a container (SIGKILL, then rm -f); a container already gone is fine."""
    import docker.errors

    try:
        api().remove_container(container_id, force=True, v=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if "already in progress" not in str(exc) and exc.status_code != 409:
            raise


def sweep(run: str | None = None) -> int:
    """Remove our containers: those of ``run``, or (run=None) those whose grader process is gone."""
    if engine_problem():
        return 0
    filters = {"label": [f"{LABEL_RUN}={run}"] if run else [LABEL_JOB]}
    removed = 0
    for container in api().containers(all=True, filters=filters):
        owner = (container.get("Labels") or {}).get(LABEL_OWNER, "")
        if run is None and owner and identity_alive(owner):
            continue
        remove(container["Id"])
        removed += 1
    return removed


class CgroupView:
    """A container's cgroup read from the host: its processes, OOM kills, pids-limit hits, peak memory."""

    def __init__(self, container_id: str, init_pid: int) -> None:
        self.container_id, self.init_pid = container_id, init_pid
        self.dirs = _cgroup_dirs(init_pid)

    @classmethod
    def attach(cls, container_id: str, init_pid: int) -> CgroupView | None:
        """None when this process cannot see the container's processes (another pid namespace or host)."""
        try:
            if container_id not in Path(f"/proc/{init_pid}/cgroup").read_text():
                return None
        except OSError:
            return None
        view = cls(container_id, init_pid)
        return view if "pids" in view.dirs and "memory" in view.dirs else None

    def pids(self) -> set[int]:
        try:
            return {int(p) for p in (self.dirs["pids"] / "cgroup.procs").read_text().split()}
        except (OSError, ValueError):
            return set()

    def owns(self, pid: int) -> bool:
        try:
            return self.container_id in Path(f"/proc/{pid}/cgroup").read_text()
        except OSError:
            return False

    def _counter(self, controller: str, names: tuple[str, ...], key: str) -> int:
        for name in names:
            try:
                for line in (self.dirs[controller] / name).read_text().splitlines():
                    if line.startswith(key + " "):
                        return int(line.split()[1])
            except (OSError, ValueError, KeyError):
                continue
        return 0

    def oom_kills(self) -> int:
        return self._counter("memory", ("memory.events", "memory.oom_control"), "oom_kill")

    def pids_max_hits(self) -> int:
        return self._counter("pids", ("pids.events",), "max")

    def peak_memory_bytes(self) -> int | None:
        for name in ("memory.peak", "memory.max_usage_in_bytes"):
            try:
                return int((self.dirs["memory"] / name).read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
        return None

    def reset_peak(self) -> None:
        for name in ("memory.max_usage_in_bytes", "memory.peak"):
            try:
                (self.dirs["memory"] / name).write_text("0")
                return
            except OSError:
                continue


def _cgroup_mounts() -> list[tuple[str, str, set[str]]]:
    """(mount root, mount point, controllers) of every cgroup file system this process sees."""
    mounts = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, extra = left.split(), right.split()
        if not extra or extra[0] not in ("cgroup", "cgroup2"):
            continue
        controllers = {"unified"} if extra[0] == "cgroup2" else set(extra[2].split(",")) if len(extra) > 2 else set()
        mounts.append((fields[3], fields[4], controllers))
    return mounts


def _cgroup_dirs(pid: int) -> dict[str, Path]:
    dirs: dict[str, Path] = {}
    mounts = _cgroup_mounts()
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        wanted = set(names.split(",")) if names else {"unified"}
        for root, point, controllers in mounts:
            if wanted & controllers and (path + "/").startswith(root.rstrip("/") + "/"):
                directory = Path(point) / os.path.relpath(path, root)
                for name in wanted:
                    dirs[name] = directory
    if "unified" in dirs:  # cgroup v2: one directory holds every controller
        for name in ("pids", "memory"):
            if name not in dirs and (dirs["unified"] / f"{name}.max").exists():
                dirs[name] = dirs["unified"]
    return dirs


def wait_gone(view: CgroupView, keep: set[int], timeout: float) -> bool:
    """Whether only ``keep`` is left in the container within ``timeout`` (SIGKILL sent meanwhile)."""
    import signal

    deadline = time.monotonic() + timeout
    while True:
        stray = view.pids() - keep
        if not stray:
            return True
        if time.monotonic() > deadline:
            return False
        for pid in stray:
            try:
                fd = os.pidfd_open(pid)
            except OSError:
                continue
            try:
                if view.owns(pid):  # the pidfd pins the process: no recycled pid is ever signalled
                    signal.pidfd_send_signal(fd, signal.SIGKILL)
            except OSError:
                pass
            finally:
                os.close(fd)
        time.sleep(0.002)

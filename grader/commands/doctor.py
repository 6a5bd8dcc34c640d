"""`grader doctor`: what isolation this machine can give, and why not more.

Checks the Docker engine and the worker image, user namespaces, cgroups and bubblewrap, then says
which isolation level each backend reaches here and what ``--sandbox auto`` would pick.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def docker_checks() -> list[Check]:
    from grader.sandbox import docker_engine as engine

    problem = engine.engine_problem()
    if problem:
        return [Check("Docker engine", False, problem), Check("worker image", False, "needs an engine")]
    client = engine.api()
    version, info = client.version(), client.info()
    security = ", ".join(o.split(",")[0].removeprefix("name=") for o in info.get("SecurityOptions") or []) or "none"
    engine_detail = (f"{version.get('Version')} (API {version.get('ApiVersion')}); cgroup v{info.get('CgroupVersion')} "
                     f"({info.get('CgroupDriver')} driver); security: {security}; runtimes: "
                     f"{', '.join(sorted(info.get('Runtimes') or {}))}")
    image = engine.image_info()
    image_problem = engine.image_problem(image)
    if image is None:
        image_detail = image_problem or ""
    else:
        image_detail = f"{engine.IMAGE} {image.id[:19]} ({image.kind}, {image.size} bytes)"
        if image.kind == "host":
            image_detail += f"; binds read-only: {', '.join(image.binds)}"
        if image_problem:
            image_detail += f"; {image_problem}"
    return [Check("Docker engine", True, engine_detail), Check("worker image", image_problem is None, image_detail)]


def namespace_check() -> Check:
    limit = _read("/proc/sys/user/max_user_namespaces")
    notes = [f"max_user_namespaces={limit}"] if limit is not None else []
    for knob in ("kernel/unprivileged_userns_clone", "kernel/apparmor_restrict_unprivileged_userns"):
        value = _read(f"/proc/sys/{knob}")
        if value is not None:
            notes.append(f"{knob.split('/')[1]}={value}")
    ok = limit not in (None, "0") and _read("/proc/sys/kernel/unprivileged_userns_clone") != "0" \
        and _read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") != "1"
    return Check("user namespaces", ok, "; ".join(notes) or "unknown")


def cgroup_check() -> Check:
    from grader.sandbox.cgroups import JobCgroup

    version = JobCgroup.available()
    if version is None:
        return Check("cgroups", False, "no writable memory+pids cgroup: the local backend cannot bound memory")
    return Check("cgroups", True, f"v{version}, memory and pids controllers writable")


def bwrap_check() -> Check:
    from grader.sandbox.local import bwrap_works

    path = shutil.which("bwrap")
    if path is None:
        return Check("bubblewrap", False, "not installed (apt-get install bubblewrap)")
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.strip()
    works = bwrap_works()
    return Check("bubblewrap", works, f"{version} at {path}" + ("" if works else ": cannot create namespaces here"))


def hardening_checks() -> list[Check]:
    """The local sandbox's seccomp filter and which host user its user is (issue #10)."""
    import os

    from grader.sandbox import seccomp
    from grader.sandbox.local import host_identity

    drop_to, identity = host_identity()
    filtered = (f"{len(seccomp.denied_calls())} calls denied with EPERM (keyring, mounts, namespaces, modules, "
                "bpf, perf, ptrace, ...)") if seccomp.supported() else "no filter for this architecture"
    return [Check("seccomp (local)", seccomp.supported(), filtered),
            Check("sandbox user (local)", drop_to is not None or os.geteuid() != 0, identity)]


def zygote_check() -> Check:
    """Whether the local backend's default, the zygote (fresh namespaces per submission), works here."""
    from grader.sandbox import zygote_host
    from grader.sandbox.local import bwrap_works

    if not bwrap_works():
        return Check("zygote (local)", False, "needs bubblewrap")
    problem = zygote_host.problem()
    if problem:
        return Check("zygote (local)", False, f"unavailable ({problem}): a bubblewrap per submission instead")
    return Check("zygote (local)", True, "default: each submission forked into fresh user, pid, net, ipc, uts, "
                                         "mount, cgroup namespaces and its own cgroup")


def checks() -> list[Check]:
    return [*docker_checks(), namespace_check(), cgroup_check(), bwrap_check(), *hardening_checks(), zygote_check()]


def levels() -> list[tuple[str, str]]:
    """(backend, the isolation it reaches here, or why it cannot run): a backend counts as working only
    after a probe interpreter started in it and imported numpy and torch."""
    from grader.sandbox import REGISTRY, SandboxUnavailable, backend, probe

    rows = []
    for name in REGISTRY:
        try:
            module = backend(name)
            problem = module.problem() or probe(name)
        except SandboxUnavailable as exc:
            problem = str(exc)
        if problem:
            rows.append((name, f"unavailable: {problem}"))
            continue
        isolation, notes = module.isolation()
        rows.append((name, isolation + (f" ({'; '.join(notes)})" if notes else "") + "; probe ok"))
    return rows


def doctor_tables() -> tuple[Table, Table, str]:
    found = Table(title="What this machine offers")
    for column in ("check", "", "details"):
        found.add_column(column)
    for check in checks():
        found.add_row(check.name, "[green]yes[/green]" if check.ok else "[red]no[/red]", check.detail)
    reach = Table(title="Isolation each backend reaches here")
    reach.add_column("backend")
    reach.add_column("isolation")
    for backend, text in levels():
        reach.add_row(backend, text)
    from grader.sandbox import resolve_backend

    return found, reach, f"--sandbox auto picks: {resolve_backend('auto')}"

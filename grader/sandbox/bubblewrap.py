"""bubblewrap helpers shared by the local sandbox's two isolation modes (a bubblewrap per submission,
and the zygote's outer sandbox): who the sandbox's user is on the host, the interpreter's folders
staged for an unprivileged bubblewrap, and whether bubblewrap works here at all.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.inside.wire import SANDBOX_UID
from grader.sandbox.base import JOBS_ROOT, python_dirs

LAUNCHER = Path(__file__).with_name("launch.py")


def prepare_jobs_root(mode: int) -> None:
    """The jobs folder: only root lists it; with 0o711 the sandbox's host user may pass through it."""
    JOBS_ROOT.mkdir(mode=mode, exist_ok=True)
    if os.geteuid() == 0 and JOBS_ROOT.stat().st_mode & 0o777 != mode:
        JOBS_ROOT.chmod(mode)


def staged_python_binds(base: Path) -> tuple[list[list[str]], list[str]]:
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
    prepare_jobs_root(0o711)
    base = Path(tempfile.mkdtemp(prefix="probe-", dir=JOBS_ROOT))
    base.chmod(0o711)
    stage, binds = staged_python_binds(base / "py")
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



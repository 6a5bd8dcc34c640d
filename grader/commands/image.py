"""`grader image build`: the worker image, built without any registry.

Offline (default): a few-kilobyte root file system (an /etc/passwd with user 65532, empty mount
points) imported with ``docker import``. At run time the host's /usr and this interpreter's
prefix and site-packages are bound read-only, exactly like the local backend's bubblewrap binds,
so the sandbox runs the very numpy/torch the judge and the reference run. With ``--dockerfile``
the repository's Dockerfile is built instead (needs ``python:3.11-slim`` from a registry).
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader import __version__
from grader.sandbox import docker_engine as engine

REPO = Path(__file__).resolve().parent.parent.parent
PASSWD = "root:x:0:0:root:/root:/usr/sbin/nologin\ngrader:x:65532:65532:grader:/job:/usr/sbin/nologin\n"
GROUP = "root:x:0:\ngrader:x:65532:\n"


@dataclass
class BuiltImage:
    tag: str
    id: str
    size: int
    seconds: float
    kind: str


def rootfs_tar(binds: tuple[str, ...]) -> bytes:
    """The image's whole file system: account files, mount points and the usual /lib symlinks."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        def add_dir(name: str, mode: int = 0o755) -> None:
            info = tarfile.TarInfo(name.strip("/"))
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, mode, 0
            tar.addfile(info)

        def add_file(name: str, text: str) -> None:
            data = text.encode()
            info = tarfile.TarInfo(name.strip("/"))
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))

        def add_link(name: str, target: str) -> None:
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mtime = tarfile.SYMTYPE, target, 0
            tar.addfile(info)

        made: set[str] = set()
        for directory in ("etc", "sbin", "usr", "proc", "sys", "dev", "submission", "worker", "control", "job",
                          "tmp"):
            add_dir(directory, 0o1777 if directory == "tmp" else 0o755)
            made.add(directory)
        for bind in binds:  # every parent of a bound directory, so the mount points exist
            parts = Path(bind).parts[1:]
            for depth in range(1, len(parts) + 1):
                name = "/".join(parts[:depth])
                if name not in made:
                    add_dir(name)
                    made.add(name)
        for link, target in (("bin", "usr/bin"), ("lib", "usr/lib"), ("lib64", "usr/lib64")):
            add_link(link, target)
        add_file("etc/passwd", PASSWD)
        add_file("etc/group", GROUP)
        add_file("etc/ld.so.cache", "")
    return buffer.getvalue()


def build_offline(tag: str = engine.IMAGE) -> BuiltImage:
    started = time.monotonic()
    binds = engine.host_binds()
    labels = {"grader.image": "worker", "grader.kind": "host", "grader.python": engine.host_python(),
              "grader.binds": json.dumps(list(binds)), "grader.version": __version__}
    changes = [f"LABEL {key}={json.dumps(value)}" for key, value in labels.items()]
    changes += ['USER 65532:65532', 'WORKDIR /job']
    repository, _, version = tag.partition(":")
    engine.api().import_image_from_data(rootfs_tar(binds), repository=repository, tag=version or "latest",
                                        changes=changes)
    built = _describe(tag, started, "host")
    prune_old_images()
    return built


def prune_old_images() -> int:
    """Remove earlier worker images that lost their tag (those no container uses any more)."""
    removed = 0
    for image in engine.api().images(filters={"dangling": True, "label": "grader.image=worker"}):
        try:
            engine.api().remove_image(image["Id"])
            removed += 1
        except Exception:  # noqa: BLE001 - still used by a container
            pass
    return removed


def build_dockerfile(tag: str = engine.IMAGE) -> BuiltImage:
    """docker build of the repository's Dockerfile (a self-contained image; needs a registry)."""
    started = time.monotonic()
    subprocess.run(["docker", "build", "-t", tag, "-f", str(REPO / "Dockerfile"), str(REPO)], check=True)
    return _describe(tag, started, "self-contained")


def _describe(tag: str, started: float, kind: str) -> BuiltImage:
    info = engine.image_info(tag)
    if info is None:
        raise RuntimeError(f"the build finished but {tag} does not exist")
    return BuiltImage(tag, info.id, info.size, time.monotonic() - started, kind)

"""Issue 11: the zygote pool container's seccomp profile is the engine's default plus user
namespaces (unshare, clone with namespace flags, mount, umount2, sethostname) and nothing else, checked against
the filter the engine itself installs; uid 65532 can create a user namespace with it, and the
keyring stays refused."""

from __future__ import annotations

import os
import platform

import pytest
from test_docker_sandbox import REASON

from grader.sandbox import docker_engine as engine
from grader.sandbox import docker_seccomp
from grader.spec import Limits

pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}"),
              pytest.mark.skipif(platform.machine() != "x86_64", reason="the profile and the numbers are x86_64's")]

PROBE = r'''
import ctypes, errno, subprocess
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def call(*args):
    ctypes.set_errno(0)
    return "ok" if libc.syscall(*args) >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")
userns = subprocess.run(["/usr/bin/unshare", "-U", "-r", "/usr/bin/id", "-u"], capture_output=True, text=True)
print("USERNS", userns.returncode, userns.stdout.strip() or userns.stderr.strip())
print("KEYRING", call(248, b"user", b"grader-test", b"x", 1, -4), call(250, 0, -4, 0, 0, 0))
print("OTHERS", call(321, 0, 0, 0), call(298, 0, 0, -1, -1, 0), call(308, 0, 0), call(246, 0, 0, 0, 0))
'''


def _run(seccomp: str | None) -> str:
    image = engine.image_info()
    assert image is not None
    python = image.python or "/usr/bin/python3"
    config = engine.container_config(image, [python, "-c", PROBE], Limits(), engine.labels_for("seccomp-test"), {},
                                     stdin=False, seccomp=seccomp)
    config["host_config"]["AutoRemove"] = False  # keep it until its logs are read
    container = engine.api().create_container(**config)["Id"]
    try:
        engine.api().start(container)
        engine.api().wait(container, timeout=60)
        return str(engine.api().logs(container).decode())
    finally:
        engine.remove(container)


def test_with_the_pool_profile_uid_65532_creates_a_user_namespace_and_the_keyring_stays_refused():
    printed = _run(docker_seccomp.profile_text())
    assert "USERNS 0 0" in printed, printed  # root inside its own user namespace
    assert "KEYRING EPERM EPERM" in printed, printed
    assert "OTHERS EPERM EPERM EPERM EPERM" in printed, printed  # bpf, perf_event_open, setns, kexec_load


def test_the_engine_default_refuses_user_namespaces_which_is_why_the_profile_exists():
    printed = _run(None)
    assert "USERNS 1" in printed and "Operation not permitted" in printed, printed


@pytest.mark.skipif(os.geteuid() != 0, reason="reading a container's seccomp filter (ptrace) needs root")
def test_the_pool_profile_differs_from_the_engine_default_only_by_namespaces_mounts_and_hostname():
    names = docker_seccomp.syscall_names()
    default = docker_seccomp.container_filter(None)
    ours = docker_seccomp.container_filter(docker_seccomp.profile_text())
    differences = docker_seccomp.differences(default, ours, names)
    assert set(differences) == {"unshare", "clone", "mount", "umount2", "sethostname"}, differences
    assert all(change == {"errno 1 -> allow"} for change in differences.values()), differences
    # what the profile adds is allowed; the keyring and the rest are refused by both filters alike
    for name in ("keyctl", "add_key", "request_key", "setns", "bpf", "ptrace", "pivot_root", "init_module"):
        nr = {v: k for k, v in names.items()}[name]
        assert docker_seccomp.verdicts(ours, nr) == docker_seccomp.verdicts(default, nr), name

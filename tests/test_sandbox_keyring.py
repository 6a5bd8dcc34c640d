"""Issue #10 item 1: the local sandbox must not reach the kernel keyring (or anything else Docker's
default seccomp profile denies), and its user must not be the host's root where the machine allows."""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import time
import uuid
from pathlib import Path

import pytest
from conftest import call_in_sandbox, needs_isolation

from grader.sandbox import seccomp

KEY_SPEC_USER_KEYRING = -4
KEYCTL_READ, KEYCTL_SEARCH, KEYCTL_INVALIDATE = 11, 10, 21

needs_x86_64 = pytest.mark.skipif(platform.machine() != "x86_64", reason="syscall numbers below are x86_64's")

# A hostile submission: plant a key in the user keyring it maps to, read it back, and look for a
# key the host's user stored (its description is passed in).
KEYRING = '''
import ctypes, errno, os, platform

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

def call(*args):
    ctypes.set_errno(0)
    value = libc.syscall(*args)
    return value, errno.errorcode.get(ctypes.get_errno(), "") if value < 0 else ""

def keyring(host_description, planted_description):
    out = {"uid": os.getuid()}
    key, out["add_key"] = call(248, b"user", planted_description.encode(), b"stolen answers", 14, -4)
    if key >= 0:
        buffer = ctypes.create_string_buffer(64)
        size, _ = call(250, 11, key, buffer, 64)
        out["read_back"] = buffer.raw[:max(size, 0)].decode()
    found, out["search"] = call(250, 10, -4, b"user", host_description.encode(), 0)
    if found >= 0:
        buffer = ctypes.create_string_buffer(64)
        size, _ = call(250, 11, found, buffer, 64)
        out["host_secret"] = buffer.raw[:max(size, 0)].decode()
    others = {}
    others["unshare"] = call(272, 0x10000000)[1]  # CLONE_NEWUSER
    others["perf_event_open"] = call(298, 0, 0, -1, -1, 0)[1]
    others["bpf"] = call(321, 0, 0, 0)[1]
    others["mount"] = call(165, b"none", b"/tmp", b"tmpfs", 0, 0)[1]
    others["io_uring_setup"] = call(425, 1, 0)[1]
    out["others"] = others
    out["getpid_works"] = call(39)[0] > 0
    return out
'''


def _host_syscall(*args: object) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return int(libc.syscall(*args))


@needs_isolation
@needs_x86_64
def test_keyring_and_docker_denied_calls_fail_with_eperm_in_the_local_sandbox(toy, tmp_path):
    host_description = f"grader-test-host-{uuid.uuid4().hex[:8]}"
    planted_description = f"grader-test-planted-{uuid.uuid4().hex[:8]}"
    host_key = _host_syscall(248, b"user", host_description.encode(), b"host secret", 11, KEY_SPEC_USER_KEYRING)
    try:
        report = call_in_sandbox(toy, tmp_path, KEYRING, "keyring", host_description, planted_description)
    finally:
        if host_key > 0:
            _host_syscall(250, KEYCTL_INVALIDATE, host_key)
    planted = _host_syscall(250, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, b"user", planted_description.encode(), 0)
    if planted > 0:  # clean up what an unfixed sandbox left in the host's keyring
        _host_syscall(250, KEYCTL_INVALIDATE, planted)
    assert report["add_key"] == "EPERM" and "read_back" not in report
    assert report["search"] == "EPERM" and "host_secret" not in report
    assert planted < 0, "the sandbox planted a key in the host user's keyring"
    assert report["others"] == {name: "EPERM" for name in report["others"]}
    assert report["getpid_works"]


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            pass
    return found


def _host_uids(pid: int) -> list[int]:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("Uid:"))
    return [int(v) for v in line.split()[1:]]


@needs_isolation
def test_the_sandbox_user_is_not_root_on_the_host(toy, tmp_path):
    """Seen from the host, bubblewrap and everything in the sandbox run as an unprivileged uid."""
    from grader.sandbox.local import LocalSandbox, host_identity, local_isolation

    drop_to, description = host_identity()
    assert description in local_isolation()[0]  # what doctor and every result report
    if os.geteuid() == 0 and drop_to is None:
        pytest.skip(f"this machine cannot run bubblewrap unprivileged: {description}")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "toy.py").write_text("")
    with LocalSandbox(folder, toy.limits) as sandbox:
        process = sandbox.spawn(["/bin/sleep", "30"])
        deadline = time.monotonic() + 20
        pids: list[int] = []
        while time.monotonic() < deadline:
            root = process.popen.pid if hasattr(process, "popen") else sandbox.zygote.popen.pid  # zygote mode
            pids = _descendants(root)
            if any(Path(f"/proc/{p}/cmdline").read_bytes().startswith(b"/bin/sleep") for p in pids):
                break
            time.sleep(0.1)
        uids = {pid: _host_uids(pid) for pid in pids}
        process.kill()
    assert len(uids) >= 2 and all(0 not in ids for ids in uids.values()), uids


@needs_x86_64
def test_filter_is_well_formed():
    program = seccomp.program()
    denied = len(set(seccomp.denied_calls().values()))
    assert len(program) % 8 == 0 and len(program) // 8 == 4 + 1 + denied + 2 + 6  # + clone's flags, clone3
    zygote = seccomp.zygote_program()  # the zygote's outer filter: may make namespaces and mounts, no more
    assert len(zygote) // 8 == 4 + 1 + denied - len(seccomp.ZYGOTE_ALLOWED) + 2
    assert seccomp.ZYGOTE_ALLOWED == {"unshare", "mount", "umount2"}
    assert {"add_key", "keyctl", "request_key"} <= set(seccomp.denied_calls())
    assert errno.EPERM == seccomp.EPERM


def test_doctor_says_which_host_user_the_sandbox_gets():
    from click.testing import CliRunner

    from cli import main
    from grader.sandbox.local import host_identity

    result = CliRunner().invoke(main, ["doctor"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "sandbox user (local)" in result.output and host_identity()[1] in result.output
    assert "seccomp (local)" in result.output

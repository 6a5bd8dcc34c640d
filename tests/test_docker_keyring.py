"""Issue #10 item 1 on the docker backend: the kernel keyring (and the other calls the local
sandbox's filter denies) answer EPERM in a container too, so both backends agree."""

from __future__ import annotations

import platform

import pytest
from test_docker_sandbox import REASON, hostile

from grader.grading import grade_submission

pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}"),
              pytest.mark.skipif(platform.machine() != "x86_64", reason="syscall numbers below are x86_64's")]

ATTACK = '''
import ctypes, errno
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

def _call(*args):
    ctypes.set_errno(0)
    return "ok" if _libc.syscall(*args) >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")

print("KEYRING", _call(248, b"user", b"grader-test-docker", b"answers", 7, -4), _call(250, 10, -4, b"user", b"x", 0))
print("OTHERS", _call(165, b"none", b"/tmp", b"tmpfs", 0, 0), _call(321, 0, 0, 0), _call(298, 0, 0, -1, -1, 0))
'''


def test_keyring_and_privileged_calls_fail_with_eperm_in_a_container(spec, tmp_path):
    result = grade_submission(spec, hostile(tmp_path, spec, ATTACK), seed=3, backend="docker")
    printed = result.tests[0].program_output
    assert "KEYRING EPERM EPERM" in printed, printed
    assert "OTHERS EPERM EPERM EPERM" in printed, printed
    assert result.score == result.max_score

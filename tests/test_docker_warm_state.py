"""Issue #10 item 8: in the warm pool (--warm), one submission must not leave network state or an I/O
priority that the next submission in the same container sees or inherits."""

from __future__ import annotations

import platform

import pytest
from test_docker_batch import EXERCISE, REASON, course, submission  # noqa: F401 - course is a fixture

from grader.commands.grade import grade_batch

pytestmark = [pytest.mark.docker, pytest.mark.skipif(REASON is not None, reason=f"no Docker engine: {REASON}"),
              pytest.mark.skipif(platform.machine() != "x86_64", reason="ioprio syscall numbers are x86_64's")]

BOOT_PID = '''
import ctypes, os
print("INIT", open("/proc/1/stat").read().split()[21])
zygote = os.getppid()
boot = int(open(f"/proc/{zygote}/stat").read().rsplit(")", 1)[1].split()[1])
libc = ctypes.CDLL(None, use_errno=True)
'''
# Planters: leave a loopback connection in TIME_WAIT (its port numbers can carry 32 bits), or set boot's
# I/O priority to idle, which every later fork of boot inherits.
TIME_WAIT = BOOT_PID + '''
import socket
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
client = socket.create_connection(server.getsockname())
accepted, _ = server.accept()
client.close()  # the side that closes first keeps the connection in TIME_WAIT for a minute
accepted.close()
server.close()
print("PLANTED", len(open("/proc/net/tcp").read().splitlines()) - 1)
'''
IDLE_IO = BOOT_PID + '''
print("PLANTED", libc.syscall(251, 1, boot, 3 << 13))  # ioprio_set(IOPRIO_WHO_PROCESS, boot, IDLE)
'''
SNOOP = BOOT_PID + '''
sockets = [line for name in ("tcp", "tcp6") for line in open(f"/proc/net/{name}").read().splitlines()[1:]]
print("SOCKETS", len(sockets))
print("IOCLASS", libc.syscall(252, 1, 0) >> 13)  # ioprio_get of this process: 3 is idle
print("NICE", os.getpriority(os.PRIO_PROCESS, 0))
'''


def said(result, word: str) -> str:
    lines = [line for line in result.tests[0].program_output.splitlines() if line.startswith(word + " ")]
    return lines[0].split(" ", 1)[1] if lines else ""


@pytest.mark.parametrize("planter", ["time_wait", "idle_io"])
def test_the_next_warm_submission_sees_no_sockets_and_inherits_no_io_priority(course, tmp_path, planter):  # noqa: F811
    folder = tmp_path / "in"
    code = {"time_wait": TIME_WAIT, "idle_io": IDLE_IO}[planter]
    sources = [submission(folder, course, "a_planter", code), submission(folder, course, "b_snoop", SNOOP)]
    summary = grade_batch(EXERCISE, sources, tmp_path / "out", backend="docker", seed=11, jobs=1, warm=True)
    planted, snoop = summary.results["a_planter"], summary.results["b_snoop"]
    assert planted.score == snoop.score == 10
    if planter == "time_wait":
        assert int(said(planted, "PLANTED")) >= 1  # the planter did leave a socket behind
    else:
        assert said(planted, "PLANTED") == "0"  # ioprio_set on boot succeeded
    assert said(snoop, "SOCKETS") == "0"
    assert said(snoop, "IOCLASS") != "3" and said(snoop, "NICE") == "0"

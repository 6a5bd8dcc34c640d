"""The docker backend's container main process: imports heavy modules once, then runs one worker
*generation* at a time, each a fork that runs worker.py (or execs a command).

Runs as ``python -I -B /worker/boot.py --preload numpy,torch`` under docker-init, as the same
unprivileged user as the submission, so it trusts nothing the container holds except what the host
controls: /control (read-only) and the SYNC line on stdin carrying the nonce the host just wrote to
/control/generation.json. The host sends it only after it has killed every process of the previous
generation, so no submission can start, see or fake the next one. Between generations everything
writable is wiped; if a submission tampered with this process (rlimits, priority, I/O priority, CPU
affinity) or with docker-init, or left network state behind (a socket in TIME_WAIT outlives its
process, and its port numbers could carry data to the next submission), boot exits and the host
throws the container away: the next submission then gets a fresh network namespace too.
Standard library only.
"""

import ctypes
import json
import os
import re
import resource
import runpy
import signal
import stat
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder off sys.path
import wire  # type: ignore[import-not-found]  # noqa: E402  # sibling file inside the sandbox

SYNC = re.compile(re.escape(wire.SYNC_MARKER) + rb"([0-9a-f]{32})\n")
WRITABLE = ("/job", "/tmp", "/dev/shm", "/dev/mqueue")
RLIMITS = [getattr(resource, name) for name in dir(resource) if name.startswith("RLIMIT_")]
PR_SET_DUMPABLE = 4
LIBC = ctypes.CDLL(None, use_errno=True)
IOPRIO_GET = {"x86_64": 252, "aarch64": 31}.get(os.uname().machine)  # ioprio_get(2)
IOPRIO_WHO_PROCESS = 1
NET_TABLES = ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "udplite", "udplite6")


def say(marker: bytes) -> None:
    for fd in (1, 2):
        os.write(fd, marker)


def ioprio(pid: int) -> int | None:
    """A process's I/O scheduling class and level (0 is ours), as ioprio_get(2) reports it."""
    return LIBC.syscall(IOPRIO_GET, IOPRIO_WHO_PROCESS, pid) if IOPRIO_GET is not None else None


def network_clean() -> bool:
    """No socket left in this network namespace (all processes but boot and docker-init are gone,
    so any entry is state that outlived its process, like a loopback connection in TIME_WAIT)."""
    for name in NET_TABLES:
        try:
            with open(f"/proc/net/{name}") as handle:
                if len(handle.read().splitlines()) > 1:
                    return False
        except OSError:
            continue
    return True


def snapshot() -> tuple[object, ...]:
    """What another process of our user could change about us or docker-init."""
    def init_stat() -> tuple[str, ...]:
        fields = open("/proc/1/stat").read().rsplit(")", 1)[1].split()
        return fields[16], fields[38]  # nice, policy

    return (tuple(resource.getrlimit(r) for r in RLIMITS), os.getpriority(os.PRIO_PROCESS, 0),
            os.sched_getscheduler(0), tuple(sorted(os.sched_getaffinity(0))),
            open("/proc/1/limits").read(), init_stat(), ioprio(0), ioprio(1))


def remove_tree(path: str) -> None:
    """Delete everything below ``path`` (the submission may have made directories unreadable)."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                os.chmod(entry.path, stat.S_IRWXU)
                remove_tree(entry.path)
                os.rmdir(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


def remove_sysv_ipc() -> None:
    """SysV objects outlive their processes in the container's IPC namespace: remove them."""
    for name, function in (("shm", LIBC.shmctl), ("msg", LIBC.msgctl), ("sem", LIBC.semctl)):
        try:
            lines = open(f"/proc/sysvipc/{name}").read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            ident = int(line.split()[1])
            if name == "sem":
                function(ident, 0, 0, None)  # IPC_RMID = 0
            else:
                function(ident, 0, None)


def wipe() -> bool:
    """Empty every writable place; False if something could not be removed."""
    for top in WRITABLE:
        remove_tree(top)
    remove_sysv_ipc()
    for top in WRITABLE:
        try:
            if os.listdir(top):
                return False
        except FileNotFoundError:
            continue
        except OSError:
            if top in ("/job", "/tmp"):
                return False
    for name in ("shm", "msg", "sem"):
        try:
            if len(open(f"/proc/sysvipc/{name}").read().splitlines()) > 1:
                return False
        except OSError:
            continue
    return network_clean()


def next_generation(buffer: bytearray) -> dict | None:
    """Wait for a SYNC line whose nonce the host wrote to /control; None when stdin closes."""
    while True:
        data = bytes(buffer)  # a bytearray cannot shrink while a regex match refers to it
        for match in SYNC.finditer(data):
            try:
                config = json.load(open("/control/generation.json"))
            except (OSError, ValueError):
                continue
            if config.get("nonce", "").encode() == match.group(1):
                del buffer[: match.end()]
                return config
        del buffer[: max(0, len(buffer) - 64)]
        chunk = os.read(0, 65536)
        if not chunk:
            return None
        buffer += chunk


def child(config: dict) -> None:
    """The generation's process: the worker, run in this already-warm interpreter (or an exec)."""
    wire.exit_after(lambda: run_generation(config), failed=1, report=True)


def run_generation(config: dict) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")  # under memory pressure the kernel kills the submission, not boot
    except OSError:
        pass
    os.chdir("/job")
    argv = [str(a) for a in config["argv"]]
    if config.get("mode") != "worker":
        os.execv(argv[0], argv)
    sys.argv = argv[3:]  # drop "python -I -B": this interpreter already runs isolated
    runpy.run_path(sys.argv[0], run_name="__main__")


def main() -> None:
    preload = sys.argv[sys.argv.index("--preload") + 1] if "--preload" in sys.argv else ""
    wire.preload(preload)
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # our own user cannot ptrace us or read our memory
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN)
    baseline = snapshot()
    buffer = bytearray()
    while True:
        config = next_generation(buffer)
        if config is None:
            return
        nonce = config["nonce"].encode()
        if snapshot() != baseline or not wipe():
            say(b"\x00\x00GRADER-TAMPERED " + nonce + b"\n")
            os._exit(70)
        gate_r, gate_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(gate_w)
            os.read(gate_r, 1)  # start only after SYNC is out: nothing of ours may precede it
            os.close(gate_r)
            child(config)
        os.close(gate_r)
        say(wire.SYNC_MARKER + nonce + b"\n")  # after fork: the host now sees the worker's pid
        os.write(gate_w, b"go")
        os.close(gate_w)
        _, status = os.waitpid(pid, 0)
        say(b"\x00\x00GRADER-END " + nonce + b" %d\n" % os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()

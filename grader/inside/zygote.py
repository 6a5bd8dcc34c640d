"""The zygote: a pre-imported interpreter that forks one freshly isolated process per submission.

Interface (stable; the local and docker backends both drive it)
----------------------------------------------------------------
Started once per (backend, run/pool) inside an OUTER sandbox as
``python -I -B /worker/zygote.py --control FD --preload numpy,torch``, where FD is one end of an
``AF_UNIX``/``SOCK_SEQPACKET`` socket pair whose other end the trusted host holds. One datagram is one
JSON object; file descriptors ride along with SCM_RIGHTS.

  zygote -> host  {"ready": true, "pid": P}             once, after the preload (P: pid in the outer sandbox)
  host -> zygote  {"op": "spawn", "id": ID, ...} + 3 or 4 fds: the child's stdin, stdout, stderr and,
      optionally, where the exit status of an "exec" command is written (as decimal text)
      "submission": folder the zygote can read (e.g. "/subs/job-1"), bound read-only at /submission
      "argv": [python, "-I", "-B", "/worker/worker.py", ...] (mode "worker": run in this interpreter)
              or any command (mode "exec": execve'd after the set-up)
      "env": {name: value}            the whole environment
      "tmpfs_bytes": N                size cap of each of /job, /tmp, /dev/shm
      "rlimits": {"RLIMIT_CPU": n, ...} (-1: unlimited)
      "seccomp": base64 of the FINAL filter (struct sock_filter array, built by the host)
      "hide": ["/subs", ...]          folders covered by an empty read-only tmpfs (other jobs)
      "mask": [path, ...]             after the fresh /proc: folders covered like "hide", files by /dev/null
      "readonly": [path, ...]         after the fresh /proc: bound read-only on themselves (with /proc/sys...)
  zygote -> host  {"id": ID, "pid": Q} | {"id": ID, "error": words}
      Q is the submission's init (PID 1 of its new PID namespace, a child of the zygote) as the zygote's
      namespace numbers it. It is blocked until "go": the host first moves it into the
      submission's cgroup (find its host pid via /proc/<zygote>/task/<zygote>/children and NSpid).
  host -> zygote  {"op": "go", "id": ID}   | {"op": "cancel", "id": ID}  (no reply)
  host -> zygote  {"op": "ping"}           -> {"pong": true}
  zygote -> host  {"tampered": words} and exit 70, when its own state changed between spawns.

What the child does, in order: cloned straight into new user, PID, network, IPC, UTS and mount
namespaces (so it is PID 1 there), its uid/gid mapped 1:1 to the zygote's, wait for "go", a new
cgroup namespace, private mounts: fresh size-capped tmpfs on /job, /tmp and /dev/shm, its submission
read-only at /submission, every "hide" folder covered, a fresh /proc; hostname "sandbox", loopback up;
rlimits, capabilities dropped (bounding set too), no_new_privs, the final seccomp filter (which denies
namespaces and mounts again); only then the worker runs (imports the submission). The zygote never
imports or runs student code, and keeps no descriptor a child could use: each child closes all but
its three. Standard library only (numpy/torch are preloaded, never needed).
"""

import base64
import ctypes
import fcntl
import json
import os
import resource
import runpy
import select
import signal
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder off sys.path
import wire  # type: ignore[import-not-found]  # noqa: E402  # sibling file inside the sandbox
import worker  # type: ignore[import-not-found]  # noqa: E402  # compiled once here, run only in children

LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 4, 24, 38, 22
PR_SET_CHILD_SUBREAPER, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 36, 47, 4
SECCOMP_MODE_FILTER = 2
PR_SET_THP_DISABLE = 41
MADV_COLLAPSE = 25
HUGE_MALLOC = "glibc.malloc.hugetlb=1"  # malloc asks for transparent huge pages (glibc 2.35+; see huge_pages)
NAMESPACES = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
UID, GID = os.getuid(), os.getgid()
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
MAX_MESSAGE = 1 << 20
SPAWN_TIMEOUT_S = 20.0
RLIMITS = [getattr(resource, name) for name in dir(resource) if name.startswith("RLIMIT_")]


class SetupError(Exception):
    pass


def check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(error)}")


def mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    check(LIBC.mount(source.encode(), target.encode(), fstype.encode() if fstype else None, flags,
                     data.encode() if data else None), f"mount {target}")


def send(sock: socket.socket, message: dict) -> None:
    sock.send(json.dumps(message, separators=(",", ":")).encode())


def snapshot() -> tuple:
    """What another process could change about the zygote between spawns."""
    return (tuple(resource.getrlimit(r) for r in RLIMITS), os.getpriority(os.PRIO_PROCESS, 0),
            os.sched_getscheduler(0), tuple(sorted(os.sched_getaffinity(0))), os.getcwd(),
            os.umask(0o022))


# --- in the submission's init (PID 1 of its new namespaces), before any of its code ---------------


def write_file(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock.fileno(), SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def private_mounts(request: dict) -> None:
    size = int(request["tmpfs_bytes"])
    mount("none", "/", None, MS_REC | MS_PRIVATE)
    for path, mode in (("/job", "0755"), ("/tmp", "1777"), ("/dev/shm", "1777")):
        mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")
    mount(str(request["submission"]), "/submission", None, MS_BIND | MS_REC)
    locked = os.statvfs("/submission").f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC)
    mount("none", "/submission", None, MS_BIND | MS_REMOUNT | MS_RDONLY | locked)
    for path in request.get("hide", []):
        mount("tmpfs", str(path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for path in request.get("mask", []):  # what an outer sandbox masks in its own /proc and /sys (docker's)
        if os.path.isdir(path):
            mount("tmpfs", str(path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
        elif os.path.exists(path):
            mount("/dev/null", str(path), None, MS_BIND)
    for path in ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", *request.get("readonly", [])):
        try:  # what bubblewrap covers too: read-only, even for a process that still had capabilities
            mount(path, path, None, MS_BIND | MS_REC)
            locked = os.statvfs(path).f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC)
            mount("none", path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | locked)
        except (SetupError, OSError):
            pass


def drop_privileges(program: bytes) -> None:
    for cap in range(64):
        if LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:  # EINVAL: no such cap
            break
    LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = struct.pack("=Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    check(LIBC.capset(ctypes.c_char_p(header), ctypes.c_char_p(bytes(24))), "capset")
    check(LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    if program:
        filters = ctypes.create_string_buffer(program, len(program))
        fprog = struct.pack("HxxxxxxP", len(program) // 8, ctypes.addressof(filters))
        check(LIBC.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.c_char_p(fprog), 0, 0), "seccomp")


def submission_init(request: dict, go: int) -> None:
    """PID 1 of the submission's namespaces: wait for "go", isolate, then run the worker (or exec)."""
    if os.read(go, 1) != b"g":
        os._exit(0)  # cancelled, or the host went away
    os.close(go)
    check(LIBC.unshare(CLONE_NEWCGROUP), "unshare(CLONE_NEWCGROUP)")  # after the host moved us
    # no new huge pages for the submission: malloc here still asks for them (HUGE_MALLOC), and a
    # submission's big allocation would then wait on the kernel compacting memory (seconds, under load)
    check(LIBC.prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0), "prctl(PR_SET_THP_DISABLE)")
    private_mounts(request)
    check(LIBC.sethostname(b"sandbox", 7), "sethostname")
    loopback_up()
    for name, value in request.get("rlimits", {}).items():
        limit = resource.RLIM_INFINITY if int(value) < 0 else int(value)
        resource.setrlimit(getattr(resource, name), (limit, limit))
    env = {str(k): str(v) for k, v in request.get("env", {}).items()}
    os.environ.clear()
    os.environ.update(env)
    os.chdir("/job")
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # what a fresh interpreter has
    os.umask(0o022)
    drop_privileges(base64.b64decode(request.get("seccomp", "")))
    argv = [str(a) for a in request["argv"]]
    if request.get("mode") != "exec" and argv[0] == sys.executable and argv[1:3] == ["-I", "-B"]:
        os.close(3)
        sys.argv = argv[3:]  # drop "python -I -B": this interpreter already runs isolated
        if sys.argv[0] == "/worker/worker.py":
            worker.main()  # imported (compiled) once, by the zygote; never run there
        else:
            runpy.run_path(sys.argv[0], run_name="__main__")
        return
    command = os.fork()  # any other command runs below us; its exit status goes to fd 3
    if command == 0:
        try:
            os.close(3)
            os.execve(argv[0], argv, env)
        except OSError as exc:
            os.write(2, f"cannot run {argv[0]}: {exc}\n".encode())
        finally:
            os._exit(127)
    _, status = os.waitpid(command, 0)
    os.write(3, b"%d" % os.waitstatus_to_exitcode(status))
    os._exit(0)


def huge_pages() -> None:
    """Back the preloaded heap with 2 MiB pages where the kernel can: every fork of this torch-sized
    process, and of each submission's importer, then copies and tears down one page-table entry per
    2 MiB instead of 512, about half of what a fork costs (a child that writes to such a page still
    copies only the 4 KiB it touched). malloc's heap got them as it grew (HUGE_MALLOC, free); the rest
    (the interpreter's own arenas) is collapsed now (MADV_COLLAPSE, Linux 6.1+; best effort)."""
    huge = 2 << 20
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for fields in regions:
        start, end = (int(x, 16) for x in fields[0].split("-"))
        start, end = -(-start // huge) * huge, end // huge * huge
        if fields[1] == "rw-p" and (len(fields) < 6 or fields[5] == "[heap]") and end > start:
            LIBC.madvise(ctypes.c_void_p(start), ctypes.c_size_t(end - start), MADV_COLLAPSE)


def child_setup(request: dict, fds: list[int], go: int) -> None:
    """In the submission's init, just cloned: its descriptors only, its own uid/gid maps, then the rest."""
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in [*fds, go]]  # out of the way of 0..3
    *fds, go = high
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    if len(fds) == 3:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 3)  # fd 3: where an "exec" child's exit status goes
    keep = sorted({0, 1, 2, 3, go})
    for low, upto in zip(keep, keep[1:] + [os.sysconf("SC_OPEN_MAX")], strict=True):
        os.closerange(low + 1, upto)  # the control socket and every other job's descriptors
    os.setsid()
    LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # the zygote is not dumpable, so /proc/self would be root's
    write_file("/proc/self/setgroups", "deny")
    write_file("/proc/self/uid_map", f"{UID} {UID} 1")
    write_file("/proc/self/gid_map", f"{GID} {GID} 1")
    submission_init(request, go)


def spawn(request: dict, fds: list[int]) -> tuple[int, int]:
    """Clone the submission's init; returns (its pid, the write end of its "go" pipe)."""
    go_r, go_w = os.pipe()
    try:
        child = wire.clone(NAMESPACES)  # the zygote is single threaded (checked at its start)
    except OSError:
        os.close(go_r)
        os.close(go_w)
        raise
    if child == 0:
        os.close(go_w)
        wire.exit_after(lambda: child_setup(request, fds, go_r), failed=1, report=True)
    os.close(go_r)
    return child, go_w


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(sock: socket.socket) -> None:
    baseline = snapshot()
    waiting: dict[str, int] = {}  # id -> write end of that child's "go" pipe
    while True:
        if not select.select([sock], [], [], 1.0)[0]:
            reap()
            continue
        message, fds, _flags, _address = socket.recv_fds(sock, MAX_MESSAGE, 4)
        reap()
        if not message:
            return
        try:
            request = json.loads(message)
            op, ident = request.get("op"), str(request.get("id"))
            if op == "ping":
                send(sock, {"pong": True})
            elif op == "spawn":
                if snapshot() != baseline:
                    send(sock, {"tampered": "the zygote's limits, priority, scheduling or folder changed"})
                    os._exit(70)
                if len(fds) not in (3, 4):
                    raise SetupError("a spawn request needs three or four descriptors")
                try:
                    pid, waiting[ident] = spawn(request, fds)
                    send(sock, {"id": ident, "pid": pid})
                except (SetupError, OSError, KeyError, ValueError) as exc:
                    send(sock, {"id": ident, "error": str(exc)[:500]})
            elif op in ("go", "cancel") and ident in waiting:
                go = waiting.pop(ident)
                if op == "go":
                    os.write(go, b"g")
                os.close(go)
        except (ValueError, SetupError) as exc:
            send(sock, {"error": str(exc)[:500]})
        finally:
            for fd in fds:
                os.close(fd)


def main() -> None:
    if os.environ.get("GLIBC_TUNABLES") != HUGE_MALLOC:  # malloc reads it at start: re-exec once with it
        os.execve(sys.executable, [sys.executable, "-I", "-B", *sys.argv],
                  {**os.environ, "GLIBC_TUNABLES": HUGE_MALLOC})
    control = int(sys.argv[sys.argv.index("--control") + 1])
    preload = sys.argv[sys.argv.index("--preload") + 1] if "--preload" in sys.argv else ""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN)
    wire.preload(preload)
    huge_pages()
    if not wire.single_threaded():
        threads = len(os.listdir("/proc/self/task"))
        sys.stderr.write(f"zygote: cannot clone safely ({threads} threads, {os.uname().machine})\n")
        sys.exit(71)
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    sock = socket.socket(fileno=control)
    send(sock, {"ready": True, "pid": os.getpid()})
    serve(sock)


if __name__ == "__main__":
    main()

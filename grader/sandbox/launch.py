"""Trusted launcher: joins the job's cgroups, sets rlimits, then execs the sandboxed command.

With ``seccomp`` it opens that BPF file and hands it to bubblewrap (``--seccomp FD``, inserted
after argv[0]); with ``drop_to`` [uid, gid] it gives up root before the exec, so bubblewrap
maps the sandbox's user to that unprivileged host user instead of root; ``stage`` first binds
folders that user could not reach (see ``bubblewrap.staged_python_binds``).

Run as ``python -I -S launch.py CONFIG_JSON -- argv...`` so no setup code runs between fork and
exec in the (multi-threaded) grader process.
"""

import json
import os
import resource
import sys

MS_BIND, MS_REC, MS_PRIVATE, CLONE_NEWNS = 0x1000, 0x4000, 0x40000, 0x20000


def stage(binds: list[list[str]]) -> None:
    """In a private mount namespace of this process, bind each [source, mount point] (as root)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def check(result: int, what: str) -> None:
        if result != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"{what}: {os.strerror(error)}")

    check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "making mounts private")
    for source, point in binds:
        check(libc.mount(source.encode(), point.encode(), None, MS_BIND | MS_REC, None), f"binding {source}")


def main() -> None:
    config = json.loads(sys.argv[1])
    argv = sys.argv[sys.argv.index("--") + 1:]
    for procs in config.get("cgroup_procs", []):
        with open(procs, "w") as handle:
            handle.write(str(os.getpid()))
    for name, value in config.get("rlimits", {}).items():
        resource.setrlimit(getattr(resource, name), (value, value))
    if config.get("seccomp"):
        fd = os.open(config["seccomp"], os.O_RDONLY)
        os.set_inheritable(fd, True)
        argv[1:1] = ["--seccomp", str(fd)]
    if config.get("stage"):
        stage(config["stage"])
    if config.get("drop_to"):
        uid, gid = config["drop_to"]
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main()

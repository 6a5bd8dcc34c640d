"""What both sides of the sandbox boundary must agree on, defined once. Standard library only."""

import ctypes
import gc
import os
import signal
import sys
import traceback

SANDBOX_UID = 65532  # the unprivileged user student code runs as (local and docker)
SYNC_MARKER = b"\x00\x00GRADER-SYNC "  # + 32 hex nonce + b"\n": starts a worker generation (docker)
MAX_FRAME_BYTES = 64 << 20  # one protocol frame, either direction
CLONE_PARENT = 0x8000
_CLONE_NR = {"x86_64": 56, "aarch64": 220}.get(os.uname().machine, -1)  # flags first on both
_SYSCALL = ctypes.PyDLL(None, use_errno=True).syscall  # keeps the GIL across the call, like os.fork
_SYSCALL.restype = ctypes.c_long


def preload(names: str) -> None:
    """Import the spec's preload modules (comma-separated) once, before any student code; a module that is
    missing is left for the submission's own import to report. torch then uses one thread."""
    for name in filter(None, names.split(",")):
        try:
            __import__(name)
        except ImportError:
            pass
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)
    gc.freeze()  # the cyclic collector of every process forked from here skips (and never copies) these



def exit_after(body, failed: int = 3, report: bool = False):  # type: ignore[no-untyped-def]
    """The whole life of a process we fork: ``body``, then ``os._exit`` (never the interpreter's exit, which
    would run what the parent registered). Exit 0; if it raised, ``failed``; with ``report`` a
    ``sys.exit(n)`` exits n and any other exception prints its traceback first."""
    code = failed
    try:
        body()
        code = 0
    except SystemExit as exc:
        if report:
            code = exc.code if isinstance(exc.code, int) else failed
    except BaseException:  # noqa: BLE001 - the exit status says it, the parent reads it
        if report:
            traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def single_threaded() -> bool:
    """Whether ``clone`` is safe here: one thread (so no lock is held by a thread the child would lack)."""
    try:
        return _CLONE_NR >= 0 and len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def clone(flags: int) -> int:
    """fork(2) with clone(2) flags (new namespaces; CLONE_PARENT: the child is our parent's, not ours), one
    copy of this big process, wrapped in the interpreter's own before/after-fork steps. The C library's fork
    handlers do not run, so only where ``single_threaded()``. Raises OSError."""
    python = ctypes.pythonapi
    python.PyOS_BeforeFork()
    pid = _SYSCALL(_CLONE_NR, flags | signal.SIGCHLD, 0, 0, 0, 0)
    error = ctypes.get_errno()
    if pid == 0:
        python.PyOS_AfterFork_Child()
    else:
        python.PyOS_AfterFork_Parent()
    if pid < 0:
        raise OSError(error, f"clone: {os.strerror(error)}")
    return pid

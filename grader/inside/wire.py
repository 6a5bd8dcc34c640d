"""What both sides of the sandbox boundary must agree on, defined once. Standard library only."""

import os
import sys
import traceback

SANDBOX_UID = 65532  # the unprivileged user student code runs as (local and docker)
SYNC_MARKER = b"\x00\x00GRADER-SYNC "  # + 32 hex nonce + b"\n": starts a worker generation (docker)
MAX_FRAME_BYTES = 64 << 20  # one protocol frame, either direction


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

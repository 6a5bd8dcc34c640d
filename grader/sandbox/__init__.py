"""Sandbox backends behind one interface, found in one registry.

A backend is a module with four functions (the ``Backend`` protocol below): ``problem()`` says why it
cannot run here (or None), ``isolation()`` the level it reaches and why, ``open_sandbox(...)`` returns a
``Sandbox`` for one submission, ``sweep(run)`` removes what crashed runs left behind. Adding a backend
is one module and one line in ``REGISTRY``; the contract tests (tests/test_sandbox_contract.py) run
against every backend that is available.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Protocol, cast

from grader.sandbox.base import ISOLATION_MODES, RunResult, Sandbox, SandboxInfo, SandboxOptions, SandboxProcess
from grader.spec import Limits

# name -> module, in "auto" preference order (imported only when used: the docker SDK is slow to load)
REGISTRY = {"docker": "grader.sandbox.docker", "local": "grader.sandbox.local"}
BACKENDS = ("auto", *REGISTRY)


class SandboxUnavailable(RuntimeError):
    """The requested backend cannot run here; the message says why and what to do."""


class Backend(Protocol):
    def problem(self) -> str | None: ...

    def isolation(self) -> tuple[str, tuple[str, ...]]: ...

    def open_sandbox(self, submission_dir: Path, limits: Limits, options: SandboxOptions | None) -> Sandbox: ...

    def sweep(self, run: str | None = None) -> int: ...


def backend(name: str) -> Backend:
    """The backend module registered as ``name``."""
    if name not in REGISTRY:
        raise SandboxUnavailable(f"unknown sandbox {name!r}; choose one of {', '.join(BACKENDS)}")
    try:
        return cast(Backend, importlib.import_module(REGISTRY[name]))
    except ImportError as exc:
        raise SandboxUnavailable(f"the {name} backend cannot load: {exc}") from None


def resolve_backend(name: str) -> str:
    """The concrete backend for a --sandbox value ("auto": the first usable one in REGISTRY order)."""
    return explain_backend(name)[0]


def explain_backend(name: str) -> tuple[str, str]:
    """The concrete backend for a --sandbox value and, for "auto", why it was chosen."""
    if name != "auto":
        backend(name)  # unknown names fail here
        return name, "chosen with --sandbox"
    reasons: list[str] = []
    for candidate in REGISTRY:
        try:
            problem = backend(candidate).problem()
        except SandboxUnavailable as exc:
            problem = str(exc)
        if problem is None:
            why = "; ".join(reasons)
            return candidate, f"{candidate} is usable{' (' + why + ')' if why else ''}"
        reasons.append(f"{candidate} unavailable: {problem}")
    raise SandboxUnavailable("no sandbox backend can run here: " + "; ".join(reasons))


def open_sandbox(name: str, submission_dir: Path, limits: Limits, options: SandboxOptions | None = None) -> Sandbox:
    chosen = backend(name)
    problem = chosen.problem()
    if problem:
        raise SandboxUnavailable(problem)
    return chosen.open_sandbox(submission_dir, limits, options)


def probe(name: str, timeout_s: float = 180.0) -> str | None:
    """Start the interpreter in a real sandbox of backend ``name`` and import numpy and torch there, as a
    worker would; None when that works, else what went wrong. ``doctor`` says a backend works only then."""
    folder = Path(tempfile.mkdtemp(prefix="grader-probe-"))
    try:
        with open_sandbox(name, folder, Limits()) as sandbox:
            python = sandbox.worker_command("probe.py", [], [])[0]
            done = sandbox.run([python, "-I", "-c", "import numpy, torch; print('probe ok')"], timeout_s)
    except (SandboxUnavailable, RuntimeError, OSError) as exc:
        return str(exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.exit_code == 0 and "probe ok" in done.stdout:
        return None
    why = "timed out" if done.timed_out else done.limit or f"exit code {done.exit_code}"
    return f"the sandboxed interpreter did not start ({why}): {done.stderr.strip()[-300:]}"


ZYGOTE_MODULES = ("grader.sandbox.zygote_host", "grader.sandbox.docker_zygote")


def adopt_in_lane() -> None:
    """In a test lane (a fork of a judge, grader/judge/lanes.py): use the judge's zygotes, which a forked
    process otherwise never touches, instead of starting its own."""
    for name in ZYGOTE_MODULES:
        if (module := sys.modules.get(name)) is not None:
            module.adopt_inherited()


def zygote_numbers() -> tuple[tuple[str, int], ...]:
    """This process's zygotes, by number: a copy of it taken earlier (a spare) is stale once they change."""
    return tuple((name, number) for name in ZYGOTE_MODULES if (module := sys.modules.get(name)) is not None
                 for number in module.numbers())


def leave_lane() -> None:
    """At a lane's end: stop the zygotes it had to start itself (its judge's had died), never the judge's."""
    for name in ZYGOTE_MODULES:
        if (module := sys.modules.get(name)) is not None:
            module.shutdown()


def sweep_leftovers(run: str | None = None) -> int:
    """Remove what earlier (crashed) runs left behind, or with ``run`` what that run left, in every backend."""
    removed = 0
    for name in REGISTRY:
        try:
            removed += backend(name).sweep(run)
        except SandboxUnavailable:
            continue
    return removed


__all__ = ["BACKENDS", "ISOLATION_MODES", "REGISTRY", "Backend", "RunResult", "Sandbox", "SandboxInfo",
           "SandboxOptions", "SandboxProcess", "SandboxUnavailable", "adopt_in_lane", "backend", "explain_backend",
           "leave_lane", "open_sandbox", "probe", "resolve_backend", "sweep_leftovers", "zygote_numbers"]

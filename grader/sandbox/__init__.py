"""Sandbox backends behind one interface; ``open_sandbox`` picks one by name."""

from __future__ import annotations

import importlib
from pathlib import Path

from grader.sandbox.base import RunResult, Sandbox, SandboxInfo, SandboxProcess
from grader.spec import Limits

BACKENDS = ("auto", "local", "docker")


class SandboxUnavailable(RuntimeError):
    """The requested backend cannot run here; the message says why and what to do."""


def resolve_backend(name: str) -> str:
    """The concrete backend for a --sandbox value ("auto" prefers docker when it is usable)."""
    return explain_backend(name)[0]


def explain_backend(name: str) -> tuple[str, str]:
    """The concrete backend for a --sandbox value and, for "auto", why it was chosen."""
    if name not in BACKENDS:
        raise SandboxUnavailable(f"unknown sandbox {name!r}; choose one of {', '.join(BACKENDS)}")
    if name != "auto":
        return name, "chosen with --sandbox"
    try:
        docker_backend = importlib.import_module("grader.sandbox.docker")
    except ImportError as exc:
        return "local", f"the docker backend cannot load ({exc})"
    problem = docker_backend.available()
    if problem:
        return "local", f"docker unavailable: {problem}"
    image = docker_backend.engine.image_info()
    return "docker", f"a Docker engine answers and the image exists ({image.id[:19] if image else '?'})"


def open_sandbox(backend: str, submission_dir: Path, limits: Limits) -> Sandbox:
    if backend == "local":
        from grader.sandbox.local import LocalSandbox

        return LocalSandbox(submission_dir, limits)
    if backend == "docker":
        try:
            docker_backend = importlib.import_module("grader.sandbox.docker")
        except ImportError as exc:
            raise SandboxUnavailable(f"the docker backend is not available: {exc}") from None
        problem = docker_backend.available()
        if problem:
            raise SandboxUnavailable(problem)
        sandbox: Sandbox = docker_backend.DockerSandbox(submission_dir, limits)
        return sandbox
    raise SandboxUnavailable(f"unknown sandbox {backend!r}")


__all__ = ["RunResult", "Sandbox", "SandboxInfo", "SandboxProcess", "SandboxUnavailable", "explain_backend",
           "open_sandbox", "resolve_backend"]

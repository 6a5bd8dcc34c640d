"""What a fresh container plus `import torch` costs per submission, and what the warm options save.

Each step is timed until boot.py answers the first SYNC (it has then imported its preload and is
ready to fork the worker), using the backend's own WorkerContainer.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

from grader.sandbox import docker_engine as engine
from grader.sandbox.docker_container import WorkerContainer
from grader.spec import Limits

ARGV = [sys.executable, "-I", "-B", "/worker/worker.py", "--submission", "/submission/none.py", "--preload", ""]


def _fresh(preload: tuple[str, ...]) -> tuple[float, float]:
    """Seconds to a started container, and to boot's first answer (container + imports)."""
    image = engine.image_info()
    assert image is not None
    started = time.monotonic()
    container = WorkerContainer(image, Limits(), preload)
    try:
        container.start()
        up = time.monotonic() - started
        process = container.spawn(ARGV)
        process.generation.synced.wait(120)
        answered = time.monotonic() - started
        second = time.monotonic()
        process.kill()
        again = container.spawn(ARGV)
        again.generation.synced.wait(60)
        _fresh.switch.append(time.monotonic() - second)  # type: ignore[attr-defined]
        again.kill()
        return up, answered
    finally:
        container.remove()


_fresh.switch = []  # type: ignore[attr-defined]


def container_costs(repeat: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory():
        bare = [_time([sys.executable, "-I", "-c", "import torch"]) for _ in range(repeat)]
        empty = [_fresh(()) for _ in range(repeat)]
        torch = [_fresh(("numpy", "torch")) for _ in range(repeat)]
    return {
        "host: `python -c 'import torch'` (what (a) pays per submission, plus pytest)": statistics.median(bare),
        "docker: create + attach + start a container (API)": statistics.median(u for u, _ in empty),
        "docker: fresh container until boot answers, no imports": statistics.median(a for _, a in empty),
        "docker: fresh container until boot answers, numpy + torch imported": statistics.median(a for _, a in torch),
        "docker: next worker in a running container (kill from outside, wipe, fork)":
            statistics.median(_fresh.switch),  # type: ignore[attr-defined]
    }


def _time(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    return time.monotonic() - started


if __name__ == "__main__":
    for step, seconds in container_costs().items():
        print(f"{seconds:6.2f} s  {step}")


"""What a fresh container plus `import torch` costs per submission (``--isolation container``);
and what the default, the zygote pool, costs per submission (issue 11).

Each container step is timed until boot.py answers the first SYNC (it has then imported its preload
and is ready to fork the worker), using the backend's own WorkerContainer. The zygote pool's
set-up + tear-down is what one submission adds once the judge's pool runs: open the sandbox (copy the
submission, create its cgroup), fork the worker into fresh namespaces until it answers "ready", kill
it, close (remove the cgroup and the folder); its memory is the PSS and private memory of every process
in the submission's cgroup (what it does not share with the zygote).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.inside import protocol
from grader.sandbox import SandboxOptions, docker_zygote
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


def _memory_mib(pids: list[int]) -> tuple[float, float]:
    pss = private = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                    private += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return pss / 1024, private / 1024


def zygote_costs(repeat: int = 10) -> dict[str, float]:
    """The pool's start (once per judge process) and one submission's set-up + tear-down and memory."""
    image = engine.image_info()
    assert image is not None
    docker_zygote.shutdown()
    started = time.monotonic()
    docker_zygote.shared(image, Limits())
    pool_start = time.monotonic() - started
    rounds: list[float] = []
    memory: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sub.py").write_text("x = 1\n")
        for _ in range(repeat):
            started = time.monotonic()
            with docker_zygote.DockerZygoteSandbox(Path(folder), Limits(), SandboxOptions()) as sandbox:
                process = sandbox.spawn(sandbox.worker_command("sub.py", ["numpy", "torch"], []))
                ready = protocol.read_frame(process.stdout)
                assert ready.get("ready"), ready
                memory.append(_memory_mib(sandbox.cgroup.pids_in() if sandbox.cgroup else []))
            rounds.append(time.monotonic() - started)
    docker_zygote.shutdown()
    return {
        "docker: zygote pool, start the judge's pool container and its zygote (numpy + torch), once per judge":
            pool_start,
        "docker: zygote pool, set-up + tear-down per submission (place, cgroup, fork until ready, kill, remove)":
            statistics.median(rounds),
        "docker: zygote pool, idle worker's memory per submission, PSS (MiB)":
            statistics.median(m[0] for m in memory),
        "docker: zygote pool, idle worker's memory per submission, private (MiB)":
            statistics.median(m[1] for m in memory),
    }


def _time(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    return time.monotonic() - started


if __name__ == "__main__":
    for step, seconds in {**zygote_costs(), **container_costs()}.items():
        print(f"{seconds:6.2f} s  {step}" if "MiB" not in step else f"{seconds:6.1f}    {step}")


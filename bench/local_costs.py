"""What the local backend's sandbox costs per submission, in each isolation mode: set-up + tear-down
(open the sandbox, start the worker until it answers "ready", kill it, close the sandbox) and the memory
one submission's idle worker adds (PSS of every process in its cgroup: what it does not share).

Usage: python bench/local_costs.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from grader.inside import protocol  # noqa: E402
from grader.sandbox import SandboxOptions, open_sandbox  # noqa: E402
from grader.sandbox.local import LocalSandbox  # noqa: E402
from grader.spec import Limits  # noqa: E402

PRELOAD = ["numpy", "torch"]


def memory_kib(pid: int) -> tuple[int, int]:
    """(PSS, private) KiB of one process: its share of what it shares, and what only it holds."""
    pss = private = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                private += int(line.split()[1])
    except (OSError, ValueError):
        pass
    return pss, private


def one(folder: Path, isolation: str) -> tuple[float, tuple[float, float], str]:
    """(set-up + tear-down seconds, (PSS, private) MiB of the idle worker, the isolation mode used)."""
    started = time.monotonic()
    with open_sandbox("local", folder, Limits(), SandboxOptions(isolation=isolation)) as sandbox:
        assert isinstance(sandbox, LocalSandbox)
        process = sandbox.spawn(sandbox.worker_command("sub.py", PRELOAD, []))
        ready = protocol.read_frame(process.stdout)
        assert ready.get("ready"), ready
        pids = sandbox.cgroup.pids_in() if sandbox.cgroup else []
        kib = [memory_kib(pid) for pid in pids]
        pss = (sum(k[0] for k in kib) / 1024, sum(k[1] for k in kib) / 1024)
        mode = sandbox.mode
    return time.monotonic() - started, pss, mode


def local_costs(repeat: int = 5) -> dict[str, float]:
    rows: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sub.py").write_text("x = 1\n")
        first = time.monotonic()
        one(Path(folder), "zygote")  # starts this process's zygote
        rows["local: start the zygote (outer bubblewrap + numpy/torch import), once per judge process"] = \
            time.monotonic() - first
        for isolation, words in (("zygote", "zygote fork into fresh namespaces + own cgroup (default)"),
                                 ("fresh-process", "a bubblewrap + interpreter + numpy/torch import per submission")):
            samples = [one(Path(folder), isolation) for _ in range(repeat)]
            assert all(mode == isolation for _, _, mode in samples), samples
            rows[f"local: set-up + tear-down per submission, {words}"] = statistics.median(s for s, _, _ in samples)
            rows[f"local: memory per submission, PSS of its idle worker (MiB), {words}"] = \
                statistics.median(p[0] for _, p, _ in samples)
            rows[f"local: memory per submission, private to its idle worker (MiB), {words}"] = \
                statistics.median(p[1] for _, p, _ in samples)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    for step, value in local_costs(parser.parse_args().repeat).items():
        print(f"{value:8.2f}  {step}")

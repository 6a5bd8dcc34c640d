"""Benchmark (not a test): grade a 40-submission batch per exercise four ways and compare.

  (a)  baseline: a fresh `python -m pytest` per submission, hidden tests in-process, NO isolation,
       one after the other (bench/baseline_plugin.py). (a2), with --parallel-baseline: the same
       two at a time, for an honest look at what parallelism alone buys.
  (b)  `grader grade --sandbox local` (the default: each submission forked from the zygote into fresh
       namespaces and its own cgroup)     (b2) `--sandbox local --isolation fresh-process` (a bubblewrap,
       an interpreter and import torch per submission)
  (c)  `--sandbox docker` (the default: the zygote in a pool container, a fresh fork in new namespaces
       and a fresh cgroup per submission)   (c2) `--sandbox docker --isolation container` (a fresh
       container per submission)   ((d) `--warm`, the old
       shared warm pool, was measured against (c) and retired: bench/RESULTS.md)
  all with --jobs = number of cores and one seed. Also each backend's set-up + tear-down and memory
  per submission (bench/local_costs.py, bench/costs.py).

Prints and writes bench/out/grade_batch.md (--results): batch wall time, per-submission median, peak
memory (PSS of every process involved, bench/memory.py), the ratio of each to (a), and whether (b), (c),
(d) gave every submission the same per-test scores. bench/RESULTS.md is the curated record, with other
benchmarks' sections, so a run never overwrites it: copy the tables you keep.
Usage: python bench/grade_batch.py [--n 40] [--modes ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from costs import container_costs, zygote_costs  # noqa: E402
from cpu import CpuMeter  # noqa: E402
from local_costs import local_costs  # noqa: E402
from memory import PeakMemory  # noqa: E402

from grader.spec import ExerciseSpec, load_exercise  # noqa: E402

MODES = ("baseline", "baseline-j2", "local", "local-fresh", "docker", "docker-container")
LABELS = {"baseline": "(a) bare pytest, no isolation", "baseline-j2": "(a2) bare pytest, 2 at a time",
          "local": "(b) local, zygote fork per submission (default)",
          "local-fresh": "(b2) local, bubblewrap per submission", "docker": "(c) docker, zygote pool (default)",
          "docker-container": "(c2) docker, container per submission"}
LOOPS = {  # an infinite loop on a path only some tests take, so it costs call timeouts, not the whole run
    "w06-iou": "_nms = nms\n\n\ndef nms(boxes, scores, iou_threshold):\n    if len(boxes) == 0:\n"
               "        while True:\n            pass\n    return _nms(boxes, scores, iou_threshold)\n",
    "w11-bigram": "def perplexity(words, probs, stoi):\n    while True:\n        pass\n",
}


def generate(spec: ExerciseSpec, n: int, folder: Path) -> list[Path]:
    """n submissions: mostly correct, some wrong (the exercise's mutants), a crash at import, a loop."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    reference = spec.reference_file.read_text()
    mutants = spec.mutants()[:6]
    sources: list[tuple[str, str]] = [(f"wrong_{m.patch.stem}", m.text()) for m in mutants]
    sources.append(("crash_at_import", "raise RuntimeError('half-finished homework')\n" + reference))
    first = next(line.split("(")[0][4:] for line in reference.splitlines() if line.startswith("def "))
    loop = LOOPS.get(spec.id, f"def {first}(*args, **kwargs):\n    while True:\n        pass\n")
    sources.append(("infinite_loop", reference + "\n\n" + loop))
    correct = [(f"correct_{i:02d}", f"# student {i:02d}\n" + reference) for i in range(n - len(sources))]
    paths = []
    for name, text in correct[: n // 2] + sources + correct[n // 2:]:
        (folder / name).mkdir()
        path = folder / name / spec.submission
        path.write_text(text)
        paths.append(path.parent)
    return paths


def run_baseline(spec: ExerciseSpec, sources: list[Path], out: Path, seed: int, jobs: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{BENCH}:{REPO}", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
           "BENCH_REFERENCE": str(spec.reference_file), "BENCH_SEED": str(seed),
           "BENCH_CALL_TIMEOUT": str(spec.limits.call_timeout_s)}
    out.mkdir(parents=True, exist_ok=True)
    ini = out / "pytest.ini"
    ini.write_text("[pytest]\n")

    def one(source: Path) -> tuple[str, float, float | None]:
        report = out / f"{source.name}.json"
        report.unlink(missing_ok=True)
        started = time.monotonic()
        command = [sys.executable, "-m", "pytest", "-q", "-p", "baseline_plugin", "-p", "no:cacheprovider",
                   "-c", str(ini), "--rootdir", str(spec.hidden_tests_dir), str(spec.hidden_tests_dir)]
        try:
            subprocess.run(command, env={**env, "BENCH_SUBMISSION": str(source / spec.submission),
                                         "BENCH_REPORT": str(report)},
                           capture_output=True, timeout=spec.limits.total_timeout_s, cwd=out)
        except subprocess.TimeoutExpired:
            pass
        score = json.loads(report.read_text())["score"] if report.exists() else None
        return source.name, time.monotonic() - started, score

    with ThreadPoolExecutor(jobs) as pool:
        rows = list(pool.map(one, sources))
    return {"durations": [r[1] for r in rows], "scores": {r[0]: r[2] for r in rows}, "tests": {}}


def run_grader(spec: ExerciseSpec, sources: list[Path], out: Path, seed: int, jobs: int, backend: str,
               isolation: str = "auto") -> dict[str, Any]:
    command = [sys.executable, str(REPO / "cli.py"), "grade", spec.id, *map(str, sources), "-o", str(out),
               "--sandbox", backend, "--seed", str(seed), "--jobs", str(jobs), "--force",
               "--isolation", isolation]
    subprocess.run(command, capture_output=True, check=True, env={**os.environ, "COLUMNS": "160"})
    results = {p.name: json.loads((p / "results.json").read_text()) for p in sorted(out.iterdir()) if p.is_dir()}
    return {"durations": [r["duration_s"] for r in results.values()],
            "scores": {name: r["score"] for name, r in results.items()},
            "tests": {name: [(t["name"], t["score"]) for t in r["tests"]] for name, r in results.items()}}


def measure(mode: str, spec: ExerciseSpec, sources: list[Path], out: Path, seed: int, jobs: int) -> dict[str, Any]:
    run = uuid.uuid4().hex[:12]
    os.environ["GRADER_RUN_ID"] = run
    shutil.rmtree(out, ignore_errors=True)
    sampler = PeakMemory(os.getpid(), run)
    sampler.start()
    load = os.getloadavg()[0]
    started = time.monotonic()
    with CpuMeter() as meter:
        if mode.startswith("baseline"):
            data = run_baseline(spec, sources, out, seed, 2 if mode == "baseline-j2" else 1)
        else:
            isolation = {"local-fresh": "fresh-process", "docker-container": "container"}.get(mode, "auto")
            data = run_grader(spec, sources, out, seed, jobs, "local" if mode.startswith("local") else "docker",
                              isolation)
    data["wall_s"] = time.monotonic() - started
    data["cpu_s"] = meter.seconds or 0.0
    data["peak_mb"] = sampler.finish() / (1 << 20)
    data["median_s"] = statistics.median(data["durations"])
    data["load"] = (load, os.getloadavg()[0])
    print(f"  {LABELS[mode]:<36} {data['wall_s']:7.1f} s  cpu {data['cpu_s']:7.1f} s  "
          f"median {data['median_s']:5.2f} s  peak {data['peak_mb']:7.0f} MiB  "
          f"load {load:.1f}->{data['load'][1]:.1f}", flush=True)
    return data


def report(all_runs: dict[str, dict[str, dict[str, Any]]], costs: dict[str, float], args: argparse.Namespace) -> str:
    lines = ["# Batch grading benchmark", "",
             f"`python bench/grade_batch.py --n {args.n} --repeat {args.repeat}"
             f"{' --parallel-baseline' if args.parallel_baseline else ''}` on {os.cpu_count()} cores, "
             f"--jobs {args.jobs}, seed {args.seed}, {args.repeat} run(s) per mode in rotating order (medians shown).",
             "", "* **wall**: the whole batch. This machine is shared with other work, so wall times move with the "
             "load average (*load*: at the start of each run); **CPU** (CPU-seconds used by everything the mode "
             "started, containers included, bench/cpu.py) does not.",
             "* **median**: per-submission time (for (b)-(d) the judge's `duration_s`, which overlaps with other "
             "submissions when jobs > 1).",
             "* **peak**: the highest total PSS of every process involved, containers included (bench/memory.py).", ""]
    for exercise, runs in all_runs.items():
        base = runs.get("baseline")
        lines += [f"## {exercise}", "", "| mode | wall (s) | x (a) | CPU (s) | x (a) | median (s) | x (a) | peak (MiB) "
                  "| x (a) | load | runs (wall s) |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for mode, data in runs.items():
            lines.append(f"| {LABELS[mode]} | {data['wall_s']:.1f} | {_ratio(data, base, 'wall_s')} | "
                         f"{data['cpu_s']:.0f} | {_ratio(data, base, 'cpu_s')} | "
                         f"{data['median_s']:.2f} | {_ratio(data, base, 'median_s')} | {data['peak_mb']:.0f} | "
                         f"{_ratio(data, base, 'peak_mb')} | {data['load'][0]:.1f} | "
                         f"{', '.join(f'{w:.0f}' for w in data['walls'])} |")
        lines += ["", same_scores(runs), ""]
    for backend in ("local", "docker"):
        rows = {step: value for step, value in costs.items() if step.startswith(backend + ":")}
        if rows:
            lines += [f"## Where a submission's time goes ({backend})", "", "| step | seconds or MiB (median) |",
                      "|---|---:|"]
            lines += [f"| {step} | {value:.2f} |" for step, value in rows.items()] + [""]
    return "\n".join(lines) + "\n"


def combine(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over repeated runs of one mode; scores must not change between runs."""
    first = dict(samples[0])
    for key in ("wall_s", "cpu_s", "median_s"):
        first[key] = statistics.median(s[key] for s in samples)
    first["peak_mb"] = max(s["peak_mb"] for s in samples)
    first["walls"] = [s["wall_s"] for s in samples]
    first["load"] = (statistics.median(s["load"][0] for s in samples), samples[-1]["load"][1])
    first["unstable"] = [n for s in samples[1:] for n in first["scores"] if s["scores"].get(n) != first["scores"][n]]
    return first


def _ratio(data: dict[str, Any], base: dict[str, Any] | None, key: str) -> str:
    return f"{data[key] / base[key]:.2f}" if base and base[key] else "–"


def same_scores(runs: dict[str, dict[str, Any]]) -> str:
    graded = {m: d["tests"] for m, d in runs.items() if d["tests"]}
    if len(graded) < 2:
        return "Scores: only one sandboxed mode ran."
    first_mode, first = next(iter(graded.items()))
    differ = [f"{m}:{name}" for m, tests in graded.items() for name in first if tests.get(name) != first[name]]
    base = runs.get("baseline", {}).get("scores", {})
    baseline_differs = [n for n in base if base[n] is not None and base[n] != runs[first_mode]["scores"].get(n)]
    unstable = [f"{m}:{n}" for m, d in runs.items() for n in d.get("unstable", [])]
    if unstable:
        differ += [f"(between repeated runs) {u}" for u in unstable]
    verdict = ("**Per-test scores identical** across " + ", ".join(LABELS[m] for m in graded) + f" for all "
               f"{len(first)} submissions." if not differ else f"**Scores differ**: {', '.join(differ)}")
    extra = (f" The unisolated baseline scored {len(baseline_differs)} submission(s) differently "
             f"({', '.join(baseline_differs)}): it has no per-call deadline (a loop costs one alarm per test)"
             " and the student's own objects instead of decoded data." if baseline_differs else
             " The unisolated baseline gave the same totals.")
    return verdict + extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--exercises", nargs="+", default=["w06-iou", "w11-bigram"])
    parser.add_argument("--modes", nargs="+", choices=MODES,
                        default=["baseline", "local", "local-fresh", "docker", "docker-container"])
    parser.add_argument("--parallel-baseline", action="store_true", help="also run (a2)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode, in rotating order (medians reported)")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--results", type=Path, default=BENCH / "out" / "grade_batch.md")
    args = parser.parse_args()
    modes = list(args.modes) + (["baseline-j2"] if args.parallel_baseline else [])
    modes.sort(key=MODES.index)
    all_runs: dict[str, dict[str, dict[str, Any]]] = {}
    for exercise in args.exercises:
        spec = load_exercise(exercise, REPO)
        sources = generate(spec, args.n, args.out / exercise / "submissions")
        print(f"{exercise}: {len(sources)} submissions", flush=True)
        samples: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
        for round_ in range(args.repeat):
            for mode in modes[round_ % len(modes):] + modes[: round_ % len(modes)]:
                samples[mode].append(measure(mode, spec, sources, args.out / exercise / mode, args.seed, args.jobs))
        all_runs[exercise] = {m: combine(samples[m]) for m in modes}
    costs = local_costs() if any(m.startswith("local") for m in modes) else {}
    if any(m in ("docker", "docker-container") for m in modes):
        costs.update({**zygote_costs(), **container_costs()})
    text = report(all_runs, costs, args)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text)
    print(text)


if __name__ == "__main__":
    main()

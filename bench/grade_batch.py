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
  (b1)/(c1) `local-seq`/`docker-seq`: the default with `parallel_tests = 1` (tests one at a time, no
       lanes: a course copy whose spec says so)   (b0)/(c0) `local-noloop`/`docker-noloop`: the default
       on the same batch without its infinite-loop submission, for what that one submission costs
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

MODES = ("baseline", "baseline-j2", "local", "local-seq", "local-noloop", "local-fresh", "docker", "docker-seq",
         "docker-noloop", "docker-container")
LABELS = {"baseline": "(a) bare pytest, no isolation", "baseline-j2": "(a2) bare pytest, 2 at a time",
          "local": "(b) local, zygote fork per submission (default)",
          "local-seq": "(b1) local default, tests one at a time (no lanes)",
          "local-noloop": "(b0) local default, the batch without the infinite loop",
          "local-fresh": "(b2) local, bubblewrap per submission", "docker": "(c) docker, zygote pool (default)",
          "docker-seq": "(c1) docker default, tests one at a time (no lanes)",
          "docker-noloop": "(c0) docker default, the batch without the infinite loop",
          "docker-container": "(c2) docker, container per submission"}
LOOP = "infinite_loop"
LOOPS = {  # an infinite loop on a path only some tests take, so it costs call timeouts, not the whole run
    # box_iou loops (the four IoU tests hang, one call timeout each); nms keeps a working copy of it
    "w06-iou": "import types as _types\n\nnms = _types.FunctionType(nms.__code__, {**globals(), 'box_iou': box_iou})"
               "\n\n\ndef box_iou(boxes1, boxes2):\n    while True:\n        pass\n",
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
    sources.append((LOOP, reference + "\n\n" + loop))
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


def one_at_a_time(spec: ExerciseSpec, folder: Path) -> Path:
    """A course with only ``spec``'s exercise, its [limits] saying parallel_tests = 1 (no test lanes)."""
    shutil.rmtree(folder, ignore_errors=True)
    for part in ("exercises", "hidden_tests", "reference"):
        shutil.copytree(REPO / part / spec.id, folder / part / spec.id)
    toml = folder / "exercises" / spec.id / "spec.toml"
    toml.write_text(toml.read_text().replace("[limits]\n", "[limits]\nparallel_tests = 1\n"))
    return folder


def run_grader(spec: ExerciseSpec, sources: list[Path], out: Path, seed: int, jobs: int, backend: str,
               isolation: str = "auto", course: Path | None = None) -> dict[str, Any]:
    command = [sys.executable, str(REPO / "cli.py"), "grade", spec.id, *map(str, sources), "-o", str(out),
               "--sandbox", backend, "--seed", str(seed), "--jobs", str(jobs), "--force",
               "--isolation", isolation]
    env = {**os.environ, "COLUMNS": "160", **({"GRADER_COURSE": str(course)} if course else {})}
    subprocess.run(command, capture_output=True, check=True, env=env)
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
            course = one_at_a_time(spec, out.parent / f"{mode}-course") if mode.endswith("-seq") else None
            graded = [s for s in sources if s.name != LOOP] if mode.endswith("-noloop") else sources
            data = run_grader(spec, graded, out, seed, jobs, "local" if mode.startswith("local") else "docker",
                              isolation, course)
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
        lines += ["", same_scores(runs), *loop_cost(runs, load_exercise(exercise, REPO).limits.call_timeout_s), ""]
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


def loop_cost(runs: dict[str, dict[str, Any]], call_timeout_s: float) -> list[str]:
    """What the one infinite-loop submission adds to the batch's wall time (target: at most one call timeout)."""
    lines = []
    for mode in ("local", "docker", "local-seq", "docker-seq"):
        without = runs.get(mode.split("-")[0] + "-noloop")
        if mode in runs and without:
            added = runs[mode]["wall_s"] - without["wall_s"]
            lines.append(f"The infinite-loop submission adds **{added:+.1f} s** to {LABELS[mode]}'s batch "
                         f"({runs[mode]['wall_s']:.1f} s with it, {without['wall_s']:.1f} s without; one call "
                         f"timeout is {call_timeout_s:g} s).")
    return ["", *lines] if lines else []


def same_scores(runs: dict[str, dict[str, Any]]) -> str:
    graded = {m: d["tests"] for m, d in runs.items() if d["tests"]}
    if len(graded) < 2:
        return "Scores: only one sandboxed mode ran."
    first_mode, first = next(iter(graded.items()))
    differ = [f"{m}:{name}" for m, tests in graded.items() for name in first
              if name in tests and tests[name] != first[name]]  # (b0)/(c0) leave the loop out
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

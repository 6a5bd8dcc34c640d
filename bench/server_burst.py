"""Benchmark (not a test): a deadline burst against `grader serve`, with or without faults.

n students (400 by default) each submit one w06-iou notebook within --spread seconds from loopback
clients (httpx, asyncio), then poll their submission as `grader status` does until it is graded. The
server runs as it would in a course: `grader serve` with the embedded pool (`--stack embedded`), or with
a Redis broker and `grader worker`s (`--stack celery`); SQLite or PostgreSQL (`--db`). Measured: time to
accept and time to result (p50/p95/max), throughput, and the database afterwards (one grade per
submission, no duplicates, nothing missing); with --batch, the same accepted files graded by
`grader grade --jobs 2` in one batch, for the queue's overhead. --fault injects one failure mid-burst.

Usage: python3 bench/server_burst.py --n 40 [--stack celery] [--db postgres] [--fault kill-worker] [--batch]
Each run's numbers go to bench/out/burst/<label>.json; --report prints the table of every saved run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from burst_course import EXERCISE, Student, build  # noqa: E402
from burst_db import check, engine_for, graded_count, pg_counters  # noqa: E402
from burst_stack import Stack, fresh_database, pg, use_slot  # noqa: E402
from cpu import CpuMeter  # noqa: E402

FAULTS = ("none", "kill-worker", "kill-server", "restart-redis", "restart-postgres", "postgres-down-15s")


@dataclass
class Outcome:
    student: str
    kind: str
    sent: float = 0.0          # wall clock (time.time()) when the upload started
    accept_s: float | None = None
    status_code: int = 0
    submission: int | None = None
    seen_done_s: float | None = None  # when polling first saw graded/ungradable, from `sent`
    final: str = ""
    error: str = ""


async def student(client: httpx.AsyncClient, url: str, token: str, who: Student, out: Outcome, delay: float,
                  poll: float, give_up: float) -> None:
    """One student: upload (retried if the connection is refused), then poll until graded; fills ``out``."""
    await asyncio.sleep(delay)
    headers = {"Authorization": f"Bearer {token}"}
    out.sent = time.time()
    for _ in range(5):  # a refused connection (a server restarting) is retried, as a student would
        try:
            response = await client.post(url + "/api/submissions", headers=headers, data={"exercise": EXERCISE},
                                         files={"file": (who.path.name, who.path.read_bytes())})
            break
        except httpx.HTTPError as exc:
            out.error = f"{type(exc).__name__} on submit"
            await asyncio.sleep(2)
    else:
        return
    out.accept_s, out.status_code = time.time() - out.sent, response.status_code
    if response.status_code != 201:
        out.final, out.error = "refused", response.json().get("error", "")[:200]
        return
    out.submission = int(response.json()["id"])
    await asyncio.sleep(random.uniform(0, poll))
    while time.time() - out.sent < give_up:
        try:
            row = (await client.get(f"{url}/api/submissions/{out.submission}", headers=headers)).json()
            if row.get("status") in ("graded", "ungradable"):
                out.final, out.seen_done_s = row["status"], time.time() - out.sent
                return
        except (httpx.HTTPError, ValueError):
            pass  # the server restarting: ask again at the next poll
        await asyncio.sleep(poll)
    out.final = "timeout"


async def fault_injector(stack: Stack, fault: str, expected: int, outcomes: list[Outcome], log: list[str]) -> None:
    """Fires the fault once: kill-server after the last accept, the others once a third is graded."""
    if fault == "none":
        return
    engine = engine_for(stack.db)
    started = time.time()
    while True:
        await asyncio.sleep(0.2)
        if all(o.final for o in outcomes):
            log.append("the fault never fired: everything was graded first")
            return
        if fault == "kill-server":
            if all(o.accept_s is not None or o.error for o in outcomes):
                break
            continue
        try:
            done = await asyncio.to_thread(graded_count, stack.db, engine)
        except Exception:  # noqa: BLE001 - the database may be briefly away
            continue
        if done >= expected // 3 and (fault != "kill-worker" or stack.grading_pids()):
            break
    at = time.time() - started
    if fault == "kill-worker":
        victim = stack.grading_pids()[0]
        stack.kill_grading(victim)
        log.append(f"kill -9 {'worker' if stack.broker else 'judge'} {victim} mid-job at +{at:.1f} s")
        if stack.broker:  # the worker's supervisor (systemd Restart=always) starts it again
            await asyncio.sleep(5)
            for index, process in enumerate(stack.worker_procs):
                if process.poll() is not None:
                    stack.worker_procs[index] = stack.worker(index)
                    log.append(f"worker {index} restarted")
    elif fault == "kill-server":
        stack.kill_server()
        log.append(f"kill -9 the server's process group at +{at:.1f} s (right after the last accept)")
        await asyncio.to_thread(stack.start_server)
        log.append(f"server answering again at +{time.time() - started:.1f} s")
    elif fault == "restart-redis":
        await asyncio.to_thread(stack.restart_redis)
        log.append(f"redis restarted at +{at:.1f} s (took {time.time() - started - at:.1f} s)")
    elif fault == "restart-postgres":
        await asyncio.to_thread(pg, "restart")
        log.append(f"pg_ctlcluster restart at +{at:.1f} s (took {time.time() - started - at:.1f} s)")
    elif fault == "postgres-down-15s":  # a slow restart or a failover: the database away for 15 s
        await asyncio.to_thread(pg, "stop")
        await asyncio.sleep(15)
        await asyncio.to_thread(pg, "start")
        log.append(f"pg_ctlcluster stop at +{at:.1f} s, start 15 s later (back at +{time.time() - started:.1f} s)")
    engine.dispose()


async def burst(stack: Stack, students: list[Student], tokens: dict[str, str], args: argparse.Namespace,
                log: list[str]) -> list[Outcome]:
    rng = random.Random(args.seed)
    delays = sorted(rng.uniform(0, args.spread) for _ in students)
    rng.shuffle(students)
    limits = httpx.Limits(max_connections=len(students) + 10, max_keepalive_connections=len(students) + 10)
    async with httpx.AsyncClient(timeout=httpx.Timeout(120, connect=30), limits=limits) as client:
        outcomes = [Outcome(s.id, s.kind) for s in students]
        watch = asyncio.create_task(fault_injector(stack, args.fault, sum(not s.refused for s in students),
                                                   outcomes, log))
        await asyncio.gather(*(student(client, stack.url, tokens[s.id], s, o, d, args.poll, args.give_up)
                               for s, o, d in zip(students, outcomes, delays, strict=True)))
        await watch
    return outcomes


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {"p50": statistics.median(ordered), "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "max": ordered[-1]}


def run_batch(course: Path, students: list[Student], out: Path, sandbox: str, jobs: int) -> dict[str, float]:
    """The same accepted files, graded by `grader grade --jobs 2` in one batch."""
    folders = [str(s.path.parent) for s in students if not s.refused]
    env = {**os.environ, "GRADER_COURSE": str(course)}
    started = time.monotonic()
    with CpuMeter() as meter:
        subprocess.run([sys.executable, str(BENCH.parent / "cli.py"), "grade", EXERCISE, *folders, "-o", str(out),
                        "--sandbox", sandbox, "--jobs", str(jobs), "--force"], cwd=course, env=env, check=True,
                       capture_output=True)
    return {"wall_s": time.monotonic() - started, "cpu_s": meter.seconds or 0.0}


def stop_once(*_: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the clean-up short
    sys.exit(1)


def counters(stack: Stack, db: str) -> dict[str, dict[str, int]]:
    time.sleep(1)  # PostgreSQL publishes a backend's counters within a second
    return {"redis": stack.redis_info() if stack.broker else {}, "pg": pg_counters(db)}


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--spread", type=float, default=10.0, help="seconds over which the uploads start")
    parser.add_argument("--stack", choices=("embedded", "celery"), default="embedded")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sandbox", default="local")
    parser.add_argument("--fault", choices=FAULTS, default="none")
    parser.add_argument("--batch", action="store_true", help="also grade the same files with `grader grade`")
    parser.add_argument("--batch-only", action="store_true", help="only the batch half, added to a saved run")
    parser.add_argument("--batch-n", type=int, default=0, help="with --batch-only: the first K students' files "
                        "(a multiple of 40 keeps the mix), compared per submission")
    parser.add_argument("--poll", type=float, default=5.0, help="seconds between a client's status polls")
    parser.add_argument("--give-up", type=float, default=5400.0, help="a client stops polling after this")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--tag", default="", help="appended to the run's label (a repeated run)")
    parser.add_argument("--slot", type=int, default=0, help="k > 0: private services on other ports (two runs)")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle server measured before the burst")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "burst")
    parser.add_argument("--report", action="store_true", help="print the table of the saved runs and stop")
    args = parser.parse_args()
    if args.report:
        from burst_report import table

        print(table(args.out))
        return
    args.out = args.out.resolve()  # the server and workers run in the course folder
    label = f"{args.stack}-{args.db}-n{args.n}-{args.fault}{args.tag}"
    run = args.out / label
    if args.batch_only:  # the batch half of a saved run: the same files, built again (same bytes)
        add_batch(args.out / f"{label}.json", *build(args.out / f"{label}-batch", args.batch_n or args.n), args)
        return
    course, students = build(run, args.n)
    broker = use_slot(args.slot)
    signal.signal(signal.SIGTERM, stop_once)  # `timeout` or kill: stop what the run started
    db = fresh_database(f"burst_{label.replace('-', '_')}") if args.db == "postgres" else str(run / "server.sqlite")
    stack = Stack(course, run, db, broker if args.stack == "celery" else None,
                  args.workers, args.sandbox)
    tokens = stack.tokens()
    log: list[str] = []
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    with CpuMeter() as meter:  # everything the run starts (server, workers, Redis; not the PG cluster)
        try:
            if stack.broker:
                stack.start_redis()
            stack.start_server()
            stack.start_workers()
            idle = counters(stack, db)  # the idle rate: heartbeats, dispatcher ticks, workers' broker polls
            time.sleep(args.idle)
            before = counters(stack, db)
            idle = {part: {k: (before[part][k] - idle[part][k]) / args.idle for k in idle[part]} for part in idle}
            load = os.getloadavg()[0]
            print(f"{label}: {len(students)} students, load {load:.1f}", flush=True)
            started = time.time()
            outcomes = asyncio.run(burst(stack, list(students), tokens, args, log))
            finished = time.time()
            after = counters(stack, db)
        finally:
            stack.stop()
            self_after = resource.getrusage(resource.RUSAGE_SELF)
    result = check(db)
    accepted = [o for o in outcomes if o.submission is not None]
    clients_cpu = (self_after.ru_utime + self_after.ru_stime) - (self_before.ru_utime + self_before.ru_stime)
    to_result = [(result.graded_at[o.submission].timestamp() - o.sent) if o.submission in result.graded_at
                 else (o.seen_done_s or 0.0) for o in accepted]
    last = max((o.sent + t for o, t in zip(accepted, to_result, strict=True)), default=started)
    data: dict[str, Any] = {
        "label": label, "n": args.n, "stack": args.stack, "db": args.db, "fault": args.fault, "load": load,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "log": log,
        "accepted": len(accepted), "refused_expected": sum(o.final == "refused" and o.kind.startswith("refused")
                                                           for o in outcomes),
        "refused_unexpected": [f"{o.student} ({o.kind}): {o.status_code} {o.error}" for o in outcomes
                               if o.submission is None and not o.kind.startswith("refused")],
        "timeouts": [o.student for o in outcomes if o.final == "timeout"],
        "accept_s": percentiles([o.accept_s for o in accepted if o.accept_s is not None]),
        "result_s": percentiles(to_result), "makespan_s": last - started, "clients_done_s": finished - started,
        "throughput_per_min": len(accepted) / max(last - started, 1e-9) * 60,
        "server_cpu_s": (meter.seconds or 0.0) - clients_cpu, "clients_cpu_s": clients_cpu,
        "db_ok": result.ok(len(accepted)), "check": result.summary(),
        "ungradable": {str(k): v[:200] for k, v in result.ungradable.items()},
        "ungradable_kinds": sorted({o.kind for o in accepted if o.submission in result.ungradable}),
        "store_bytes": du(stack.data / "store"), "graded_bytes": du(stack.data / "graded"),
        "results_bytes": du(stack.data / "results"),
        "redis": {k: after["redis"][k] - before["redis"][k] for k in after["redis"]},
        "pg": {k: after["pg"][k] - before["pg"][k] for k in after["pg"]},
        "idle_per_s": idle, "burst_s": finished - started,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{label}.json").write_text(json.dumps(data, indent=1))
    print(json.dumps({k: v for k, v in data.items() if k != "ungradable"}, indent=1))
    if args.batch:
        add_batch(args.out / f"{label}.json", course, students, args)


def add_batch(saved: Path, course: Path, students: list[Student], args: argparse.Namespace) -> None:
    data = json.loads(saved.read_text())
    data["batch"] = run_batch(course, students, course.parent / "batch", args.sandbox, args.workers)
    graded = sum(not s.refused for s in students)
    data["batch"].update(load=os.getloadavg()[0], accepted=graded)
    scale = data["accepted"] / graded  # a smaller batch (--batch-n) is compared per submission
    data["overhead_pct"] = (data["makespan_s"] / (data["batch"]["wall_s"] * scale) - 1) * 100
    data["cpu_overhead_pct"] = (data["server_cpu_s"] / (data["batch"]["cpu_s"] * scale) - 1) * 100
    saved.write_text(json.dumps(data, indent=1))
    print(json.dumps(data["batch"]), f"overhead {data['overhead_pct']:+.1f} % wall, "
          f"{data['cpu_overhead_pct']:+.1f} % CPU", flush=True)


if __name__ == "__main__":
    main()

"""The markdown tables of the saved burst runs (bench/out/burst/*.json), for bench/RESULTS.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _p(stats: dict[str, float]) -> str:
    return " / ".join(f"{stats[k]:.1f}" for k in ("p50", "p95", "max")) if stats else "–"


def net(run: dict[str, Any], part: str) -> dict[str, float]:
    """The burst's counters less what the idle server does in as long (heartbeats, polls, ticks)."""
    idle = run.get("idle_per_s", {}).get(part, {})
    return {k: v - idle.get(k, 0.0) * run.get("burst_s", 0.0) for k, v in (run.get(part) or {}).items()}


def _batch(batch: dict[str, float]) -> str:
    if not batch:
        return "–"
    load = f" (load {batch['load']:.1f})" if "load" in batch else ""
    of = f" for {batch['accepted']}" if "accepted" in batch else ""
    return f"{batch['wall_s']:.0f} / {batch['cpu_s']:.0f}{of}{load}"


def table(folder: Path) -> str:
    runs: list[dict[str, Any]] = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    lines = ["| run | load | accepted (refused as expected) | accept p50/p95/max (s) | result p50/p95/max (s) "
             "| last result (s) | per min | batch wall / CPU (s) | overhead wall / CPU | server CPU (s) | DB check |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        batch = r.get("batch", {})
        overhead = f"{r['overhead_pct']:+.0f} % / {r['cpu_overhead_pct']:+.0f} %" if "cpu_overhead_pct" in r else "–"
        verdict = "one grade each" if r["db_ok"] else "**" + r["check"] + "**"
        result, last, rate = _p(r["result_s"]), f"{r['makespan_s']:.0f}", f"{r['throughput_per_min']:.1f}"
        if not r["db_ok"]:  # some never graded: the times describe only the others
            result, last, rate = "–", f"{len(r['timeouts'])} not graded when the clients gave up", "–"
        lines.append(f"| {r['label']} | {r['load']:.1f} | {r['accepted']} ({r['refused_expected']}) | "
                     f"{_p(r['accept_s'])} | {result} | {last} | "
                     f"{rate} | {_batch(batch)} | {overhead} | "
                     f"{r['server_cpu_s']:.0f} | {verdict} |")
    clean = {(r["stack"], r["db"], r["n"]): r["makespan_s"] for r in runs if r["label"].endswith("-none")}
    lines += ["", "| run | fault | cost vs clean (s) | ungradable (kinds) | job attempts | Redis cmds/sub "
              "| PG commits/sub | PG rows written/sub | WAL KiB/sub | store+graded KiB/sub |",  # PG: net of idle
              "|---|---|---:|---|---|---:|---:|---:|---:|---:|"]
    for r in runs:
        n = max(r["accepted"], 1)
        pg, redis = net(r, "pg"), r.get("redis") or {}  # Redis: gross (idle workers poll more than busy ones)
        written = pg.get("inserted", 0) + pg.get("updated", 0) + pg.get("deleted", 0)
        base = clean.get((r["stack"], r["db"], r["n"]))
        cost = f"{r['makespan_s'] - base:+.0f}" if base is not None and r["fault"] != "none" and r["db_ok"] else "–"
        cells = [r["label"], "; ".join(r["log"]) or "–", cost,
                 f"{len(r['ungradable'])} ({', '.join(r['ungradable_kinds']) or '–'})",
                 r["check"].split("job attempts ")[-1],
                 f"{redis['commands'] / n:.0f}" if redis else "–",
                 f"{pg['commits'] / n:.1f}" if pg else "–", f"{written / n:.1f}" if pg else "–",
                 f"{pg['wal_bytes'] / n / 1024:.0f}" if pg else "–",
                 f"{(r['store_bytes'] + r['graded_bytes']) / n / 1024:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)

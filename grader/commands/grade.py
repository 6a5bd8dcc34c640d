"""`grader grade`: grade submissions into OUT/<name>/results.json and report.html."""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from grader import __version__
from grader.commands.pool import Job, run_jobs
from grader.intake import sha256_of
from grader.report import clean, write_report
from grader.results import Result
from grader.sandbox import explain_backend
from grader.spec import course_root, load_exercise


def fresh_seed() -> int:
    return random.SystemRandom().randrange(2**31)


def output_names(sources: list[Path]) -> list[str]:
    """One folder name per submission: its file name without suffix, made unique."""
    names: list[str] = []
    for source in sources:
        base = source.name.removesuffix(source.suffix) if source.is_file() else source.name
        base = safe_folder_name(base)  # always one folder inside --out (a file named `...py` gives "..")
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.append(name)
    return names


def safe_folder_name(name: str) -> str:
    """A file name made a plain folder name: no separators, control or bidi characters, no leading dot."""
    name = re.sub(r"[^\w .,+=@()-]", "_", name)[:100].lstrip(". ").rstrip()
    return name or "submission"


def already_graded(folder: Path, exercise: str, source: Path) -> bool:
    try:
        data = json.loads((folder / "results.json").read_text())
        return (data.get("exercise") == exercise and data.get("grader_version") == __version__
                and data.get("sha256") == sha256_of(source) and (folder / "report.html").is_file())
    except (OSError, ValueError):
        return False


@dataclass
class BatchSummary:
    results: dict[str, Result] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    backend: str = ""
    interrupted: bool = False
    not_started: int = 0  # submissions left ungraded by an interruption


def summary_line(summary: BatchSummary) -> str:
    """The per-run summary: count, mean score, failures, wall time."""
    graded = list(summary.results.values())
    mean = sum(r.score for r in graded) / len(graded) if graded else 0.0
    failures = sum(r.status != "graded" for r in graded)
    line = (f"{len(graded)} graded, {len(summary.skipped)} skipped, {failures} not graded normally; "
            f"mean score {mean:.2f}; wall time {summary.wall_s:.1f} s ({summary.backend})")
    if summary.interrupted:
        line += (f"; INTERRUPTED: {summary.not_started} not graded, finished results kept "
                 "(run the same command again to continue)")
    return line


def sweep_before_run(console: Console) -> None:
    """Remove what a crashed earlier run left: containers, job folders, cgroups."""
    from grader.sandbox.local import sweep_leftovers

    removed = sweep_leftovers()
    try:
        from grader.sandbox import docker_engine
    except ImportError:  # pragma: no cover - the docker SDK is a dependency
        docker_engine = None  # type: ignore[assignment]
    if docker_engine is not None:
        removed += docker_engine.sweep(None)
    if removed:
        console.print(f"[dim]removed {removed} leftovers of an earlier run (containers, job folders, cgroups)[/dim]")


def grade_batch(exercise: str, sources: list[Path], out: Path, *, backend: str = "auto", seed: int | None = None,
                jobs: int = 1, force: bool = False, warm: bool = False, console: Console | None = None
                ) -> BatchSummary:
    console = console or Console(stderr=True)
    spec = load_exercise(exercise)
    chosen, why = explain_backend(backend)
    if backend == "auto":
        console.print(f"[dim]sandbox: {chosen} (auto: {why})[/dim]")
    if warm and chosen == "docker":
        console.print("[dim]warm containers: one per judge, reused for this exercise and wiped between "
                      "submissions (docs/sandboxes.md)[/dim]")
    sweep_before_run(console)
    run_seed = fresh_seed() if seed is None else seed
    summary = BatchSummary(backend=chosen)
    started = time.monotonic()
    todo: list[Job] = []
    for source, name in zip(sources, output_names(sources), strict=True):
        if not force and source.exists() and already_graded(out / name, spec.id, source):
            summary.skipped.append(name)
            continue
        todo.append(Job(name, spec.id, source.absolute(), run_seed, chosen, warm=warm))
    if summary.skipped:
        console.print(f"[dim]{len(summary.skipped)} already graded with grader {__version__} "
                      "(use --force to redo)[/dim]")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False, disable=not todo) as progress:
        task = progress.add_task(f"grading {spec.id}", total=len(todo), failed=0)
        failed = 0

        def done(job: Job, result: Result) -> None:
            nonlocal failed
            folder = out / job.key
            folder.mkdir(parents=True, exist_ok=True)
            write_report(result, folder / "report.html")
            result.write(folder / "results.json")  # last: its presence means the folder is complete
            summary.results[job.key] = result
            failed += result.status != "graded"
            progress.update(task, advance=1, failed=failed)

        try:
            run_jobs(course_root(), todo, jobs, done)
        except KeyboardInterrupt:
            summary.interrupted = True
            summary.not_started = len(todo) - len(summary.results)
    summary.wall_s = time.monotonic() - started
    return summary


def summary_table(summary: BatchSummary) -> Table:
    table = Table(title="Results")
    for column in ("submission", "score", "status", "time (s)", "notes"):
        table.add_column(column)
    for name, result in sorted(summary.results.items()):
        failed = [t.name for t in result.tests if t.status == "failed"]
        note = "; ".join(result.errors)[:80] if result.errors else (", ".join(failed)[:80] if failed else "")
        table.add_row(clean(name, 80), f"{result.score:g} / {result.max_score:g}", clean(result.status, 40),
                      f"{result.duration_s:.1f}", clean(note, 200))
    return table

"""`grader grade`: grade submissions into OUT/<name>/results.json and report.html."""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from grader import __version__
from grader.batch import Job, fresh_seed, run_jobs
from grader.course import find_course
from grader.intake import sha256_of
from grader.kept import KEPT_DIR
from grader.results import Result, load_result
from grader.sandbox import explain_backend, sweep_leftovers
from grader.site.render import write_report
from grader.spec import course_root, load_exercise
from grader.text import STATUS_WORDS, clean


def output_names(sources: list[Path], roster: Collection[str] = ()) -> list[str]:
    """One folder name per submission, after what identifies the student: a roster id in its path, else
    its file name without suffix, else (when file names repeat, as in an LMS download with one folder per
    student and the same file name) the folder holding it; made unique with -2, -3 ..."""
    stems = [source.name.removesuffix(source.suffix) if not source.is_dir() else source.name for source in sources]
    names: list[str] = []
    for source, stem in zip(sources, stems, strict=True):
        on_roster = next((part for part in reversed(source.parts) if part in roster), None)
        if on_roster is not None:
            base = on_roster
        elif stems.count(stem) > 1 and source.parent.name:
            base = source.parent.name
        else:
            base = stem
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
                and data.get("status") != "error"  # the grader failed there: grade it now
                and data.get("sha256") == sha256_of(source) and (folder / "report.html").is_file())
    except (OSError, ValueError):
        return False


@dataclass
class BatchSummary:
    results: dict[str, Result] = field(default_factory=dict)  # graded in this run
    skipped: list[str] = field(default_factory=list)
    earlier: dict[str, Result] = field(default_factory=dict)  # unchanged since an earlier run: shown, not regraded
    wall_s: float = 0.0
    backend: str = ""
    interrupted: bool = False
    not_started: int = 0  # submissions left ungraded by an interruption


def summary_line(summary: BatchSummary) -> str:
    """The run in one line, one word per status: how many submissions this run handled and how many are
    unchanged since an earlier one, then how many of all were graded, rejected at intake or not graded,
    the mean score over every submission shown, and the wall time."""
    shown = {**summary.earlier, **summary.results}
    counts: dict[str, int] = {}
    for result in shown.values():
        counts[result.status] = counts.get(result.status, 0) + 1
    mean = sum(r.score for r in shown.values()) / len(shown) if shown else 0.0
    runs = [f"{len(summary.results)} submission(s) this run"]
    if summary.earlier:
        runs.append(f"{len(summary.earlier)} unchanged since an earlier run (--force regrades them)")
    statuses = [f"{n} {STATUS_WORDS.get(status, status)}" for status, n in sorted(counts.items())]
    line = (f"{', '.join(runs)}: {', '.join(statuses) or 'none'}; mean score {mean:.2f} over {len(shown)}; "
            f"wall time {summary.wall_s:.1f} s ({summary.backend})")
    if summary.interrupted:
        line += (f"; INTERRUPTED: {summary.not_started} not graded, finished results kept "
                 "(run the same command again to continue)")
    return line


def sweep_before_run(console: Console) -> None:
    """Remove what a crashed earlier run left: containers, job folders, cgroups."""
    removed = sweep_leftovers()
    if removed:
        console.print(f"[dim]removed {removed} leftovers of an earlier run (containers, job folders, cgroups)[/dim]")


def grade_batch(exercise: str, sources: list[Path], out: Path, *, backend: str = "auto", seed: int | None = None,
                jobs: int = 1, force: bool = False, isolation: str = "auto",
                console: Console | None = None) -> BatchSummary:
    console = console or Console(stderr=True)
    spec = load_exercise(exercise)
    chosen, why = explain_backend(backend)
    if backend == "auto":
        console.print(f"[dim]sandbox: {chosen} (auto: {why})[/dim]")
    sweep_before_run(console)
    run_seed = fresh_seed() if seed is None else seed
    summary = BatchSummary(backend=chosen)
    started = time.monotonic()
    todo: list[Job] = []
    course = find_course()
    roster = list(course.roster()) if course else []
    for source, name in zip(sources, output_names(sources, roster), strict=True):
        if not force and source.exists() and already_graded(out / name, spec.id, source):
            summary.skipped.append(name)
            with contextlib.suppress(ValueError):
                summary.earlier[name] = load_result(out / name / "results.json")
            continue
        todo.append(Job(name, spec.id, source.absolute(), run_seed, chosen, isolation=isolation,
                        keep=(out / name / KEPT_DIR).absolute()))
    if summary.skipped:
        console.print(f"[dim]{len(summary.skipped)} already graded with grader {__version__} "
                      "(use --force to redo)[/dim]")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False, disable=not todo) as progress:
        # until the first result arrives the judges are importing torch and the sandboxes starting
        task = progress.add_task(f"starting sandboxes for {spec.id}…", total=len(todo), failed=0)
        failed = 0

        def done(job: Job, result: Result) -> None:
            nonlocal failed
            folder = out / job.key
            folder.mkdir(parents=True, exist_ok=True)
            write_report(result, folder / "report.html")
            result.write(folder / "results.json")  # last: its presence means the folder is complete
            summary.results[job.key] = result
            failed += result.status != "graded"
            progress.update(task, advance=1, failed=failed, description=f"grading {spec.id}")

        try:
            run_jobs(course_root(), todo, jobs, done)
        except KeyboardInterrupt:
            summary.interrupted = True
            summary.not_started = len(todo) - len(summary.results)
    summary.wall_s = time.monotonic() - started
    return summary


def summary_json(summary: BatchSummary) -> str:
    """The run as JSON (`grader grade --json`): one object per submission, for scripts and wide output."""
    rows = []
    for name, result in sorted({**summary.earlier, **summary.results}.items()):
        rows.append({"submission": name, "score": result.score, "max_score": result.max_score,
                     "status": result.status, "earlier": name in summary.earlier,
                     "duration_s": result.duration_s, "import_error": result.import_error,
                     "failed": [t.name for t in result.tests if t.status == "failed"], "errors": result.errors})
    return json.dumps({"backend": summary.backend, "wall_s": round(summary.wall_s, 3),
                       "interrupted": summary.interrupted, "submissions": rows}, indent=2, ensure_ascii=False)


def summary_table(summary: BatchSummary) -> Table:
    """One row per submission; long names and notes wrap (folded), never cut with an ellipsis."""
    table = Table(title="Results")
    table.add_column("submission", overflow="fold")
    for column in ("score", "status", "time (s)"):  # "earlier": unchanged since an earlier run
        table.add_column(column, no_wrap=True)
    table.add_column("notes", overflow="fold")
    for name, result in sorted({**summary.earlier, **summary.results}.items()):
        failed = [t.name for t in result.tests if t.status == "failed"]
        note = "; ".join(result.errors) if result.errors else \
            f"does not import: {result.import_error.splitlines()[0]}" if result.import_error else \
            (f"{len(failed)} of {len(result.tests)} tests failed" if failed else "")
        status = clean({"error": "not graded"}.get(result.status, result.status), 40)
        when = "earlier" if name in summary.earlier else f"{result.duration_s:.1f}"
        table.add_row(clean(name, 80), f"{result.score:g} / {result.max_score:g}", status, when, clean(note, 160))
    return table

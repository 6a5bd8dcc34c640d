"""`grader validate`: prove each exercise grades what it claims.

For every exercise: the reference gets full marks on several seeds, the starter gets 0, every
mutant (a realistic wrong solution) loses points, and grading twice with one seed gives the
same per-test scores.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from grader.commands.pool import Job, run_jobs
from grader.results import Result
from grader.spec import ExerciseSpec, course_root, load_all, load_exercise


@dataclass
class ExerciseCheck:
    spec: ExerciseSpec
    results: dict[str, Result] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    mutants_total: int = 0
    mutants_killed: int = 0
    cpu_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def plan(spec: ExerciseSpec, seeds: list[int], backend: str) -> list[Job]:
    jobs = [Job(f"{spec.id}|reference|{s}", spec.id, spec.reference_file, s, backend) for s in seeds]
    jobs.append(Job(f"{spec.id}|reference-again|{seeds[0]}", spec.id, spec.reference_file, seeds[0], backend))
    jobs.append(Job(f"{spec.id}|starter|{seeds[0]}", spec.id, spec.starter_file, seeds[0], backend))
    mutants = spec.mutants()
    for mutant in mutants:
        jobs.append(Job(f"{spec.id}|mutant:{mutant.name}|{seeds[0]}", spec.id, mutant, seeds[0], backend))
    if mutants:
        jobs.append(Job(f"{spec.id}|mutant-again:{mutants[0].name}|{seeds[0]}", spec.id, mutants[0], seeds[0], backend))
    return jobs


def _scores(result: Result) -> list[tuple[str, float]]:
    return [(t.name, t.score) for t in result.tests]


def judge(check: ExerciseCheck) -> None:
    spec, results = check.spec, check.results
    for key, result in results.items():
        if result.status == "error" or (result.status != "graded" and "starter" not in key):
            check.problems.append(f"{key}: {result.status}: {'; '.join(result.errors)[:300]}")
    for key, result in results.items():
        role = key.split("|")[1]
        if role.startswith("reference"):
            if result.max_score != spec.points:
                check.problems.append(f"hidden tests are worth {result.max_score:g} points, spec says {spec.points:g}")
            if result.score != result.max_score:
                lost = [t.name for t in result.tests if t.status == "failed"]
                check.problems.append(f"reference (seed {result.seed}) scored {result.score:g}: failed {lost}")
        elif role == "starter" and result.score != 0:
            passed = [t.name for t in result.tests if t.status == "passed"]
            check.problems.append(f"starter scored {result.score:g}: passed {passed}")
        elif role.startswith("mutant:"):
            check.mutants_total += 1
            if result.score < result.max_score:
                check.mutants_killed += 1
            else:
                check.problems.append(f"{role} was not caught (full marks)")
    for key, result in results.items():
        if "-again" in key:
            original = results.get(key.replace("-again", "", 1))
            if original is not None and _scores(original) != _scores(result):
                check.problems.append(f"{key.split('|')[1]}: graded twice with seed {result.seed}, different scores")
    if not spec.mutants():
        check.problems.append("no mutants in reference/<id>/mutants/")
    check.cpu_s = sum(r.duration_s for r in results.values())


def validate(exercise_ids: list[str], *, seeds: list[int], backend: str, jobs: int,
             console: Console) -> list[ExerciseCheck]:
    specs = load_all() if not exercise_ids else [load_exercise(i) for i in exercise_ids]
    checks = {spec.id: ExerciseCheck(spec) for spec in specs}
    all_jobs = [job for spec in specs for job in plan(spec, seeds, backend)]
    started = time.monotonic()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("validating", total=len(all_jobs))

        def done(job: Job, result: Result) -> None:
            checks[job.exercise].results[job.key] = result
            progress.update(task, advance=1)

        run_jobs(course_root(), all_jobs, jobs, done)
    for check in checks.values():
        judge(check)
    console.print(f"[dim]validated {len(specs)} exercise(s) in {time.monotonic() - started:.1f} s[/dim]")
    return list(checks.values())


def validation_table(checks: list[ExerciseCheck]) -> Table:
    table = Table(title="Validation")
    for column in ("exercise", "points", "reference", "starter", "mutants caught", "deterministic", "grading s",
                   "verdict"):
        table.add_column(column)
    for check in checks:
        refs = [r for k, r in check.results.items() if k.split("|")[1] == "reference"]
        starter = next((r for k, r in check.results.items() if k.split("|")[1] == "starter"), None)
        deterministic = not any("graded twice" in p for p in check.problems)
        table.add_row(
            check.spec.id, f"{check.spec.points:g}",
            " ".join(f"{r.score:g}" for r in refs), f"{starter.score:g}" if starter else "-",
            f"{check.mutants_killed}/{check.mutants_total}", "yes" if deterministic else "NO",
            f"{check.cpu_s:.1f}", "[green]ok[/green]" if check.ok else "[red]FAIL[/red]")
    return table


def problems_text(checks: list[ExerciseCheck]) -> str:
    lines = [f"{c.spec.id}: {p}" for c in checks for p in c.problems]
    return "\n".join(lines)


"""Validation: prove each exercise grades what it claims.

For every exercise: the reference gets full marks on several seeds, the starter gets 0, every
mutant (a realistic wrong solution) loses points, and grading twice with one seed gives the
same per-test scores.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from grader.batch import Job, run_jobs
from grader.mutants import MutantError, materialise
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


def plan(spec: ExerciseSpec, seeds: list[int], backend: str, scratch: Path) -> list[Job]:
    """The gradings that prove ``spec``; mutants are materialised from their patches into ``scratch``."""
    jobs = [Job(f"{spec.id}|reference|{s}", spec.id, spec.reference_file, s, backend) for s in seeds]
    jobs.append(Job(f"{spec.id}|reference-again|{seeds[0]}", spec.id, spec.reference_file, seeds[0], backend))
    jobs.append(Job(f"{spec.id}|starter|{seeds[0]}", spec.id, spec.starter_file, seeds[0], backend))
    mutants = materialise(spec.mutants(), scratch / spec.id)
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
                first = {t.name: t for t in original.tests}
                differ = [f"{t.name} ({first[t.name].score:g}: {first[t.name].output[:80]!r} vs {t.score:g}: "
                          f"{t.output[:80]!r})" for t in result.tests
                          if t.name in first and first[t.name].score != t.score]
                check.problems.append(f"{key.split('|')[1]}: graded twice with seed {result.seed}, different scores: "
                                      + ("; ".join(differ) or "different tests"))
    if not spec.mutants():
        check.problems.append("no mutants in reference/<id>/mutants/")
    check.cpu_s = sum(r.duration_s for r in results.values())


def validate(exercise_ids: list[str], *, seeds: list[int], backend: str, jobs: int,
             console: Console, isolation: str = "auto") -> list[ExerciseCheck]:
    specs = load_all() if not exercise_ids else [load_exercise(i) for i in exercise_ids]
    checks = {spec.id: ExerciseCheck(spec) for spec in specs}
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="grader-validate-"))
    try:
        all_jobs = []
        for spec in specs:
            try:
                all_jobs += plan(spec, seeds, backend, scratch)
            except MutantError as exc:
                checks[spec.id].problems.append(str(exc))
        _run([dataclasses.replace(job, isolation=isolation) for job in all_jobs], checks, jobs, console)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for check in checks.values():
        judge(check)
    console.print(f"[dim]validated {len(specs)} exercise(s) in {time.monotonic() - started:.1f} s[/dim]")
    return list(checks.values())


def _run(all_jobs: list[Job], checks: dict[str, ExerciseCheck], jobs: int, console: Console) -> None:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("validating", total=len(all_jobs))

        def done(job: Job, result: Result) -> None:
            checks[job.exercise].results[job.key] = result
            progress.update(task, advance=1)

        run_jobs(course_root(), all_jobs, jobs, done)


RECORD = "validated.toml"  # exercises/validated.toml: id -> content hash of the last green validation


def content_hash(spec: ExerciseSpec) -> str:
    """One hash over everything that decides an exercise's grading: its public folder, reference (with
    mutants) and hidden tests. Changing any of them means the exercise must be validated again."""
    digest = hashlib.sha256()
    for folder in (spec.exercise_dir, spec.reference_dir, spec.hidden_tests_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder.parent.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def read_record(root: Path) -> dict[str, str]:
    path = root / "exercises" / RECORD
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def changed_since_record(root: Path) -> list[str]:
    """Exercises whose content changed since their last green validation (or that never had one)."""
    record = read_record(root)
    return [spec.id for spec in load_all(root) if record.get(spec.id) != content_hash(spec)]


def write_record(root: Path, checks: list[ExerciseCheck]) -> Path:
    """Record the content hash of every exercise that validated green (others keep their old entry)."""
    record = read_record(root)
    record.update({check.spec.id: content_hash(check.spec) for check in checks if check.ok})
    path = root / "exercises" / RECORD
    lines = ["# Content hash of each exercise at its last green `grader validate --record` (see docs/authoring.md).",
             "# CI validates the headline exercises plus every exercise whose hash differs.", ""]
    lines += [f'"{key}" = "{value}"' for key, value in sorted(record.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

"""Grading many submissions in parallel judge processes, surviving a judge that crashes.

Each judge process imports torch and the reference once and grades many submissions; if one
dies (a segfault in the judge, the OOM killer), the submissions it held are retried in a fresh
pool, and one that breaks the pool twice gets an error result instead of taking the batch down.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import __version__
from grader.results import Result
from grader.spec import load_exercise


@dataclass(frozen=True)
class Job:
    key: str  # caller's name for this job
    exercise: str
    source: Path
    seed: int
    backend: str
    public: bool = False


def _run_job(root: str, job: Job) -> dict[str, Any]:
    from grader.grading import grade_submission
    from grader.sandbox import SandboxUnavailable

    spec = load_exercise(job.exercise, Path(root))
    try:
        return grade_submission(spec, job.source, seed=job.seed, backend=job.backend, public=job.public).to_json()
    except SandboxUnavailable as exc:
        return {"__unavailable__": str(exc)}


def crashed_result(job: Job, why: str) -> Result:
    spec = load_exercise(job.exercise)
    return Result(exercise=spec.id, title=spec.title, submission=job.source.name, sha256="", seed=job.seed,
                  score=0.0, max_score=spec.points, status="error", errors=[why], grader_version=__version__,
                  graded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), output=why)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def run_jobs(root: Path, jobs: Iterable[Job], workers: int,
             on_done: Callable[[Job, Result], None]) -> None:
    """Grade every job; ``on_done`` is called in this process as each result arrives."""
    from grader.sandbox import SandboxUnavailable

    pending = list(jobs)
    attempts: dict[str, int] = {}
    context = multiprocessing.get_context("spawn")
    while pending:
        with ProcessPoolExecutor(max_workers=max(1, min(workers, len(pending))), mp_context=context) as pool:
            futures: dict[Future[dict[str, Any]], Job] = {pool.submit(_run_job, str(root), j): j for j in pending}
            pending = []
            remaining = set(futures)
            while remaining:
                done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                for future in done:
                    job = futures[future]
                    try:
                        data = future.result()
                    except BrokenProcessPool:
                        attempts[job.key] = attempts.get(job.key, 0) + 1
                        if attempts[job.key] >= 2:
                            on_done(job, crashed_result(job, "the grader crashed twice while grading this submission"))
                        else:
                            pending.append(job)
                        continue
                    if "__unavailable__" in data:
                        raise SandboxUnavailable(data["__unavailable__"])
                    on_done(job, Result.from_json(data))

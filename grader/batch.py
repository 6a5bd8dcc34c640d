"""Grading many submissions in parallel judge processes, surviving a judge that crashes.

Each judge process imports torch and the reference once and grades many submissions; if one
dies (a segfault in the judge, the OOM killer), the submissions it held are retried in a fresh
pool, and one that breaks the pool twice gets an error result instead of taking the batch down.
Ctrl-C reaches only this process: results already handed to ``on_done`` stay, the judges are
stopped, and every container and job folder of the run is removed before KeyboardInterrupt
propagates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import multiprocessing
import os
import random
import signal
import tempfile
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import __version__
from grader.results import Result
from grader.spec import Limits, load_exercise


@dataclass(frozen=True)
class Job:
    key: str  # caller's name for this job
    exercise: str
    source: Path
    seed: int
    backend: str
    public: bool = False
    prestart: bool = False  # docker: more jobs follow, boot the next container while grading this one
    isolation: str = "auto"  # grader.sandbox.ISOLATION_MODES: "auto" is the backend's default (the zygote)
    limits: Limits | None = None  # overrides the spec's limits (course-wide defaults from course.toml)
    keep: Path | None = None  # where to keep a copy of the graded code (grader/kept.py)


def _init_judge() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from grader.judge.channel import limit_judge_memory

    limit_judge_memory()  # a judge that a submission drives out of memory fails alone (issue #10)
    import grader.grading  # noqa: F401 - pytest, numpy and the judge, once per process

    _freeze_heap()


_FROZEN_AFTER_JOB: list[bool] = []


def _freeze_heap() -> None:
    """Move what is alive now out of the garbage collector's sight. pytest ends every session with
    five full collections; over torch's heap each takes ~0.5 s, per submission. Frozen objects
    are skipped; garbage is collected first, and freezing happens only at start and after the
    first job, so at most one job's leftovers are kept for good."""
    gc.collect()
    gc.freeze()


def _started_marker(marks: str, job: Job) -> Path:
    return Path(marks) / hashlib.sha256(job.key.encode()).hexdigest()[:32]


def _run_job(root: str, job: Job, marks: str | None = None) -> dict[str, Any]:
    from grader.grading import grade_submission
    from grader.sandbox import SandboxOptions, SandboxUnavailable

    if marks is not None:  # tells the parent, if this judge dies, that this job was being graded
        _started_marker(marks, job).touch()
    spec = load_exercise(job.exercise, Path(root))
    if job.limits is not None:
        spec = dataclasses.replace(spec, limits=job.limits)
    options = SandboxOptions(prestart=job.prestart, isolation=job.isolation)
    try:
        return grade_submission(spec, job.source, seed=job.seed, backend=job.backend, options=options,
                                public=job.public, keep=job.keep).to_json()
    except SandboxUnavailable as exc:
        return {"__unavailable__": str(exc)}
    finally:
        if not _FROZEN_AFTER_JOB and gc.get_freeze_count():  # once more, for what the first job set up
            # (get_freeze_count walks every frozen object: ~15 ms with torch loaded, so asked only once)
            _FROZEN_AFTER_JOB.append(True)
            _freeze_heap()


def crashed_result(job: Job, why: str) -> Result:
    spec = load_exercise(job.exercise)
    return Result(exercise=spec.id, title=spec.title, submission=job.source.name, sha256="", seed=job.seed,
                  score=0.0, max_score=spec.points, status="error", errors=[why], grader_version=__version__,
                  graded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), output=why)


def fresh_seed() -> int:
    """A run seed when none is given (recorded in every result, so the run can be reproduced)."""
    return random.SystemRandom().randrange(2**31)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def run_jobs(root: Path, jobs: Iterable[Job], workers: int,
             on_done: Callable[[Job, Result], None]) -> None:
    """Grade every job; ``on_done`` is called in this process as each result arrives."""
    os.environ.setdefault("GRADER_RUN_ID", uuid.uuid4().hex[:12])  # labels this run's containers
    try:
        _run_rounds(root, list(jobs), workers, on_done)
    finally:
        sweep_run()


def sweep_run() -> int:
    """Remove whatever this run's judges left behind (containers, job folders, cgroups)."""
    from grader.sandbox import sweep_leftovers

    return sweep_leftovers(os.environ.get("GRADER_RUN_ID"))


def _run_rounds(root: Path, pending: list[Job], workers: int, on_done: Callable[[Job, Result], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="grader-started-") as marks:
        _run_rounds_marked(root, pending, workers, on_done, marks)


def _run_rounds_marked(root: Path, pending: list[Job], workers: int, on_done: Callable[[Job, Result], None],
                       marks: str) -> None:
    """A judge that dies costs only the submissions it was grading: jobs it had not started are
    queued again as if nothing happened; each job it had started is graded again alone, in a fresh
    judge, so an innocent one gets its real result and the one that kills its judge twice gets an
    error result."""
    from grader.sandbox import SandboxUnavailable

    attempts: dict[str, int] = {}
    suspects: list[Job] = []
    context = multiprocessing.get_context("spawn")
    while pending or suspects:
        batch, pending = ([suspects.pop(0)], pending) if suspects else (pending, [])
        size = max(1, min(workers, len(batch)))
        with ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_init_judge) as pool:
            # A judge boots its next container while it grades; not for the last job each judge gets.
            planned = [dataclasses.replace(j, prestart=i < len(batch) - size) for i, j in enumerate(batch)]
            futures: dict[Future[dict[str, Any]], Job] = {pool.submit(_run_job, str(root), j, marks): j
                                                          for j in planned}
            remaining = set(futures)
            try:
                while remaining:
                    done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                    for future in done:
                        job = futures[future]
                        try:
                            data = future.result()
                        except BrokenProcessPool:
                            marker = _started_marker(marks, job)
                            if not marker.exists():  # never reached a judge: it cost this job nothing
                                pending.append(job)
                                continue
                            marker.unlink()
                            attempts[job.key] = attempts.get(job.key, 0) + 1
                            if attempts[job.key] >= 2:
                                on_done(job, crashed_result(job, "the grader crashed twice while grading this "
                                                                 "submission"))
                            else:
                                suspects.append(job)  # graded again alone, in a fresh judge
                            continue
                        if "__unavailable__" in data:
                            raise SandboxUnavailable(data["__unavailable__"])
                        on_done(job, Result.from_json(data))
            except BaseException:  # Ctrl-C or a dead engine: stop the judges now, keep what is done
                pool.shutdown(wait=False, cancel_futures=True)
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
                raise

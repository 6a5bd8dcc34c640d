"""Accepting an upload: the same intake as `grader submit`, the server's clock, the late policy, a
content-addressed store, and the submission and its job written in one transaction.

Data folder layout::

    DATA/store/<sha[:2]>/<sha256>/<canonical name>   the submissions, read-only, never overwritten
    DATA/graded/<submission id>/<grade key>/        results.json + report.html of every graded submission
    DATA/results/<exercise>/<student>/                the counted submission's result (`grader report` reads it)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grader.course import LatePolicy, late_days
from grader.inbox import InboxEntry, Manifest, SubmitError, check_context, stored_name, validate
from grader.intake import MAX_ARCHIVE_BYTES, sha256_of
from grader.precheck import assignment_of, precheck
from grader.server.db import LIVE, Submission, aware, utcnow
from grader.server.queue import enqueue
from grader.spec import SpecError, load_exercise
from grader.text import clean

MAX_UPLOAD_BYTES = MAX_ARCHIVE_BYTES  # the largest thing intake takes; each kind has its own cap below that
SUFFIXES = (".py", ".ipynb", ".zip", ".toml")


@dataclass
class Server:
    """What every request and job needs: the course, the data folder, the database, the sandbox."""
    root: Path
    data: Path
    sessions: sessionmaker[Session]
    backend: str = "local"
    secret: bytes = b""
    max_attempts: int = 3
    job_deadline_s: float = 900.0  # one grading, judge included; then the attempt fails
    lease_s: float = 30.0  # a running job's lease, renewed by its worker's heartbeat: a dead worker's runs out
    dispatch_timeout_s: float = 3600.0  # a job sent to the broker but never claimed is sent again after this
    notes: list[str] = field(default_factory=list)

    @property
    def results(self) -> Path:
        return self.data / "results"

    def graded_dir(self, submission_id: int, key: str) -> Path:
        return self.data / "graded" / str(submission_id) / key


def store_file(data: Path, source: Path, name: str) -> tuple[str, Path]:
    """Put ``source`` in the content-addressed store under ``name``; returns (sha256, stored path)."""
    digest = sha256_of(source)
    folder = data / "store" / digest[:2] / digest
    target = folder / name
    if target.is_file() and sha256_of(target) == digest:
        return digest, target
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".partial-{uuid.uuid4().hex}"  # two uploads of the same bytes race safely
    shutil.copyfile(source, partial)
    partial.chmod(0o444)
    os.replace(partial, target)
    return digest, target


def accept(server: Server, student: str, exercise: str, upload: Path, source_name: str,
           now: dt.datetime | None = None) -> tuple[Submission, list[str]]:
    """Check and store one uploaded file; raises SubmitError with the student's message (nothing stored)."""
    try:
        spec = load_exercise(exercise, server.root)
    except SpecError:
        raise SubmitError(f"no exercise {clean(exercise, 80)!r} in this course; check the exercise id") from None
    assignment_id = check_context(spec, student, server.root)
    suffix = Path(source_name).suffix.lower()
    if suffix not in SUFFIXES:
        raise SubmitError(f"not submitted: send {spec.submission}, a notebook (.ipynb) or a .zip, "
                          f"not {clean(source_name, 120)!r}")
    with tempfile.TemporaryDirectory(prefix="grader-upload-") as tmp:
        name = stored_name(spec, Path(f"upload{suffix}"))
        staged = Path(tmp) / name
        shutil.copyfile(upload, staged)
        kind = validate(spec, staged)  # intake: size caps, archive checks, notebooks (raises SubmitError)
        when = (now or utcnow()).astimezone(dt.UTC)
        report = precheck(spec, staged, server.root, when, run_tests=False)  # answers at once: no tests here
        if not report.accepted:
            raise SubmitError(f"not submitted: {report.timing}; it could never count. Ask course staff if you "
                              "have an extension")
        assignment = assignment_of(spec, server.root)
        days = late_days(when, assignment.due) if assignment else 0
        digest, stored = store_file(server.data, staged, name)
    with server.sessions.begin() as session:  # the submission and its job: one transaction (the outbox)
        row = Submission(student=student, exercise=spec.id, assignment=assignment_id, source_name=source_name[:256],
                         kind=kind, sha256=digest, stored_path=str(stored), submitted_at=when, late_days=days,
                         status="queued")
        session.add(row)
        session.flush()
        enqueue(session, row.id, LIVE, server.root)
    return row, report.lines()


def entry_of(row: Submission) -> InboxEntry:
    """A stored submission as the inbox's entry type, so grader/assignment.py `choose` decides what counts."""
    stored = Path(row.stored_path)
    manifest = Manifest(student=row.student, exercise=row.exercise, assignment=row.assignment, file=stored.name,
                        source_name=row.source_name, sha256=row.sha256,
                        submitted_at=aware(row.submitted_at).isoformat(), grader_version="", kind=row.kind)
    return InboxEntry(stored.parent.with_name(f"submission-{row.id}"), manifest)


def history(session: Session, student: str, exercise: str | None = None) -> list[Submission]:
    query = select(Submission).where(Submission.student == student)
    if exercise is not None:
        query = query.where(Submission.exercise == exercise)
    return list(session.scalars(query.order_by(Submission.submitted_at, Submission.id)))


def no_policy() -> LatePolicy:
    return LatePolicy(accept_late=False)

"""`grader submit`: check a submission with the intake rules, then drop it with a manifest in the inbox.

Inbox layout (one folder per submission, never overwritten, so history is kept)::

    INBOX/<exercise>/<student>/<UTC time>-<sha8>/{<file>, manifest.json}

The entry is assembled in a hidden ``.partial-*`` folder next to its final place and renamed
into place in one step: a reader sees a whole submission or none. The inbox itself must exist,
so a mistyped path fails loudly instead of hiding a submission in a new folder.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import tomllib
import uuid
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from grader import __version__
from grader.course import STUDENT_ID, known_assignments, load_course
from grader.intake import IntakeError, sha256_of, stage_submission
from grader.precheck import Precheck, precheck
from grader.spec import ExerciseSpec, course_root, load_exercise

MANIFEST = "manifest.json"


class SubmitError(Exception):
    """The submission was not stored; the message says why and what to change."""


@dataclass(frozen=True)
class Manifest:
    student: str
    exercise: str
    assignment: str | None
    file: str  # what to grade, relative to the entry folder
    source_name: str  # the name the student handed in
    sha256: str  # of the stored file (or folder), checked again before grading
    submitted_at: str  # ISO 8601, UTC
    grader_version: str
    kind: str

    @property
    def time(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.submitted_at)


@dataclass(frozen=True)
class InboxEntry:
    folder: Path
    manifest: Manifest

    @property
    def source(self) -> Path:
        return self.folder / self.manifest.file


def stored_name(spec: ExerciseSpec, source: Path) -> str:
    """A canonical name for what is stored (the student's own name is kept in the manifest)."""
    if source.is_dir():
        return "submission"
    suffix = source.suffix.lower()
    if suffix == ".ipynb":
        return f"{spec.module_name}.ipynb"
    return "submission.zip" if suffix == ".zip" else spec.submission


def check_context(spec: ExerciseSpec, student: str, root: Path) -> str | None:
    """Refuse an unknown student id or an exercise outside the assignment(s); returns the assignment id."""
    if not STUDENT_ID.match(student):
        raise SubmitError(f"student id {student!r} must be letters, digits, '.', '_' or '-' (your id on the roster)")
    assignments = known_assignments(root)
    if assignments is None:
        return None
    owner = next((a for a in assignments if spec.id in a.exercises), None)
    if owner is None:
        listed = "; ".join(f"{a.id}: {', '.join(a.exercises)}" for a in assignments)
        raise SubmitError(f"{spec.id} is not part of this assignment ({listed}); check the exercise id")
    if (root / "course.toml").is_file() and student not in load_course(root).roster():
        raise SubmitError(f"{student!r} is not on the course roster; check your student id")
    return owner.id


def validate(spec: ExerciseSpec, source: Path) -> str:
    """Stage the submission exactly as the grader will (then throw the copy away); returns its kind."""
    workdir = Path(tempfile.mkdtemp(prefix="grader-submit-"))
    try:
        staged = stage_submission(source, spec, workdir / "submission")
        if spec.kind == "quiz":
            tomllib.loads((staged.directory / spec.submission).read_text(encoding="utf-8"))
        return staged.kind
    except IntakeError as exc:
        raise SubmitError(f"not submitted: {exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SubmitError(f"not submitted: {source.name} is not valid TOML ({exc}); "
                          "put text answers in quotes") from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def submit(exercise: str, source: Path, student: str, inbox: Path, now: dt.datetime | None = None,
           run_tests: bool = True) -> tuple[InboxEntry, Precheck]:
    """Check, warn and store one submission; raises SubmitError (nothing written) or SpecError. Refuses
    only what can never count (see grader/precheck.py); everything else is stored with its warnings."""
    root = course_root()
    spec = load_exercise(exercise, root)
    assignment = check_context(spec, student, root)
    if not inbox.is_dir():
        raise SubmitError(f"the inbox {inbox} does not exist; check the path your instructor gave you "
                          "(it is never created for you, so a typo cannot hide a submission)")
    if not source.exists():
        raise SubmitError(f"{source} does not exist")
    kind = validate(spec, source)
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    report = precheck(spec, source, root, when, run_tests, student)
    if not report.accepted:
        raise SubmitError(report.refusal())
    name = stored_name(spec, source)
    student_dir = inbox / spec.id / student
    student_dir.mkdir(parents=True, exist_ok=True)
    partial = student_dir / f".partial-{uuid.uuid4().hex}"
    partial.mkdir()
    try:
        if source.is_dir():
            stage_submission(source, spec, partial / name)  # the checked copy, not the original folder
        else:
            shutil.copyfile(source, partial / name)
        digest = sha256_of(partial / name)
        manifest = Manifest(student=student, exercise=spec.id, assignment=assignment, file=name,
                            source_name=source.name, sha256=digest, submitted_at=when.isoformat(),
                            grader_version=__version__, kind=kind)
        (partial / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
        base = f"{when:%Y%m%dT%H%M%S}{when.microsecond:06d}Z-{digest[:8]}"
        final, n = student_dir / base, 2
        while final.exists():
            final, n = student_dir / f"{base}-{n}", n + 1
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return InboxEntry(final, manifest), report


def read_manifest(folder: Path, exercise: str, student: str) -> Manifest:
    """A stored submission's manifest, checked against its folder and its file; raises ValueError."""
    try:
        data: Any = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**{f.name: data[f.name] for f in fields(Manifest)})
        manifest.time.astimezone(dt.UTC)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{folder}: unreadable {MANIFEST} ({exc})") from None
    if (manifest.exercise, manifest.student) != (exercise, student):
        raise ValueError(f"{folder}: the manifest is for {manifest.student}/{manifest.exercise}, not its folder")
    stored = folder / manifest.file
    if "/" in manifest.file or manifest.file.startswith(".") or not stored.exists():
        raise ValueError(f"{folder}: the manifest names a missing file {manifest.file!r}")
    if sha256_of(stored) != manifest.sha256:
        raise ValueError(f"{folder}: the stored file does not match its sha256 (changed after submission?)")
    return manifest


def inbox_entries(inbox: Path, exercise: str, student: str) -> tuple[list[InboxEntry], list[str]]:
    """Every complete submission of one student for one exercise, oldest first, and the problems found."""
    entries, problems = [], []
    folder = inbox / exercise / student
    for item in sorted(folder.iterdir()) if folder.is_dir() else []:
        if item.name.startswith(".") or not item.is_dir():
            continue  # .partial-*: a submission still being written (or abandoned)
        try:
            entries.append(InboxEntry(item, read_manifest(item, exercise, student)))
        except ValueError as exc:
            problems.append(str(exc))
    return sorted(entries, key=lambda e: (e.manifest.time, e.folder.name)), problems

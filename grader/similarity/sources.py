"""Which submissions to compare, and their code as the grader would import it.

Three layouts are accepted:

* an inbox (``grader submit --to INBOX``): ``INBOX/<exercise>/<student>/<time>-<sha8>/``; each
  student's latest stored submission is compared;
* a results tree (``grader grade`` / ``grade-assignment --out``): results.json records the file name
  as handed in and its sha256, not the code, so ``sources`` (the inbox or the folder that was graded)
  must be given; each result is matched to its file by sha256;
* any other folder: every file or folder directly inside it is one submission.

The code is what intake stages (``grader.intake.stage_submission``): a notebook's code cells only
(outputs and markdown ignored, magics dropped), a zip or folder's expected file; so a notebook and
the same code as a ``.py`` read the same.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader.intake import IntakeError, sha256_of, stage_submission
from grader.similarity.engine import Document
from grader.spec import ExerciseSpec


class SimilarityError(Exception):
    """The comparison cannot run; the message says what to pass instead."""


@dataclass
class Found:
    documents: list[Document] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    layout: str = ""


def extract_code(source: Path, spec: ExerciseSpec) -> str:
    """The submission's Python code as intake stages it (helper .py files appended); raises IntakeError."""
    workdir = Path(tempfile.mkdtemp(prefix="grader-similarity-"))
    try:  # a forbidden import does not stop a comparison: a copy that uses one is still a copy
        staged = stage_submission(source, replace(spec, forbidden_imports=()), workdir / "submission")
        main = staged.directory / spec.submission
        parts = [main.read_text(encoding="utf-8", errors="replace")]
        for helper in sorted(staged.directory.rglob("*.py")):
            if helper != main and helper.is_file():
                parts.append(helper.read_text(encoding="utf-8", errors="replace"))
        return "\n\n".join(parts)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _inbox_root(path: Path, exercise: str) -> Path | None:
    """The folder holding <student>/<entry>/manifest.json for this exercise, if ``path`` is an inbox."""
    for candidate in (path / exercise, path):
        if candidate.is_dir() and any(candidate.glob("*/*/manifest.json")):
            return candidate
    return None


def _inbox_sources(folder: Path, exercise: str) -> tuple[list[tuple[str, Path]], list[str]]:
    from grader.inbox import inbox_entries

    found, problems = [], []
    inbox = folder.parent
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        entries, trouble = inbox_entries(inbox, exercise, student_dir.name)
        problems.extend(trouble)
        if entries:
            found.append((student_dir.name, entries[-1].source))
    return found, problems


def _folder_sources(folder: Path) -> list[tuple[str, Path]]:
    items = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and not p.is_symlink())
    names: dict[str, int] = {}
    found = []
    for item in items:
        base = item.stem if item.is_file() else item.name
        names[base] = names.get(base, 0) + 1
        found.append((base if names[base] == 1 else f"{base}-{names[base]}", item))
    return found


def _by_sha256(sources: Path, exercise: str) -> dict[str, Path]:
    """sha256 -> stored file, from an inbox's manifests or by hashing every entry of a folder."""
    table: dict[str, Path] = {}
    inbox = _inbox_root(sources, exercise)
    if inbox is not None:
        from grader.inbox import read_manifest

        for manifest in inbox.glob("*/*/manifest.json"):
            entry = manifest.parent
            try:  # checked like grade-assignment does: a plain file name in its folder, its sha256
                checked = read_manifest(entry, exercise, entry.parent.name)
            except ValueError:
                continue
            table[checked.sha256] = entry / checked.file
        return table
    for _, item in _folder_sources(sources):
        table[sha256_of(item)] = item
    return table


def _results_sources(results: list[Path], root: Path, exercise: str,
                     sources: Path | None) -> tuple[list[tuple[str, Path]], list[str]]:
    if sources is None:
        raise SimilarityError(
            f"{root} is a results tree: results.json records each submission's file name and sha256, not its "
            "code, so the code cannot be recovered from it. Pass --sources with the inbox (or the folder you "
            "graded from) and each result is matched to its file by sha256; or run on the inbox itself")
    table = _by_sha256(sources, exercise)
    found, problems = [], []
    for path in results:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path}: unreadable results.json ({exc})")
            continue
        if not isinstance(data, dict) or data.get("exercise") != exercise or data.get("status") == "missing":
            continue
        name = str(data.get("student") or path.parent.name)
        stored = table.get(str(data.get("sha256")))
        if stored is None:
            problems.append(f"{name}: no file in {sources} has this result's sha256 "
                            f"({str(data.get('submission'))[:80]}); not compared")
            continue
        found.append((name, stored))
    return found, problems


def find_documents(spec: ExerciseSpec, path: Path, sources: Path | None = None) -> Found:
    """Every submission of ``spec`` under ``path`` (inbox, results tree or folder), with its code."""
    if spec.kind != "code":
        raise SimilarityError(f"{spec.id} is a {spec.kind} exercise; similarity compares code exercises only")
    if not path.is_dir():
        raise SimilarityError(f"{path} is not a folder (pass an inbox, a results tree or a folder of submissions)")
    found = Found()
    results = sorted(path.rglob("results.json"))
    inbox = _inbox_root(path, spec.id)
    if results:
        found.layout = "results"
        pairs, found.problems = _results_sources(results, path, spec.id, sources)
    elif inbox is not None:
        found.layout = "inbox"
        pairs, found.problems = _inbox_sources(inbox, spec.id)
    elif any(path.glob("*/*/*/manifest.json")):
        raise SimilarityError(f"{path} is an inbox with no submission of {spec.id}")
    else:
        found.layout = "folder"
        pairs = _folder_sources(path)
    for name, source in pairs:
        try:
            found.documents.append(Document(name, extract_code(source, spec), str(source)))
        except (IntakeError, OSError) as exc:
            found.problems.append(f"{name}: not compared: {exc}")
    return found


def boilerplate_texts(spec: ExerciseSpec) -> list[str]:
    """The starter file and the statement's ```python snippets: code every student was given."""
    from grader.similarity.engine import statement_snippets

    texts = []
    if spec.starter_file.is_file():
        texts.append(spec.starter_file.read_text(encoding="utf-8", errors="replace"))
    statement = spec.exercise_dir / "README.md"
    if statement.is_file():
        texts.extend(statement_snippets(statement.read_text(encoding="utf-8", errors="replace")))
    return texts

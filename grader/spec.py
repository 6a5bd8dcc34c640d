"""Exercise specs: typed, validated when loaded, with errors that name the file and the field."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from grader.mutants import Mutant, mutants_of

ID_PATTERN = re.compile(r"^w\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")
KINDS = ("code", "quiz")


class SpecError(Exception):
    """A spec or course layout that cannot be used; the message names the file and field."""


@dataclass(frozen=True)
class Limits:
    call_timeout_s: float = 10.0
    import_timeout_s: float = 30.0
    total_timeout_s: float = 300.0
    memory_mb: int = 2048
    pids: int = 256
    output_kb: int = 256
    file_size_mb: int = 64
    parallel_tests: int = 4  # lanes for one submission's tests, opened only while its tests stall (judge/lanes.py)


@dataclass(frozen=True)
class ExerciseSpec:
    id: str
    title: str
    week: int
    points: float
    submission: str
    kind: str = "code"
    summary: str = ""
    forbidden_imports: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    preload: tuple[str, ...] = ("numpy", "torch")
    limits: Limits = field(default_factory=Limits)
    similarity_threshold: float | None = None  # `grader similarity` default when None (docs/similarity.md)
    root: Path = Path(".")

    @property
    def exercise_dir(self) -> Path:
        return self.root / "exercises" / self.id

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference" / self.id

    @property
    def hidden_tests_dir(self) -> Path:
        return self.root / "hidden_tests" / self.id

    @property
    def public_tests_dir(self) -> Path:
        return self.exercise_dir / "tests"

    @property
    def reference_file(self) -> Path:
        return self.reference_dir / self.submission

    @property
    def starter_file(self) -> Path:
        return self.exercise_dir / "starter" / self.submission

    @property
    def module_name(self) -> str:
        return Path(self.submission).stem

    def mutants(self) -> list[Mutant]:
        """The exercise's mutants (patches against the reference; see grader/mutants.py)."""
        return mutants_of(self.reference_dir, self.reference_file)

    def missing_requirements(self) -> list[str]:
        import importlib.util

        return [name for name in self.requires if importlib.util.find_spec(name) is None]


def course_root(explicit: str | Path | None = None) -> Path:
    """The folder holding exercises/, reference/ and hidden_tests/."""
    candidates = [explicit, os.environ.get("GRADER_COURSE"), Path.cwd(), Path(__file__).resolve().parent.parent]
    for candidate in candidates:
        if candidate and (Path(candidate) / "exercises").is_dir():
            return Path(candidate).resolve()
    raise SpecError("no course found: run inside the course folder or pass --course DIR (needs exercises/)")


def _expect(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, required: bool = True) -> Any:
    if key not in data:
        if required:
            raise SpecError(f"{where}: missing field '{key}'")
        return None
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SpecError(f"{where}: field '{key}' must be {names}, got {value!r}")
    return value


def _limits(data: Any, where: str) -> Limits:
    if data is None:
        return Limits()
    if not isinstance(data, dict):
        raise SpecError(f"{where}: [limits] must be a table")
    known = {f.name: f.type for f in fields(Limits)}
    unknown = set(data) - set(known)
    if unknown:
        raise SpecError(f"{where}: unknown field(s) in [limits]: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise SpecError(f"{where}: limits.{key} must be a positive number, got {value!r}")
        values[key] = int(value) if known[key] == "int" else float(value)
    return Limits(**values)


def load_spec(spec_path: Path) -> ExerciseSpec:
    where = str(spec_path)
    try:
        data = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{where}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{where}: invalid TOML: {exc}") from None
    allowed = {f.name for f in fields(ExerciseSpec)} - {"root"}
    unknown = set(data) - allowed
    if unknown:
        raise SpecError(f"{where}: unknown field(s): {', '.join(sorted(unknown))}")
    exercise_id = _expect(data, "id", str, where)
    if not ID_PATTERN.match(exercise_id):
        raise SpecError(f"{where}: field 'id' must look like 'w06-iou', got {exercise_id!r}")
    if exercise_id != spec_path.parent.name:
        raise SpecError(f"{where}: field 'id' is {exercise_id!r} but the folder is {spec_path.parent.name!r}")
    kind = data.get("kind", "code")
    if kind not in KINDS:
        raise SpecError(f"{where}: field 'kind' must be one of {KINDS}, got {kind!r}")
    submission = _expect(data, "submission", str, where)
    wanted_suffix = ".toml" if kind == "quiz" else ".py"
    if "/" in submission or not submission.endswith(wanted_suffix) or submission.startswith("."):
        raise SpecError(f"{where}: field 'submission' must be a plain *{wanted_suffix} file name, got {submission!r}")
    week = _expect(data, "week", int, where)
    if not 1 <= week <= 15:
        raise SpecError(f"{where}: field 'week' must be 1..15, got {week}")
    points = _expect(data, "points", (int, float), where)
    if points <= 0:
        raise SpecError(f"{where}: field 'points' must be positive")
    threshold = _expect(data, "similarity_threshold", (int, float), where, required=False)
    if threshold is not None and not 0 < threshold <= 1:
        raise SpecError(f"{where}: field 'similarity_threshold' must be in (0, 1], got {threshold!r}")
    string_lists = {}
    for key in ("forbidden_imports", "requires", "preload"):
        value = _expect(data, key, list, where, required=False)
        if value is not None and not all(isinstance(item, str) for item in value):
            raise SpecError(f"{where}: field '{key}' must be a list of strings")
        if value is not None:
            string_lists[key] = tuple(value)
    return ExerciseSpec(
        id=exercise_id,
        title=_expect(data, "title", str, where),
        week=week,
        points=float(points),
        submission=submission,
        kind=kind,
        summary=_expect(data, "summary", str, where, required=False) or "",
        limits=_limits(data.get("limits"), where),
        similarity_threshold=None if threshold is None else float(threshold),
        root=spec_path.parent.parent.parent,
        **string_lists,
    )


def load_exercise(exercise_id: str, root: Path | None = None) -> ExerciseSpec:
    base = root or course_root()
    spec_path = base / "exercises" / exercise_id / "spec.toml"
    if not spec_path.is_file():
        known = ", ".join(sorted(p.name for p in (base / "exercises").iterdir() if (p / "spec.toml").is_file()))
        raise SpecError(f"unknown exercise {exercise_id!r}; known exercises: {known}")
    return load_spec(spec_path)


def load_all(root: Path | None = None) -> list[ExerciseSpec]:
    base = root or course_root()
    specs = [load_spec(path) for path in sorted((base / "exercises").glob("*/spec.toml"))]
    return sorted(specs, key=lambda s: (s.week, s.id))

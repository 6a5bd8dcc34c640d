"""Results: a superset of Gradescope's results.json, as typed records.

Gradescope reads ``score``, ``max_score``, ``execution_time``, ``output`` and ``tests[]`` (``name``,
``score``, ``max_score``, ``status``, ``output``, ``visibility``); everything else here is ours.
``output`` is always safe to show a student; ``details`` and ``program_output`` are for TAs only.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from grader.files import write_text

SCHEMA_VERSION = 1


@dataclass
class TestResult:
    name: str
    score: float
    max_score: float
    status: str  # "passed" | "failed"
    output: str = ""  # student-safe feedback (the hint for hidden tests)
    visibility: str = "visible"
    description: str = ""
    describe: bool = False  # students see the description too (the statement discloses it)
    hint: str | None = None
    details: str = ""  # TA only: the judge's message, traceback, expected values
    program_output: str = ""  # TA only: what the submission printed during this test
    duration_s: float = 0.0
    cpu_s: float | None = None
    max_rss_kb: int | None = None
    public: bool = False


@dataclass
class SandboxRecord:
    backend: str
    isolation: str
    details: list[str] = field(default_factory=list)
    image: str | None = None


@dataclass
class Result:
    exercise: str
    title: str
    submission: str  # the file name as handed in
    sha256: str
    seed: int  # the run's seed (--seed reproduces the run)
    score: float
    max_score: float
    status: str  # "graded" | "rejected" (intake) | "error" (the grader failed)
    tests: list[TestResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sandbox: SandboxRecord | None = None
    duration_s: float = 0.0
    peak_memory_mb: float | None = None
    grader_version: str = ""
    graded_at: str = ""
    output: str = ""
    student: str | None = None  # set when graded for an assignment (roster id)
    source: str = ""  # the path the submission was graded from (TA only)
    import_error: str = ""  # the submission does not import: what failed, where (notebook cell), said once
    late_days: int = 0
    late_penalty: float = 0.0  # points deducted by the late policy (score is before the deduction)
    late_fraction: float = 0.0  # the policy's share of the points earned deducted (re-applied after overrides)
    submission_seed: int | None = None  # the seed its tests used: grading.submission_seed(seed, sha256)
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["execution_time"] = round(self.duration_s, 3)
        data["output_format"] = "text"
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        """Rebuild a result, ignoring unknown keys; a missing required key raises ValueError."""
        if not isinstance(data, dict):
            raise ValueError("results.json must hold a JSON object")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        try:
            values["tests"] = [TestResult(**{k: v for k, v in t.items() if k in {f.name for f in fields(TestResult)}})
                               for t in data.get("tests", [])]
            if data.get("sandbox"):
                values["sandbox"] = SandboxRecord(**data["sandbox"])
            return cls(**values)
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"not a grader results.json: {exc}") from None

    def write(self, path: Path) -> None:
        """Write atomically, so a crash never leaves a half-written results.json behind."""
        write_text(path, json.dumps(self.to_json(), indent=2, ensure_ascii=False))


def load_result(path: Path) -> Result:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: unreadable results.json: {exc}") from None
    try:
        return Result.from_json(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None

"""Results trees for the report, review and export tests, built from real Result objects."""

from __future__ import annotations

import random
from pathlib import Path

from grader.results import Result, SandboxRecord, TestResult

# Everything a hostile submission could put in its output: markup, an event handler, terminal
# escapes and a right-to-left override that would make "exe.png" read as "gnp.exe".
EVIL = ('<script>window.__pwned = 1; alert("script")</script>'
        '<img src=x onerror="window.__pwned = 2; alert(\'img\')">'
        '\x1b[31mRED\x1b[0m \u202egnp.exe\u202c end')
EVIL_STUDENT = '<img src=x onerror=alert(3)>'

TESTS = {
    "w01-toy": [("test_add", 1.0, "visible", "add the two numbers"), ("test_scale", 1.0, "visible", None),
                ("test_softmax", 1.0, "after_due_date", "softmax over the last dimension"),
                ("test_acc", 1.0, "after_published", None), ("test_add_equality", 1.0, "hidden", None)],
    "w06-box-formats": [("test_xywh_to_xyxy", 1.5, "visible", "x2 = x1 + w"),
                        ("test_xyxy_to_xywh", 1.5, "visible", "w = x2 - x1"),
                        ("test_box_convert_all_pairs", 2.0, "visible", "convert FROM in_fmt TO out_fmt"),
                        ("test_tightest_box", 1.0, "visible", None), ("test_empty_input", 1.0, "visible", None)],
}
TITLES = {"w01-toy": "Toy exercise", "w06-box-formats": "Bounding-box formats"}
MESSAGE = ("E       AssertionError: {n} of 36 elements differ beyond rtol=1e-05, atol=1e-05; max abs error {err} at "
           "index (0, 3) (got np.float64(1.5), expected np.float64(2.5)); max rel error 0.4")


def make_test(name: str, points: float, passed: bool, visibility: str = "visible", hint: str | None = None,
                *, details: str = "", program_output: str = "", public: bool = False) -> TestResult:
    return TestResult(
        name=name, score=points if passed else 0.0, max_score=points, status="passed" if passed else "failed",
        output="Passed." if passed else f"Failed: wrong result.{' Hint: ' + hint if hint else ''}",
        visibility=visibility, description=f"{name} on random inputs", hint=hint,
        details="" if passed else (details or f"test body\n{MESSAGE.format(n=7, err=0.25)}\n\nassertions.py:74"),
        program_output=program_output, duration_s=0.31, cpu_s=0.05, max_rss_kb=160_000, public=public)


def make_result(exercise: str, student: str | None, passes: list[bool], **fields: object) -> Result:
    tests = [make_test(name, pts, ok, vis, hint) for (name, pts, vis, hint), ok in zip(TESTS[exercise], passes,
                                                                                        strict=True)]
    result = Result(exercise=exercise, title=TITLES[exercise], submission="solution.py", sha256="ab" * 32, seed=1234,
                    score=sum(t.score for t in tests), max_score=sum(t.max_score for t in tests), status="graded",
                    tests=tests, sandbox=SandboxRecord("local", "L3: bubblewrap namespaces + cgroup v2 + rlimits"),
                    duration_s=4.2, peak_memory_mb=150.0, grader_version="0.1.0",
                    graded_at="2026-11-20T10:00:00+00:00", student=student)
    for key, value in fields.items():
        setattr(result, key, value)
    return result


def write(result: Result, root: Path, student: str) -> Path:
    folder = root / result.exercise / student
    result.write(folder / "results.json")
    (folder / "report.html").write_text("<!doctype html><title>report</title>")
    return folder


def write_class(root: Path, students: int = 12, seed: int = 6) -> list[str]:
    """A class: ``students`` students × 2 exercises with varied scores, one late, one missing."""
    rng = random.Random(seed)
    names = [f"s{i:03d}" for i in range(1, students + 1)]
    for i, student in enumerate(names):
        for exercise, tests in TESTS.items():
            skill = 0.35 + 0.65 * (i / max(students - 1, 1))
            passes = [rng.random() < skill for _ in tests]
            result = make_result(exercise, student, passes)
            if i == 2 and exercise == "w06-box-formats":
                result.late_days, result.late_penalty = 2, round(result.score * 0.2, 4)
            if i == 3 and exercise == "w01-toy":
                result = make_result(exercise, student, [False] * len(tests), status="missing", score=0.0,
                                     tests=[], errors=["no submission"], submission="")
            write(result, root, student)
    return names


def write_evil(root: Path) -> Path:
    """One submission whose every student-derived field is hostile."""
    passes = [False, True, True, True, True]
    result = make_result("w06-box-formats", EVIL_STUDENT, passes, submission=EVIL + ".py", output=EVIL,
                         errors=[EVIL])
    result.tests[0] = make_test("test_xywh_to_xyxy", 1.5, False, hint="x2 = x1 + w", details=f"E   {EVIL}",
                                  program_output=EVIL * 3)
    result.tests[1] = make_test("test_xyxy_to_xywh", 1.5, False, details=f"E   {EVIL}", public=True)
    result.tests[1].output = EVIL
    result.score = sum(t.score for t in result.tests)
    return write(result, root, "evil")

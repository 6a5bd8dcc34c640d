"""Gradescope's results.json, one per submission: the documented fields only, never TA-only details.

Also used by the autograder package (``grader.exports.autograder``) that runs our judge on Gradescope.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.course import Course
from grader.files import write_text
from grader.overrides import applied
from grader.results import Result
from grader.results_tree import Collection, slug

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")


def gradescope_json(result: Result, visibility: str = "visible") -> dict[str, Any]:
    """Our result in Gradescope's documented fields only; nothing TA-only (details, program output)."""
    if result.status == "error":
        output = "The autograder could not run the tests (not your fault); your instructor can see why."
    else:
        output = result.output or ("All tests passed." if result.score >= result.max_score else "")
        if result.import_error:
            output = f"Your file does not import, so no test could run:\n{result.import_error}\n\n{output}".strip()
    tests = []
    for number, test in enumerate(result.tests, start=1):
        tests.append({
            "name": f"{test.name}: {test.description}" if test.description and (test.public or test.describe)
            else test.name,
            "number": str(number), "score": test.score, "max_score": test.max_score, "status": test.status,
            "output": test.output, "visibility": test.visibility if test.visibility in VISIBILITIES else "visible",
            "tags": [result.exercise]})
    sandbox = result.sandbox
    return {
        "score": round(result.score, 4), "execution_time": round(result.duration_s), "output": output,
        "output_format": "text", "test_output_format": "text", "visibility": visibility,
        "stdout_visibility": "hidden", "tests": tests,
        "extra_data": {"exercise": result.exercise, "status": result.status, "seed": result.seed,
                       "sha256": result.sha256, "grader_version": result.grader_version,
                       "sandbox": sandbox.backend if sandbox else None,
                       "isolation": sandbox.isolation if sandbox else None}}


def write(found: Collection, out: Path, course: Course | None = None) -> list[Path]:
    """``out/gradescope/<exercise>/<student>/results.json`` with overrides applied and the late penalty
    deducted from the total (and said in the output)."""
    written = []
    for sub in found.submissions.values():
        data = gradescope_json(applied(sub.result, sub.adjusted))
        if sub.adjusted.late_penalty:
            data["score"] = round(sub.adjusted.total, 4)
            data["output"] = (f"{sub.result.late_days} day(s) late: -{sub.adjusted.late_penalty:g} point(s).\n"
                              + str(data.get("output", ""))).strip()
        path = out / "gradescope" / slug(sub.exercise) / slug(sub.student) / "results.json"
        write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written

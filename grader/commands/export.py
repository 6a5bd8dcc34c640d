"""`grader export grades RESULTS --out DIR`: every grade export, TA overrides applied, in the course's order."""

from __future__ import annotations

from pathlib import Path

from grader.course import find_course
from grader.exports import FORMATS, ExportSummary, export_grades


def export(results: Path, out: Path, formats: tuple[str, ...]) -> ExportSummary:
    return export_grades(results, out, formats or FORMATS, course=find_course())

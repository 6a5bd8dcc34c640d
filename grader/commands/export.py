"""`grader export grades RESULTS --out DIR`: every grade export, TA overrides applied, roster names filled in."""

from __future__ import annotations

from pathlib import Path

from grader.course import CourseConfigError, load_course
from grader.exports import FORMATS, ExportSummary, export_grades
from grader.spec import SpecError, course_root


def course_roster() -> dict[str, str] | None:
    """The course's roster (id -> name) when a course.toml is found, else None (ids only)."""
    try:
        return load_course(course_root()).roster()
    except (CourseConfigError, SpecError, OSError):
        return None


def export(results: Path, out: Path, formats: tuple[str, ...]) -> ExportSummary:
    return export_grades(results, out, formats or FORMATS, roster=course_roster())

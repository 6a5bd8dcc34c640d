"""`grader export grades RESULTS --out DIR`: every grade export, TA overrides applied, in the course's order."""

from __future__ import annotations

from pathlib import Path

from grader.course import Course, CourseConfigError, load_course
from grader.exports import FORMATS, ExportSummary, export_grades
from grader.spec import SpecError, course_root


def this_course() -> Course | None:
    """The course (roster, assignments) when a course.toml is found, else None (a bare results tree)."""
    try:
        return load_course(course_root())
    except (CourseConfigError, SpecError, OSError):
        return None


def export(results: Path, out: Path, formats: tuple[str, ...]) -> ExportSummary:
    return export_grades(results, out, formats or FORMATS, course=this_course())

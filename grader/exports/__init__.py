"""Grade exports: one module per format behind one signature, found in one registry.

Every format reads the results tree through ``grader.results_tree.collect`` (overrides applied, roster
names) and lays it out with ``grader.exports.layout`` (the course's order), so all exports agree. Adding a
format is one module with ``write(found, out, course) -> [paths]`` and one line in ``EXPORTS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Course
from grader.exports import canvas, gradebook, gradescope
from grader.results_tree import Collection, collect

Exporter = Callable[[Collection, Path, Course | None], list[Path]]
EXPORTS: dict[str, Exporter] = {
    "gradebook": gradebook.write,  # gradebook.csv
    "canvas": canvas.write,  # canvas.csv (Canvas gradebook import)
    "gradescope": gradescope.write,  # gradescope/<exercise>/<student>/results.json
}
FORMATS = tuple(EXPORTS)


@dataclass
class ExportSummary:
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def export_grades(results: Path, out: Path, formats: tuple[str, ...] = FORMATS,
                  course: Course | None = None) -> ExportSummary:
    """Write each format in ``formats`` for the results tree ``results`` into ``out`` (in the course's order
    and with its roster's names when ``course`` is given)."""
    found = collect(results, course.roster() if course else None)
    summary = ExportSummary(problems=list(found.problems))
    if course is not None:
        known = {e for a in course.assignments.values() for e in a.exercises}
        foreign = sorted(e.id for e in found.exercises if e.id not in known)
        if foreign:
            summary.problems.append(f"the results hold exercises not in course.toml ({', '.join(foreign)}): "
                                    "exported without the course's roster and assignments")
            course, found = None, collect(results)
    for name in formats:
        summary.written += EXPORTS[name](found, out, course)
    return summary

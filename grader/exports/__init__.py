"""Grade exports: one module per format behind one signature, found in one registry.

Every format reads the results tree through ``grader.results_tree.collect`` (overrides applied, roster
names), so all exports agree. Adding a format is one module with ``write(found, out) -> [paths]`` and
one line in ``EXPORTS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grader.exports import canvas, gradebook, gradescope
from grader.results_tree import Collection, collect

Exporter = Callable[[Collection, Path], list[Path]]
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
                  roster: Mapping[str, str] | None = None) -> ExportSummary:
    """Write each format in ``formats`` for the results tree ``results`` into ``out``."""
    found = collect(results, roster)
    summary = ExportSummary(problems=list(found.problems))
    for name in formats:
        summary.written += EXPORTS[name](found, out)
    return summary

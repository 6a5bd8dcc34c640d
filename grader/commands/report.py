"""`grader report RESULTS --out SITE`: the static dashboard, exercise and submission pages."""

from __future__ import annotations

from pathlib import Path

from grader.course import find_course
from grader.site.build import SiteSummary, build_site
from grader.site.views import Release


def build_report(results: Path, out: Path, release: str = "before-due") -> SiteSummary:
    """Raises ValueError for a bad release name and SiteError when ``out`` is not ours to replace. With a
    course.toml found, students are named from its roster and exercises grouped by assignment."""
    return build_site(results, out, Release.parse(release), find_course())


def summary_text(summary: SiteSummary) -> str:
    text = (f"{summary.pages} pages for {summary.submissions} results ({summary.students} students, "
            f"{summary.exercises} exercises) in {summary.out}; open {summary.out / 'index.html'}")
    lines = [text, *(f"problem: {p}" for p in summary.problems)]
    if summary.notes:
        lines.append(f"{len(summary.notes)} note(s), listed on the dashboard")
    return "\n".join(lines)

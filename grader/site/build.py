"""`grader report`: a results tree → a static site that works offline (open index.html).

Layout (all links relative):
  index.html                          students × exercises, sortable and filterable (staff)
  exercise/<exercise>.html            histogram, pass rates, common failures, slowest (staff)
  ta/<exercise>/<student>.html        everything the judge recorded (staff)
  student/<student>/index.html        the student's own pages: hand out the folder as is
  student/<student>/<exercise>.html
The site is built in a sibling folder and swapped in, so a reader never sees half a site; a folder
is only replaced if it holds our marker file (never someone's unrelated folder).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from grader.course import Course
from grader.files import write_text
from grader.results_tree import Collection, collect, slug
from grader.similarity.site import copy_similarity
from grader.site.pages import exercise_page, index_page, student_index_page, student_page, ta_page
from grader.site.views import Release

MARKER = ".grader-site"


class SiteError(Exception):
    """The site cannot be written where asked."""


@dataclass
class SiteSummary:
    out: Path
    pages: int = 0
    students: int = 0
    exercises: int = 0
    submissions: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _page(folder: Path, relative: str, render: Callable[[], str], summary: SiteSummary) -> None:
    """One page; a failure to render it is a problem on the list, not the end of the build."""
    try:
        write_text(folder / relative, render())
        summary.pages += 1
    except Exception as exc:  # noqa: BLE001 - any bad result must not stop the other pages
        summary.problems.append(f"{relative}: not written: {type(exc).__name__}: {exc}")


def write_pages(c: Collection, folder: Path, release: Release, summary: SiteSummary,
                course: Course | None = None) -> None:
    for exercise in c.exercises:
        _page(folder, exercise.page, partial(exercise_page, c, exercise, course=course), summary)
    for sub in c.submissions.values():
        _page(folder, sub.ta_page, partial(ta_page, c, sub), summary)
        _page(folder, sub.student_page, partial(student_page, sub, release), summary)
    for student in c.students:
        _page(folder, f"student/{slug(student)}/index.html", partial(student_index_page, c, student, release), summary)
    c.problems.extend(p for p in summary.problems if p not in c.problems)
    _page(folder, "index.html", partial(index_page, c, release, course=course), summary)


def build_site(results: Path, out: Path, release: Release = Release.BEFORE_DUE,
               course: Course | None = None) -> SiteSummary:
    """``course`` (course.toml) names the students from its roster, groups exercises by assignment with due
    dates, and flags untouched starters; without it the site shows the results as they are."""
    out = out.resolve()
    if out.exists() and not (out / MARKER).exists() and (not out.is_dir() or any(out.iterdir())):
        raise SiteError(f"{out} exists and is not a site built by grader: choose an empty or new folder")
    c = collect(results, course.roster() if course else None)
    summary = SiteSummary(out, students=len(c.students), exercises=len(c.exercises), submissions=len(c.submissions))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        (staging / MARKER).write_text("built by `grader report`; this folder is replaced on each build\n")
        write_pages(c, staging, release, summary, course)
        copy_similarity(results, staging)  # TA-only, linked from the staff dashboard only
        staging.chmod(0o755)
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.problems, summary.notes = c.problems, c.notes
    return summary

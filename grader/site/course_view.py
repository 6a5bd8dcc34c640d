"""What the course (course.toml) adds to the staff pages, when one is found: assignments with their due
dates grouping the exercises (in the course's order), and the starter files' sha256, so an untouched
starter is told apart from a real 0. Without a course the pages list the results as they are."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from grader.course import Course
from grader.results_tree import Collection, Exercise
from grader.spec import SpecError, load_exercise


@dataclass
class Group:
    id: str
    title: str
    due: str  # "2026-02-13 23:59 UTC+01:00"; "" when not an assignment (exercises the course does not list)
    exercises: list[Exercise] = field(default_factory=list)

    @property
    def due_day(self) -> str:
        """The date alone, for a narrow column header (the full time is in its title)."""
        return self.due.split(" ")[0]

    @property
    def max_score(self) -> float:
        return sum(e.max_score for e in self.exercises)


@dataclass
class CourseView:
    groups: list[Group]
    starters: dict[str, set[str]] = field(default_factory=dict)  # exercise -> sha256 of its starter file(s)

    @property
    def exercises(self) -> list[Exercise]:
        return [e for g in self.groups for e in g.exercises]

    @property
    def grouped(self) -> bool:
        return any(g.due for g in self.groups)

    def is_starter(self, exercise: str, sha256: str) -> bool:
        return bool(sha256) and sha256 in self.starters.get(exercise, set())


def starter_hashes(course: Course, exercise: str) -> set[str]:
    try:
        spec = load_exercise(exercise, course.root)
    except (SpecError, OSError):
        return set()
    folder = spec.starter_file.parent
    files = [f for f in folder.glob(f"{spec.module_name}.*") if f.is_file()] if folder.is_dir() else []
    return {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def course_view(c: Collection, course: Course | None) -> CourseView:
    if course is None:
        return CourseView([Group("", "", "", list(c.exercises))] if c.exercises else [])
    by_id = {e.id: e for e in c.exercises}
    groups: list[Group] = []
    placed: set[str] = set()
    for assignment in course.assignments.values():
        found = [by_id[e] for e in assignment.exercises if e in by_id and e not in placed]
        if found:
            placed.update(e.id for e in found)
            groups.append(Group(assignment.id, assignment.title, assignment.due.strftime("%Y-%m-%d %H:%M %Z").strip()
                                or assignment.due.isoformat(), found))
    rest = [e for e in c.exercises if e.id not in placed]
    if rest:
        groups.append(Group("", "Not in course.toml", "", rest))
    return CourseView(groups, {e.id: starter_hashes(course, e.id) for e in c.exercises})

"""Which students, exercises and assignments an export lists, in which order, out of how many points.

With the course (course.toml) every export uses the course's order: rostered students with their names,
exercises as the assignments list them, one total per assignment. Without one (a results tree on its
own) it lists what the results hold, sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.course import Assignment, Course, CourseConfigError
from grader.results_tree import Collection, Submission
from grader.spec import SpecError


@dataclass
class Layout:
    exercises: list[str]
    students: list[str]
    maxima: dict[str, float]  # max points per exercise
    assignments: list[Assignment] = field(default_factory=list)

    def assignment_max(self, assignment: Assignment) -> float:
        return sum(self.maxima.get(e, 0.0) for e in assignment.exercises)


def layout(found: Collection, course: Course | None = None) -> Layout:
    maxima = {e.id: e.max_score for e in found.exercises}
    if course is None:
        return Layout([e.id for e in found.exercises], list(found.students), maxima)
    exercises: list[str] = []
    for assignment in course.assignments.values():
        exercises += [e for e in assignment.exercises if e not in exercises]
        try:
            maxima.update({spec.id: spec.points for spec in course.specs(assignment)})
        except (CourseConfigError, SpecError):
            pass  # an exercise the course lists but this checkout lacks: its results still say
    extra = sorted(e.id for e in found.exercises if e.id not in exercises)
    roster = list(course.roster())
    students = roster + sorted(s for s in found.students if s not in roster)
    return Layout(exercises + extra, students, maxima, list(course.assignments.values()))


def counted(found: Collection, exercise: str, student: str) -> Submission | None:
    """The student's result for the exercise, unless there is none, it is a ``missing`` placeholder, or the
    grader failed on it (status ``error``: it counts for nothing, not even 0; a re-run grades it)."""
    sub = found.submissions.get((exercise, student))
    return None if sub is None or sub.status in ("missing", "error") else sub

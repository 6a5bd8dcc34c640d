"""course.toml and the roster: what loads, and the clear errors for what does not."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import COURSE, REPO

from grader.course import CourseConfigError, LatePolicy, late_days, load_course

ROSTER = "id,name\nalice,Alice\nbob,Bob\n"


def make_course(tmp_path: Path, toml: str, roster: str = ROSTER) -> Path:
    """A copy of the test course with this course.toml and roster."""
    root = tmp_path / "course"
    shutil.copytree(COURSE / "exercises" / "w01-toy", root / "exercises" / "w01-toy", dirs_exist_ok=True)
    (root / "course.toml").write_text(toml)
    (root / "roster.csv").write_text(roster)
    return root


def course_toml(assignments: str = "", late: str = "late = { per_day = 0.1, cap = 0.5 }", extra: str = "") -> str:
    return (f'[course]\nname = "Test"\nroster = "roster.csv"\n{extra}\n[defaults]\n{late}\n\n'
            + (assignments or '[assignments.a1]\nexercises = ["w01-toy"]\ndue = 2030-01-01T23:59:00+01:00\n'))


def error(tmp_path: Path, toml: str, roster: str = ROSTER) -> str:
    with pytest.raises(CourseConfigError) as info:
        course = load_course(make_course(tmp_path, toml, roster))
        for assignment in course.assignments.values():
            course.specs(assignment)
    return str(info.value)


def test_the_sample_course_at_the_repo_root_loads():
    course = load_course(REPO)
    assert len(course.students) >= 5 and len(course.assignments) >= 2
    assert all(a.due.tzinfo is not None and a.exercises for a in course.assignments.values())


def test_the_test_course_loads_with_its_defaults():
    course = load_course(COURSE)
    t1 = course.assignment("t1")
    assert t1.exercises == ("w01-toy",) and t1.late == LatePolicy(True, 0.1, 0.5)
    assert course.roster() == {"alice": "Alice Liddell", "bob": "Bob Marley", "carol": "Carol Danvers"}
    assert [s.id for s in course.specs(t1)] == ["w01-toy"]


def test_duplicate_student_ids_name_both_lines(tmp_path):
    message = error(tmp_path, course_toml(), "id,name\nalice,A\nbob,B\nalice,A again\n")
    assert "roster.csv: line 4: duplicate student id 'alice' (first on line 2)" in message


@pytest.mark.parametrize(("roster", "words"), [
    ("student,name\nalice,A\n", "header with 'id' and 'name'"),
    ("id,name\n../etc,A\n", "student id '../etc' must be letters"),
    ("id,name\n", "no students"),
])
def test_bad_rosters_are_refused(tmp_path, roster, words):
    assert words in error(tmp_path, course_toml(), roster)


def test_a_missing_roster_is_named(tmp_path):
    root = make_course(tmp_path, course_toml().replace("roster.csv", "people.csv"))
    with pytest.raises(CourseConfigError, match="people.csv: roster not found"):
        load_course(root)


def test_an_unknown_exercise_is_a_clear_error_when_used(tmp_path):
    toml = course_toml('[assignments.a1]\nexercises = ["w01-toy", "w09-nope"]\ndue = 2030-01-01T00:00:00Z\n')
    course = load_course(make_course(tmp_path, toml))  # loading alone is fine: exercises are checked lazily
    with pytest.raises(CourseConfigError) as info:
        course.specs(course.assignment("a1"))
    assert "course.toml: assignments.a1.exercises: unknown exercise 'w09-nope'" in str(info.value)
    assert "known exercises: w01-toy" in str(info.value)


def test_an_unknown_assignment_lists_the_known_ones(tmp_path):
    course = load_course(make_course(tmp_path, course_toml()))
    with pytest.raises(CourseConfigError, match="no assignment 'a9'; known assignments: a1"):
        course.assignment("a9")


@pytest.mark.parametrize(("assignments", "words"), [
    ('[assignments.a1]\nexercises = ["w01-toy"]\ndue = 2030-01-01T00:00:00\n', "add a time zone offset"),
    ('[assignments.a1]\nexercises = []\ndue = 2030-01-01T00:00:00Z\n', "non-empty list"),
    ('[assignments.a1]\nexercises = ["w01-toy", "w01-toy"]\ndue = 2030-01-01T00:00:00Z\n', "listed twice: w01-toy"),
    ('[assignments.a1]\nexercises = ["w01-toy"]\n', "assignments.a1.due: must be a date-time"),
    ('[assignments.a1]\nexercises = ["w01-toy"]\ndue = 2030-01-01T00:00:00Z\nlate = "sometimes"\n',
     'assignments.a1.late: must be "none" or a table'),
    ('[assignments.a1]\nexercises = ["w01-toy"]\ndue = 2030-01-01T00:00:00Z\nlate = { per_day = 10 }\n',
     "fractions between 0 and 1"),
    ('[assignments.a1]\nexercises = ["w01-toy"]\ndue = 2030-01-01T00:00:00Z\ndeadline = 1\n',
     "assignments.a1: unknown field(s): deadline"),
    ('[assignments.a1]\nexercises = ["w01-toy"]\ndue = 2030-01-01T00:00:00Z\n'
     '[assignments.a2]\nexercises = ["w01-toy"]\ndue = 2030-02-01T00:00:00Z\n', "is in assignments a1 and a2"),
    ('[assignments.A1]\nexercises = ["w01-toy"]\ndue = 2030-01-01T00:00:00Z\n', "assignment id must be lowercase"),
])
def test_bad_assignments_name_the_field(tmp_path, assignments, words):
    message = error(tmp_path, course_toml(assignments))
    assert "course.toml" in message and words in message


def test_other_mistakes_name_the_file(tmp_path):
    assert "invalid TOML" in error(tmp_path, "[course\n")
    assert "unknown field(s): grading" in error(tmp_path, course_toml() + "[grading]\nx = 1\n")
    assert "limits.memory_mb must be a positive number" in error(
        tmp_path, course_toml(late="limits = { memory_mb = -1 }"))
    with pytest.raises(CourseConfigError, match="no course.toml"):
        load_course(tmp_path)


def test_default_limits_fill_what_the_spec_leaves_out(tmp_path):
    course = load_course(make_course(tmp_path, course_toml(late="limits = { memory_mb = 512, pids = 32 }")))
    spec = course.specs(course.assignment("a1"))[0]
    # w01-toy's spec sets memory_mb and pids itself (1024, 64): its own values win; the rest come from defaults
    assert (spec.limits.memory_mb, spec.limits.pids) == (1024, 64)
    toml = course_toml(late="limits = { output_kb = 64, call_timeout_s = 99 }")
    course = load_course(make_course(tmp_path / "b", toml))
    spec = course.specs(course.assignment("a1"))[0]
    assert spec.limits.output_kb == 64 and spec.limits.call_timeout_s == 3


def test_late_days_count_started_days_and_the_policy_caps_the_deduction():
    due = dt.datetime(2030, 1, 1, 23, 59, tzinfo=dt.UTC)
    assert late_days(due, due) == 0 and late_days(due - dt.timedelta(hours=5), due) == 0
    assert late_days(due + dt.timedelta(seconds=1), due) == 1
    assert late_days(due + dt.timedelta(days=1, seconds=1), due) == 2
    policy = LatePolicy(True, 0.1, 0.25, max_days=5)
    assert [policy.fraction(d) for d in (0, 1, 2, 3, 9)] == [0.0, 0.1, 0.2, 0.25, 0.25]
    assert policy.accepts(5) and not policy.accepts(6)
    assert LatePolicy().accepts(0) and not LatePolicy().accepts(1)
    assert "not accepted" in LatePolicy().describe() and "10%" in policy.describe()

"""Class statistics for one exercise: score distribution, per-test pass rates, the most common
failure messages (grouped with their numbers blanked), the slowest submissions. TA-only: the
failure messages come from the judge and may hold expected values."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from grader.results_tree import Exercise, Submission
from grader.site.charts import Chart, hbars, histogram
from grader.text import judge_message, message_pattern


@dataclass
class TestRate:
    name: str
    passed: int
    total: int
    max_score: float

    @property
    def fraction(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass
class FailureGroup:
    test: str
    pattern: str
    example: str
    students: list[str] = field(default_factory=list)


@dataclass
class ExerciseStats:
    exercise: Exercise
    graded: list[Submission]
    missing: list[Submission]
    not_graded: list[Submission]  # rejected at intake or grader error
    mean: float
    median: float
    rates: list[TestRate]
    failures: list[FailureGroup]
    slowest: list[Submission]
    score_chart: Chart
    rate_chart: Chart
    overridden: int


def exercise_stats(exercise: Exercise, submissions: list[Submission], *, top: int = 10) -> ExerciseStats:
    graded = [s for s in submissions if s.result.status == "graded"]
    missing = [s for s in submissions if s.result.status == "missing"]
    not_graded = [s for s in submissions if s.result.status not in ("graded", "missing")]
    counted = graded + not_graded  # a rejected submission scores what it scores (usually 0)
    scores = [s.adjusted.score for s in counted]
    rates: dict[str, TestRate] = {}
    groups: dict[tuple[str, str], FailureGroup] = {}
    for sub in graded:
        for test in sub.result.tests:
            rate = rates.setdefault(test.name, TestRate(test.name, 0, 0, test.max_score))
            rate.total += 1
            rate.passed += test.status == "passed"
            if test.status != "passed":
                message = judge_message(test.details) if test.details else test.output
                group = groups.setdefault((test.name, message_pattern(message)),
                                          FailureGroup(test.name, message_pattern(message), message))
                group.students.append(sub.student)
    failures = sorted(groups.values(), key=lambda g: (-len(g.students), g.test, g.pattern))[:top]
    slowest = sorted(counted, key=lambda s: -s.result.duration_s)[:top]
    rate_list = list(rates.values())
    score_chart = histogram(scores, exercise.max_score, title=f"Scores for {exercise.id} ({len(scores)} submissions)")
    rate_chart = hbars([(r.name, r.fraction, f"{r.name}: {r.passed} of {r.total} passed") for r in rate_list],
                       title=f"Pass rate per test for {exercise.id}")
    return ExerciseStats(exercise, graded, missing, not_graded,
                         mean=statistics.fmean(scores) if scores else 0.0,
                         median=statistics.median(scores) if scores else 0.0,
                         rates=rate_list, failures=failures, slowest=slowest, score_chart=score_chart,
                         rate_chart=rate_chart, overridden=sum(s.adjusted.overridden for s in submissions))

"""Class statistics for one exercise: score distribution, per-test pass rates, the most common
failures grouped by cause, the slowest submissions. TA-only: the example messages come from the judge
and may hold expected values.

A cause is the kind of failure the judge reports ("wrong dtype", "values differ", "time limit
exceeded", "raised IndexError", ...), read from its message. A submission that does not import is one
cause, counted once (not once per test), and its tests are left out of the pass rates, so one syntax
error does not bury the real mistakes; so is the untouched starter file (``starters``: the students who
handed it in, known when the course is)."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from grader.results_tree import Exercise, Submission
from grader.site.charts import Chart, hbars, histogram
from grader.text import judge_message, message_pattern, plain_text


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
    cause: str
    example: str
    tests: list[str] = field(default_factory=list)
    students: list[str] = field(default_factory=list)


NOT_IMPORTED = "did not import"
STARTER = "unchanged starter"
RAISED = re.compile(r"^(?:your code raised |grader\.judge\.proxy\.StudentError: )([A-Za-z_][\w.]*)")
# (cause, words in the judge's message), first match wins; the judge's wording is grader/judge/assertions.py
CAUSES = [
    ("time limit exceeded", ("StudentTimeout", "time limit exceeded")),
    ("memory limit exceeded", ("memory limit",)),
    ("program stopped", ("WorkerCrashed", "your program stopped")),
    ("wrong dtype", ("wrong dtype", "is not numeric")),
    ("wrong shape", ("wrong shape",)),
    ("wrong length", ("wrong length",)),
    ("wrong type", ("wrong type", "expected a torch.Tensor, got", "expected a numpy.ndarray, got",
                    "expected a number, got", "expected an int, got", "expected an array or tensor, got")),
    ("values differ", ("values differ", "elements differ", "are NaN or Inf", "abs error")),
]
DTYPE = re.compile(r"\bdtype \S+ != expected ")
SHAPE = re.compile(r"\bshape \(.*\) != expected \(")
LENGTH = re.compile(r"\blength \d+ != expected \d+")
GOT_EXPECTED = re.compile(r"\bgot .* expected ")
EXPECTED = re.compile(r": expected ")


def failure_cause(message: str, status: str = "failed") -> str:
    """The kind of one test failure, from the judge's message (no values, no internal names)."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    raised = RAISED.match(first)
    if raised:
        return f"raised {raised.group(1).rsplit('.', 1)[-1]}"
    if DTYPE.search(first):
        return "wrong dtype"
    if SHAPE.search(first):
        return "wrong shape"
    if LENGTH.search(first):
        return "wrong length"
    for cause, words in CAUSES:
        if any(w in first for w in words):
            return cause
    if status == "timeout":
        return "time limit exceeded"
    if GOT_EXPECTED.search(first) or EXPECTED.search(first) \
            or any(line.startswith("assert ") for line in message.splitlines()):  # a plain pytest assert
        return "wrong value"
    if not first:
        return "failed without a message"
    return "other: " + message_pattern(plain_text(first))[:120]


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
    not_imported: int = 0  # graded, but the file did not import (one cause, out of the pass rates)


def exercise_stats(exercise: Exercise, submissions: list[Submission], *, top: int = 10,
                   starters: frozenset[str] | set[str] = frozenset()) -> ExerciseStats:
    graded = [s for s in submissions if s.result.status == "graded"]
    missing = [s for s in submissions if s.result.status == "missing"]
    not_graded = [s for s in submissions if s.result.status not in ("graded", "missing")]
    counted = graded + not_graded  # a rejected submission scores what it scores (usually 0)
    scores = [s.adjusted.score for s in counted]
    rates: dict[str, TestRate] = {}
    groups: dict[str, FailureGroup] = {}
    for sub in graded:
        if sub.result.import_error:
            group = groups.setdefault(NOT_IMPORTED, FailureGroup(NOT_IMPORTED, plain_text(sub.result.import_error)))
            group.students.append(sub.student)
            continue
        if sub.student in starters:
            group = groups.setdefault(STARTER, FailureGroup(STARTER, "the submission is the starter file, unchanged"))
            group.students.append(sub.student)
            continue
        for test in sub.result.tests:
            rate = rates.setdefault(test.name, TestRate(test.name, 0, 0, test.max_score))
            rate.total += 1
            rate.passed += test.status == "passed"
            if test.status != "passed":
                message = judge_message(test.details) if test.details else test.output
                cause = failure_cause(message, test.status)
                group = groups.setdefault(cause, FailureGroup(cause, plain_text(message)))
                if test.name not in group.tests:
                    group.tests.append(test.name)
                if sub.student not in group.students:
                    group.students.append(sub.student)
    failures = sorted(groups.values(), key=lambda g: (-len(g.students), g.cause))[:top]
    slowest = sorted(counted, key=lambda s: -s.result.duration_s)[:top]
    rate_list = list(rates.values())
    score_chart = histogram(scores, exercise.max_score, title=f"Scores for {exercise.id} ({len(scores)} submissions)")
    rate_chart = hbars([(r.name, r.fraction, f"{r.name}: {r.passed} of {r.total} passed") for r in rate_list],
                       title=f"Pass rate per test for {exercise.id}")
    return ExerciseStats(exercise, graded, missing, not_graded,
                         mean=statistics.fmean(scores) if scores else 0.0,
                         median=statistics.median(scores) if scores else 0.0,
                         rates=rate_list, failures=failures, slowest=slowest, score_chart=score_chart,
                         rate_chart=rate_chart, overridden=sum(s.adjusted.overridden for s in submissions),
                         not_imported=sum(bool(s.result.import_error) for s in graded))

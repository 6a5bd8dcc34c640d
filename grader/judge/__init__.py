"""The trusted side: hidden tests, their fixtures and the assertions they use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from grader.judge.assertions import (
    Mismatch,
    assert_close,
    assert_equal,
    assert_param_count,
    assert_shape,
    autograd_gradients,
    count_parameters,
    finite_difference_gradient,
)
from grader.judge.proxy import HandleMisuse, StudentError, StudentTimeout, WorkerCrashed, remote_repr, type_name

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
F = TypeVar("F", bound=Callable[..., Any])


def points(value: float, *, hint: str | None = None, visibility: str = "visible", name: str | None = None,
           describe: bool = False) -> Callable[[F], F]:
    """Give a test its weight, an optional hint shown to students on failure, and its visibility.

    ``describe=True`` also shows students the test's one-line description (its docstring's first line);
    use it where the statement already says what the test checks. Never its code or expected values."""
    if value < 0:
        raise ValueError("points must be >= 0")
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {VISIBILITIES}")

    def decorate(fn: F) -> F:
        marked: F = pytest.mark.grader(points=float(value), hint=hint, visibility=visibility, name=name,
                                       describe=describe)(fn)
        return marked

    return decorate


__all__ = [
    "Mismatch",
    "HandleMisuse",
    "StudentError",
    "StudentTimeout",
    "WorkerCrashed",
    "remote_repr",
    "type_name",
    "assert_close",
    "assert_equal",
    "assert_param_count",
    "assert_shape",
    "autograd_gradients",
    "count_parameters",
    "finite_difference_gradient",
    "points",
]

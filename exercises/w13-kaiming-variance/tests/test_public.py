"""Public tests for w13-kaiming-variance: from the bundle's folder, run them with
`grader check w13-kaiming-variance w13-kaiming-variance/kaiming.py`.
"""

import math


def test_fan_in_scale(student):
    """The notes' answer: divide by the square root of the 10 input features."""
    assert abs(student.fan_in_scale(10) - 1 / math.sqrt(10)) < 1e-12


def test_stats_for_the_notes_k(student):
    """y std is about sqrt(10) = 3.16 for k = 1 (notes: 3.1895) and about 1 for k = 1/sqrt(10) (notes: 1.0064)."""
    _, x_std, _, y_std = student.preactivation_stats(1.0, 1000, 10, 200, 0)
    assert abs(x_std - 1) < 0.05 and abs(y_std - math.sqrt(10)) < 0.2
    _, _, _, y_std = student.preactivation_stats(10**-0.5, 1000, 10, 200, 0)
    assert abs(y_std - 1) < 0.07


def test_gains(student):
    """tanh 5/3, linear 1."""
    assert abs(student.gain("tanh") - 5 / 3) < 1e-9
    assert student.gain("linear") == 1.0

"""Hidden tests for w01-numpy-basics: element-wise BMI, boolean masks, np_2d and column selection."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_shape, points

HEIGHT = [1.73, 1.68, 1.71, 1.89, 1.79]  # notes L687
WEIGHT = [65.4, 59.2, 63.6, 88.4, 68.7]  # notes L696


def random_family(rng: np.random.Generator, n: int) -> tuple[list[float], list[float]]:
    """Heights in metres and weights in kilograms, rounded like the notes' data."""
    height = [float(h) for h in np.round(rng.uniform(1.4, 2.1, size=n), 2)]
    weight = [float(w) for w in np.round(rng.uniform(40, 120, size=n), 1)]
    return height, weight


@points(2, hint="BMI = weight / height ** 2, element-wise on NumPy arrays (lists must be converted first)")
def test_bmi_notes_values(student, reference):
    """The family data give [21.851, 20.975, 21.750, 24.747, 21.441] (notes L758, truncated there)."""
    got = student.bmi(HEIGHT, WEIGHT)
    assert_close(got, np.array([21.851, 20.975, 21.750, 24.747, 21.441]), atol=1e-3, rtol=0)
    assert_close(got, reference.bmi(HEIGHT, WEIGHT))


@points(1, hint="return a float numpy.ndarray of the same length as the inputs; do not round")
def test_bmi_random(student, reference, rng):
    """Random lists and arrays of any length match the reference exactly, as float64 arrays."""
    height, weight = random_family(rng, int(rng.integers(3, 40)))
    assert_close(student.bmi(height, weight), reference.bmi(height, weight))
    assert_close(student.bmi(np.array(height), np.array(weight)), reference.bmi(height, weight))


@points(2, hint="index the array with the boolean mask bmi > threshold (strictly greater)")
def test_above(student, reference, rng):
    """above(bmi, 23) is array([24.747...]) (notes L836); random thresholds, including one equal to a value."""
    values = reference.bmi(HEIGHT, WEIGHT)
    assert_close(student.above(values, 23.0), values[values > 23])
    height, weight = random_family(rng, 30)
    values = reference.bmi(height, weight)
    for threshold in (float(np.median(values)), float(values[int(rng.integers(30))]), float(values.max()) + 1):
        assert_close(student.above(values, threshold), reference.above(values, threshold))


@points(2, hint="np.array([height, weight]) puts heights in row 0 and weights in row 1: shape (2, n)")
def test_make_2d(student, reference, rng):
    """np_2d.shape == (2, 5) (notes L883), np_2d[0, 2] == 1.71 (L911), and random families."""
    np_2d = student.make_2d(HEIGHT, WEIGHT)
    assert_shape(np_2d, (2, 5))
    assert_close(float(np_2d[0, 2]), 1.71)
    height, weight = random_family(rng, int(rng.integers(3, 20)))
    assert_close(student.make_2d(height, weight), reference.make_2d(height, weight))


@points(2, hint="np_2d[:, idx] keeps both rows and picks the columns in idx, in the order given")
def test_select_members(student, reference, rng):
    """[1, 2] gives [[1.68, 1.71], [59.2, 63.6]] (notes L927); non-contiguous and unsorted index lists too."""
    np_2d = reference.make_2d(HEIGHT, WEIGHT)
    assert_close(student.select_members(np_2d, [1, 2]), np.array([[1.68, 1.71], [59.2, 63.6]]))
    height, weight = random_family(rng, 12)
    np_2d = reference.make_2d(height, weight)
    for idx in ([0, 3], [int(i) for i in rng.permutation(12)[:4]], [int(rng.integers(12))]):
        assert_close(student.select_members(np_2d, idx), reference.select_members(np_2d, idx), msg=f"idx={idx}")


@points(1, hint="a Python loop gives a list; build the result with NumPy operations")
def test_types(student):
    """bmi and above return float numpy arrays, make_2d returns a (2, n) float array."""
    values = student.bmi(HEIGHT, WEIGHT)
    assert type(values) is np.ndarray and values.dtype.kind == "f" and values.shape == (5,), type(values)
    high = student.above(np.array([21.0, 25.0, 30.0]), 23.0)
    assert type(high) is np.ndarray and high.dtype.kind == "f", type(high)
    np_2d = student.make_2d([1.5, 1.6], [50, 60])
    assert type(np_2d) is np.ndarray and np_2d.dtype.kind == "f" and np_2d.shape == (2, 2)

"""Public tests for w01-numpy-basics: from the bundle's folder, run them with
`grader check w01-numpy-basics w01-numpy-basics/numpy_basics.py`.
"""

import numpy as np

from grader.judge import assert_close, assert_shape

HEIGHT = [1.73, 1.68, 1.71, 1.89, 1.79]
WEIGHT = [65.4, 59.2, 63.6, 88.4, 68.7]


def test_bmi_family(student):
    """The notes' family (L687, L696) has BMIs [21.851, 20.975, 21.750, 24.747, 21.441] (L758)."""
    assert_close(student.bmi(HEIGHT, WEIGHT), np.array([21.851, 20.975, 21.750, 24.747, 21.441]), atol=1e-3)


def test_above_23(student):
    """Only the fourth member has a BMI above 23 (notes L836)."""
    assert_close(student.above(student.bmi(HEIGHT, WEIGHT), 23.0), np.array([88.4 / 1.89 ** 2]))


def test_np_2d(student):
    """np_2d has shape (2, 5) (L883) and np_2d[:, [1, 2]] is the second and third member (L927)."""
    np_2d = student.make_2d(HEIGHT, WEIGHT)
    assert_shape(np_2d, (2, 5))
    assert_close(student.select_members(np_2d, [1, 2]), np.array([[1.68, 1.71], [59.2, 63.6]]))

"""Public tests for w05-sobel (run them from the bundle's folder with `grader check w05-sobel w05-sobel/sobel.py`)."""

import numpy as np

from grader.judge import assert_close

# A 4x4 uint8 image that gets brighter downwards and to the right.
IMAGE = np.array([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 255, 255], [0, 0, 255, 255]], dtype=np.uint8)


def test_sobel_h_sign(student):
    """sobel_h is positive where the image gets brighter downwards (row below - row above, / 4)."""
    expected = np.array([[0, 0, 0, 0], [0, 0.25, 0.75, 1.0], [0, 0.25, 0.75, 1.0], [0, 0, 0, 0]])
    assert_close(student.sobel_h(IMAGE), expected)


def test_sobel_v_sign(student):
    """sobel_v is positive where the image gets brighter to the right (column right - column left, / 4)."""
    expected = np.array([[0, 0, 0, 0], [0, 0.25, 0.25, 0], [0, 0.75, 0.75, 0], [0, 1.0, 1.0, 0]])
    assert_close(student.sobel_v(IMAGE), expected)


def test_magnitude(student):
    """The magnitude is sqrt((h**2 + v**2) / 2)."""
    h = np.array([[0, 0, 0, 0], [0, 0.25, 0.75, 1.0], [0, 0.25, 0.75, 1.0], [0, 0, 0, 0]])
    assert_close(student.sobel(IMAGE), np.sqrt((h ** 2 + h.T ** 2) / 2))

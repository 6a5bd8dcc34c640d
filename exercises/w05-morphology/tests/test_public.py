"""Public tests for w05-morphology: from the bundle's folder, run them with
`grader check w05-morphology w05-morphology/morphology.py`.
"""

import numpy as np

from grader.judge import assert_equal


def test_square_footprint_notes(student):
    """footprint_rectangle((4, 4)) is a 4x4 array of ones with dtype uint8 (notes L4539-4548)."""
    assert_equal(student.make_square_footprint(4), np.ones((4, 4), dtype=np.uint8))


def test_dilate_single_pixel(student):
    """Dilating one pixel by a footprint reproduces the footprint around it."""
    dot = np.zeros((7, 7), dtype=bool)
    dot[3, 3] = True
    ell = np.array([[1, 0, 0], [1, 0, 0], [1, 1, 0]], dtype=np.uint8)
    expected = np.zeros((7, 7), dtype=bool)
    expected[2:5, 2] = True
    expected[4, 3] = True
    assert_equal(student.my_dilate(dot, ell), expected)


def test_erode_all_ones_keeps_everything(student):
    """Erosion pads with 1s, so an all-ones 10x10 image keeps its 100 pixels."""
    ones = np.ones((10, 10), dtype=bool)
    assert_equal(student.my_erode(ones, np.ones((3, 3), dtype=np.uint8)), ones)

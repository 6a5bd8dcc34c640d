"""Public tests for w05-otsu-threshold: from the bundle's folder, run them with
`grader check w05-otsu-threshold w05-otsu-threshold/otsu.py`.
"""

import numpy as np
from skimage import data

from grader.judge import assert_equal


def test_histogram_small(student):
    """Each intensity gets its own bin; the result has 256 int64 counts."""
    image = np.array([[0, 0, 5], [255, 5, 5]], dtype=np.uint8)
    expected = np.zeros(256, dtype=np.int64)
    expected[0], expected[5], expected[255] = 2, 3, 1
    assert_equal(student.histogram(image), expected)


def test_otsu_camera(student):
    """threshold_otsu(data.camera()) is 102."""
    assert_equal(student.otsu_threshold(data.camera()), 102)


def test_binarize_camera(student):
    """camera > 102 marks 177984 pixels as foreground."""
    mask = student.binarize(data.camera(), 102)
    assert_equal(mask, data.camera() > 102)
    assert_equal(int(mask.sum()), 177984)

"""Public tests for w05-contrast-equalization: from the bundle's folder, run them with
`grader check w05-contrast-equalization w05-contrast-equalization/contrast.py`.
"""

import numpy as np

from grader.judge import assert_close, assert_equal

# A tiny "checkpoint" image: darkest pixel 99, brightest 247 (notes L4408-4433).
IMAGE = np.array([[99, 120, 120], [150, 200, 247]], dtype=np.uint8)


def test_contrast_checkpoint(student):
    """The contrast of an image with values 99..247 is 148 (answer B of the checkpoint)."""
    assert_equal(student.contrast(IMAGE), 148)


def test_stretch_small(student):
    """99 -> 0, 247 -> 255, values in between scaled linearly and truncated."""
    expected = ((IMAGE.astype(float) - 99) / 148 * 255).astype(np.uint8)  # [[0, 36, 36], [87, 174, 255]]
    assert_close(student.stretch_contrast(IMAGE), expected, atol=1, rtol=0)


def test_equalize_small(student):
    """Each value becomes the fraction of pixels <= it: 99 -> 1/6, 120 -> 3/6, ..., 247 -> 6/6."""
    expected = np.array([[1, 3, 3], [4, 5, 6]], dtype=np.float64) / 6
    assert_close(student.my_equalize_hist(IMAGE), expected)

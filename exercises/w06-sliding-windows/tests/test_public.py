"""Public tests for w06-sliding-windows: from the bundle's folder, run them with
`grader check w06-sliding-windows w06-sliding-windows/windows.py`.
"""

import torch

from grader.judge import assert_close, assert_equal


def test_cost_notes_formula(student):
    """3 scales, 3 aspect ratios, a 640 x 480 image: 2,764,800."""
    assert_equal(student.computational_cost(3, 3, 640, 480), 2_764_800)


def test_num_windows_small(student):
    """A (4, 5) window with stride 3 in a 10 x 12 image: 3 rows x 3 columns of windows."""
    assert_equal(student.num_windows(10, 12, (4, 5), 3), 9)


def test_sliding_windows_small(student):
    """A (2, 3) window with stride 2 on a 2 x 5 x 6 image: 4 windows in row-major order."""
    image = torch.arange(2 * 5 * 6, dtype=torch.float32).reshape(2, 5, 6)
    patches, boxes = student.sliding_windows(image, (2, 3), 2)
    assert_close(boxes, torch.tensor([[0.0, 0.0, 3.0, 2.0], [2.0, 0.0, 5.0, 2.0],
                                      [0.0, 2.0, 3.0, 4.0], [2.0, 2.0, 5.0, 4.0]]))
    assert_close(patches[1], image[:, 0:2, 2:5])

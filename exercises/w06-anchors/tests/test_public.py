"""Public tests for w06-anchors: from the bundle's folder, run them with
`grader check w06-anchors w06-anchors/anchors.py`.
"""

import torch

from grader.judge import assert_close, assert_equal


def test_notes_generator_count(student):
    """sizes (32, 64, 128) x aspect ratios (0.5, 1.0, 2.0): 9 anchors per location."""
    assert_equal(student.num_anchors_per_location([32, 64, 128], [0.5, 1.0, 2.0]), 9)


def test_square_base_anchor(student):
    """Ratio 1, size 32: the square [-16, -16, 16, 16]."""
    assert_close(student.base_anchors([32], [1.0]), torch.tensor([[-16.0, -16.0, 16.0, 16.0]]))


def test_notes_generator_on_7x7(student):
    """A 7 x 7 feature map of a 224 x 224 image: 441 anchors; the first is a wide box (ratio 0.5, size 32)."""
    anchors = student.generate_anchors((224, 224), (7, 7), [32, 64, 128], [0.5, 1.0, 2.0])
    assert_equal(tuple(anchors.shape), (441, 4))
    assert_close(anchors[0], torch.tensor([-23.0, -11.0, 23.0, 11.0]))
    assert_close(anchors[9], torch.tensor([9.0, -11.0, 55.0, 11.0]))

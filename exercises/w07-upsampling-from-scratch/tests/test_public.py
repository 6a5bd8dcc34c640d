"""Public tests for w07-upsampling-from-scratch.

From the bundle's folder, run them with
`grader check w07-upsampling-from-scratch w07-upsampling-from-scratch/upsample.py`.
"""

import torch

from grader.judge import assert_close, assert_equal

NOTES_2X2 = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])


def test_nearest_notes(student):
    """Nearest neighbour x2 of [[1, 2], [3, 4]]."""
    expected = torch.tensor(
        [[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0], [3.0, 3.0, 4.0, 4.0], [3.0, 3.0, 4.0, 4.0]]]])
    assert_close(student.nearest_upsample(NOTES_2X2, 2), expected)


def test_bilinear_notes(student):
    """Corner-aligned bilinear 2 x 2 -> 4 x 4: the corners stay 1, 2, 3, 4."""
    expected = torch.tensor([[[[1.0, 4 / 3, 5 / 3, 2.0], [5 / 3, 2.0, 7 / 3, 8 / 3],
                               [7 / 3, 8 / 3, 3.0, 10 / 3], [3.0, 10 / 3, 11 / 3, 4.0]]]])
    assert_close(student.bilinear_upsample(NOTES_2X2, (4, 4)), expected)


def test_max_pool_and_unpool(student):
    """Pool the 4 x 4 map, then unpool: the maxima go back to their places, zeros elsewhere."""
    x = torch.tensor([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0], [0.0, 2.0, 1.0, 3.0], [6.0, 1.0, 2.0, 7.0]]]])
    pooled, indices = student.max_pool_with_indices(x, 2)
    assert_close(pooled, torch.tensor([[[[5.0, 8.0], [6.0, 7.0]]]]))
    assert_equal(indices, torch.tensor([[[[1, 6], [12, 15]]]]))
    expected = torch.tensor(
        [[[[0.0, 5.0, 0.0, 0.0], [0.0, 0.0, 8.0, 0.0], [0.0, 0.0, 0.0, 0.0], [6.0, 0.0, 0.0, 7.0]]]])
    assert_close(student.max_unpool(pooled, indices, (4, 4)), expected)

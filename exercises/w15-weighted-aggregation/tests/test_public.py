"""Public tests for w15-weighted-aggregation: from the bundle's folder, run them with
`grader check w15-weighted-aggregation w15-weighted-aggregation/aggregation.py`.
"""

import torch

from grader.judge import assert_close


def test_loop_first_rows(student):
    """Seed-1337 xs: the first two rows of xbow[0] are [0.1808, -0.0700] and [-0.0894, -0.4926]."""
    torch.manual_seed(1337)
    xs = torch.randn(4, 8, 2)
    assert_close(student.bow_loop(xs)[0, :2], torch.tensor([[0.1808, -0.0700], [-0.0894, -0.4926]]), atol=1e-4)


def test_weights_t3(student):
    """averaging_weights(3) is [[1, 0, 0], [0.5, 0.5, 0], [1/3, 1/3, 1/3]]."""
    third = 1 / 3
    assert_close(student.averaging_weights(3), torch.tensor([[1, 0, 0], [0.5, 0.5, 0], [third] * 3]), atol=1e-6)


def test_goal1(student):
    """column_sums of the notes' b is [[14, 16]] three times."""
    b = torch.tensor([[2.0, 7.0], [6.0, 4.0], [6.0, 5.0]])
    assert_close(student.column_sums(b), torch.tensor([[14.0, 16.0]] * 3))

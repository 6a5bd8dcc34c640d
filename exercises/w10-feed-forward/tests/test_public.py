"""Public tests for w10-feed-forward: from the bundle's folder, run them with
`grader check w10-feed-forward w10-feed-forward/feed_forward.py`.
"""

import torch

from grader.judge import assert_equal, assert_shape


def test_shape(student):
    """FeedForward(16, 64) keeps the shape [2, 5, 16]."""
    assert_shape(student.FeedForward(16, 64)(torch.randn(2, 5, 16)), (2, 5, 16))


def test_param_count_paper(student):
    """feed_forward_param_count(512, 2048) == 2,099,712."""
    assert_equal(student.feed_forward_param_count(512, 2048), 2_099_712)

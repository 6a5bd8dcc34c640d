"""Public tests for w10-multi-head-attention: from the bundle's folder, run them with
`grader check w10-multi-head-attention w10-multi-head-attention/mha.py`.
"""

import torch

from grader.judge import assert_equal, assert_shape


def test_shapes(student):
    """MultiHeadAttention(32, 4): self-attention [2, 5, 32] -> [2, 5, 32]; cross with Tk = 7 -> [2, 5, 32]."""
    mha = student.MultiHeadAttention(32, 4)
    x, y = torch.randn(2, 5, 32), torch.randn(2, 7, 32)
    assert_shape(mha(x, x, x), (2, 5, 32))
    assert_shape(mha(x, y, y), (2, 5, 32))


def test_d_k(student):
    """d_model = 512 with 8 heads gives d_k = 64 (notes L8737)."""
    assert_equal(student.MultiHeadAttention(512, 8).d_k, 64)

"""Public tests for w10-sdpa-head: from the bundle's folder, run them with
`grader check w10-sdpa-head w10-sdpa-head/attention.py`.
"""

import torch

from grader.judge import assert_close, assert_shape


def test_shapes(student):
    """q [2, 3, 8], k [2, 5, 8], v [2, 5, 4] give out [2, 3, 4] and weights [2, 3, 5]."""
    out, wei = student.scaled_dot_product_attention(torch.randn(2, 3, 8), torch.randn(2, 5, 8), torch.randn(2, 5, 4))
    assert_shape(out, (2, 3, 4))
    assert_shape(wei, (2, 3, 5))


def test_scaling_example(student):
    """The README's d_k = 64 example gives weights [0.6900, 0.3100]."""
    q = torch.ones(1, 1, 64)
    k = torch.stack([torch.full((64,), 0.1), torch.zeros(64)]).unsqueeze(0)
    v = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    _, wei = student.scaled_dot_product_attention(q, k, v)
    assert_close(wei, torch.tensor([[[0.6900, 0.3100]]]), atol=1e-4)


def test_padding_gets_zero_weight(student):
    """Keys where the mask is 0 get weight exactly 0."""
    mask = torch.tensor([[1, 1, 0, 0, 0]]).unsqueeze(1).expand(-1, 5, -1)
    q, k, v = torch.randn(1, 5, 8), torch.randn(1, 5, 8), torch.randn(1, 5, 8)
    _, wei = student.scaled_dot_product_attention(q, k, v, mask)
    assert float(wei[..., 2:].abs().max()) == 0.0


def test_head_shape(student):
    """Head(16, 4) maps [2, 5, 16] to [2, 5, 4]."""
    assert_shape(student.Head(16, 4)(torch.randn(2, 5, 16)), (2, 5, 4))

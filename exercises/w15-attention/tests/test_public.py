"""Public tests for w15-attention: from the bundle's folder, run them with
`grader check w15-attention w15-attention/attention.py`.
"""

import torch

from grader.judge import assert_close, assert_shape


def test_head_shapes(student):
    """notes L11455-11474 sizes: B, T, C = 4, 8, 32 and head_size 16 give an output of [4, 8, 16]."""
    x = torch.randn(4, 8, 32)
    head = student.Head(32, 16, 8)
    assert_shape(head(x), (4, 8, 16))
    assert_shape(head.attention_weights(x), (4, 8, 8))


def test_weights_rows_sum_to_one_and_first_token_sees_itself(student):
    """Rows of the weights sum to 1; the first token attends only to itself."""
    x = torch.randn(2, 6, 32)
    head = student.Head(32, 16, 8)
    head.eval()
    wei = head.attention_weights(x)
    assert_close(wei.sum(dim=-1), torch.ones(2, 6))
    assert_close(wei[:, 0], torch.eye(6)[0].expand(2, 6))


def test_multihead_shape(student):
    """4 heads of size 8 on n_embd 32 give back [B, T, 32]."""
    x = torch.randn(2, 8, 32)
    assert_shape(student.MultiHeadAttention(4, 8, 32, 8)(x), (2, 8, 32))

"""Public tests for w10-input-embedding-pe: from the bundle's folder, run them with
`grader check w10-input-embedding-pe w10-input-embedding-pe/embedding.py`.
"""

import torch

from grader.judge import assert_close, assert_shape


def test_pe_d4(student):
    """positional_encoding(4, 4): row 0 is [0, 1, 0, 1], row 1 is [0.8415, 0.5403, 0.0100, 0.9999]."""
    pe = student.positional_encoding(4, 4)
    assert_shape(pe, (4, 4))
    assert_close(pe[0], torch.tensor([0.0, 1.0, 0.0, 1.0]), atol=1e-4)
    assert_close(pe[1], torch.tensor([0.8415, 0.5403, 0.0100, 0.9999]), atol=1e-4)


def test_pe_forward_shape(student):
    """PositionalEncoding(16, 10) keeps the shape of a [2, 6, 16] batch."""
    assert_shape(student.PositionalEncoding(16, 10)(torch.zeros(2, 6, 16)), (2, 6, 16))


def test_embedding_shape(student):
    """InputEmbedding(10, 8) maps [1, 3] token ids to [1, 3, 8]."""
    assert_shape(student.InputEmbedding(10, 8)(torch.tensor([[1, 2, 3]])), (1, 3, 8))

"""Public tests for w10-decoder-cross-attention: from the bundle's folder, run them with
`grader check w10-decoder-cross-attention w10-decoder-cross-attention/decoder.py`.
"""

import torch

from grader.judge import assert_close, assert_shape


def test_tgt_mask_4(student):
    """make_tgt_mask(4) is the 4 x 4 lower triangle of ones."""
    assert_close(torch.as_tensor(student.make_tgt_mask(4)).float(), torch.tril(torch.ones(4, 4)))


def test_layer_shape(student):
    """DecoderLayer(16, 4, 32, 0.1) maps x [2, 6, 16] and y [2, 5, 16] to [2, 6, 16]."""
    layer = student.DecoderLayer(16, 4, 32, 0.1)
    layer.eval()
    out = layer(torch.randn(2, 6, 16), torch.randn(2, 5, 16), torch.tril(torch.ones(6, 6)), None)
    assert_shape(out, (2, 6, 16))

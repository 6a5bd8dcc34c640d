"""Public tests for w10-encoder-layer: from the bundle's folder, run them with
`grader check w10-encoder-layer w10-encoder-layer/encoder.py`.
"""

import torch

from grader.judge import assert_close, assert_shape


def test_shape(student):
    """EncoderLayer(16, 4, 32, 0.1) keeps [2, 5, 16], with and without a padding mask."""
    layer = student.EncoderLayer(16, 4, 32, 0.1)
    layer.eval()
    x = torch.randn(2, 5, 16)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]).unsqueeze(1).expand(-1, 5, -1)
    assert_shape(layer(x, None), (2, 5, 16))
    assert_shape(layer(x, mask), (2, 5, 16))


def test_output_is_layer_normalised(student):
    """The last step is norm2: every token has mean 0 over d_model."""
    layer = student.EncoderLayer(16, 4, 32, 0.1)
    layer.eval()
    out = layer(torch.randn(2, 5, 16) * 4.0, None)
    assert_close(out.mean(dim=-1), torch.zeros(2, 5), atol=1e-5)

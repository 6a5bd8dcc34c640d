"""Public tests for w10-encoder-only-transformer: from the bundle's folder, run them with
`grader check w10-encoder-only-transformer w10-encoder-only-transformer/transformer.py`.
"""

import torch

from grader.judge import assert_shape


def test_shapes(student):
    """Body [3, 7] -> [3, 7, 16]; ClassifierHead -> [3, 3]; RegressionHead -> [3, 1]."""
    body = student.TransformerEncoder(20, 16, 4, 2, 32, 0.1, 12)
    body.eval()
    h = body(torch.randint(0, 20, (3, 7)), None)
    assert_shape(h, (3, 7, 16))
    assert_shape(student.ClassifierHead(16, 3)(h), (3, 3))
    assert_shape(student.RegressionHead(16, 1)(h), (3, 1))

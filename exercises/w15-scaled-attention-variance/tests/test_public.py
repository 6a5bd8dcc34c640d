"""Public tests for w15-scaled-attention-variance: from the bundle's folder, run them with
`grader check w15-scaled-attention-variance w15-scaled-attention-variance/scaling.py`.
"""

import torch

from grader.judge import assert_close, assert_shape


def test_scores_shape(student):
    """q [2, 3, 16] and k [2, 5, 16] give scores [2, 3, 5]."""
    assert_shape(student.attention_scores(torch.randn(2, 3, 16), torch.randn(2, 5, 16)), (2, 3, 5))


def test_scaled_probe(student):
    """q = k = ones(1, 1, 16): the unscaled score is 16, the scaled one 16 / 4 = 4."""
    q = torch.ones(1, 1, 16)
    assert_close(student.attention_scores(q, q, scaled=False), torch.tensor([[[16.0]]]))
    assert_close(student.attention_scores(q, q), torch.tensor([[[4.0]]]))


def test_softmax_factor_8(student):
    """The notes' logits times 8 give [0.0326, 0.0030, 0.1615, 0.0030, 0.8000]."""
    logits = torch.tensor([0.1, -0.2, 0.3, -0.2, 0.5])
    assert_close(student.softmax_sharpness(logits, 8.0), torch.tensor([0.0326, 0.0030, 0.1615, 0.0030, 0.8000]),
                 atol=1e-4)

"""Public tests for w12-neural-bigram-forward: from the bundle's folder, run them with
`grader check w12-neural-bigram-forward w12-neural-bigram-forward/neural_bigram.py`.
"""

import math

import torch
import torch.nn.functional as F


def test_init_weights(student):
    """init_weights(27, seed) is [27, 27] float32 and reproducible."""
    W = student.init_weights(27, 2147483647)
    assert tuple(W.shape) == (27, 27) and W.dtype == torch.float32
    assert torch.equal(W, student.init_weights(27, 2147483647))
    g = torch.Generator().manual_seed(2147483647)
    assert torch.equal(W, torch.randn((27, 27), generator=g))


def test_zero_weights_are_uniform(student):
    """W = 0: logits 0, every probability 1/27, loss ln 27 = 3.2958 (notes L10101-10110)."""
    xenc = F.one_hot(torch.tensor([0, 5, 13, 13, 1]), 27).float()
    probs = student.forward(xenc, torch.zeros(27, 27))
    assert torch.allclose(probs, torch.full((5, 27), 1 / 27))
    loss = student.nll_loss(probs, torch.tensor([5, 13, 13, 1, 0]))
    assert abs(float(loss) - math.log(27)) < 1e-5


def test_forward_is_softmax(student):
    """forward(xenc, W) equals softmax(xenc @ W, dim=1)."""
    g = torch.Generator().manual_seed(0)
    W = torch.randn(5, 5, generator=g)
    xenc = F.one_hot(torch.tensor([0, 3, 1]), 5).float()
    assert torch.allclose(student.forward(xenc, W), torch.softmax(xenc @ W, dim=1), atol=1e-6)


def test_log_counts(student):
    """weights_from_counts with smoothing 1 gives ln(counts + 1)."""
    counts = torch.tensor([[0, 3], [1, 0]])
    assert torch.allclose(student.weights_from_counts(counts, 1), torch.log(torch.tensor([[1.0, 4.0], [2.0, 1.0]])))

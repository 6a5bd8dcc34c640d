"""Public tests for w12-neural-bigram-gd: from the bundle's folder, run them with
`grader check w12-neural-bigram-gd w12-neural-bigram-gd/bigram_gd.py`.
"""

import math

import torch
import torch.nn.functional as F

XS = torch.tensor([0, 5, 13, 13, 1])  # "emma" (notes L9862-9863)
YS = torch.tensor([5, 13, 13, 1, 0])


def test_emma_initial_loss(student):
    """'emma' with the seed 2147483647: the initial loss is 3.7693."""
    _, losses = student.train(XS, YS, 27, 1, 50.0, 0.0, 2147483647)
    assert len(losses) == 1
    assert abs(losses[0] - 3.7693) < 1e-3


def test_zero_weights(student):
    """W = 0: uniform probabilities, loss ln 27 plus no regularisation."""
    xenc = F.one_hot(XS, 27).float()
    W = torch.zeros(27, 27)
    loss = student.loss_fn(student.forward(xenc, W), YS, W, 0.1)
    assert abs(float(loss) - math.log(27)) < 1e-5


def test_gradient_of_zero_weights(student):
    """At W = 0 the gradient is xenc^T (1/27 - onehot(ys)) / N."""
    grad = student.gradient(XS, YS, torch.zeros(27, 27), 0.0)
    xenc = F.one_hot(XS, 27).float()
    expected = xenc.T @ (torch.full((5, 27), 1 / 27) - F.one_hot(YS, 27).float()) / 5
    assert torch.allclose(grad, expected, atol=1e-6)


def test_training_lowers_the_loss(student):
    """A few steps of gradient descent on 'emma' lower the loss."""
    _, losses = student.train(XS, YS, 27, 10, 10.0, 0.0, 2147483647)
    assert len(losses) == 10 and losses[-1] < losses[0]

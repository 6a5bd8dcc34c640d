"""Public tests for w04-init-batchnorm: from the bundle's folder, run them with
`grader check w04-init-batchnorm w04-init-batchnorm/batchnorm_net.py`.
"""

import torch

from grader.judge import assert_equal, assert_param_count, assert_shape


def test_parameter_count(student):
    """305 parameters for the Linear layers plus 2 x (16 + 8) for the two BatchNorm1d layers."""
    net = student.Net()
    assert_param_count(sum(p.numel() for p in net.parameters()), 353)


def test_batchnorm_sizes(student):
    """BatchNorm1d(16) after fc1 and BatchNorm1d(8) after fc2 (notes L3236)."""
    net = student.Net()
    assert_equal(net.bn1.num_features, 16)
    assert_equal(net.bn2.num_features, 8)


def test_output_is_probability(student):
    """A batch [64, 9] gives probabilities of shape [64, 1] in train mode and eval mode."""
    net = student.Net()
    x = torch.rand(64, 9)
    net.train()
    out = net(x)
    assert_shape(out, (64, 1))
    assert bool(((out > 0) & (out < 1)).all()), "outputs must lie in (0, 1)"
    net.eval()
    assert_shape(net(x[:1]), (1, 1))

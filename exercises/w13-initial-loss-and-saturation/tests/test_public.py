"""Public tests for w13-initial-loss-and-saturation: from the bundle's folder, run them with
`grader check w13-initial-loss-and-saturation w13-initial-loss-and-saturation/health.py`.
"""

import math

import torch


def test_expected_initial_loss(student):
    """-ln(1/27) = 3.2958 (the notes round it to 3.29, L10491-10493)."""
    assert abs(student.expected_initial_loss(27) - 3.2958) < 1e-4


def test_output_fix_brings_loss_near_uniform(student):
    """With b2 = 0 and W2 * 0.01 the initial loss is close to -ln(1/27)."""
    params = student.init_mlp(27, 3, 10, 200, 2147483647, True, False)
    X = torch.randint(0, 27, (500, 3), generator=torch.Generator().manual_seed(0))
    Y = torch.randint(0, 27, (500,), generator=torch.Generator().manual_seed(1))
    assert abs(student.initial_loss(params, X, Y) - math.log(27)) < 0.1
    naive = student.init_mlp(27, 3, 10, 200, 2147483647)
    assert student.initial_loss(naive, X, Y) > 10


def test_metrics_on_a_small_example(student):
    """Column 0 is saturated for both examples (dead), column 1 only once; tanh'(+-1) = 0."""
    h = torch.tensor([[0.999, -0.995, 0.1], [-1.0, 0.2, 0.3]])
    assert abs(student.saturation_fraction(h) - 3 / 6) < 1e-6
    assert student.dead_neuron_mask(h).tolist() == [True, False, False]
    assert student.tanh_local_grad(torch.tensor([-1.0, 0.0, 1.0])).tolist() == [0.0, 1.0, 0.0]

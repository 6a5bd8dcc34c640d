"""Public tests for w08-latent-interpolation: from the bundle's folder, run them with
`grader check w08-latent-interpolation w08-latent-interpolation/latent.py`.
"""

import torch

from grader.judge import assert_close, assert_equal


def test_three_steps(student):
    """From (0, 0) to (2, 4) in 3 steps: (0, 0), (1, 2), (2, 4)."""
    path = student.interpolate_latents(torch.tensor([0.0, 0.0]), torch.tensor([2.0, 4.0]), 3)
    assert_close(path, torch.tensor([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]]))


def test_hwc_shape(student):
    """A (3, 96, 64) image becomes (96, 64, 3)."""
    assert_equal(tuple(student.to_hwc(torch.zeros(3, 96, 64)).shape), (96, 64, 3))


def test_display_range(student):
    """Tanh outputs -1, 0, 1 become 0, 0.5, 1."""
    assert_close(student.to_displayable(torch.tensor([-1.0, 0.0, 1.0])), torch.tensor([0.0, 0.5, 1.0]))


def test_grid_shape(student):
    """9 images of 3 x 8 x 8 in rows of 3 make a (3, 24, 24) grid."""
    assert_equal(tuple(student.make_grid(torch.zeros(9, 3, 8, 8), 3).shape), (3, 24, 24))

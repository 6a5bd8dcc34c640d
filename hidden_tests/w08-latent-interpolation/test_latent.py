"""Hidden tests for w08-latent-interpolation: linear paths in z space, images along them, display helpers."""

from __future__ import annotations

import pytest
import torch

from grader.judge import StudentError, assert_close, assert_equal, points
from grader.judge.data import randn


@points(1.5, hint="t must run from exactly 0 to exactly 1: torch.linspace(0, 1, num_steps) includes both ends")
def test_endpoints(student, reference, rng):
    """The first row is z1 and the last row is z2; the result is (num_steps, z_dim)."""
    z_dim, steps = int(rng.integers(3, 20)), int(rng.integers(3, 9))
    z1, z2 = randn(rng, z_dim), randn(rng, z_dim)
    path = student.interpolate_latents(z1, z2, steps)
    assert_equal(tuple(path.shape), (steps, z_dim))
    assert_close(path[0], z1, atol=1e-6)
    assert_close(path[-1], z2, atol=1e-6)


@points(1.5, hint="linear interpolation: z = (1 - t) * z1 + t * z2 (not spherical)")
def test_midpoint(student, reference, rng):
    """With 5 steps the middle row is (z1 + z2) / 2 and consecutive rows differ by (z2 - z1) / 4."""
    z_dim = int(rng.integers(3, 20))
    z1, z2 = randn(rng, z_dim), randn(rng, z_dim)
    path = student.interpolate_latents(z1, z2, 5)
    assert_close(path[2], (z1 + z2) / 2, atol=1e-6)
    assert_close(path[1:] - path[:-1], ((z2 - z1) / 4).expand(4, z_dim).contiguous(), atol=1e-5)


@points(1.5, hint="one row per step, t = torch.linspace(0, 1, num_steps)")
def test_interpolation_matches_reference(student, reference, rng):
    """interpolate_latents on random z1, z2 and step counts equals the reference."""
    for _ in range(3):
        z_dim, steps = int(rng.integers(2, 30)), int(rng.integers(2, 12))
        z1, z2 = randn(rng, z_dim), randn(rng, z_dim)
        assert_close(student.interpolate_latents(z1, z2, steps), reference.interpolate_latents(z1, z2, steps),
                     atol=1e-6)


@points(0.5, hint="fewer than 2 steps cannot include both ends: raise ValueError")
def test_too_few_steps(student, reference, rng):
    """num_steps = 1 and 0 raise ValueError; num_steps = 2 gives [z1, z2]."""
    z1, z2 = randn(rng, 4), randn(rng, 4)
    for steps in (1, 0):
        with pytest.raises(StudentError, match="ValueError"):
            student.interpolate_latents(z1, z2, steps)
    assert_close(student.interpolate_latents(z1, z2, 2), torch.stack([z1, z2]), atol=1e-6)


@points(2, hint="feed the interpolated noise (from z1 to z2) to the generator under torch.no_grad()")
def test_interpolation_images(student, reference, rng):
    """interpolation_images with the reference's generator weights: the same (num_steps, C, H, W) images."""
    z_dim, c, size, steps = int(rng.integers(3, 9)), int(rng.integers(1, 4)), int(rng.integers(3, 7)), 6
    ref_gen = reference.make_generator(z_dim, c, size)
    gen = student.make_generator(z_dim, c, size)
    gen.load_state_dict(ref_gen.state_dict())
    z1, z2 = randn(rng, z_dim), randn(rng, z_dim)
    expected = reference.interpolation_images(ref_gen, z1, z2, steps)
    assert_close(student.interpolation_images(gen, z1, z2, steps), expected)


@points(1, hint="channels last: (C, H, W) -> (H, W, C) is permute(1, 2, 0)")
def test_to_hwc(student, reference, rng):
    """to_hwc on a non-square (3, 4, 5) image gives the reference's (4, 5, 3) array."""
    image = randn(rng, 3, 4, 5)
    assert_close(student.to_hwc(image), reference.to_hwc(image))


@points(1, hint="(x - lo) / (hi - lo), then clamp to [0, 1]")
def test_to_displayable(student, reference, rng):
    """to_displayable for tanh images (-1, 1) and 0..255 images, values slightly outside the range."""
    image = torch.tensor(rng.uniform(-1.2, 1.2, size=(3, 4, 4)), dtype=torch.float32)
    assert_close(student.to_displayable(image), reference.to_displayable(image))
    image = torch.tensor(rng.uniform(-10, 265, size=(3, 4, 4)), dtype=torch.float32)
    assert_close(student.to_displayable(image, (0.0, 255.0)), reference.to_displayable(image, (0.0, 255.0)))


@points(1, hint="image i goes to row i // nrow and column i % nrow; unused cells stay 0")
def test_make_grid(student, reference, rng):
    """make_grid of 7 images with nrow 3 (a partly empty last row) equals the reference."""
    images = randn(rng, 7, 2, 3, 4)
    grid = student.make_grid(images, 3)
    assert_close(grid, reference.make_grid(images, 3))

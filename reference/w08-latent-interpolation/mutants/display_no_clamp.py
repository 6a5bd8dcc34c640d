"""Mutant: does not clamp to [0, 1] after rescaling."""

from __future__ import annotations

import torch
from torch import nn


def make_generator(z_dim: int, channels: int, size: int) -> nn.Sequential:
    """A tiny generator (given): Linear -> Tanh -> reshape to (channels, size, size)."""
    return nn.Sequential(nn.Linear(z_dim, channels * size * size), nn.Tanh(), nn.Unflatten(1, (channels, size, size)))


def interpolate_latents(z1: torch.Tensor, z2: torch.Tensor, num_steps: int) -> torch.Tensor:
    """num_steps points from z1 to z2 (both included): (1 - t) * z1 + t * z2, t = linspace(0, 1, num_steps)."""
    if num_steps < 2:
        raise ValueError("num_steps must be at least 2")
    t = torch.linspace(0, 1, num_steps, dtype=z1.dtype).unsqueeze(1)
    return (1 - t) * z1.unsqueeze(0) + t * z2.unsqueeze(0)


def interpolation_images(gen: nn.Module, z1: torch.Tensor, z2: torch.Tensor, num_steps: int) -> torch.Tensor:
    """The generator's images along the line from z1 to z2, computed without gradients: (num_steps, C, H, W)."""
    noise = interpolate_latents(z1, z2, num_steps)
    with torch.no_grad():
        return gen(noise)


def to_hwc(image: torch.Tensor) -> torch.Tensor:
    """(C, H, W) -> (H, W, C) for plt.imshow."""
    return image.permute(1, 2, 0)


def to_displayable(image: torch.Tensor, value_range: tuple[float, float] = (-1.0, 1.0)) -> torch.Tensor:
    """Map value_range linearly to [0, 1] and clamp (plt.imshow wants floats in [0, 1])."""
    lo, hi = value_range
    return (image - lo) / (hi - lo)


def make_grid(images: torch.Tensor, nrow: int) -> torch.Tensor:
    """Tile (N, C, H, W) images row by row, nrow images per row, into (C, rows * H, nrow * W); empty cells are 0."""
    n, c, h, w = images.shape
    rows = (n + nrow - 1) // nrow
    grid = torch.zeros(c, rows * h, nrow * w, dtype=images.dtype)
    for i in range(n):
        r, col = divmod(i, nrow)
        grid[:, r * h:(r + 1) * h, col * w:(col + 1) * w] = images[i]
    return grid

"""w08-latent-interpolation: linear paths in z space (notes L7005-7009) and displaying images (L6876-6906).

make_generator is given: do not change it (the grader loads its weights into it).
"""

from __future__ import annotations

import torch
from torch import nn


def make_generator(z_dim: int, channels: int, size: int) -> nn.Sequential:
    """A tiny generator (given): Linear -> Tanh -> reshape to (channels, size, size)."""
    return nn.Sequential(nn.Linear(z_dim, channels * size * size), nn.Tanh(), nn.Unflatten(1, (channels, size, size)))


def interpolate_latents(z1: torch.Tensor, z2: torch.Tensor, num_steps: int) -> torch.Tensor:
    """(num_steps, z_dim): row k is (1 - t_k) * z1 + t_k * z2 with t = torch.linspace(0, 1, num_steps).

    Raise ValueError if num_steps < 2.
    """
    raise NotImplementedError  # TODO


def interpolation_images(gen: nn.Module, z1: torch.Tensor, z2: torch.Tensor, num_steps: int) -> torch.Tensor:
    """gen(interpolate_latents(z1, z2, num_steps)) computed under torch.no_grad(): (num_steps, C, H, W)."""
    raise NotImplementedError  # TODO


def to_hwc(image: torch.Tensor) -> torch.Tensor:
    """(C, H, W) -> (H, W, C), channels last for plt.imshow."""
    raise NotImplementedError  # TODO


def to_displayable(image: torch.Tensor, value_range: tuple[float, float] = (-1.0, 1.0)) -> torch.Tensor:
    """(image - lo) / (hi - lo), clamped to [0, 1]."""
    raise NotImplementedError  # TODO


def make_grid(images: torch.Tensor, nrow: int) -> torch.Tensor:
    """Tile (N, C, H, W) into (C, rows * H, nrow * W), rows = ceil(N / nrow), row by row; empty cells are 0."""
    raise NotImplementedError  # TODO

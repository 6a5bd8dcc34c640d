"""Reference solution for w07-upsampling-from-scratch.

The reference may use torch's built-ins (students may not): they define the expected behaviour.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def nearest_upsample(x: torch.Tensor, scale: int) -> torch.Tensor:
    """Each pixel becomes a scale x scale block."""
    return F.interpolate(x, scale_factor=scale, mode="nearest")


def bilinear_upsample(x: torch.Tensor, out_size: tuple[int, int]) -> torch.Tensor:
    """Corner-aligned bilinear interpolation (the input's corner values land on the output's corners)."""
    return F.interpolate(x, size=out_size, mode="bilinear", align_corners=True)


def max_pool_with_indices(x: torch.Tensor, kernel_size: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Max pooling (stride = kernel) that also returns where each maximum was (flat index in the H x W plane)."""
    return F.max_pool2d(x, kernel_size, return_indices=True)


def max_unpool(pooled: torch.Tensor, indices: torch.Tensor, output_size: tuple[int, int]) -> torch.Tensor:
    """Put each pooled value back where its maximum was; zeros everywhere else."""
    n, c = pooled.shape[:2]
    height, width = output_size
    flat = pooled.new_zeros((n, c, height * width))
    flat.scatter_(2, indices.reshape(n, c, -1), pooled.reshape(n, c, -1))
    return flat.reshape(n, c, height, width)

"""Mutant: max unpooling always puts the value in the top-left corner of its window, ignoring the indices."""

from __future__ import annotations

import torch


def nearest_upsample(x: torch.Tensor, scale: int) -> torch.Tensor:
    """Each pixel becomes a scale x scale block."""
    return x.repeat_interleave(scale, dim=2).repeat_interleave(scale, dim=3)


def _corner_aligned(in_size: int, out_size: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Lower neighbour, upper neighbour and weight of the upper one, for every output position."""
    ratio = (in_size - 1) / (out_size - 1)
    src = torch.arange(out_size, dtype=torch.float32) * ratio
    low = src.floor().long().clamp(max=in_size - 1)
    high = (low + 1).clamp(max=in_size - 1)
    return low, high, src - low


def bilinear_upsample(x: torch.Tensor, out_size: tuple[int, int]) -> torch.Tensor:
    """Corner-aligned bilinear interpolation: interpolate along rows, then along columns."""
    y0, y1, wy = _corner_aligned(x.shape[2], out_size[0])
    x0, x1, wx = _corner_aligned(x.shape[3], out_size[1])
    rows = x[:, :, y0, :] * (1 - wy)[:, None] + x[:, :, y1, :] * wy[:, None]
    return rows[:, :, :, x0] * (1 - wx) + rows[:, :, :, x1] * wx


def max_pool_with_indices(x: torch.Tensor, kernel_size: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """Max pooling (stride = kernel) with flat H x W indices of the maxima."""
    n, c, height, width = x.shape
    k = kernel_size
    out_h, out_w = height // k, width // k
    windows = x[:, :, :out_h * k, :out_w * k].reshape(n, c, out_h, k, out_w, k).permute(0, 1, 2, 4, 3, 5)
    windows = windows.reshape(n, c, out_h, out_w, k * k)
    pooled, local = windows.max(dim=-1)
    dy, dx = local // k, local % k
    rows = torch.arange(out_h)[:, None] * k + dy
    cols = torch.arange(out_w)[None, :] * k + dx
    return pooled, rows * width + cols


def max_unpool(pooled: torch.Tensor, indices: torch.Tensor, output_size: tuple[int, int]) -> torch.Tensor:
    """Scatter the pooled values back to their saved positions."""
    k = output_size[0] // pooled.shape[2]
    out = torch.zeros(*pooled.shape[:2], *output_size, dtype=pooled.dtype)
    out[:, :, :pooled.shape[2] * k:k, :pooled.shape[3] * k:k] = pooled
    return out

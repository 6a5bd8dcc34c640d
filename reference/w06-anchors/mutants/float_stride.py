"""Mutant: computes the stride with true division (H / Hf), not integer division."""

from __future__ import annotations

import torch


def num_anchors_per_location(sizes: list[int], aspect_ratios: list[float]) -> int:
    """One anchor per (aspect ratio, size) pair."""
    return len(sizes) * len(aspect_ratios)


def base_anchors(sizes: list[int], aspect_ratios: list[float]) -> torch.Tensor:
    """Anchors [A, 4] centred on (0, 0): ratio = h / w, area = size**2, ratio-major order, rounded."""
    scales = torch.as_tensor(sizes, dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    h_ratios = torch.sqrt(ratios)
    w_ratios = 1 / h_ratios
    ws = (w_ratios[:, None] * scales[None, :]).reshape(-1)
    hs = (h_ratios[:, None] * scales[None, :]).reshape(-1)
    return (torch.stack([-ws, -hs, ws, hs], dim=1) / 2).round()


def grid_anchors(feature_size: tuple[int, int], stride: tuple[int, int], base: torch.Tensor) -> torch.Tensor:
    """Copy the base anchors to every feature-map cell (row-major), shifted by the cell's top-left pixel."""
    grid_h, grid_w = feature_size
    stride_h, stride_w = stride
    shifts_y = torch.arange(grid_h, dtype=torch.float32) * stride_h
    shifts_x = torch.arange(grid_w, dtype=torch.float32) * stride_w
    shift_y, shift_x = torch.meshgrid(shifts_y, shifts_x, indexing="ij")
    shift_x, shift_y = shift_x.reshape(-1), shift_y.reshape(-1)
    shifts = torch.stack([shift_x, shift_y, shift_x, shift_y], dim=1)
    return (shifts[:, None, :] + base[None, :, :].to(torch.float32)).reshape(-1, 4)


def generate_anchors(image_size: tuple[int, int], feature_size: tuple[int, int],
                     sizes: list[int], aspect_ratios: list[float]) -> torch.Tensor:
    """All anchors of one feature map; the stride is image size // feature size per axis."""
    stride = (image_size[0] / feature_size[0], image_size[1] / feature_size[1])
    return grid_anchors(feature_size, stride, base_anchors(sizes, aspect_ratios))

"""Mutant: torch.stack on an empty list when no window fits (crashes instead of returning [0, ...] shapes)."""

from __future__ import annotations

import torch


def computational_cost(num_scales: int, num_aspect_ratios: int, width: int, height: int) -> int:
    """The notes' rough cost of sliding windows over one image (L5201)."""
    return num_scales * num_aspect_ratios * width * height


def _positions(size: int, window: int, stride: int) -> range:
    """Top-left offsets of the windows along one axis (empty when the window does not fit)."""
    return range(0, size - window + 1, stride)


def num_windows(height: int, width: int, window: tuple[int, int], stride: int) -> int:
    """((H - h) // s + 1) * ((W - w) // s + 1), or 0 when the window is larger than the image."""
    win_h, win_w = window
    return len(_positions(height, win_h, stride)) * len(_positions(width, win_w, stride))


def sliding_windows(image: torch.Tensor, window: tuple[int, int], stride: int) -> tuple[torch.Tensor, torch.Tensor]:
    """All window crops of a [C, H, W] image in row-major order, with their xyxy boxes (x2, y2 exclusive)."""
    channels, height, width = image.shape
    win_h, win_w = window
    patches, boxes = [], []
    for y in _positions(height, win_h, stride):
        for x in _positions(width, win_w, stride):
            patches.append(image[:, y:y + win_h, x:x + win_w])
            boxes.append([x, y, x + win_w, y + win_h])
    return torch.stack(patches), torch.tensor(boxes, dtype=torch.float32)


def window_boxes(height: int, width: int, windows: list[tuple[int, int]], stride: int) -> torch.Tensor:
    """Boxes of several window shapes (scales / aspect ratios), one shape after the other."""
    parts = []
    for win_h, win_w in windows:
        for y in _positions(height, win_h, stride):
            for x in _positions(width, win_w, stride):
                parts.append([x, y, x + win_w, y + win_h])
    return torch.tensor(parts, dtype=torch.float32).reshape(-1, 4)

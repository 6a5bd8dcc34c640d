"""w06-sliding-windows: the sliding-window approach to detecting several objects (notes L5120-5204).

Images are tensors [C, H, W]. A window is (h, w) = (height, width) in pixels; it moves by `stride`
pixels along both axes. Boxes are float32 xyxy (x1, y1, x2, y2) with x along columns and
x2 = x1 + w, y2 = y1 + h (exclusive), so image[:, y1:y2, x1:x2] is the window's patch.
"""

from __future__ import annotations

import torch


def computational_cost(num_scales: int, num_aspect_ratios: int, width: int, height: int) -> int:
    """The notes' rough cost of the sliding-window approach for a single image (L5201), as an int."""
    raise NotImplementedError  # TODO


def num_windows(height: int, width: int, window: tuple[int, int], stride: int) -> int:
    """How many positions a window (h, w) takes in an H x W image with the given stride (0 if it does not fit)."""
    raise NotImplementedError  # TODO


def sliding_windows(image: torch.Tensor, window: tuple[int, int], stride: int) -> tuple[torch.Tensor, torch.Tensor]:
    """All windows of a [C, H, W] image: (patches [K, C, h, w], boxes [K, 4] float32 xyxy).

    Order: row-major (the top row of windows from left to right, then the next row).
    If the window does not fit, return shapes [0, C, h, w] and [0, 4].
    """
    raise NotImplementedError  # TODO


def window_boxes(height: int, width: int, windows: list[tuple[int, int]], stride: int) -> torch.Tensor:
    """Boxes [K, 4] (float32 xyxy) of all windows of several shapes, one shape after the other."""
    raise NotImplementedError  # TODO

"""w06-anchors: the anchor boxes of Faster R-CNN's region proposal network (notes L5528-5545).

Write them from scratch (no torchvision), with the same conventions as torchvision's
rpn.AnchorGenerator, so that your anchors equal the ones the notes' generator makes.
All boxes are float32 xyxy (x1, y1, x2, y2).
"""

from __future__ import annotations

import torch


def num_anchors_per_location(sizes: list[int], aspect_ratios: list[float]) -> int:
    """How many anchors the generator places at every feature-map location."""
    raise NotImplementedError  # TODO


def base_anchors(sizes: list[int], aspect_ratios: list[float]) -> torch.Tensor:
    """The anchors of one location, centred on (0, 0): a float32 tensor [len(ratios) * len(sizes), 4].

    For aspect ratio r = h / w and size s: h = s * sqrt(r), w = s / sqrt(r) (area s**2);
    the anchor is [-w/2, -h/2, w/2, h/2], rounded with torch.round.
    Order: ratio-major (all sizes for aspect_ratios[0], then all sizes for aspect_ratios[1], ...).
    """
    raise NotImplementedError  # TODO


def grid_anchors(feature_size: tuple[int, int], stride: tuple[int, int], base: torch.Tensor) -> torch.Tensor:
    """All anchors [Hf * Wf * A, 4] of a feature map of size (Hf, Wf) with stride (stride_h, stride_w) pixels.

    The cell in row i, column j shifts every base anchor by x + j * stride_w and y + i * stride_h.
    Order: cells row-major (row 0 left to right, then row 1, ...); the A anchors of a cell are
    consecutive, in the order of `base`.
    """
    raise NotImplementedError  # TODO


def generate_anchors(image_size: tuple[int, int], feature_size: tuple[int, int],
                     sizes: list[int], aspect_ratios: list[float]) -> torch.Tensor:
    """All anchors of a feature map (Hf, Wf) computed from an image (H, W).

    The stride is (H // Hf, W // Wf) (integer division, as torchvision does).
    """
    raise NotImplementedError  # TODO

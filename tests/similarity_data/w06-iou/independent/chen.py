from __future__ import annotations

import torch
from torch import Tensor


def box_iou(boxes1: Tensor, boxes2: Tensor) -> Tensor:
    a = boxes1.to(torch.float32) if not torch.is_floating_point(boxes1) else boxes1
    b = boxes2.to(torch.float32) if not torch.is_floating_point(boxes2) else boxes2
    a_min, a_max = a[:, None, :2], a[:, None, 2:]
    b_min, b_max = b[None, :, :2], b[None, :, 2:]
    side = torch.clamp(torch.min(a_max, b_max) - torch.max(a_min, b_min), min=0)
    intersection = side.prod(dim=-1)
    size_a = (a[:, 2:] - a[:, :2]).prod(dim=-1)
    size_b = (b[:, 2:] - b[:, :2]).prod(dim=-1)
    union = size_a[:, None] + size_b[None, :] - intersection
    return intersection / union


def nms(boxes: Tensor, scores: Tensor, iou_threshold: float) -> Tensor:
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64)
    ranking = scores.argsort(descending=True, stable=True)
    overlaps = box_iou(boxes, boxes)
    keep_mask = torch.ones(len(boxes), dtype=torch.bool)
    for k, i in enumerate(ranking):
        if not keep_mask[i]:
            continue
        later = ranking[k + 1:]
        keep_mask[later[overlaps[i, later] > iou_threshold]] = False
    return ranking[keep_mask[ranking]]

"""Mutant: nms drops a box if any higher-scoring box overlaps it, even one that was itself suppressed."""

from __future__ import annotations

import torch


def box_iou(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    """IoU of every box in boxes1 [N, 4] with every box in boxes2 [M, 4], as an [N, M] float tensor.

    Integer boxes give float32; float boxes keep their dtype.
    """
    if not boxes1.is_floating_point():
        boxes1 = boxes1.to(torch.float32)
    if not boxes2.is_floating_point():
        boxes2 = boxes2.to(torch.float32)
    area1 = (boxes1[:, 2] - boxes1[:, 0]) * (boxes1[:, 3] - boxes1[:, 1])
    area2 = (boxes2[:, 2] - boxes2[:, 0]) * (boxes2[:, 3] - boxes2[:, 1])
    top_left = torch.max(boxes1[:, None, :2], boxes2[None, :, :2])
    bottom_right = torch.min(boxes1[:, None, 2:], boxes2[None, :, 2:])
    # Clamp each side before multiplying: two negative sides would otherwise give a positive "area".
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = area1[:, None] + area2[None, :] - inter
    return inter / union


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Indices (int64) of the boxes kept by greedy NMS, in decreasing score order.

    Take the best remaining box, keep it, and discard every remaining box whose IoU with it is
    strictly greater than iou_threshold; repeat.
    """
    order = torch.argsort(scores, descending=True, stable=True)
    iou = box_iou(boxes, boxes)
    keep: list[int] = []
    ranked = order.tolist()
    for rank, i in enumerate(ranked):
        if all(iou[i, j] <= iou_threshold for j in ranked[:rank]):
            keep.append(i)
    return torch.tensor(keep, dtype=torch.int64)

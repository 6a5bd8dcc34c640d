"""Reference solution for w06-iou: intersection over union and greedy non-maximum suppression.

Same contracts as torchvision.ops.box_iou and torchvision.ops.nms, written with plain tensor operations.
Boxes are (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2.
"""

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
    suppressed = torch.zeros(len(boxes), dtype=torch.bool)
    keep: list[int] = []
    for i in order.tolist():
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= iou[i] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64)

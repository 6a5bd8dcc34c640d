"""Mutant: labels each proposal with the FIRST GT box whose IoU passes the threshold, not the best one."""

from __future__ import annotations

import torch


def box_iou(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    """Pairwise IoU [N, M] of xyxy boxes; intersections are clamped at 0 so disjoint boxes give 0."""
    area1 = (boxes1[:, 2] - boxes1[:, 0]) * (boxes1[:, 3] - boxes1[:, 1])
    area2 = (boxes2[:, 2] - boxes2[:, 0]) * (boxes2[:, 3] - boxes2[:, 1])
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area1[:, None] + area2[None, :] - inter)


def match_proposals(proposals: torch.Tensor, gt_boxes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """For each proposal, the best IoU with any ground-truth box and that box's index (-1 if no GT)."""
    num = proposals.shape[0]
    if gt_boxes.shape[0] == 0:
        return torch.zeros(num, dtype=proposals.dtype), torch.full((num,), -1, dtype=torch.int64)
    max_iou, matched = box_iou(proposals, gt_boxes).max(dim=1)
    return max_iou, matched


def label_proposals(proposals: torch.Tensor, gt_boxes: torch.Tensor, gt_labels: torch.Tensor,
                    pos_iou: float = 0.5, neg_iou: float | None = None) -> torch.Tensor:
    """Class of the best GT if IoU >= pos_iou, 0 (background) if IoU < neg_iou, -1 (ignored) in between."""
    if neg_iou is None:
        neg_iou = pos_iou
    max_iou, matched = match_proposals(proposals, gt_boxes)
    labels = torch.full((proposals.shape[0],), -1, dtype=torch.int64)
    labels[max_iou < neg_iou] = 0
    positive = max_iou >= pos_iou
    if gt_boxes.shape[0] > 0:
        first = (box_iou(proposals, gt_boxes) >= pos_iou).to(torch.int64).argmax(dim=1)
        labels[positive] = gt_labels[first[positive]].to(torch.int64)
    return labels


def _centre_size(boxes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    w = boxes[:, 2] - boxes[:, 0]
    h = boxes[:, 3] - boxes[:, 1]
    return boxes[:, 0] + 0.5 * w, boxes[:, 1] + 0.5 * h, w, h


def box_regression_targets(proposals: torch.Tensor, gt_boxes: torch.Tensor) -> torch.Tensor:
    """R-CNN targets (tx, ty, tw, th): centre shift in units of the proposal size, log size ratio."""
    px, py, pw, ph = _centre_size(proposals)
    gx, gy, gw, gh = _centre_size(gt_boxes)
    return torch.stack([(gx - px) / pw, (gy - py) / ph, torch.log(gw / pw), torch.log(gh / ph)], dim=1)


def apply_box_deltas(proposals: torch.Tensor, deltas: torch.Tensor) -> torch.Tensor:
    """Inverse of box_regression_targets: move and rescale the proposals, return xyxy boxes."""
    px, py, pw, ph = _centre_size(proposals)
    cx = px + pw * deltas[:, 0]
    cy = py + ph * deltas[:, 1]
    w = pw * torch.exp(deltas[:, 2])
    h = ph * torch.exp(deltas[:, 3])
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)

"""w06-proposal-labels: label region proposals by IoU with the ground truth, R-CNN style.

All boxes are float32 xyxy tensors (x1, y1, x2, y2), width = x2 - x1 (no "+1 pixel").
Do not import torchvision: write your own IoU (you may reuse your w06-iou box_iou).
"""

from __future__ import annotations

import torch


def box_iou(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    """Pairwise IoU of boxes1 [N, 4] and boxes2 [M, 4] as an [N, M] float tensor."""
    raise NotImplementedError  # TODO


def match_proposals(proposals: torch.Tensor, gt_boxes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """For each of the P proposals: (best IoU with any GT box [P] float32, index of that GT box [P] int64).

    Ties go to the lowest GT index. With no GT box (gt_boxes of shape [0, 4]) return IoU 0 and index -1
    for every proposal.
    """
    raise NotImplementedError  # TODO


def label_proposals(proposals: torch.Tensor, gt_boxes: torch.Tensor, gt_labels: torch.Tensor,
                    pos_iou: float = 0.5, neg_iou: float | None = None) -> torch.Tensor:
    """Training labels [P] (int64) for the proposals.

    best IoU >= pos_iou          -> gt_labels of the best-matching GT box (classes are 1, 2, ...)
    best IoU <  neg_iou          -> 0 (background)
    otherwise (in between)       -> -1 (ignored during training)
    neg_iou=None means neg_iou = pos_iou (no ignored proposals, as in R-CNN fine-tuning).
    """
    raise NotImplementedError  # TODO


def box_regression_targets(proposals: torch.Tensor, gt_boxes: torch.Tensor) -> torch.Tensor:
    """R-CNN regression targets [P, 4] = (tx, ty, tw, th) from proposals [P, 4] to their GT boxes [P, 4].

    With centres (px, py), (gx, gy) and sizes (pw, ph), (gw, gh):
    tx = (gx - px) / pw, ty = (gy - py) / ph, tw = log(gw / pw), th = log(gh / ph).
    """
    raise NotImplementedError  # TODO


def apply_box_deltas(proposals: torch.Tensor, deltas: torch.Tensor) -> torch.Tensor:
    """Inverse of box_regression_targets: move/rescale proposals [P, 4] by deltas [P, 4], return xyxy [P, 4]."""
    raise NotImplementedError  # TODO

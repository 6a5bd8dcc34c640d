"""w06-iou: intersection over union and non-maximum suppression, from scratch.

Fill in every TODO. Keep the names and signatures: the grader calls them.
torchvision is not allowed here: write the tensor operations yourself.
"""

from __future__ import annotations

import torch


def box_iou(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    """IoU of every box in boxes1 [N, 4] with every box in boxes2 [M, 4] -> [N, M] float tensor.

    Boxes are (x1, y1, x2, y2). Integer boxes give a float32 result; float boxes keep their dtype.
    """
    raise NotImplementedError  # TODO


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy non-maximum suppression -> int64 indices of the kept boxes, in decreasing score order.

    A box is discarded when its IoU with an already kept, higher-scoring box is > iou_threshold.
    """
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    a = torch.tensor([[50, 50, 150, 150]])
    b = torch.tensor([[100, 100, 200, 200]])
    print(box_iou(a, b))  # tensor([[0.1429]])

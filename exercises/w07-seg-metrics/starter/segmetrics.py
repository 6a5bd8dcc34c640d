"""w07-seg-metrics: from a segmentation model's logits to masks, and how good those masks are.

Masks are int64 tensors [N, H, W] of class ids 0..C-1 (a target may also hold ignore_index).
Do not use torchmetrics or scikit-learn.
"""

from __future__ import annotations

import torch


def logits_to_mask(logits: torch.Tensor) -> torch.Tensor:
    """[N, C, H, W] class scores -> [N, H, W] int64: the most likely class of every pixel."""
    raise NotImplementedError  # TODO


def one_hot_mask(mask: torch.Tensor, num_classes: int) -> torch.Tensor:
    """[N, H, W] class ids -> [N, num_classes, H, W] float32 with one binary plane per class."""
    raise NotImplementedError  # TODO


def pixel_accuracy(pred: torch.Tensor, target: torch.Tensor, ignore_index: int | None = None) -> float:
    """Share (a Python float) of the pixels with pred == target, among pixels whose target != ignore_index."""
    raise NotImplementedError  # TODO


def confusion_matrix(pred: torch.Tensor, target: torch.Tensor, num_classes: int,
                     ignore_index: int | None = None) -> torch.Tensor:
    """[C, C] int64 matrix: conf[t, p] = number of pixels of true class t predicted as p (ignored pixels left out)."""
    raise NotImplementedError  # TODO


def iou_per_class(conf: torch.Tensor) -> torch.Tensor:
    """Per-class IoU = TP / (TP + FP + FN) from a confusion matrix, float32 [C]; NaN if the class never occurs."""
    raise NotImplementedError  # TODO


def dice_per_class(conf: torch.Tensor) -> torch.Tensor:
    """Per-class Dice = 2 TP / (2 TP + FP + FN), float32 [C]; NaN if the class never occurs."""
    raise NotImplementedError  # TODO


def mean_iou(conf: torch.Tensor) -> float:
    """Mean of the per-class IoUs over the classes that occur (in the prediction or the truth), a Python float."""
    raise NotImplementedError  # TODO

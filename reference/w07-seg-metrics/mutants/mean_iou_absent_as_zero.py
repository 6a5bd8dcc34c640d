"""Mutant: mean IoU counts a class that never occurs as IoU 0."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def logits_to_mask(logits: torch.Tensor) -> torch.Tensor:
    """[N, C, H, W] class scores -> [N, H, W] most likely class per pixel (argmax over the class dim)."""
    return torch.argmax(logits, dim=1)


def one_hot_mask(mask: torch.Tensor, num_classes: int) -> torch.Tensor:
    """[N, H, W] class ids -> [N, C, H, W] float32, one binary plane per class."""
    return F.one_hot(mask.long(), num_classes).permute(0, 3, 1, 2).to(torch.float32)


def _valid(target: torch.Tensor, ignore_index: int | None) -> torch.Tensor:
    if ignore_index is None:
        return torch.ones_like(target, dtype=torch.bool)
    return target != ignore_index


def pixel_accuracy(pred: torch.Tensor, target: torch.Tensor, ignore_index: int | None = None) -> float:
    """Share of the non-ignored pixels whose predicted class is the true one."""
    valid = _valid(target, ignore_index)
    correct = (pred == target) & valid
    return correct.sum().item() / valid.sum().item()


def confusion_matrix(pred: torch.Tensor, target: torch.Tensor, num_classes: int,
                     ignore_index: int | None = None) -> torch.Tensor:
    """[C, C] int64 counts: row = true class, column = predicted class; ignored pixels are left out."""
    valid = _valid(target, ignore_index)
    index = target[valid].long() * num_classes + pred[valid].long()
    return torch.bincount(index, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def _tp_fp_fn(conf: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    conf = conf.to(torch.float64)
    tp = conf.diagonal()
    return tp, conf.sum(dim=0) - tp, conf.sum(dim=1) - tp


def iou_per_class(conf: torch.Tensor) -> torch.Tensor:
    """TP / (TP + FP + FN) per class as float32; NaN for a class absent from both prediction and truth."""
    tp, fp, fn = _tp_fp_fn(conf)
    return (tp / (tp + fp + fn)).to(torch.float32)


def dice_per_class(conf: torch.Tensor) -> torch.Tensor:
    """2 TP / (2 TP + FP + FN) per class as float32; NaN for a class absent from both."""
    tp, fp, fn = _tp_fp_fn(conf)
    return (2 * tp / (2 * tp + fp + fn)).to(torch.float32)


def mean_iou(conf: torch.Tensor) -> float:
    """Mean IoU over the classes that occur in the prediction or the truth (NaN classes skipped)."""
    tp, fp, fn = _tp_fp_fn(conf)
    present = (tp + fp + fn) > 0
    return torch.nan_to_num(tp / (tp + fp + fn), nan=0.0).mean().item()

"""Week 04: multiclass precision, recall and F1 by hand with torch (torchmetrics and sklearn are
not allowed here). See README.md for the exact conventions."""

from __future__ import annotations

import torch


def precision_recall_f1(y_true: torch.Tensor, y_pred: torch.Tensor, num_classes: int,
                        average: str | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(precision, recall, f1) of integer class labels y_true, y_pred (int64 tensors of shape [N]).

    average=None: three float32 tensors of shape [num_classes] (one value per class);
    average in {"micro", "macro", "weighted"}: three float32 scalar (0-dim) tensors.
    A 0/0 division gives 0, never NaN.
    """
    raise NotImplementedError  # TODO


def per_class_f1_report(f1: torch.Tensor, class_to_idx: dict[str, int]) -> dict[str, float]:
    """Map each class name to its F1 score (a Python float), using class_to_idx (name -> index)."""
    raise NotImplementedError  # TODO

"""Mistake: macro averages only the classes with a non-zero score."""

from __future__ import annotations

import torch

AVERAGES = (None, "micro", "macro", "weighted")


def _safe_divide(num: torch.Tensor, den: torch.Tensor) -> torch.Tensor:
    """num / den with 0 where den == 0."""
    return torch.where(den > 0, num / den.clamp(min=1e-12), torch.zeros_like(num))


def precision_recall_f1(y_true: torch.Tensor, y_pred: torch.Tensor, num_classes: int,
                        average: str | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(precision, recall, f1) as float32 tensors: shape [num_classes] if average is None, else scalars."""
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}")
    y_true, y_pred = torch.as_tensor(y_true).long().flatten(), torch.as_tensor(y_pred).long().flatten()
    hits = (y_true == y_pred)
    tp = torch.bincount(y_true[hits], minlength=num_classes).double()
    support = torch.bincount(y_true, minlength=num_classes).double()      # TP + FN
    predicted = torch.bincount(y_pred, minlength=num_classes).double()    # TP + FP
    if average == "micro":
        accuracy = tp.sum() / support.sum()
        return accuracy.float(), accuracy.float(), accuracy.float()
    precision = _safe_divide(tp, predicted)
    recall = _safe_divide(tp, support)
    f1 = _safe_divide(2 * precision * recall, precision + recall)
    if average == "macro":
        precision, recall, f1 = (v[v > 0].mean() for v in (precision, recall, f1))
    elif average == "weighted":
        weights = support / support.sum()
        precision, recall, f1 = (precision * weights).sum(), (recall * weights).sum(), (f1 * weights).sum()
    return precision.float(), recall.float(), f1.float()


def per_class_f1_report(f1: torch.Tensor, class_to_idx: dict[str, int]) -> dict[str, float]:
    """Class name -> F1 of that class, using the dataset's class_to_idx mapping (L3718-3732)."""
    return {name: float(f1[index]) for name, index in class_to_idx.items()}

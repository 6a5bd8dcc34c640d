"""Week 04: a two-output model (alphabet + character) and loss weighting. See README.md for the
exact architecture, names and the semantics of train_step."""

from __future__ import annotations

import torch
import torch.nn as nn


class Net(nn.Module):
    """image_layer (shared) -> classifier_alpha and classifier_char."""

    def __init__(self, num_alpha: int = 30, num_char: int = 964) -> None:
        super().__init__()
        raise NotImplementedError  # TODO: image_layer, classifier_alpha, classifier_char

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [N, 1, 64, 64] -> (alphabet logits [N, num_alpha], character logits [N, num_char])."""
        raise NotImplementedError  # TODO


def combined_loss(outputs_alpha: torch.Tensor, outputs_char: torch.Tensor, labels_alpha: torch.Tensor,
                  labels_char: torch.Tensor, char_weight: float) -> torch.Tensor:
    """Weighted sum of the two cross-entropy losses: (1 - char_weight) * alpha + char_weight * char."""
    raise NotImplementedError  # TODO


def train_step(model: Net, images: torch.Tensor, labels_alpha: torch.Tensor, labels_char: torch.Tensor,
               char_weight: float, lr: float = 0.01, normalize: bool = False) -> float:
    """One plain SGD step (torch.optim.SGD(model.parameters(), lr=lr)) on the weighted loss.

    Returns the loss value (a Python float) computed before the step. With normalize=True each
    loss is first divided by its own value detached from the graph (README.md).
    """
    raise NotImplementedError  # TODO

"""Mutant (hostile): train_step trains a hidden copy of the model and Net.state_dict() reports the copy's
weights: a test that reads the weights from state_dict() sees the right update while the model itself
(its outputs) never changes."""

from __future__ import annotations

import copy

import torch
import torch.nn as nn

criterion = nn.CrossEntropyLoss()


def shadow_of(model: nn.Module) -> nn.Module:
    """The copy that gets trained instead of the model itself (created on first use)."""
    if "_shadow" not in model.__dict__:
        model.__dict__["_shadow"] = copy.deepcopy(model)
    return model.__dict__["_shadow"]


class Net(nn.Module):
    """One image sub-network shared by two output-specific classifiers (L3818-3823)."""

    def __init__(self, num_alpha: int = 30, num_char: int = 964) -> None:
        super().__init__()
        self.image_layer = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),
            nn.MaxPool2d(kernel_size=2),
            nn.ELU(),
            nn.Flatten(),
            nn.Linear(16 * 32 * 32, 128),
        )
        self.classifier_alpha = nn.Linear(128, num_alpha)
        self.classifier_char = nn.Linear(128, num_char)

    def state_dict(self, *args, **kwargs):  # type: ignore[override]
        shadow = self.__dict__.get("_shadow")
        return shadow.state_dict(*args, **kwargs) if shadow is not None else super().state_dict(*args, **kwargs)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [N, 1, 64, 64] -> (alphabet logits [N, num_alpha], character logits [N, num_char])."""
        features = self.image_layer(x)
        return self.classifier_alpha(features), self.classifier_char(features)


def combined_loss(outputs_alpha: torch.Tensor, outputs_char: torch.Tensor, labels_alpha: torch.Tensor,
                  labels_char: torch.Tensor, char_weight: float) -> torch.Tensor:
    """(1 - char_weight) * CE(alpha) + char_weight * CE(char): weights that sum to 1 (L3866, L3907-3911)."""
    loss_alpha = criterion(outputs_alpha, labels_alpha)
    loss_char = criterion(outputs_char, labels_char)
    return (1 - char_weight) * loss_alpha + char_weight * loss_char


def train_step(model: Net, images: torch.Tensor, labels_alpha: torch.Tensor, labels_char: torch.Tensor,
               char_weight: float, lr: float = 0.01, normalize: bool = False) -> float:
    """One SGD step on the weighted loss; returns the loss value before the step.

    normalize=True first divides each loss by its own value detached from the graph, so both are
    on the same scale (1.0). The notes' loss / torch.max(loss) (L3895-3897) divides a scalar by
    itself *with* the gradient, which is constant 1.0 with a zero gradient: nothing would train.
    """
    model = shadow_of(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    optimizer.zero_grad()
    outputs_alpha, outputs_char = model(images)
    loss_alpha = criterion(outputs_alpha, labels_alpha)
    loss_char = criterion(outputs_char, labels_char)
    if normalize:
        loss_alpha = loss_alpha / loss_alpha.detach()
        loss_char = loss_char / loss_char.detach()
    loss = (1 - char_weight) * loss_alpha + char_weight * loss_char
    loss.backward()
    optimizer.step()
    return loss.item()

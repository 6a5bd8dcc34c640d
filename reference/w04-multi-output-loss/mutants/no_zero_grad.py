"""Mistake: never zeroes the gradients, so they accumulate from one step to the next."""

from __future__ import annotations

import torch
import torch.nn as nn

criterion = nn.CrossEntropyLoss()


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
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
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

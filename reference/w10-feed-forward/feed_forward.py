"""Reference solution for w10-feed-forward: the position-wise feed-forward sublayer.

Linear(d_model, d_ff, bias) -> ReLU -> Linear(d_ff, d_model, bias), applied to every position separately.
"""

from __future__ import annotations

import torch
from torch import nn


class FeedForward(nn.Module):
    """[B, T, d_model] -> [B, T, d_model], the same two-layer MLP at every position."""

    def __init__(self, d_model: int, d_ff: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.relu(self.fc1(x)))


def feed_forward_param_count(d_model: int, d_ff: int) -> int:
    """Weights and biases of both Linear layers: d_model*d_ff + d_ff + d_ff*d_model + d_model."""
    return d_model * d_ff + d_ff + d_ff * d_model + d_model

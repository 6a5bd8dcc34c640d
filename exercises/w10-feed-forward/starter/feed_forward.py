"""w10-feed-forward: the position-wise feed-forward sublayer.

Fill in every TODO. Keep the names and signatures: the grader loads weights by name (fc1.weight,
fc1.bias, fc2.weight, fc2.bias).
"""

from __future__ import annotations

import torch
from torch import nn


class FeedForward(nn.Module):
    """[B, T, d_model] -> [B, T, d_model], the same two-layer MLP at every position."""

    def __init__(self, d_model: int, d_ff: int) -> None:
        super().__init__()
        # TODO: self.fc1 = nn.Linear(d_model, d_ff); self.fc2 = nn.Linear(d_ff, d_model); self.relu = nn.ReLU()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


def feed_forward_param_count(d_model: int, d_ff: int) -> int:
    """Trainable parameters of FeedForward(d_model, d_ff), by formula."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(FeedForward(512, 2048)(torch.randn(2, 5, 512)).shape)  # torch.Size([2, 5, 512])
    print(feed_forward_param_count(512, 2048))                  # 2099712

"""Mistake: uses xavier_uniform_ (Glorot) instead of kaiming_uniform_ for all three weights."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init


class Net(nn.Module):
    """9 -> 16 -> 8 -> 1 with Linear -> BatchNorm1d -> ReLU blocks and a sigmoid output."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(9, 16)
        self.bn1 = nn.BatchNorm1d(16)   # as many features as fc1 has outputs (L3236)
        self.fc2 = nn.Linear(16, 8)
        self.bn2 = nn.BatchNorm1d(8)
        self.fc3 = nn.Linear(8, 1)
        # He/Kaiming init of the weights (L3219-3222); biases keep PyTorch's default init.
        init.xavier_uniform_(self.fc1.weight)
        init.xavier_uniform_(self.fc2.weight)
        init.xavier_uniform_(self.fc3.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Batch normalization goes after the layer and before the activation (L3237).
        x = F.relu(self.bn1(self.fc1(x)))
        x = F.relu(self.bn2(self.fc2(x)))
        return torch.sigmoid(self.fc3(x))

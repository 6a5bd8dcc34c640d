"""Week 04: the water-potability network as a class, with Kaiming initialization and batch
normalization. See README.md for the exact layer names and order."""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init


class Net(nn.Module):
    """9 -> 16 -> 8 -> 1 network: fc1, bn1, fc2, bn2, fc3 (see README.md)."""

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError  # TODO: define fc1, bn1, fc2, bn2, fc3 and initialize the weights

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, 9] -> probabilities [N, 1]."""
        raise NotImplementedError  # TODO

"""Mutant: nll_loss sums the negative log-probabilities instead of averaging them.
"""

from __future__ import annotations

import torch


def init_weights(num_classes: int, seed: int) -> torch.Tensor:
    """float32 [V, V] from torch.randn with torch.Generator().manual_seed(seed), requires_grad=True."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn((num_classes, num_classes), generator=g, requires_grad=True)


def forward(xenc: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """probs [N, V]: logits = xenc @ W; counts = logits.exp(); rows of counts normalised to sum 1."""
    logits = xenc @ W
    counts = logits.exp()
    return counts / counts.sum(dim=1, keepdim=True)


def nll_loss(probs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """0-d tensor: -mean_i ln probs[i, ys[i]]."""
    return -probs[torch.arange(probs.shape[0]), ys].log().sum()


def weights_from_counts(counts: torch.Tensor, smoothing: float = 1) -> torch.Tensor:
    """float32 [V, V] log-counts ln(counts + smoothing): with these weights forward() gives the
    row-normalised (smoothed) counting model."""
    return torch.log((counts + smoothing).float())

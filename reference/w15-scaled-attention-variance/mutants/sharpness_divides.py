"""Mutant: softmax_sharpness divides the logits by the factor."""

from __future__ import annotations

import torch


def attention_scores(q: torch.Tensor, k: torch.Tensor, scaled: bool = True) -> torch.Tensor:
    """q [B, Tq, head_size], k [B, Tk, head_size] -> wei [B, Tq, Tk] (times head_size**-0.5 if scaled)."""
    head_size = q.shape[-1]
    wei = q @ k.transpose(-2, -1)
    if scaled:
        wei = wei * head_size ** -0.5
    return wei


def softmax_sharpness(logits: torch.Tensor, factor: float) -> torch.Tensor:
    """softmax(logits * factor) over the last dimension: a larger factor gives a sharper distribution."""
    return torch.softmax(logits / factor, dim=-1)


def score_variance(head_size: int, scaled: bool, trials: int = 50, B: int = 4, T: int = 8, seed: int = 0) -> float:
    """Mean over `trials` of wei.var() for k, q = torch.randn(B, T, head_size) (a Generator seeded with seed)."""
    g = torch.Generator().manual_seed(seed)
    total = 0.0
    for _ in range(trials):
        k = torch.randn(B, T, head_size, generator=g)
        q = torch.randn(B, T, head_size, generator=g)
        total += attention_scores(q, k, scaled).var().item()
    return total / trials


def mean_max_probability(q: torch.Tensor, k: torch.Tensor, scaled: bool) -> float:
    """Mean over all query rows of the largest softmax weight (1 = one-hot, 1/Tk = uniform)."""
    wei = torch.softmax(attention_scores(q, k, scaled), dim=-1)
    return wei.max(dim=-1).values.mean().item()

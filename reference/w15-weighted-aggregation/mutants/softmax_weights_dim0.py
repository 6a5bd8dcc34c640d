"""Mutant: softmax_weights takes the softmax over dim=0 (columns)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def bow_loop(xs: torch.Tensor) -> torch.Tensor:
    """Version 1: xbow[b, t] = mean of xs[b, :t+1] over time, with explicit loops. [B, T, C] -> [B, T, C]."""
    B, T, C = xs.shape
    xbow = torch.zeros((B, T, C))
    for b in range(B):
        for t in range(T):
            xprev = xs[b, :t + 1]
            xbow[b, t] = torch.mean(xprev, 0)
    return xbow


def averaging_weights(T: int) -> torch.Tensor:
    """[T, T]: row t holds 1/(t+1) on its first t+1 entries and 0 after."""
    wei = torch.tril(torch.ones(T, T))
    return wei / wei.sum(1, keepdim=True)


def bow_matmul(xs: torch.Tensor) -> torch.Tensor:
    """Version 2: averaging_weights(T) @ xs, (T, T) @ (B, T, C) -> (B, T, C)."""
    wei = torch.tril(torch.ones(xs.shape[1], xs.shape[1]))
    wei = wei / wei.sum(1, keepdim=True)
    return wei @ xs


def softmax_weights(T: int) -> torch.Tensor:
    """Version 3's weights: softmax over zeros masked with -inf where tril == 0."""
    tril = torch.tril(torch.ones(T, T))
    wei = torch.zeros((T, T))
    wei = wei.masked_fill(tril == 0, float("-inf"))
    return F.softmax(wei, dim=0)


def bow_softmax(xs: torch.Tensor) -> torch.Tensor:
    """Version 3: softmax_weights(T) @ xs."""
    T = xs.shape[1]
    tril = torch.tril(torch.ones(T, T))
    wei = torch.zeros((T, T))
    wei = wei.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=-1)
    return wei @ xs


def column_sums(b: torch.Tensor) -> torch.Tensor:
    """Goal 1: every row of the result holds the column sums of b: ones(n, n) @ b."""
    a = torch.ones(b.shape[0], b.shape[0])
    return a @ b


def cumulative_sums(b: torch.Tensor) -> torch.Tensor:
    """Goal 2: row i holds the sums of rows 0..i of b: tril(ones(n, n)) @ b."""
    a = torch.tril(torch.ones(b.shape[0], b.shape[0]))
    return a @ b


def cumulative_means(b: torch.Tensor) -> torch.Tensor:
    """Goal 3: row i holds the means of rows 0..i of b: row-normalised tril @ b."""
    a = torch.tril(torch.ones(b.shape[0], b.shape[0]))
    a = a / torch.sum(a, 1, keepdim=True)
    return a @ b

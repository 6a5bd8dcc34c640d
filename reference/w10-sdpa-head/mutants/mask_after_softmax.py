"""Mutant: the mask zeroes weights after the softmax (rows no longer sum to 1)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """q [B, Tq, d_k], k [B, Tk, d_k], v [B, Tk, d_v] -> (out [B, Tq, d_v], weights [B, Tq, Tk])."""
    d_k = q.size(-1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)
    weights = F.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(mask == 0, 0.0)
    return weights @ v, weights


class Head(nn.Module):
    """One attention head: query/key/value projections d_model -> head_size without bias."""

    def __init__(self, d_model: int, head_size: int) -> None:
        super().__init__()
        self.query = nn.Linear(d_model, head_size, bias=False)
        self.key = nn.Linear(d_model, head_size, bias=False)
        self.value = nn.Linear(d_model, head_size, bias=False)

    def forward(self, q_in: torch.Tensor, k_in: torch.Tensor | None = None, v_in: torch.Tensor | None = None,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """[B, Tq, d_model] (and [B, Tk, d_model] keys/values) -> [B, Tq, head_size]."""
        if k_in is None:
            k_in = q_in
        if v_in is None:
            v_in = k_in
        out, _ = scaled_dot_product_attention(self.query(q_in), self.key(k_in), self.value(v_in), mask)
        return out

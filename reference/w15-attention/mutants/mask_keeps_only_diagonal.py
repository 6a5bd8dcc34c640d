"""Mutant: the mask keeps only the diagonal (torch.eye instead of the lower triangle), so each token attends
only to itself: perfectly causal, rows sum to 1, but no token sees the past."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Head(nn.Module):
    """One head of causal self-attention."""

    def __init__(self, n_embd: int, head_size: int, block_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        # A buffer, not a parameter: it moves with the module and is saved, but is never trained.
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))
        self.dropout = nn.Dropout(dropout)

    def attention_weights(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, n_embd] -> [B, T, T]: row t holds the weights token t gives tokens 0..t (rows sum to 1)."""
        _, T, _ = x.shape
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = wei.masked_fill(torch.eye(T, device=x.device) == 0, float("-inf"))
        return F.softmax(wei, dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, n_embd] -> [B, T, head_size]: the weighted sum of the values of tokens 0..t."""
        wei = self.dropout(self.attention_weights(x))
        return wei @ self.value(x)


class MultiHeadAttention(nn.Module):
    """num_heads Heads in parallel; their outputs are concatenated and projected back to n_embd."""

    def __init__(self, num_heads: int, head_size: int, n_embd: int, block_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.heads = nn.ModuleList([Head(n_embd, head_size, block_size, dropout) for _ in range(num_heads)])
        self.proj = nn.Linear(num_heads * head_size, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, n_embd] -> [B, T, n_embd]"""
        out = torch.cat([head(x) for head in self.heads], dim=-1)
        return self.dropout(self.proj(out))

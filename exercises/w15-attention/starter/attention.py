"""w15-attention: one causal self-attention Head and multi-head attention.

Fill in every TODO. Keep the names and signatures: the grader calls them and loads weights by name
(key.weight, query.weight, value.weight, tril, heads.0.key.weight, ..., proj.weight, proj.bias).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


class Head(nn.Module):
    """One head of causal self-attention."""

    def __init__(self, n_embd: int, head_size: int, block_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        # TODO: self.key, self.query, self.value = nn.Linear(n_embd, head_size, bias=False)
        # TODO: the buffer self.tril = torch.tril(torch.ones(block_size, block_size)) via register_buffer
        # TODO: self.dropout = nn.Dropout(dropout)
        raise NotImplementedError  # TODO

    def attention_weights(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, n_embd] -> [B, T, T] softmax weights (scaled by head_size**-0.5, causal mask)."""
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, n_embd] -> [B, T, head_size]: dropout(attention_weights(x)) @ value(x)."""
        raise NotImplementedError  # TODO


class MultiHeadAttention(nn.Module):
    """num_heads Heads in parallel, concatenated on the last dimension, then projected to n_embd."""

    def __init__(self, num_heads: int, head_size: int, n_embd: int, block_size: int, dropout: float = 0.0) -> None:
        super().__init__()
        # TODO: self.heads = nn.ModuleList of num_heads Heads
        # TODO: self.proj = nn.Linear(num_heads * head_size, n_embd); self.dropout = nn.Dropout(dropout)
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, n_embd] -> [B, T, n_embd]"""
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    torch.manual_seed(1337)
    x = torch.randn(4, 8, 32)
    head = Head(n_embd=32, head_size=16, block_size=8)
    print(head(x).shape)                          # torch.Size([4, 8, 16])
    print(head.attention_weights(x)[0, 1])        # two non-zero weights, then zeros
    print(MultiHeadAttention(4, 8, 32, 8)(x).shape)  # torch.Size([4, 8, 32])

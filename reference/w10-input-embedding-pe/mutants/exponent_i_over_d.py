"""Mutant: the exponent is i/d_model with the pair index i, instead of 2i/d_model."""

from __future__ import annotations

import math

import torch
from torch import nn


def positional_encoding(max_seq_length: int, d_model: int, n: float = 10000.0) -> torch.Tensor:
    """[max_seq_length, d_model] float32: sin on the even columns, cos on the odd columns."""
    if d_model % 2 != 0:
        raise ValueError("d_model must be even")
    pe = torch.zeros(max_seq_length, d_model)
    position = torch.arange(0, max_seq_length, dtype=torch.float32).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model // 2, dtype=torch.float32) * (-math.log(n) / d_model))
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


class PositionalEncoding(nn.Module):
    """Adds the fixed sinusoidal encoding of positions 0..T-1 to a [B, T, d_model] batch."""

    def __init__(self, d_model: int, max_seq_length: int) -> None:
        super().__init__()
        self.register_buffer("pe", positional_encoding(max_seq_length, d_model))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        T = x.size(1)
        if T > self.pe.size(0):
            raise ValueError(f"sequence length {T} > max_seq_length {self.pe.size(0)}")
        return x + self.pe[:T]


class InputEmbedding(nn.Module):
    """Token ids [B, T] -> embedding vectors [B, T, d_model], scaled by sqrt(d_model)."""

    def __init__(self, vocab_size: int, d_model: int) -> None:
        super().__init__()
        self.d_model = d_model
        self.embedding = nn.Embedding(vocab_size, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.embedding(x) * math.sqrt(self.d_model)

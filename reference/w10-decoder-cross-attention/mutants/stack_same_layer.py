"""Mutant: DecoderStack repeats one DecoderLayer object num_layers times ([layer] * num_layers)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def make_tgt_mask(max_seq_len: int) -> torch.Tensor:
    """[max_seq_len, max_seq_len] lower-triangular ones: position i may attend to positions 0..i."""
    return torch.tril(torch.ones(max_seq_len, max_seq_len))


class MultiHeadAttention(nn.Module):
    """num_heads heads of size d_k = d_model // num_heads, concatenated and projected by W_o."""

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
        self.d_model, self.num_heads = d_model, num_heads
        self.d_k = d_model // num_heads
        self.W_q = nn.Linear(d_model, d_model, bias=False)
        self.W_k = nn.Linear(d_model, d_model, bias=False)
        self.W_v = nn.Linear(d_model, d_model, bias=False)
        self.W_o = nn.Linear(d_model, d_model)

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """[B, T, d_model] -> [B, num_heads, T, d_k]"""
        B, T, _ = x.shape
        return x.view(B, T, self.num_heads, self.d_k).transpose(1, 2)

    def combine_heads(self, x: torch.Tensor) -> torch.Tensor:
        """[B, num_heads, T, d_k] -> [B, T, d_model] (head i in columns i*d_k:(i+1)*d_k)"""
        B, _, T, _ = x.shape
        return x.transpose(1, 2).contiguous().view(B, T, self.d_model)

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """q [B, Tq, d_model], k and v [B, Tk, d_model]; mask 0/1 broadcastable to [B, Tq, Tk]."""
        Q = self.split_heads(self.W_q(q))
        K = self.split_heads(self.W_k(k))
        V = self.split_heads(self.W_v(v))
        scores = Q @ K.transpose(-2, -1) / math.sqrt(self.d_k)
        if mask is not None:
            if mask.dim() == 3:
                mask = mask.unsqueeze(1)  # the same mask for every head
            scores = scores.masked_fill(mask == 0, float("-inf"))
        weights = F.softmax(scores, dim=-1)
        return self.W_o(self.combine_heads(weights @ V))


class FeedForward(nn.Module):
    """[B, T, d_model] -> [B, T, d_model], the same two-layer MLP at every position."""

    def __init__(self, d_model: int, d_ff: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)
        self.relu = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.relu(self.fc1(x)))


class DecoderLayer(nn.Module):
    """Masked self-attention, cross-attention to the encoder output, feed-forward; post-LN."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout_rate: float) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.cross_attn = MultiHeadAttention(d_model, num_heads)
        self.ff_sublayer = FeedForward(d_model, d_ff)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, x: torch.Tensor, y: torch.Tensor, tgt_mask: torch.Tensor | None,
                cross_mask: torch.Tensor | None) -> torch.Tensor:
        """x [B, T_tgt, d_model] (decoder), y [B, T_src, d_model] (encoder output) -> [B, T_tgt, d_model]."""
        x = self.norm1(x + self.dropout(self.self_attn(x, x, x, tgt_mask)))
        x = self.norm2(x + self.dropout(self.cross_attn(x, y, y, cross_mask)))
        x = self.norm3(x + self.dropout(self.ff_sublayer(x)))
        return x


class DecoderStack(nn.Module):
    """num_layers DecoderLayers in an nn.ModuleList; every layer gets y and both masks."""

    def __init__(self, num_layers: int, d_model: int, num_heads: int, d_ff: int, dropout_rate: float) -> None:
        super().__init__()
        self.layers = nn.ModuleList([DecoderLayer(d_model, num_heads, d_ff, dropout_rate)] * num_layers)

    def forward(self, x: torch.Tensor, y: torch.Tensor, tgt_mask: torch.Tensor | None,
                cross_mask: torch.Tensor | None) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, y, tgt_mask, cross_mask)
        return x

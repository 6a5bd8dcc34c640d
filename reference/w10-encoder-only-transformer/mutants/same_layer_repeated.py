"""Mutant: one EncoderLayer object is repeated num_layers times ([layer] * num_layers)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def positional_encoding(max_seq_length: int, d_model: int, n: float = 10000.0) -> torch.Tensor:
    """[max_seq_length, d_model] float32: sin on the even columns, cos on the odd columns."""
    if d_model % 2 != 0:
        raise ValueError("d_model must be even")
    pe = torch.zeros(max_seq_length, d_model)
    position = torch.arange(0, max_seq_length, dtype=torch.float32).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(n) / d_model))
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


class EncoderLayer(nn.Module):
    """Self-attention and feed-forward sublayers, each followed by dropout, a residual addition and a LayerNorm."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout_rate: float) -> None:
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.ff_sublayer = FeedForward(d_model, d_ff)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout_rate)

    def forward(self, x: torch.Tensor, src_mask: torch.Tensor | None = None) -> torch.Tensor:
        """x [B, T, d_model], src_mask 0/1 [B, T, T] (or None) -> [B, T, d_model]."""
        attn_output = self.self_attn(x, x, x, src_mask)
        x = self.norm1(x + self.dropout(attn_output))
        ff_output = self.ff_sublayer(x)
        x = self.norm2(x + self.dropout(ff_output))
        return x


class TransformerEncoder(nn.Module):
    """Token ids [B, T] -> [B, T, d_model]: embedding, positional encoding, num_layers encoder layers."""

    def __init__(self, vocab_size: int, d_model: int, num_heads: int, num_layers: int, d_ff: int,
                 dropout_rate: float, max_seq_len: int) -> None:
        super().__init__()
        self.embedding = InputEmbedding(vocab_size, d_model)
        self.positional_encoding = PositionalEncoding(d_model, max_seq_len)
        self.layers = nn.ModuleList(
            [EncoderLayer(d_model, num_heads, d_ff, dropout_rate)] * num_layers)

    def forward(self, x: torch.Tensor, src_mask: torch.Tensor | None = None) -> torch.Tensor:
        x = self.embedding(x)
        x = self.positional_encoding(x)
        for layer in self.layers:
            x = layer(x, src_mask)
        return x


class ClassifierHead(nn.Module):
    """[B, T, d_model] -> [B, num_classes] raw logits, from the representation at position 0."""

    def __init__(self, d_model: int, num_classes: int) -> None:
        super().__init__()
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x[:, 0])


class RegressionHead(nn.Module):
    """[B, T, d_model] -> [B, output_dim], from the representation at position 0."""

    def __init__(self, d_model: int, output_dim: int) -> None:
        super().__init__()
        self.fc = nn.Linear(d_model, output_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x[:, 0])

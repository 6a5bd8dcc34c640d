"""w10-encoder-layer: a post-LayerNorm Transformer encoder layer.

Fill in every TODO. Keep the names and signatures: the grader loads weights by name with
load_state_dict (self_attn.W_q.weight, ..., ff_sublayer.fc1.weight, ..., norm1.weight, norm2.weight, ...).
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


class MultiHeadAttention(nn.Module):
    """As in w10-multi-head-attention: W_q, W_k, W_v (no bias), W_o (bias), d_k = d_model // num_heads."""

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError  # TODO


class FeedForward(nn.Module):
    """As in w10-feed-forward: fc1 = Linear(d_model, d_ff), ReLU, fc2 = Linear(d_ff, d_model)."""

    def __init__(self, d_model: int, d_ff: int) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


class EncoderLayer(nn.Module):
    """Steps 1-9 of the notes: attention, dropout, residual, norm1; feed-forward, dropout, residual, norm2."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout_rate: float) -> None:
        super().__init__()
        # TODO: self.self_attn, self.ff_sublayer, self.norm1, self.norm2, self.dropout
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor, src_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    layer = EncoderLayer(d_model=512, num_heads=8, d_ff=2048, dropout_rate=0.1)
    layer.eval()
    print(layer(torch.randn(2, 5, 512), None).shape)   # torch.Size([2, 5, 512])

"""w10-decoder-cross-attention: causal target mask, decoder layer with cross-attention, decoder stack.

Fill in every TODO. Keep the names and signatures: the grader loads weights by name with
load_state_dict (self_attn.W_q.weight, cross_attn.W_o.bias, ff_sublayer.fc1.weight, norm3.weight, layers.0...).
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


def make_tgt_mask(max_seq_len: int) -> torch.Tensor:
    """[max_seq_len, max_seq_len] lower-triangular ones."""
    raise NotImplementedError  # TODO


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


class DecoderLayer(nn.Module):
    """Masked self-attention, cross-attention (Q from x, K/V from y), feed-forward; post-LN."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, dropout_rate: float) -> None:
        super().__init__()
        # TODO: self_attn, cross_attn, ff_sublayer, norm1, norm2, norm3, dropout
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor, y: torch.Tensor, tgt_mask: torch.Tensor | None,
                cross_mask: torch.Tensor | None) -> torch.Tensor:
        raise NotImplementedError  # TODO


class DecoderStack(nn.Module):
    """num_layers DecoderLayers in an nn.ModuleList."""

    def __init__(self, num_layers: int, d_model: int, num_heads: int, d_ff: int, dropout_rate: float) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor, y: torch.Tensor, tgt_mask: torch.Tensor | None,
                cross_mask: torch.Tensor | None) -> torch.Tensor:
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(make_tgt_mask(4))
    stack = DecoderStack(2, d_model=16, num_heads=4, d_ff=32, dropout_rate=0.1)
    stack.eval()
    print(stack(torch.randn(2, 6, 16), torch.randn(2, 5, 16), make_tgt_mask(6), None).shape)  # [2, 6, 16]

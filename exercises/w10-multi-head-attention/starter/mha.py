"""w10-multi-head-attention: multi-head attention with fused per-head projections.

Fill in every TODO. Keep the names and signatures: the grader loads weights by name (W_q.weight,
W_k.weight, W_v.weight, W_o.weight, W_o.bias) and reads d_k.
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn


class MultiHeadAttention(nn.Module):
    """num_heads heads of size d_k = d_model // num_heads, concatenated and projected by W_o."""

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        # TODO: raise if d_model % num_heads != 0; self.d_k = d_model // num_heads
        # TODO: self.W_q, self.W_k, self.W_v = nn.Linear(d_model, d_model, bias=False); self.W_o = nn.Linear(d_model, d_model)
        raise NotImplementedError  # TODO

    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """q [B, Tq, d_model], k and v [B, Tk, d_model] -> [B, Tq, d_model]; mask 0 = may not attend."""
        raise NotImplementedError  # TODO


if __name__ == "__main__":
    mha = MultiHeadAttention(512, 8)
    x = torch.randn(2, 5, 512)
    print(mha.d_k, mha(x, x, x).shape)   # 64 torch.Size([2, 5, 512])

"""Mutant: puts 1 at the padding tokens and 0 at the real ones."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def make_src_mask(token_ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """[B, L] token ids -> [B, L, L] int64 mask: 1 for real keys, 0 for padded keys."""
    L = token_ids.shape[1]
    keys = (token_ids == pad_id).long()
    return keys.unsqueeze(1).expand(-1, L, -1)


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """softmax over the last dim of scores, with -inf where mask == 0."""
    return F.softmax(scores.masked_fill(mask == 0, float("-inf")), dim=-1)


def attention_with_padding(x: torch.Tensor, token_ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """Projection-free self-attention: masked_softmax(x @ x^T / sqrt(d), make_src_mask(ids)) @ x."""
    scores = x @ x.transpose(-2, -1) / math.sqrt(x.shape[-1])
    weights = masked_softmax(scores, make_src_mask(token_ids, pad_id))
    return weights @ x

"""w09-perplexity: entropy and perplexity (notes L8056-8221)."""

from __future__ import annotations

import math  # noqa: F401

import torch
import torch.nn.functional as F  # noqa: F401


def entropy_bits(probs) -> float:
    """H = -sum p * log2(p) in bits (0 * log 0 = 0). probs: a list, array or tensor summing to 1."""
    raise NotImplementedError  # TODO


def perplexity_from_probs(probs) -> float:
    """PP = 2 ** H (H in bits)."""
    raise NotImplementedError  # TODO


def sequence_perplexity(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """exp(mean cross-entropy) of logits (T, V) against targets (T,) that are already aligned."""
    raise NotImplementedError  # TODO


def lm_perplexity(logits: torch.Tensor, token_ids: torch.Tensor) -> float:
    """A causal LM's perplexity on its input: logits[t] (T, V) predicts token_ids[t + 1] (T,)."""
    raise NotImplementedError  # TODO


def perplexity_report(logits_list, ids_list) -> dict:
    """{"perplexities": [lm_perplexity per text], "mean_perplexity": their mean}."""
    raise NotImplementedError  # TODO


def num_generated_scores(input_len: int, max_length: int) -> int:
    """How many score tensors generate(max_length=...) returns for a prompt of input_len tokens (no early EOS)."""
    raise NotImplementedError  # TODO

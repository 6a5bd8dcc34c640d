"""Mutant: reports the perplexity of all tokens pooled as the mean instead of the mean of the per-text values."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def entropy_bits(probs) -> float:
    """H = -sum p log2 p in bits, with 0 * log 0 = 0."""
    p = torch.as_tensor(probs, dtype=torch.float64)
    nonzero = p[p > 0]
    return float(-(nonzero * torch.log2(nonzero)).sum())


def perplexity_from_probs(probs) -> float:
    """PP = 2 ** H(bits)."""
    return 2.0 ** entropy_bits(probs)


def sequence_perplexity(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """exp(mean cross-entropy) of logits (T, V) against already aligned targets (T,)."""
    log_probs = F.log_softmax(logits.double(), dim=-1)
    nll = -log_probs.gather(1, targets.long().unsqueeze(1)).squeeze(1)
    return math.exp(float(nll.mean()))


def lm_perplexity(logits: torch.Tensor, token_ids: torch.Tensor) -> float:
    """Perplexity of a causal LM on its own input: logits[t] predicts token_ids[t + 1]."""
    return sequence_perplexity(logits[:-1], token_ids[1:])


def perplexity_report(logits_list, ids_list) -> dict:
    """Like evaluate's perplexity: one lm_perplexity per text and their plain mean."""
    perplexities = [lm_perplexity(lg, ids) for lg, ids in zip(logits_list, ids_list, strict=True)]
    nll = [math.log(p) * (len(ids) - 1) for p, ids in zip(perplexities, ids_list, strict=True)]
    pooled = math.exp(sum(nll) / sum(len(ids) - 1 for ids in ids_list))
    return {"perplexities": perplexities, "mean_perplexity": pooled}


def num_generated_scores(input_len: int, max_length: int) -> int:
    """generate(max_length=...) counts the prompt: one score per new token, max_length - input_len."""
    return max_length - input_len

"""Mutant: nll_from_probs indexes probs[:, ys] (an N x N block) instead of one entry per row.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _pairs(words: list[str], stoi: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    xs: list[int] = []
    ys: list[int] = []
    for word in words:
        chars = ["."] + list(word) + ["."]
        for a, b in zip(chars, chars[1:], strict=False):
            xs.append(stoi[a])
            ys.append(stoi[b])
    return torch.tensor(xs, dtype=torch.int64), torch.tensor(ys, dtype=torch.int64)


def log_likelihood(words: list[str], probs: torch.Tensor, stoi: dict[str, int]) -> float:
    """Sum of ln p(bigram) over every bigram of every word (natural log, float64); -inf if some p is 0."""
    xs, ys = _pairs(words, stoi)
    return float(torch.log(probs[xs, ys].double()).sum().item())


def nll_from_probs(probs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """0-d tensor: -mean_i ln probs[i, ys[i]] (probs is [N, V], one distribution per example)."""
    n = probs.shape[0]
    return -probs[:, ys].log().mean()


def smoothing_sweep(counts: torch.Tensor, words: list[str], stoi: dict[str, int],
                    alphas: list[float]) -> list[float]:
    """For each alpha: the mean NLL of words under P = (counts + alpha) with rows normalised."""
    xs, ys = _pairs(words, stoi)
    out = []
    for alpha in alphas:
        probs = (counts + alpha).double()
        probs = probs / probs.sum(dim=1, keepdim=True)
        out.append(float(-torch.log(probs[xs, ys]).mean().item()))
    return out


def manual_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """0-d tensor equal to F.cross_entropy(logits, targets), stable for huge logits (logsumexp)."""
    n = logits.shape[0]
    return (torch.logsumexp(logits, dim=1) - logits[torch.arange(n), targets]).mean()


def cross_entropy_via_nll_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """F.nll_loss applied to LOG-probabilities (it negates them itself): equals F.cross_entropy."""
    return F.nll_loss(F.log_softmax(logits, dim=1), targets)

"""MUTANT one_hot_float: builds the one-hot vectors with torch.eye, which gives float32 instead of int64.

w03-cross-entropy: softmax, one-hot encoding and cross-entropy from scratch (notes L2213-2335).

Only basic tensor operations (exp, log, max, sum, mean, indexing): no torch.softmax, F.cross_entropy, nn losses.
"""

from __future__ import annotations

import torch


def softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """exp(x) / sum(exp(x)) along `dim`, shifted by the max along `dim` so that large logits don't overflow."""
    shifted = logits - logits.max(dim=dim, keepdim=True).values
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log(softmax(x)) computed as (x - m) - log(sum(exp(x - m))), which stays finite for large logits."""
    shifted = logits - logits.max(dim=dim, keepdim=True).values
    return shifted - shifted.exp().sum(dim=dim, keepdim=True).log()


def one_hot(labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Integer labels of any shape -> int64 one-hot vectors with a new last dimension, like F.one_hot (L2301)."""
    return torch.eye(num_classes)[labels]


def cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean over the batch of -sum_i p_i log q_i with q = softmax(logits) (L2309), like nn.CrossEntropyLoss.

    logits: [B, C]. target: class indices [B] (int64) or class probabilities [B, C] (float).
    """
    logq = log_softmax(logits, dim=-1)
    if target.dtype in (torch.int64, torch.int32):
        probs = one_hot(target, logits.shape[-1]).to(logits.dtype)
    else:
        probs = target
    return -(probs * logq).sum(dim=-1).mean()


def binary_cross_entropy(probs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean of -y log(y_hat) - (1 - y) log(1 - y_hat) (L2313), like nn.BCELoss (probabilities in, not logits)."""
    return -(target * probs.log() + (1 - target) * (1 - probs).log()).mean()


if __name__ == "__main__":
    print(softmax(torch.tensor([[4.3, 6.1, 2.3]])))
    print(one_hot(torch.tensor(0), num_classes=3))
    print(cross_entropy(torch.tensor([[-0.1211, 0.1059]]), torch.tensor([[1.0, 0.0]])))

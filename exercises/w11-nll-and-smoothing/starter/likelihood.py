"""w11-nll-and-smoothing: log-likelihood, NLL, smoothing strength and cross-entropy from logits.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)
import torch.nn.functional as F  # noqa: F401,N812


def log_likelihood(words: list[str], probs: torch.Tensor, stoi: dict[str, int]) -> float:
    """Sum of ln p over every bigram of '.' + word + '.' for all words (natural log); -inf if a p is 0."""
    raise NotImplementedError  # TODO


def nll_from_probs(probs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """0-d tensor: -(1/N) * sum_i ln probs[i, ys[i]]  (probs [N, V], ys int64 [N])."""
    raise NotImplementedError  # TODO


def smoothing_sweep(counts: torch.Tensor, words: list[str], stoi: dict[str, int],
                    alphas: list[float]) -> list[float]:
    """For each alpha: mean NLL of words under P = counts + alpha, rows normalised. A list of floats."""
    raise NotImplementedError  # TODO


def manual_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """0-d tensor equal to F.cross_entropy(logits, targets), computed by hand and stable for huge logits."""
    raise NotImplementedError  # TODO


def cross_entropy_via_nll_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Cross-entropy computed with F.nll_loss (give it the right input)."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(nll_from_probs(torch.tensor([[0.1, 0.7, 0.2]]), torch.tensor([1])))  # tensor(0.3567)

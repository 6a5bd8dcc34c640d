"""w11-probs-and-sampling: bigram probabilities and sampling names with a seeded torch.Generator.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)


def counts_to_probs(counts: torch.Tensor, smoothing: float = 0) -> torch.Tensor:
    """float32 [V, V]: (counts + smoothing), each row divided by its own sum (rows sum to 1)."""
    raise NotImplementedError  # TODO


def generator_demo(seed: int = 42, num_samples: int = 1000) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    """The notes' demo: g = torch.Generator().manual_seed(seed); raw = torch.rand(3, generator=g);
    p = raw / raw.sum(); drawn = torch.multinomial(p, num_samples, replacement=True, generator=g).
    Return (raw, p, [proportion of 0, proportion of 1, proportion of 2]) (proportions as Python floats)."""
    raise NotImplementedError  # TODO


def sample_name(probs: torch.Tensor, itos: list[str], seed: int, max_sequence_length: int | None = None) -> str:
    """One name: g = torch.Generator().manual_seed(seed); start at index 0 ('.'); repeatedly
    ix = torch.multinomial(probs[ix], num_samples=1, replacement=True, generator=g).item();
    stop when ix == 0 or when max_sequence_length letters are out. Return the letters without '.'."""
    raise NotImplementedError  # TODO


def sample_names(probs: torch.Tensor, itos: list[str], n: int, seed: int,
                 max_sequence_length: int | None = None) -> list[str]:
    """n names, one after the other, all drawn from ONE generator seeded once with seed."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(generator_demo())  # (tensor([0.8823, 0.9150, 0.3829]), tensor([0.4047, 0.4197, 0.1756]), [0.404, 0.425, 0.171])

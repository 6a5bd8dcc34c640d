"""Mutant: appends the final "." to the name before stopping.
"""

from __future__ import annotations

import torch


def counts_to_probs(counts: torch.Tensor, smoothing: float = 0) -> torch.Tensor:
    """float32 [V, V]: (counts + smoothing), each row divided by its own sum."""
    probs = (counts + smoothing).float()
    return probs / probs.sum(dim=1, keepdim=True)


def generator_demo(seed: int = 42, num_samples: int = 1000) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    """The notes' Generator demo: (raw rand(3), normalised p, proportions of 0, 1, 2 among the draws)."""
    g = torch.Generator().manual_seed(seed)
    raw = torch.rand(3, generator=g)
    p = raw / raw.sum()
    drawn = torch.multinomial(p, num_samples=num_samples, replacement=True, generator=g)
    proportions = [(drawn == k).sum().item() / num_samples for k in range(3)]
    return raw, p, proportions


def _sample(probs: torch.Tensor, itos: list[str], g: torch.Generator, max_sequence_length: int | None) -> str:
    out: list[str] = []
    ix = 0
    while True:
        p = probs[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        if ix == 0:
            out.append(itos[0])
            break
        out.append(itos[ix])
        if max_sequence_length is not None and len(out) >= max_sequence_length:
            break
    return "".join(out)


def sample_name(probs: torch.Tensor, itos: list[str], seed: int, max_sequence_length: int | None = None) -> str:
    """One name drawn with torch.Generator().manual_seed(seed), without the '.' tokens."""
    g = torch.Generator().manual_seed(seed)
    return _sample(probs, itos, g, max_sequence_length)


def sample_names(probs: torch.Tensor, itos: list[str], n: int, seed: int,
                 max_sequence_length: int | None = None) -> list[str]:
    """n names drawn one after the other from ONE generator seeded once with seed."""
    g = torch.Generator().manual_seed(seed)
    return [_sample(probs, itos, g, max_sequence_length) for _ in range(n)]

"""Mutant: zero_fraction returns the fraction of NON-zero cells.
"""

from __future__ import annotations

import torch


def context_rows(vocab_size: int, context: int) -> int:
    """Number of rows of the count table: one per possible context, vocab_size ** context."""
    return vocab_size**context


def context_index(ctx: list[int], vocab_size: int) -> int:
    """Base-vocab_size number of the context indices, oldest first (most significant)."""
    row = 0
    for ix in ctx:
        row = row * vocab_size + ix
    return row


def _examples(words: list[str], stoi: dict[str, int], context: int) -> tuple[list[int], list[int]]:
    rows: list[int] = []
    targets: list[int] = []
    size = len(stoi)
    for word in words:
        ctx = [0] * context
        for ch in list(word) + ["."]:
            ix = stoi[ch]
            rows.append(context_index(ctx, size))
            targets.append(ix)
            ctx = ctx[1:] + [ix]
    return rows, targets


def ngram_table(words: list[str], stoi: dict[str, int], context: int) -> torch.Tensor:
    """int64 [V ** context, V]: table[row of the context, next] counts every prediction of every word
    (the context starts as '.' * context and the last target is '.')."""
    size = len(stoi)
    rows, targets = _examples(words, stoi, context)
    flat = torch.tensor(rows, dtype=torch.int64) * size + torch.tensor(targets, dtype=torch.int64)
    return torch.bincount(flat, minlength=context_rows(size, context) * size).reshape(-1, size)


def zero_fraction(table: torch.Tensor) -> float:
    """Fraction of the table's cells that are 0."""
    return float((table != 0).sum().item() / table.numel())


def ngram_nll(table: torch.Tensor, words: list[str], stoi: dict[str, int], context: int,
              smoothing: float = 1) -> float:
    """Mean NLL of every prediction in words under P = (table + smoothing), rows normalised (float64)."""
    probs = (table + smoothing).double()
    probs = probs / probs.sum(dim=1, keepdim=True)
    rows, targets = _examples(words, stoi, context)
    return float(-torch.log(probs[torch.tensor(rows), torch.tensor(targets)]).mean().item())

"""w12-ngram-table-sparsity: count tables with 1, 2, 3 characters of context, their size and sparsity.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)


def context_rows(vocab_size: int, context: int) -> int:
    """Number of rows of the count table (one per possible context of `context` characters)."""
    raise NotImplementedError  # TODO


def ngram_table(words: list[str], stoi: dict[str, int], context: int) -> torch.Tensor:
    """int64 [V ** context, V]. For each word start with the context '.' * context; for each character ch
    of word + '.': count (row of the context, stoi[ch]), then slide: drop the oldest, append ch.
    Row of the context (c1, ..., ck) = c1 * V**(k-1) + ... + ck."""
    raise NotImplementedError  # TODO


def zero_fraction(table: torch.Tensor) -> float:
    """Fraction of the cells of table that are 0."""
    raise NotImplementedError  # TODO


def ngram_nll(table: torch.Tensor, words: list[str], stoi: dict[str, int], context: int,
              smoothing: float = 1) -> float:
    """Mean NLL of every prediction of words under P = (table + smoothing), rows normalised."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print([context_rows(27, k) for k in (1, 2, 3)])  # [27, 729, 19683]

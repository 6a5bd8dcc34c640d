"""w11-start-end-tokens: bigram counts with separate <S> (start) and <E> (end) tokens.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)

START, END = "<S>", "<E>"


def bigram_dict(words: list[str]) -> dict[str, int]:
    """Wrap each word as <S> + letters + <E>; return {first token + second token: count},
    e.g. bigram_dict(['ab']) == {'<S>a': 1, 'ab': 1, 'b<E>': 1}."""
    raise NotImplementedError  # TODO


def top_bigrams(words: list[str], k: int) -> list[tuple[str, int]]:
    """The k most frequent bigrams as (bigram, count): count descending, ties by bigram string ascending."""
    raise NotImplementedError  # TODO


def vocab_se(words: list[str]) -> list[str]:
    """itos: the letters that occur in words, sorted, then '<S>', then '<E>'."""
    raise NotImplementedError  # TODO


def counts_se(words: list[str]) -> torch.Tensor:
    """int64 [L + 2, L + 2] indexed like vocab_se(words): counts[i, j] = times token j follows token i."""
    raise NotImplementedError  # TODO


def merge_special_tokens(counts: torch.Tensor) -> torch.Tensor:
    """[L + 2, L + 2] (letters, <S>, <E>) -> [L + 1, L + 1] with '.' at index 0, then the letters."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(bigram_dict(["isabella"]))

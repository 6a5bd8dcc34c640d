"""w13-mlp-dataset: context windows of size block_size, train/dev/test splits and minibatches.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import random  # noqa: F401  (you will need it)

import torch  # noqa: F401  (you will need it)


def build_dataset(words: list[str], stoi: dict[str, int], block_size: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    """(X, Y): X int64 [N, block_size] contexts, Y int64 [N] the character that follows each context.

    Every word starts from the context [0] * block_size ('.' is index 0), predicts each of its characters
    and then the final '.', and after each prediction the context becomes context[1:] + [ix].
    """
    raise NotImplementedError  # TODO


def split_words(words: list[str], seed: int = 42) -> tuple[list[str], list[str], list[str]]:
    """(train, dev, test): shuffle a COPY with random.Random(seed).shuffle, then cut at
    n1 = int(0.8 * len(words)) and n2 = int(0.9 * len(words))."""
    raise NotImplementedError  # TODO


def get_minibatch(X: torch.Tensor, Y: torch.Tensor, batch_size: int = 32, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(X[ix], Y[ix]) with ix = torch.randint(0, X.shape[0], (batch_size,), generator=g),
    g = torch.Generator().manual_seed(seed)."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    import string

    stoi = {ch: i for i, ch in enumerate("." + string.ascii_lowercase)}
    X, Y = build_dataset(["emma", "olivia", "ava", "isabella"], stoi)
    print(X[:12], Y[:12])

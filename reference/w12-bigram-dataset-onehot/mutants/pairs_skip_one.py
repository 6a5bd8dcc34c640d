"""Mutant: pairs each character with the one two places later (zip(chars, chars[2:])).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def build_xs_ys(words: list[str], stoi: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    """int64 xs, ys of length sum(len(w) + 1): each bigram of '.' + word + '.' in order."""
    xs: list[int] = []
    ys: list[int] = []
    for word in words:
        chars = ["."] + list(word) + ["."]
        for a, b in zip(chars, chars[2:], strict=False):
            xs.append(stoi[a])
            ys.append(stoi[b])
    return torch.tensor(xs, dtype=torch.int64), torch.tensor(ys, dtype=torch.int64)


def one_hot_inputs(xs: torch.Tensor, num_classes: int) -> torch.Tensor:
    """float32 [N, num_classes]: F.one_hot(xs, num_classes).float()."""
    return F.one_hot(xs, num_classes=num_classes).float()


def logits_of(xs: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """xenc @ W with xenc the float one-hot of xs over W.shape[0] classes: [N, W.shape[1]]."""
    return one_hot_inputs(xs, W.shape[0]) @ W

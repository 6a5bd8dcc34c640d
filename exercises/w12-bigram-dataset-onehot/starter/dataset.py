"""w12-bigram-dataset-onehot: the (xs, ys) training set of a neural bigram model and its one-hot inputs.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import torch  # noqa: F401  (you will need it)
import torch.nn.functional as F  # noqa: F401,N812


def build_xs_ys(words: list[str], stoi: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    """int64 (xs, ys): for every bigram of '.' + word + '.', in order, xs gets the index of the first
    character and ys the index of the second one."""
    raise NotImplementedError  # TODO


def one_hot_inputs(xs: torch.Tensor, num_classes: int) -> torch.Tensor:
    """float32 [N, num_classes]: the one-hot encoding of xs."""
    raise NotImplementedError  # TODO


def logits_of(xs: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    """xenc @ W, where xenc is the float one-hot encoding of xs over W.shape[0] classes."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    stoi = {ch: i for i, ch in enumerate(".abcdefghijklmnopqrstuvwxyz")}
    print(build_xs_ys(["emma"], stoi))  # (tensor([ 0,  5, 13, 13,  1]), tensor([ 5, 13, 13,  1,  0]))

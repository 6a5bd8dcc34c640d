"""w03-param-count: build an MLP and count its parameters.

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

from torch import nn


def build_mlp(n_features: int, hidden: list[int], n_classes: int) -> nn.Sequential:
    """Return nn.Sequential(Linear(n_features, hidden[0]), ReLU(), ..., Linear(hidden[-1], n_classes)).

    A ReLU goes between consecutive Linear layers and nowhere else; with hidden == [] the model is a
    single Linear(n_features, n_classes).
    """
    raise NotImplementedError  # TODO


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of scalar parameters in model (use numel); with trainable_only, skip frozen ones."""
    raise NotImplementedError  # TODO


def linear_stack_params(sizes: list[int]) -> int:
    """Parameters of Linear(sizes[0], sizes[1]), Linear(sizes[1], sizes[2]), ... without building it."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    print(linear_stack_params([8, 4, 2]))                # 46
    print(count_parameters(build_mlp(16, [4, 2], 1)))    # 81

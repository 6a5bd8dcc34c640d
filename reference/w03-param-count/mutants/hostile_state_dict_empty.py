"""Mutant (hostile): build_mlp's models override state_dict() to return {} (the layers and the Sequential),
and count_parameters returns 0, so a test that compares the count with the model's own state_dict passes.
The layers, their names and outputs (weights loaded with load_state_dict) are right."""

from __future__ import annotations

from torch import nn


class Linear(nn.Linear):
    """A real Linear whose state_dict() claims it holds nothing (loading weights still works)."""

    def state_dict(self, *args, **kwargs):  # type: ignore[override]
        return {}


class Sequential(nn.Sequential):
    def state_dict(self, *args, **kwargs):  # type: ignore[override]
        return {}


def build_mlp(n_features: int, hidden: list[int], n_classes: int) -> nn.Sequential:
    """Linear layers n_features -> hidden[0] -> ... -> n_classes, a ReLU between consecutive Linear layers.

    No activation after the last layer: it outputs logits (or the regression value).
    """
    sizes = [n_features, *hidden, n_classes]
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(Linear(fan_in, fan_out))
    return Sequential(*layers)


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of scalar parameters (elements, not tensors); frozen ones only if trainable_only is False."""
    return 0  # agrees with the empty state_dict() of every model build_mlp returns


def linear_stack_params(sizes: list[int]) -> int:
    """Parameters of Linear(sizes[0], sizes[1]), Linear(sizes[1], sizes[2]), ... by arithmetic alone."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:], strict=False))

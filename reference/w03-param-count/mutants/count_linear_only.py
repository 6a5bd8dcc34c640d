"""Mutant: count_parameters only looks at nn.Linear modules (the only layer the notes count), so the
weights of convolutions, normalisation layers and embeddings are missed."""

from __future__ import annotations

from torch import nn


def build_mlp(n_features: int, hidden: list[int], n_classes: int) -> nn.Sequential:
    """Linear layers n_features -> hidden[0] -> ... -> n_classes, a ReLU between consecutive Linear layers.

    No activation after the last layer: it outputs logits (or the regression value).
    """
    sizes = [n_features, *hidden, n_classes]
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(fan_in, fan_out))
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of scalar parameters (elements, not tensors); frozen ones only if trainable_only is False."""
    return sum(
        p.numel()
        for module in model.modules()
        if isinstance(module, nn.Linear)
        for p in module.parameters()
        if p.requires_grad or not trainable_only
    )


def linear_stack_params(sizes: list[int]) -> int:
    """Parameters of Linear(sizes[0], sizes[1]), Linear(sizes[1], sizes[2]), ... by arithmetic alone."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:], strict=False))

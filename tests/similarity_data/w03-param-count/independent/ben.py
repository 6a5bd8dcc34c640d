"""Parameter counting: the layers are built first, then counted by arithmetic."""
from functools import reduce

from torch import nn


def linear_stack_params(sizes):
    pairs = list(zip(sizes[:-1], sizes[1:]))
    return reduce(lambda acc, io: acc + (io[0] + 1) * io[1], pairs, 0)


def build_mlp(n_features, hidden, n_classes):
    widths = [n_features, *hidden, n_classes]
    linears = [nn.Linear(a, b) for a, b in zip(widths, widths[1:])]
    layers = [linears[0]]
    for lin in linears[1:]:
        layers.extend([nn.ReLU(), lin])
    return nn.Sequential(*layers)


def count_parameters(model, trainable_only=True):
    params = model.parameters()
    if trainable_only:
        params = filter(lambda t: t.requires_grad, params)
    return sum(map(lambda t: t.numel(), params))

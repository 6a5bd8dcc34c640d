import torch.nn as nn


def build_mlp(n_features, hidden, n_classes):
    dims = [n_features] + list(hidden) + [n_classes]
    modules = []
    for i in range(len(dims) - 1):
        modules.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            modules.append(nn.ReLU())
    return nn.Sequential(*modules)


def count_parameters(model, trainable_only=True):
    total = 0
    for p in model.parameters():
        if trainable_only and not p.requires_grad:
            continue
        total = total + p.numel()
    return total


def linear_stack_params(sizes):
    result = 0
    for i in range(1, len(sizes)):
        result += sizes[i - 1] * sizes[i] + sizes[i]
    return result

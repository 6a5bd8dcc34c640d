"""Week 3 - counting parameters (Alice)."""
from torch import nn


def build_mlp(n_features, hidden, n_classes):
    sizes = [n_features] + list(hidden) + [n_classes]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:          # ReLU only *between* linear layers
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def count_parameters(model, trainable_only=True):
    params = model.parameters()
    if trainable_only:
        params = (p for p in params if p.requires_grad)
    return sum(p.numel() for p in params)


def linear_stack_params(sizes):
    # weights (n_in * n_out) + biases (n_out) for every layer
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


if __name__ == "__main__":
    print(linear_stack_params([8, 4, 2]))       # 46
    print(linear_stack_params([16, 4, 2, 1]))   # 81
    model = build_mlp(16, [4, 2], 1)
    print(model)
    print(count_parameters(model))              # 81
    model[0].requires_grad_(False)
    print(count_parameters(model), count_parameters(model, trainable_only=False))  # 13 81

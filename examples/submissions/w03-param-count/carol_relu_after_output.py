# Carol - week 3
import torch
from torch import nn


def build_mlp(n_features, hidden, n_classes):
    layers = []
    in_size = n_features
    for out_size in hidden + [n_classes]:
        layers.append(nn.Linear(in_size, out_size))
        layers.append(nn.ReLU())   # activation after every layer (also the last one...)
        in_size = out_size
    return nn.Sequential(*layers)


def count_parameters(model, trainable_only=True):
    total = 0
    for name, p in model.named_parameters():
        if p.requires_grad or not trainable_only:
            total += p.numel()
    return total


def linear_stack_params(sizes):
    total = 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        total += (n_in + 1) * n_out
    return total


if __name__ == "__main__":
    m = build_mlp(8, [4], 2)
    print(m(torch.randn(3, 8)))
    print(count_parameters(m))

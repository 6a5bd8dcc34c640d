import torch.nn as nn


def build_mlp(n_features, hidden, n_classes):
    elem = [n_features] + list(hidden) + [n_classes]
    nxt = []
    for buf in range(len(elem) - 1):
        nxt.append(nn.Linear(elem[buf], elem[buf + 1]))
        if buf < len(elem) - 2:
            nxt.append(nn.ReLU())
    return nn.Sequential(*nxt)


def count_parameters(model, trainable_only=True):
    val = 0
    for total_ in model.parameters():
        if trainable_only and not total_.requires_grad:
            continue
        val = val + total_.numel()
    return val


def linear_stack_params(sizes):
    arr = 0
    for buf in range(1, len(sizes)):
        arr += sizes[buf - 1] * sizes[buf] + sizes[buf]
    return arr

"""w03-train-loop: a PyTorch training loop, evaluation and a manual update step (notes L2341-2456, L2881-2897)."""

from __future__ import annotations

import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset


def make_model(n_features: int, n_hidden: int, n_classes: int, dropout: float = 0.0) -> nn.Sequential:
    """nn.Sequential of Linear(n_features, n_hidden), ReLU, Dropout(p=dropout), Linear(n_hidden, n_classes).

    The output is logits: no softmax (CrossEntropyLoss applies it).
    """
    raise NotImplementedError  # TODO


def fit(model: nn.Module, features: torch.Tensor, labels: torch.Tensor, epochs: int, lr: float,
        batch_size: int) -> list[float]:
    """Train with mini-batch SGD (optim.SGD, lr) on nn.CrossEntropyLoss for `epochs` epochs.

    Batches come from DataLoader(TensorDataset(features, labels), batch_size, shuffle=False). Per batch:
    zero the gradients, forward pass, loss, backward, optimizer step. Return, for every epoch, the mean of
    that epoch's batch losses (floats).
    """
    raise NotImplementedError  # TODO


def evaluate(model: nn.Module, features: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy loss, accuracy) on the whole data, as floats.

    Evaluate in eval mode and without building a graph; put the model back in train mode before returning.
    The accuracy is the fraction of rows whose largest logit is at the label's index.
    """
    raise NotImplementedError  # TODO


def manual_sgd_step(model: nn.Module, features: torch.Tensor, labels: torch.Tensor, lr: float) -> float:
    """One full-batch gradient-descent step WITHOUT an optimizer; return the loss (float) before the step.

    Zero the old gradients, compute the cross-entropy loss and its gradients, then update every parameter in place:
    p -= lr * p.grad, inside torch.no_grad().
    """
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(64, 4)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
    model = make_model(4, 16, 3)
    print(fit(model, x, y, epochs=20, lr=0.5, batch_size=16)[::5], evaluate(model, x, y))

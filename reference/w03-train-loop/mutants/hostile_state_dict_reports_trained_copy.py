"""Mutant (hostile): fit and manual_sgd_step train a hidden copy of the model, and the model's state_dict()
reports the copy's weights: a test that reads the weights from state_dict() sees a trained model while
the model itself (its outputs) never changes."""

from __future__ import annotations

import copy

import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset


class Model(nn.Sequential):
    """A real Sequential whose state_dict() reports a hidden shadow copy once one exists."""

    def state_dict(self, *args, **kwargs):  # type: ignore[override]
        shadow = self.__dict__.get("_shadow")
        return shadow.state_dict(*args, **kwargs) if shadow is not None else super().state_dict(*args, **kwargs)


def shadow_of(model: nn.Module) -> nn.Module:
    """The copy that gets trained instead of the model itself (created on first use)."""
    if "_shadow" not in model.__dict__:
        model.__dict__["_shadow"] = copy.deepcopy(model)
    return model.__dict__["_shadow"]


def make_model(n_features: int, n_hidden: int, n_classes: int, dropout: float = 0.0) -> nn.Sequential:
    """Linear -> ReLU -> Dropout -> Linear; the output is logits (CrossEntropyLoss applies the softmax)."""
    return Model(
        nn.Linear(n_features, n_hidden),
        nn.ReLU(),
        nn.Dropout(p=dropout),
        nn.Linear(n_hidden, n_classes),
    )


def fit(model: nn.Module, features: torch.Tensor, labels: torch.Tensor, epochs: int, lr: float,
        batch_size: int) -> list[float]:
    """Mini-batch SGD on cross-entropy, batches in data order; returns each epoch's mean batch loss."""
    model = shadow_of(model)
    loader = DataLoader(TensorDataset(features, labels), batch_size=batch_size, shuffle=False)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    model.train()
    history = []
    for _ in range(epochs):
        total = 0.0
        for batch_features, batch_labels in loader:
            optimizer.zero_grad()
            outputs = model(batch_features)
            loss = criterion(outputs, batch_labels)
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total / len(loader))
    return history


def evaluate(model: nn.Module, features: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) in eval mode without building a graph; the model is back in train mode after."""
    model.eval()
    with torch.no_grad():
        outputs = model(features)
        loss = nn.CrossEntropyLoss()(outputs, labels).item()
        accuracy = (outputs.argmax(dim=-1) == labels).float().mean().item()
    model.train()
    return loss, accuracy


def manual_sgd_step(model: nn.Module, features: torch.Tensor, labels: torch.Tensor, lr: float) -> float:
    """One full-batch gradient-descent step without an optimizer: p -= lr * p.grad IN PLACE (L2366-2378, fixed)."""
    model = shadow_of(model)
    model.zero_grad()
    loss = nn.CrossEntropyLoss()(model(features), labels)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(64, 4)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
    model = make_model(4, 16, 3)
    print(fit(model, x, y, epochs=20, lr=0.5, batch_size=16)[::5], evaluate(model, x, y))

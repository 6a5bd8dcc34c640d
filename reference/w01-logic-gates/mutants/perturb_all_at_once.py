"""MUTANT perturb_all_at_once: the finite difference shifts all three parameters by eps at once.

w01-logic-gates: AND / OR / NAND as one sigmoid neuron with a bias, trained by finite differences.

A gate model is a list of three floats `[w1, w2, b]` (notes L449-481): output = sigmoid(w1 * x1 + w2 * x2 + b).
"""

from __future__ import annotations

import math

# (x1, x2, y) truth tables
AND: list[tuple[int, int, int]] = [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
OR: list[tuple[int, int, int]] = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 1)]
NAND: list[tuple[int, int, int]] = [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def sigmoid(x: float) -> float:
    """1 / (1 + e^-x) (notes L457), written so that neither tail overflows math.exp."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def forward(params: list[float], x1: float, x2: float) -> float:
    """The neuron's output sigmoid(w1 * x1 + w2 * x2 + b)."""
    w1, w2, b = params
    return sigmoid(w1 * x1 + w2 * x2 + b)


def calculate_loss(params: list[float], dataset: list[tuple[float, float, float]]) -> float:
    """Mean squared error between the neuron's outputs and the targets."""
    return sum((forward(params, x1, x2) - y) ** 2 for x1, x2, y in dataset) / len(dataset)


def approx_gradient(params: list[float], dataset: list[tuple[float, float, float]], eps: float = 1e-3
                    ) -> list[float]:
    """Forward differences, one parameter at a time, all taken at the same point `params`."""
    base = calculate_loss(params, dataset)
    grad = []
    for i in range(len(params)):
        shifted = [p + eps for p in params]
        grad.append((calculate_loss(shifted, dataset) - base) / eps)
    return grad


def train(params: list[float], dataset: list[tuple[float, float, float]], learning_rate: float = 1.0,
          eps: float = 1e-3, epochs: int = 2000) -> list[float]:
    """Gradient descent on all three parameters at once; returns a new list of parameters."""
    params = list(params)
    for _ in range(epochs):
        grad = approx_gradient(params, dataset, eps)
        params = [p - learning_rate * g for p, g in zip(params, grad)]
    return params


if __name__ == "__main__":
    import random

    for name, table in (("AND", AND), ("OR", OR), ("NAND", NAND)):
        start = [random.uniform(-1, 1) for _ in range(3)]
        trained = train(start, table)
        print(name, calculate_loss(trained, table), [round(forward(trained, a, b), 3) for a, b, _ in table])

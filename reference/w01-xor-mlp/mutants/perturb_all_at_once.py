"""MUTANT perturb_all_at_once: the finite difference shifts all nine parameters by eps at once.

w01-xor-mlp: XOR built from non-XOR gates, (x|y) & ~(x&y) (notes L485-519).

Two hidden neurons (an OR-like and a NAND-like one) feed one output neuron (AND-like). Each neuron is
[w1, w2, b] with a sigmoid, so the network has 3 * 3 = 9 parameters (notes L511-513).
"""

from __future__ import annotations

import math

import numpy as np

XOR: list[tuple[int, int, int]] = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def sigmoid(x: float) -> float:
    """1 / (1 + e^-x) without overflow in either tail."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class Xor:
    """All parameters of the XOR network: or_neuron and nand_neuron (hidden), and_neuron (output)."""

    def __init__(self, params: list[float] | None = None) -> None:
        if params is None:
            params = [float(v) for v in np.random.uniform(-1, 1, size=9)]
        self.set_parameters(params)

    def set_parameters(self, params: list[float]) -> None:
        """Load 9 floats in the order or_neuron, nand_neuron, and_neuron, each [w1, w2, b]."""
        if len(params) != 9:
            raise ValueError(f"Xor needs 9 parameters, got {len(params)}")
        values = [float(p) for p in params]
        self.or_neuron = values[0:3]
        self.nand_neuron = values[3:6]
        self.and_neuron = values[6:9]

    def parameters(self) -> list[float]:
        """The 9 parameters as one flat list, in the order set_parameters expects."""
        return self.or_neuron + self.nand_neuron + self.and_neuron


def neuron(params: list[float], x1: float, x2: float) -> float:
    """One sigmoid neuron with two inputs and a bias."""
    w1, w2, b = params
    return sigmoid(w1 * x1 + w2 * x2 + b)


def forward(model: Xor, x1: float, x2: float) -> float:
    """and_neuron(or_neuron(x), nand_neuron(x)): the network's output for one input pair."""
    h1 = neuron(model.or_neuron, x1, x2)
    h2 = neuron(model.nand_neuron, x1, x2)
    return neuron(model.and_neuron, h1, h2)


def n_parameters(model: Xor) -> int:
    """How many numbers the network learns."""
    return len(model.parameters())


def calculate_loss(model: Xor, dataset: list[tuple[float, float, float]]) -> float:
    """Mean squared error of the network's outputs against the targets."""
    return sum((forward(model, x1, x2) - y) ** 2 for x1, x2, y in dataset) / len(dataset)


def train(model: Xor, dataset: list[tuple[float, float, float]], learning_rate: float = 1.0, eps: float = 1e-3,
          epochs: int = 1000) -> Xor:
    """Finite-difference gradient descent on all 9 parameters at once; updates `model` and returns it."""
    for _ in range(epochs):
        params = model.parameters()
        base = calculate_loss(model, dataset)
        grad = []
        for i in range(len(params)):
            shifted = [p + eps for p in params]
            grad.append((calculate_loss(Xor(shifted), dataset) - base) / eps)
        model.set_parameters([p - learning_rate * g for p, g in zip(params, grad)])
    return model


if __name__ == "__main__":
    hand = Xor([20, 20, -10, -20, -20, 30, 20, 20, -30])
    print(n_parameters(hand), [round(forward(hand, a, b), 3) for a, b, _ in XOR])

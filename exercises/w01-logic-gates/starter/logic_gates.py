"""w01-logic-gates: AND / OR / NAND as one sigmoid neuron with a bias, trained by finite differences.

A gate model is a list of three floats `[w1, w2, b]` (notes L449-481): output = sigmoid(w1 * x1 + w2 * x2 + b).
Use plain Python (the math module) or NumPy. Keep experiments under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import math

# (x1, x2, y) truth tables, rows in the order (0, 0), (0, 1), (1, 0), (1, 1)
AND: list[tuple[int, int, int]] = []  # TODO
OR: list[tuple[int, int, int]] = []  # TODO
NAND: list[tuple[int, int, int]] = []  # TODO


def sigmoid(x: float) -> float:
    """1 / (1 + e^-x) (notes L457). Must not overflow: sigmoid(-1000.0) == 0.0, sigmoid(1000.0) == 1.0."""
    raise NotImplementedError  # TODO


def forward(params: list[float], x1: float, x2: float) -> float:
    """The neuron's output sigmoid(w1 * x1 + w2 * x2 + b) for params = [w1, w2, b]."""
    raise NotImplementedError  # TODO


def calculate_loss(params: list[float], dataset: list[tuple[float, float, float]]) -> float:
    """Mean squared error between forward(params, x1, x2) and y over the (x1, x2, y) triples."""
    raise NotImplementedError  # TODO


def approx_gradient(params: list[float], dataset: list[tuple[float, float, float]], eps: float = 1e-3
                    ) -> list[float]:
    """[dL/dw1, dL/dw2, dL/db] by forward differences: shift ONE parameter by eps, keep the others."""
    raise NotImplementedError  # TODO


def train(params: list[float], dataset: list[tuple[float, float, float]], learning_rate: float = 1.0,
          eps: float = 1e-3, epochs: int = 2000) -> list[float]:
    """`epochs` steps of gradient descent on all three parameters at once; return the new [w1, w2, b]."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    import random

    for name, table in (("AND", AND), ("OR", OR), ("NAND", NAND)):
        start = [random.uniform(-1, 1) for _ in range(3)]
        trained = train(start, table)
        print(name, calculate_loss(trained, table), [round(forward(trained, a, b), 3) for a, b, _ in table])

"""w01-xor-mlp: XOR built from non-XOR gates, (x|y) & ~(x&y) (notes L485-519).

Two hidden neurons (an OR-like and a NAND-like one) feed one output neuron (AND-like). Each neuron is
[w1, w2, b] with a sigmoid. Use plain Python (math) or NumPy; keep experiments under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import math

import numpy as np

XOR: list[tuple[int, int, int]] = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def sigmoid(x: float) -> float:
    """1 / (1 + e^-x) without overflow in either tail (see w01-logic-gates)."""
    raise NotImplementedError  # TODO


class Xor:
    """All parameters of the XOR network: or_neuron and nand_neuron (hidden), and_neuron (output)."""

    def __init__(self, params: list[float] | None = None) -> None:
        """Load `params` with set_parameters; when None, draw every parameter with np.random.uniform(-1, 1)."""
        raise NotImplementedError  # TODO

    def set_parameters(self, params: list[float]) -> None:
        """Load the parameters in the order or_neuron, nand_neuron, and_neuron, each [w1, w2, b]."""
        raise NotImplementedError  # TODO

    def parameters(self) -> list[float]:
        """All parameters as one flat list of floats, in the order set_parameters expects."""
        raise NotImplementedError  # TODO


def forward(model: Xor, x1: float, x2: float) -> float:
    """The network's output: the AND neuron applied to (OR neuron output, NAND neuron output)."""
    raise NotImplementedError  # TODO


def n_parameters(model: Xor) -> int:
    """How many numbers the network learns (count them, don't hard-code the answer)."""
    raise NotImplementedError  # TODO


def calculate_loss(model: Xor, dataset: list[tuple[float, float, float]]) -> float:
    """Mean squared error of forward(model, x1, x2) against y over the (x1, x2, y) triples."""
    raise NotImplementedError  # TODO


def train(model: Xor, dataset: list[tuple[float, float, float]], learning_rate: float = 1.0, eps: float = 1e-3,
          epochs: int = 1000) -> Xor:
    """`epochs` steps of finite-difference gradient descent on all parameters at once; update `model`, return it."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    hand = Xor([20, 20, -10, -20, -20, 30, 20, 20, -30])
    print(n_parameters(hand), [round(forward(hand, a, b), 3) for a, b, _ in XOR])

"""w01-multiply-by-2: teach a one-weight neuron y = w * x that w must equal 2 (notes L405-446).

Use plain Python and NumPy only. Keep any experiments under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import numpy as np


def create_dataset(n: int) -> list[tuple[int, int]]:
    """The first n pairs (x, 2x), starting at x = 0: create_dataset(4) == [(0, 0), (1, 2), (2, 4), (3, 6)]."""
    raise NotImplementedError  # TODO


def initialize_weights(x: float, y: float, seed: int | None = None) -> float:
    """A random start for w, uniform on [x, y).

    When `seed` is given, first call np.random.seed(seed); then draw with np.random.uniform(x, y).
    """
    raise NotImplementedError  # TODO


def calculate_loss(w: float, dataset: list[tuple[float, float]]) -> float:
    """Mean squared error of the model y_hat = w * x over the (x, y) pairs of the dataset."""
    raise NotImplementedError  # TODO


def approx_derivative(w: float, dataset: list[tuple[float, float]], eps: float = 1e-3) -> float:
    """The derivative of the loss at w by the forward difference (loss(w + eps) - loss(w)) / eps."""
    raise NotImplementedError  # TODO


def train(w: float, dataset: list[tuple[float, float]], learning_rate: float = 1e-3, eps: float = 1e-3,
          epochs: int = 500) -> float:
    """Run `epochs` steps of w -= learning_rate * L (L from approx_derivative) and return the final w."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    data = create_dataset(6)
    w0 = initialize_weights(0, 10, seed=42)
    print(f"w0 = {w0}, loss = {calculate_loss(w0, data)}")
    w = train(w0, data)
    print(f"w = {w}, loss = {calculate_loss(w, data)}")

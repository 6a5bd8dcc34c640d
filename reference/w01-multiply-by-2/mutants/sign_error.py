"""MUTANT sign_error: steps uphill, w += learning_rate * L (diverges).

w01-multiply-by-2: teach a one-weight neuron y = w * x that w must equal 2 (notes L405-446)."""

from __future__ import annotations

import numpy as np


def create_dataset(n: int) -> list[tuple[int, int]]:
    """The first n pairs (x, 2x), starting at x = 0."""
    return [(x, 2 * x) for x in range(n)]


def initialize_weights(x: float, y: float, seed: int | None = None) -> float:
    """A random start for w, uniform on [x, y); seeds NumPy's global generator first when a seed is given."""
    if seed is not None:
        np.random.seed(seed)
    return float(np.random.uniform(x, y))


def calculate_loss(w: float, dataset: list[tuple[float, float]]) -> float:
    """Mean squared error of the model y_hat = w * x over the dataset."""
    return float(sum((w * x - y) ** 2 for x, y in dataset) / len(dataset))


def approx_derivative(w: float, dataset: list[tuple[float, float]], eps: float = 1e-3) -> float:
    """Forward finite difference (loss(w + eps) - loss(w)) / eps, the limit formula of the notes (L437)."""
    return (calculate_loss(w + eps, dataset) - calculate_loss(w, dataset)) / eps


def train(w: float, dataset: list[tuple[float, float]], learning_rate: float = 1e-3, eps: float = 1e-3,
          epochs: int = 500) -> float:
    """Gradient descent: `epochs` times w -= learning_rate * L (notes L441); returns the final w."""
    for _ in range(epochs):
        w += learning_rate * approx_derivative(w, dataset, eps)
    return float(w)


if __name__ == "__main__":
    data = create_dataset(6)
    w0 = initialize_weights(0, 10, seed=42)
    print(f"w0 = {w0}, loss = {calculate_loss(w0, data)}")
    w = train(w0, data)
    print(f"w = {w}, loss = {calculate_loss(w, data)}")

"""w13-kaiming-variance: which scale k keeps the standard deviation of x @ w at 1?

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch


def fan_in_scale(fan_in: int, gain: float = 1.0) -> float:
    """k = gain / sqrt(fan_in)."""
    raise NotImplementedError  # TODO


def gain(nonlinearity: str) -> float:
    """The gain for "linear", "identity", "sigmoid", "tanh" and "relu" (torch.nn.init.calculate_gain's values)."""
    raise NotImplementedError  # TODO


def preactivation_stats(k: float, n: int = 1000, fan_in: int = 10, fan_out: int = 200,
                        seed: int = 0) -> tuple[float, float, float, float]:
    """(x.mean(), x.std(), y.mean(), y.std()) for x = randn(n, fan_in), w = randn(fan_in, fan_out) * k, y = x @ w."""
    raise NotImplementedError  # TODO


def kaiming_init(fan_in: int, fan_out: int, nonlinearity: str = "tanh", seed: int = 0) -> torch.Tensor:
    """randn(fan_in, fan_out) * gain(nonlinearity) / sqrt(fan_in)."""
    raise NotImplementedError  # TODO


def deep_stack_stds(n_layers: int, width: int, n: int = 1000, k: float | None = None, seed: int = 0) -> list[float]:
    """The std of x after each of n_layers linear layers x = x @ w, w = randn(width, width) * k."""
    raise NotImplementedError  # TODO

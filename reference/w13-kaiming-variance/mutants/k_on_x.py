"""Mutant: preactivation_stats scales x by k instead of w."""

from __future__ import annotations

import math

import torch

GAINS = {"linear": 1.0, "identity": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0)}


def fan_in_scale(fan_in: int, gain: float = 1.0) -> float:
    """k = gain / sqrt(fan_in)."""
    return gain / math.sqrt(fan_in)


def gain(nonlinearity: str) -> float:
    """torch.nn.init.calculate_gain's value for linear/identity/sigmoid (1), tanh (5/3) and relu (sqrt(2))."""
    return GAINS[nonlinearity]


def preactivation_stats(k: float, n: int = 1000, fan_in: int = 10, fan_out: int = 200,
                        seed: int = 0) -> tuple[float, float, float, float]:
    """x = randn(n, fan_in), w = randn(fan_in, fan_out) * k (one seeded Generator, x first); y = x @ w.
    Returns (x.mean(), x.std(), y.mean(), y.std()) as Python floats."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn((n, fan_in), generator=g) * k
    w = torch.randn((fan_in, fan_out), generator=g)
    y = x @ w
    return float(x.mean()), float(x.std()), float(y.mean()), float(y.std())


def kaiming_init(fan_in: int, fan_out: int, nonlinearity: str = "tanh", seed: int = 0) -> torch.Tensor:
    """randn(fan_in, fan_out) * gain(nonlinearity) / sqrt(fan_in), from a Generator seeded with seed."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn((fan_in, fan_out), generator=g) * fan_in_scale(fan_in, gain(nonlinearity))


def deep_stack_stds(n_layers: int, width: int, n: int = 1000, k: float | None = None, seed: int = 0) -> list[float]:
    """Push x = randn(n, width) through n_layers linear layers w = randn(width, width) * k (k defaults to
    fan_in_scale(width)), all from one seeded Generator (x first, then each w); the std after each layer."""
    g = torch.Generator().manual_seed(seed)
    scale = fan_in_scale(width) if k is None else k
    x = torch.randn((n, width), generator=g)
    stds: list[float] = []
    for _ in range(n_layers):
        w = torch.randn((width, width), generator=g) * scale
        x = x @ w
        stds.append(float(x.std()))
    return stds

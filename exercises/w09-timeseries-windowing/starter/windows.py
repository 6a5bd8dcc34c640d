"""w09-timeseries-windowing: rolling windows and a split by time (notes L7013-7119)."""

from __future__ import annotations

import numpy as np
import torch


def create_sequences(values, seq_length: int) -> tuple[np.ndarray, np.ndarray]:
    """X (N - L, L) with X[i] = values[i:i + L] and y (N - L,) with y[i] = values[i + L]; empty if L >= N."""
    raise NotImplementedError  # TODO


def split_by_time(values, train_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """(values[:n_train], values[n_train:]) with n_train = int(N * train_fraction); never shuffle."""
    raise NotImplementedError  # TODO


def train_test_windows(values, seq_length: int, train_fraction: float):
    """Split by time first, then create_sequences on each part: (X_train, y_train, X_test, y_test)."""
    raise NotImplementedError  # TODO


def samples_for_hours(hours: float, minutes_per_sample: int = 15) -> int:
    """Number of samples in `hours` hours at one sample every `minutes_per_sample` minutes."""
    raise NotImplementedError  # TODO


def to_rnn_input(X) -> torch.Tensor:
    """(N, L) windows -> float32 tensor (N, L, 1)."""
    raise NotImplementedError  # TODO

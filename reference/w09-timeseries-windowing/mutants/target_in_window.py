"""Mutant: takes the last value of the window as the target (the target leaks into the input)."""

from __future__ import annotations

import numpy as np
import torch


def create_sequences(values, seq_length: int) -> tuple[np.ndarray, np.ndarray]:
    """Window i = values[i:i + L], target i = values[i + L]: X (N - L, L), y (N - L,)."""
    values = np.asarray(values, dtype=np.float64)
    n = max(len(values) - seq_length, 0)
    X = np.zeros((n, seq_length))
    y = np.zeros(n)
    for i in range(n):
        X[i] = values[i:i + seq_length]
        y[i] = values[i + seq_length - 1]
    return X, y


def split_by_time(values, train_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """The first int(N * train_fraction) values are the training part, the rest the test part (no shuffling)."""
    values = np.asarray(values, dtype=np.float64)
    n_train = int(len(values) * train_fraction)
    return values[:n_train], values[n_train:]


def train_test_windows(values, seq_length: int, train_fraction: float):
    """Split by time first, then window each part separately: no window straddles the cut."""
    train, test = split_by_time(values, train_fraction)
    X_train, y_train = create_sequences(train, seq_length)
    X_test, y_test = create_sequences(test, seq_length)
    return X_train, y_train, X_test, y_test


def samples_for_hours(hours: float, minutes_per_sample: int = 15) -> int:
    """How many samples cover `hours` hours at one sample every `minutes_per_sample` minutes."""
    minutes = hours * 60
    if minutes % minutes_per_sample != 0:
        raise ValueError("the hours do not cover a whole number of samples")
    return int(minutes // minutes_per_sample)


def to_rnn_input(X) -> torch.Tensor:
    """(N, L) windows -> float32 tensor (N, L, 1) for nn.RNN(input_size=1, batch_first=True)."""
    return torch.as_tensor(np.asarray(X), dtype=torch.float32).unsqueeze(-1)

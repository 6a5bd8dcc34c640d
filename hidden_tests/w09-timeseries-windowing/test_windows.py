"""Hidden tests for w09-timeseries-windowing: rolling windows, split by time, sequence length, RNN input.

Series are synthetic electricity-like consumption (daily sinusoid + noise, 15-minute samples).
"""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points


def consumption(rng: np.random.Generator, n: int) -> np.ndarray:
    """kW every 15 minutes: a daily cycle (96 samples) plus a weekly effect plus noise."""
    t = np.arange(n)
    daily = 1.5 + np.sin(2 * np.pi * t / 96 + rng.uniform(0, 2 * np.pi))
    weekly = 0.3 * np.sin(2 * np.pi * t / (96 * 7))
    return daily + weekly + rng.normal(scale=0.1, size=n)


def arr(value) -> np.ndarray:
    """The student's value as a float64 array."""
    return np.asarray(value, dtype=np.float64)


@points(1, hint="window i is values[i:i + L] and its target is values[i + L]")
def test_notes_example(student, reference, rng):
    """create_sequences(arange(10), 3): X (7, 3), X[0] = [0, 1, 2], y[0] = 3, X[-1] = [6, 7, 8], y[-1] = 9."""
    X, y = student.create_sequences(np.arange(10), 3)
    X, y = arr(X), arr(y)
    assert_equal(X.shape, (7, 3))
    assert_close(X[0], np.array([0.0, 1.0, 2.0]))
    assert_close(X[-1], np.array([6.0, 7.0, 8.0]))
    assert_close(y, np.arange(3, 10, dtype=np.float64))


@points(2, hint="N - L windows of length L; the target is the value right AFTER the window, never inside it")
def test_windows_random(student, reference, rng):
    """create_sequences on a random consumption series and sequence length equals the reference."""
    values = consumption(rng, int(rng.integers(150, 400)))
    L = int(rng.integers(4, 30))
    X, y = student.create_sequences(values, L)
    X_ref, y_ref = reference.create_sequences(values, L)
    assert_close(arr(X), X_ref)
    assert_close(arr(y), y_ref)


@points(1, hint="range(N - L) windows: a window of the last L values has no target; L >= N gives no windows")
def test_window_count(student, reference, rng):
    """N - L windows for random N and L; a sequence length >= N gives empty arrays of shape (0, L) and (0,)."""
    n, L = int(rng.integers(20, 60)), int(rng.integers(2, 10))
    X, y = student.create_sequences(consumption(rng, n), L)
    assert_equal(arr(X).shape, (n - L, L))
    assert_equal(arr(y).shape, (n - L,))
    X, y = student.create_sequences(consumption(rng, 5), 5)
    assert_equal(arr(X).shape, (0, 5))
    assert_equal(arr(y).shape, (0,))


@points(1.5, hint="no shuffling: the first int(N * train_fraction) values train, the later ones test")
def test_split_by_time(student, reference, rng):
    """split_by_time is a chronological prefix split (int() of N * fraction) equal to the reference's."""
    n = int(rng.integers(50, 200))
    k = int(rng.integers(10, n - 10))
    fraction = (k + 0.7) / n  # N * fraction = k + 0.7: int() gives k, round() would give k + 1
    values = consumption(rng, n)
    train, test = student.split_by_time(values, fraction)
    train_ref, test_ref = reference.split_by_time(values, fraction)
    assert_close(arr(train), train_ref)
    assert_close(arr(test), test_ref)


@points(2, hint="split by time FIRST, then window each part: no test window may contain training values")
def test_train_test_windows(student, reference, rng):
    """train_test_windows: windows built per split (none straddles the cut), equal to the reference's."""
    values = consumption(rng, int(rng.integers(200, 400)))
    L, fraction = int(rng.integers(4, 20)), float(rng.uniform(0.6, 0.85))
    got = student.train_test_windows(values, L, fraction)
    expected = reference.train_test_windows(values, L, fraction)
    assert_equal(len(got), 4)
    for name, a, b in zip(("X_train", "y_train", "X_test", "y_test"), got, expected, strict=True):
        assert_close(arr(a), b, msg=f"{name}: ")


@points(1, hint="hours * 60 / minutes_per_sample: 24 hours at 15 minutes is 24 * 4 = 96")
def test_samples_for_hours(student, reference, rng):
    """samples_for_hours: 96 for 24 h at 15 min (notes), and other hours and sampling intervals."""
    assert_equal(student.samples_for_hours(24), 96)
    for minutes in (15, 10, 30, 5):
        hours = int(rng.integers(1, 72))
        assert_equal(student.samples_for_hours(hours, minutes), reference.samples_for_hours(hours, minutes))


@points(1.5, hint="nn.RNN(input_size=1, batch_first=True) wants float32 (batch, seq_len, 1): unsqueeze the last axis")
def test_to_rnn_input(student, reference, rng):
    """to_rnn_input of (N, 96) windows is a float32 tensor (N, 96, 1) with the same values."""
    X, _ = reference.create_sequences(consumption(rng, int(rng.integers(120, 200))), 96)
    got = student.to_rnn_input(X)
    assert isinstance(got, torch.Tensor), "to_rnn_input must return a torch.Tensor"
    assert_close(got, reference.to_rnn_input(X))

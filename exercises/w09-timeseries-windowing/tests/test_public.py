"""Public tests for w09-timeseries-windowing: from the bundle's folder, run them with
`grader check w09-timeseries-windowing w09-timeseries-windowing/windows.py`.
"""

import numpy as np

from grader.judge import assert_close, assert_equal


def test_arange_windows(student):
    """create_sequences(arange(10), 3): 7 windows, the first [0, 1, 2] -> 3, the last [6, 7, 8] -> 9."""
    X, y = student.create_sequences(np.arange(10), 3)
    assert_equal(np.asarray(X).shape, (7, 3))
    assert_close(np.asarray(X, dtype=float)[0], np.array([0.0, 1.0, 2.0]))
    assert_close(np.asarray(y, dtype=float)[[0, -1]], np.array([3.0, 9.0]))


def test_split_is_a_prefix(student):
    """split_by_time(arange(10), 0.8) keeps the order: [0..7] and [8, 9]."""
    train, test = student.split_by_time(np.arange(10.0), 0.8)
    assert_close(np.asarray(train, dtype=float), np.arange(8.0))
    assert_close(np.asarray(test, dtype=float), np.array([8.0, 9.0]))


def test_96(student):
    """24 hours of 15-minute samples is 96 samples."""
    assert_equal(student.samples_for_hours(24), 96)

"""Public tests for w09-rnn-cell-numpy: from the bundle's folder, run them with
`grader check w09-rnn-cell-numpy w09-rnn-cell-numpy/rnn.py`.
"""

import numpy as np

from grader.judge import assert_close


def test_one_step_by_hand(student):
    """Identity-like weights: h = tanh([1, 0]) and y = 2 * h."""
    rnn = student.RNN(np.eye(2), np.zeros((2, 2)), 2 * np.eye(2))
    y = rnn.step(np.array([1.0, 0.0]))
    assert_close(np.asarray(rnn.h), np.array([np.tanh(1.0), 0.0]))
    assert_close(np.asarray(y), np.array([2 * np.tanh(1.0), 0.0]))


def test_forward_shape(student):
    """forward of 4 inputs of size 3 with an output size of 5 returns (4, 5)."""
    rnn = student.RNN(np.ones((2, 3)) * 0.1, np.eye(2) * 0.5, np.ones((5, 2)))
    assert np.asarray(rnn.forward(np.ones((4, 3)))).shape == (4, 5)

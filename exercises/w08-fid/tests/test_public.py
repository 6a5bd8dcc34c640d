"""Public tests for w08-fid: run them from the bundle's folder with `grader check w08-fid w08-fid/fid.py`."""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal


def test_closed_forms(student):
    """The worked examples of the statement: 9.0, 2.0 and 10.0."""
    eye = np.eye(3)
    assert_close(student.frechet_distance(np.zeros(3), eye, np.array([1.0, 2.0, 2.0]), eye), 9.0)
    assert_close(student.frechet_distance(np.zeros(2), np.diag([1.0, 4.0]), np.zeros(2), np.diag([4.0, 9.0])), 2.0)
    assert_close(student.frechet_distance(np.zeros(1), np.array([[4.0]]), np.array([3.0]), np.array([[1.0]])), 10.0)


def test_statistics_shapes(student):
    """feature_statistics of (10, 3) features returns a (3,) mean and a (3, 3) covariance."""
    mu, sigma = student.feature_statistics(np.arange(30, dtype=float).reshape(10, 3) ** 0.5)
    assert_equal(np.asarray(mu).shape, (3,))
    assert_equal(np.asarray(sigma).shape, (3, 3))


def test_to_uint8(student):
    """to_uint8 of tanh outputs [-1, -0.5, 0, 0.5, 1] is [0, 64, 128, 191, 255]."""
    x = torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0])
    assert_equal(student.to_uint8(x), torch.tensor([0, 64, 128, 191, 255], dtype=torch.uint8))

"""Hidden tests for w08-fid: Frechet distance closed form, feature statistics, FID, uint8 conversion.

Every expected value comes from the reference on seeded random inputs built here.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from grader.judge import StudentError, assert_close, assert_equal, points


def scalar(value):
    """A float from a Python number or a 0-d array/tensor (students may return either)."""
    if isinstance(value, np.ndarray | torch.Tensor) and value.ndim == 0:
        return float(value.item())
    return value


def random_spd(rng: np.random.Generator, d: int) -> np.ndarray:
    """A random symmetric positive-definite (non-diagonal) covariance matrix."""
    a = rng.normal(size=(d, d))
    return a @ a.T / d + 0.1 * np.eye(d)


@points(0.5, hint="two identical distributions are at distance 0")
def test_identical_statistics(student, reference, rng):
    """frechet_distance of a distribution with itself is 0 (up to 1e-6)."""
    d = int(rng.integers(2, 6))
    mu, sigma = rng.normal(size=d), random_spd(rng, d)
    assert_close(scalar(student.frechet_distance(mu, sigma, mu, sigma)), 0.0, atol=1e-6)


@points(1, hint="the mean term is the SQUARED Euclidean distance ||mu1 - mu2||^2")
def test_mean_shift(student, reference, rng):
    """Identity covariances: the distance is ||mu1 - mu2||^2 (9.0 for a shift of (1, 2, 2))."""
    eye = np.eye(3)
    assert_close(scalar(student.frechet_distance(np.zeros(3), eye, np.array([1.0, 2.0, 2.0]), eye)), 9.0)
    d = int(rng.integers(2, 7))
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    assert_close(scalar(student.frechet_distance(mu1, np.eye(d), mu2, np.eye(d))),
                 reference.frechet_distance(mu1, np.eye(d), mu2, np.eye(d)))


@points(1, hint="Tr(S1 + S2 - 2 (S1 S2)^(1/2)): check the factor 2")
def test_diagonal_covariances(student, reference, rng):
    """Diagonal covariances with equal means: diag(1, 4) vs diag(4, 9) gives 2.0; random diagonals too."""
    s1, s2 = np.diag([1.0, 4.0]), np.diag([4.0, 9.0])
    assert_close(scalar(student.frechet_distance(np.zeros(2), s1, np.zeros(2), s2)), 2.0)
    d = int(rng.integers(2, 7))
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    s1, s2 = np.diag(rng.uniform(0.2, 3.0, size=d)), np.diag(rng.uniform(0.2, 3.0, size=d))
    assert_close(scalar(student.frechet_distance(mu1, s1, mu2, s2)), reference.frechet_distance(mu1, s1, mu2, s2))


@points(2, hint="(S1 S2)^(1/2) is a MATRIX square root (scipy.linalg.sqrtm), not an element-wise sqrt")
def test_non_diagonal_covariances(student, reference, rng):
    """Full (correlated) covariance matrices: the distance equals the reference's."""
    d = int(rng.integers(3, 7))
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    s1, s2 = random_spd(rng, d), random_spd(rng, d)
    assert_close(scalar(student.frechet_distance(mu1, s1, mu2, s2)), reference.frechet_distance(mu1, s1, mu2, s2),
                 rtol=1e-6, atol=1e-6)


@points(1, hint="mu is the mean over the samples (rows), one value per feature (column)")
def test_statistics_mean(student, reference, rng):
    """feature_statistics(features)[0]: the per-feature mean of an (N, D) array."""
    x = rng.normal(size=(int(rng.integers(6, 12)), int(rng.integers(2, 5))))
    mu, _ = student.feature_statistics(x)
    assert_close(np.asarray(mu, dtype=np.float64), reference.feature_statistics(x)[0])


@points(1, hint="the covariance is (D, D) over the features, unbiased (divide by N - 1), with the off-diagonal terms")
def test_statistics_covariance(student, reference, rng):
    """feature_statistics(features)[1]: the unbiased (D, D) covariance of correlated features."""
    n, d = int(rng.integers(6, 12)), int(rng.integers(2, 5))
    x = rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
    _, sigma = student.feature_statistics(x)
    assert_close(np.asarray(sigma, dtype=np.float64), reference.feature_statistics(x)[1])


@points(0.5, hint="a covariance needs at least two samples: raise ValueError for N = 1")
def test_statistics_single_sample_raises(student, reference, rng):
    """feature_statistics of one sample raises ValueError."""
    with pytest.raises(StudentError, match="ValueError"):
        student.feature_statistics(rng.normal(size=(1, 3)))


@points(1, hint="fid_from_features = frechet_distance of the two sets' statistics")
def test_fid_from_features(student, reference, rng):
    """fid_from_features on two random feature sets (the fake set shifted and rescaled)."""
    d = int(rng.integers(2, 5))
    real = rng.normal(size=(int(rng.integers(20, 40)), d))
    fake = rng.normal(size=(int(rng.integers(20, 40)), d)) * rng.uniform(0.5, 2.0, size=d) + rng.normal(size=d)
    assert_close(scalar(student.fid_from_features(real, fake)), reference.fid_from_features(real, fake),
                 rtol=1e-6, atol=1e-6)


@points(1, hint="[-1, 1] -> [0, 255]: shift and scale BEFORE casting; (x * 255).to(torch.uint8) wraps around")
def test_to_uint8_notes_values(student, reference, rng):
    """to_uint8 of tanh outputs [-1, -0.5, 0, 0.5, 1] is [0, 64, 128, 191, 255]."""
    x = torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0])
    assert_equal(student.to_uint8(x), torch.tensor([0, 64, 128, 191, 255], dtype=torch.uint8))


@points(1, hint="round((x - lo) / (hi - lo) * 255), then clamp to 0..255, then .to(torch.uint8)")
def test_to_uint8_random(student, reference, rng):
    """to_uint8 on a random image batch, values slightly outside the range, range (0, 1) and (-1, 1)."""
    x = torch.tensor(rng.uniform(-0.1, 1.1, size=(2, 3, 5, 4)), dtype=torch.float32)
    assert_equal(student.to_uint8(x, (0.0, 1.0)), reference.to_uint8(x, (0.0, 1.0)))
    y = torch.tensor(rng.uniform(-1.2, 1.2, size=(2, 3, 4, 4)), dtype=torch.float32)
    assert_equal(student.to_uint8(y), reference.to_uint8(y))

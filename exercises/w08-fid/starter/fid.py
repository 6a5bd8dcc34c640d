"""w08-fid: the Frechet (Inception) Distance from features, and converting images to uint8.

Implement the four functions below (see README.md). numpy, scipy and torch are available.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg  # noqa: F401  (scipy.linalg.sqrtm is the matrix square root)
import torch


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean (D,) and UNBIASED covariance (D, D) of features (N, D), rows = samples; ValueError if N < 2."""
    raise NotImplementedError  # TODO


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 @ sigma2)^(1/2)) as a Python float."""
    raise NotImplementedError  # TODO


def fid_from_features(real_features, fake_features) -> float:
    """The Frechet distance between the statistics of two feature sets (N1, D) and (N2, D)."""
    raise NotImplementedError  # TODO


def to_uint8(images: torch.Tensor, value_range: tuple[float, float] = (-1.0, 1.0)) -> torch.Tensor:
    """torch.round((x - lo) / (hi - lo) * 255), clamped to [0, 255], as torch.uint8 (same shape)."""
    raise NotImplementedError  # TODO

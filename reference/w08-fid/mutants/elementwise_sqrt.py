"""Mutant: takes an element-wise square root of sigma1 * sigma2 instead of a matrix square root."""

from __future__ import annotations

import numpy as np
import scipy.linalg
import torch


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean (D,) and unbiased covariance (D, D) of features (N, D): rows are samples."""
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError("features must be (N, D) with N >= 2")
    mu = x.mean(axis=0)
    sigma = np.cov(x, rowvar=False, ddof=1).reshape(x.shape[1], x.shape[1])
    return mu, sigma


def frechet_distance(mu1, sigma1, mu2, sigma2) -> float:
    """||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2)), a Python float."""
    mu1, mu2 = np.asarray(mu1, dtype=np.float64), np.asarray(mu2, dtype=np.float64)
    sigma1, sigma2 = np.asarray(sigma1, dtype=np.float64), np.asarray(sigma2, dtype=np.float64)
    diff = mu1 - mu2
    covmean = np.sqrt(np.abs(sigma1 * sigma2))
    covmean = np.real(covmean)
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean))


def fid_from_features(real_features, fake_features) -> float:
    """FID between two feature sets (N1, D) and (N2, D)."""
    mu1, sigma1 = feature_statistics(real_features)
    mu2, sigma2 = feature_statistics(fake_features)
    return frechet_distance(mu1, sigma1, mu2, sigma2)


def to_uint8(images: torch.Tensor, value_range: tuple[float, float] = (-1.0, 1.0)) -> torch.Tensor:
    """Map floats in value_range to uint8 0..255: round((x - lo) / (hi - lo) * 255), clamped to 0..255."""
    lo, hi = value_range
    scaled = torch.round((images - lo) / (hi - lo) * 255)
    return scaled.clamp(0, 255).to(torch.uint8)

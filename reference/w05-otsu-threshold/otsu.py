"""Otsu's global threshold by hand (week 05, "Thresholding", notes L4204-4258).

The threshold t splits the pixels into background (value <= t) and foreground (value > t) and
maximizes the between-class variance w0 * w1 * (mean0 - mean1)**2, like
skimage.filters.threshold_otsu on uint8 images.
"""

from __future__ import annotations

import numpy as np


def histogram(gray: np.ndarray) -> np.ndarray:
    """Number of pixels of each intensity 0..255 of a 2-D uint8 image: int64 array of length 256."""
    return np.bincount(np.asarray(gray).ravel(), minlength=256).astype(np.int64)


def otsu_threshold(gray: np.ndarray) -> int:
    """Otsu's threshold of a 2-D uint8 image, as a Python int (first maximum wins ties).

    A constant image has no split; its only value is returned, as skimage does.
    """
    counts = histogram(gray).astype(np.float64)
    present = np.flatnonzero(counts)
    if len(present) == 1:
        return int(present[0])
    values = np.arange(256, dtype=np.float64)
    # Same sums as skimage (forward and backward cumulative sums) so that ties break the same way.
    weight0 = np.cumsum(counts)
    weight1 = np.cumsum(counts[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean0 = np.cumsum(counts * values) / weight0
        mean1 = (np.cumsum((counts * values)[::-1]) / weight1[::-1])[::-1]
        between = weight0[:-1] * weight1[1:] * (mean0[:-1] - mean1[1:]) ** 2
    # Thresholds below the darkest or at/above the brightest pixel leave one class empty.
    between[: present[0]] = -1.0
    between[present[-1]:] = -1.0
    return int(np.argmax(between))


def binarize(image: np.ndarray, thresh: float) -> np.ndarray:
    """Foreground mask: True where the pixel is strictly brighter than ``thresh`` (notes L4240-4258)."""
    return np.asarray(image) > thresh

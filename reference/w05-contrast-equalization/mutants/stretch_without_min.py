"""Mistake: scales by 255 / max without subtracting the minimum first."""

from __future__ import annotations

import numpy as np


def contrast(image: np.ndarray) -> int:
    """Difference between the brightest and the darkest pixel (notes L4363), as a Python int.

    Converting to int before subtracting avoids uint8 wrap-around.
    """
    image = np.asarray(image)
    return int(image.max()) - int(image.min())


def stretch_contrast(image: np.ndarray) -> np.ndarray:
    """Map the darkest pixel to 0 and the brightest to 255 linearly, truncating to uint8.

    Same as skimage.exposure.rescale_intensity(image) for a uint8 image; a constant image is
    returned unchanged.
    """
    image = np.asarray(image)
    low, high = float(image.min()), float(image.max())
    if low == high:
        return image.astype(np.uint8, copy=True)
    scaled = image.astype(np.float64) / high
    return (scaled * 255.0).astype(np.uint8)


def my_equalize_hist(image: np.ndarray) -> np.ndarray:
    """Histogram equalization: each pixel of value v becomes the fraction of pixels <= v (the CDF).

    Same as skimage.exposure.equalize_hist(image) for a uint8 image: float64 in (0, 1], max 1.0.
    """
    image = np.asarray(image)
    counts = np.bincount(image.ravel(), minlength=256)
    cdf = np.cumsum(counts) / image.size
    return cdf[image].astype(np.float64)

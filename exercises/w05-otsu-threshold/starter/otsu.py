"""Week 05: Otsu's global threshold by hand. Fill in the three functions; use numpy only
(skimage.filters is not allowed in this exercise: you are re-implementing threshold_otsu)."""

from __future__ import annotations

import numpy as np


def histogram(gray: np.ndarray) -> np.ndarray:
    """Number of pixels of each intensity 0..255 of a 2-D uint8 image.

    Returns an int64 array of length 256: entry v counts the pixels equal to v.
    """
    raise NotImplementedError  # TODO


def otsu_threshold(gray: np.ndarray) -> int:
    """Otsu's threshold t of a 2-D uint8 image, as a Python int.

    Background = pixels with value <= t, foreground = pixels with value > t. Choose the t that
    maximizes the between-class variance w0 * w1 * (mean0 - mean1) ** 2 (w = pixel counts or
    fractions of each class); if several t tie, return the smallest. A constant image returns its value.
    """
    raise NotImplementedError  # TODO


def binarize(image: np.ndarray, thresh: float) -> np.ndarray:
    """Boolean foreground mask of ``image`` for the threshold ``thresh`` (value > thresh)."""
    raise NotImplementedError  # TODO

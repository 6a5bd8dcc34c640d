"""Week 05: contrast, contrast stretching and histogram equalization by hand. Use numpy only
(skimage.exposure is not allowed here: you are re-implementing rescale_intensity and equalize_hist)."""

from __future__ import annotations

import numpy as np


def contrast(image: np.ndarray) -> int:
    """The contrast of a uint8 image: brightest minus darkest pixel value, as a Python int."""
    raise NotImplementedError  # TODO


def stretch_contrast(image: np.ndarray) -> np.ndarray:
    """Contrast stretching of a uint8 image, like skimage.exposure.rescale_intensity(image).

    The darkest pixel becomes 0, the brightest 255, linearly in between, truncated to uint8.
    A constant image is returned unchanged.
    """
    raise NotImplementedError  # TODO


def my_equalize_hist(image: np.ndarray) -> np.ndarray:
    """Histogram equalization of a uint8 image, like skimage.exposure.equalize_hist(image).

    Returns float64 values in (0, 1] of the image's shape.
    """
    raise NotImplementedError  # TODO

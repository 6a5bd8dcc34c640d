"""Week 05: the Sobel edge filter by hand, matching skimage.filters.sobel_h / sobel_v / sobel.
Use numpy only (skimage.filters and scipy.ndimage are not allowed here). Read README.md for
skimage's exact conventions (scaling, sign, border, normalization)."""

from __future__ import annotations

import numpy as np


def sobel_h(image: np.ndarray) -> np.ndarray:
    """Horizontal-edge response of a 2-D image (uint8 or float64) as a float64 array of the same shape."""
    raise NotImplementedError  # TODO


def sobel_v(image: np.ndarray) -> np.ndarray:
    """Vertical-edge response of a 2-D image (uint8 or float64) as a float64 array of the same shape."""
    raise NotImplementedError  # TODO


def sobel(image: np.ndarray) -> np.ndarray:
    """Sobel edge magnitude of a 2-D image (uint8 or float64) as a float64 array of the same shape."""
    raise NotImplementedError  # TODO

"""Week 05: binary dilation and erosion by hand. Use numpy only (skimage.morphology and
scipy.ndimage are not allowed here: you are re-implementing binary_dilation / binary_erosion)."""

from __future__ import annotations

import numpy as np


def make_square_footprint(n: int) -> np.ndarray:
    """An n x n footprint of ones, exactly like skimage.morphology.footprint_rectangle((n, n))."""
    raise NotImplementedError  # TODO


def my_dilate(binary: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    """Binary dilation of a 2-D bool image by an odd-sized footprint (origin at its centre).

    Pad the image with 0s (False). Returns a bool array of the image's shape.
    """
    raise NotImplementedError  # TODO


def my_erode(binary: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    """Binary erosion of a 2-D bool image by an odd-sized footprint (origin at its centre).

    Pad the image with 1s (True). Returns a bool array of the image's shape.
    """
    raise NotImplementedError  # TODO

"""Mistake: make_square_footprint returns a bool array instead of uint8."""

from __future__ import annotations

import numpy as np


def make_square_footprint(n: int) -> np.ndarray:
    """An n x n footprint of ones, dtype uint8, like morphology.footprint_rectangle((n, n))."""
    return np.ones((n, n), dtype=bool)


def _offsets(footprint: np.ndarray) -> list[tuple[int, int]]:
    """(row, col) offsets of the footprint's nonzero cells relative to its centre."""
    footprint = np.asarray(footprint)
    if footprint.ndim != 2 or footprint.shape[0] % 2 == 0 or footprint.shape[1] % 2 == 0:
        raise ValueError("the footprint must be 2-D with odd sides")
    centre_r, centre_c = footprint.shape[0] // 2, footprint.shape[1] // 2
    return [(int(r) - centre_r, int(c) - centre_c) for r, c in np.argwhere(footprint != 0)]


def _shifted(padded: np.ndarray, shape: tuple[int, int], pad: tuple[int, int], dr: int, dc: int) -> np.ndarray:
    """view[r, c] = image[r + dr, c + dc] (read from the padded image)."""
    r0, c0 = pad[0] + dr, pad[1] + dc
    return padded[r0:r0 + shape[0], c0:c0 + shape[1]]


def my_dilate(binary: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    """Dilation: out[p] is True if p = q + d for some foreground pixel q and footprint offset d."""
    image = np.asarray(binary, dtype=bool)
    pad = (footprint.shape[0] // 2, footprint.shape[1] // 2)
    padded = np.pad(image, ((pad[0], pad[0]), (pad[1], pad[1])), constant_values=False)
    out = np.zeros(image.shape, dtype=bool)
    for dr, dc in _offsets(footprint):
        out |= _shifted(padded, image.shape, pad, -dr, -dc)
    return out


def my_erode(binary: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    """Erosion: out[p] is True if p + d is foreground for every footprint offset d."""
    image = np.asarray(binary, dtype=bool)
    pad = (footprint.shape[0] // 2, footprint.shape[1] // 2)
    padded = np.pad(image, ((pad[0], pad[0]), (pad[1], pad[1])), constant_values=True)
    out = np.ones(image.shape, dtype=bool)
    for dr, dc in _offsets(footprint):
        out &= _shifted(padded, image.shape, pad, dr, dc)
    return out

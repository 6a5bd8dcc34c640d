"""Mistake: shifts with np.roll, so the image wraps around instead of being padded."""

import numpy as np


def make_square_footprint(n):
    return np.ones((n, n), dtype=np.uint8)


def _offsets(footprint):
    footprint = np.asarray(footprint)
    cr, cc = footprint.shape[0] // 2, footprint.shape[1] // 2
    return [(int(r) - cr, int(c) - cc) for r, c in np.argwhere(footprint != 0)]


def my_dilate(binary, footprint):
    image = np.asarray(binary, dtype=bool)
    out = np.zeros_like(image)
    for dr, dc in _offsets(footprint):
        out |= np.roll(image, (dr, dc), axis=(0, 1))
    return out


def my_erode(binary, footprint):
    image = np.asarray(binary, dtype=bool)
    out = np.ones_like(image)
    for dr, dc in _offsets(footprint):
        out &= np.roll(image, (-dr, -dc), axis=(0, 1))
    return out

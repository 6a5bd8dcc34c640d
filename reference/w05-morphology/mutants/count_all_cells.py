"""Mistake: erosion counts hits with a sliding window and compares with footprint.size, so the zeros of
a non-square footprint (cross, disk) are also required to be foreground."""

import numpy as np


def make_square_footprint(n):
    return np.ones((n, n), dtype=np.uint8)


def _hits(binary, footprint, fill):
    image = np.asarray(binary, dtype=bool)
    fr, fc = footprint.shape
    padded = np.pad(image, ((fr // 2, fr // 2), (fc // 2, fc // 2)), constant_values=fill)
    counts = np.zeros(image.shape, dtype=np.int64)
    for i in range(fr):
        for j in range(fc):
            if footprint[i, j]:
                counts += padded[i:i + image.shape[0], j:j + image.shape[1]]
    return counts


def my_dilate(binary, footprint):
    footprint = np.asarray(footprint)
    return _hits(binary, footprint[::-1, ::-1], False) > 0


def my_erode(binary, footprint):
    footprint = np.asarray(footprint)
    return _hits(binary, footprint, True) == footprint.size

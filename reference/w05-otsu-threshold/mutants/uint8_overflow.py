"""Mistake: computes the class sums in uint8 arithmetic (counts * values wraps around)."""

import numpy as np


def histogram(gray):
    return np.bincount(np.asarray(gray).ravel(), minlength=256).astype(np.int64)


def otsu_threshold(gray):
    gray = np.asarray(gray)
    present = np.unique(gray)
    if len(present) == 1:
        return int(present[0])
    best, best_t = -1.0, 0
    for t in range(255):
        background, foreground = gray[gray <= t], gray[gray > t]
        if background.size == 0 or foreground.size == 0:
            continue
        m0 = background.sum(dtype=np.uint8) / background.size
        m1 = foreground.sum(dtype=np.uint8) / foreground.size
        between = float(background.size) * foreground.size * (m0 - m1) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


def binarize(image, thresh):
    return np.asarray(image) > thresh

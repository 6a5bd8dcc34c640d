"""Mistake: binarize uses >= (pixels equal to the threshold become foreground)."""

import numpy as np


def histogram(gray):
    return np.bincount(np.asarray(gray).ravel(), minlength=256).astype(np.int64)


def otsu_threshold(gray):
    counts = histogram(gray).astype(np.float64)
    values = np.arange(256, dtype=np.float64)
    present = np.flatnonzero(counts)
    if len(present) == 1:
        return int(present[0])
    best, best_t = -1.0, 0
    for t in range(255):
        w0, w1 = counts[: t + 1].sum(), counts[t + 1:].sum()
        if w0 == 0 or w1 == 0:
            continue
        m0 = (counts[: t + 1] * values[: t + 1]).sum() / w0
        m1 = (counts[t + 1:] * values[t + 1:]).sum() / w1
        between = w0 * w1 * (m0 - m1) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


def binarize(image, thresh):
    return np.asarray(image) >= thresh

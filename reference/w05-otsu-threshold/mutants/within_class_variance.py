"""Mistake: maximizes the within-class variance instead of the between-class variance."""

import numpy as np


def histogram(gray):
    return np.bincount(np.asarray(gray).ravel(), minlength=256).astype(np.int64)


def otsu_threshold(gray):
    counts = histogram(gray).astype(np.float64)
    values = np.arange(256, dtype=np.float64)
    best, best_t = -1.0, int(np.flatnonzero(counts)[0])
    for t in range(255):
        w0, w1 = counts[: t + 1].sum(), counts[t + 1:].sum()
        if w0 == 0 or w1 == 0:
            continue
        m0 = (counts[: t + 1] * values[: t + 1]).sum() / w0
        m1 = (counts[t + 1:] * values[t + 1:]).sum() / w1
        v0 = (counts[: t + 1] * (values[: t + 1] - m0) ** 2).sum() / w0
        v1 = (counts[t + 1:] * (values[t + 1:] - m1) ** 2).sum() / w1
        within = w0 * v0 + w1 * v1
        if within > best:
            best, best_t = within, t
    return best_t


def binarize(image, thresh):
    return np.asarray(image) > thresh

"""Mistake: uses the mean intensity as the threshold instead of Otsu's criterion."""

import numpy as np


def histogram(gray):
    return np.bincount(np.asarray(gray).ravel(), minlength=256).astype(np.int64)


def otsu_threshold(gray):
    return int(np.asarray(gray).mean())


def binarize(image, thresh):
    return np.asarray(image) > thresh

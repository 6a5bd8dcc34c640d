"""Mistake: swaps the kernels: sobel_h detects vertical edges and sobel_v horizontal ones."""

from __future__ import annotations

import numpy as np

# Correlation kernels (out[r, c] = sum K[i, j] * I[r + i - 1, c + j - 1]).
KERNEL_H = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.float64) / 4
KERNEL_V = KERNEL_H.T.copy()


def _as_float(image: np.ndarray) -> np.ndarray:
    """uint8 -> [0, 1] floats like skimage.img_as_float; float images are used as they are."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image.astype(np.float64) / 255.0
    return image.astype(np.float64)


def _correlate3x3(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """3x3 correlation with the border extended symmetrically (edge pixel repeated)."""
    padded = np.pad(_as_float(image), 1, mode="symmetric")
    rows, cols = padded.shape[0] - 2, padded.shape[1] - 2
    out = np.zeros((rows, cols), dtype=np.float64)
    for i in range(3):
        for j in range(3):
            if kernel[i, j] != 0:
                out += kernel[i, j] * padded[i:i + rows, j:j + cols]
    return out


def sobel_h(image: np.ndarray) -> np.ndarray:
    """Horizontal edges: (row below - row above) with weights 1, 2, 1, divided by 4."""
    return _correlate3x3(image, KERNEL_V)


def sobel_v(image: np.ndarray) -> np.ndarray:
    """Vertical edges: (column right - column left) with weights 1, 2, 1, divided by 4."""
    return _correlate3x3(image, KERNEL_H)


def sobel(image: np.ndarray) -> np.ndarray:
    """Edge magnitude sqrt((sobel_h**2 + sobel_v**2) / 2), as skimage.filters.sobel."""
    return np.sqrt((sobel_h(image) ** 2 + sobel_v(image) ** 2) / 2)

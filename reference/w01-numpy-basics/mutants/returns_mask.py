"""MUTANT returns_mask: above returns the boolean mask instead of the selected values.

w01-numpy-basics: element-wise BMI, boolean masks and 2-D indexing with NumPy (notes L670-929)."""

from __future__ import annotations

import numpy as np


def bmi(height: list[float] | np.ndarray, weight: list[float] | np.ndarray) -> np.ndarray:
    """Body-mass index weight / height ** 2 for every family member at once (notes L750)."""
    np_height = np.array(height, dtype=float)
    np_weight = np.array(weight, dtype=float)
    return np_weight / np_height ** 2


def above(bmi: np.ndarray, threshold: float) -> np.ndarray:
    """The BMI values strictly greater than `threshold`, selected with a boolean mask (notes L816-836)."""
    bmi = np.asarray(bmi, dtype=float)
    return bmi > threshold


def make_2d(height: list[float] | np.ndarray, weight: list[float] | np.ndarray) -> np.ndarray:
    """np_2d with heights in row 0 and weights in row 1, shape (2, n) (notes L870-883)."""
    return np.array([height, weight], dtype=float)


def select_members(np_2d: np.ndarray, idx: list[int]) -> np.ndarray:
    """Height and weight (both rows) of the members at positions `idx`, in that order (notes L927)."""
    return np.asarray(np_2d)[:, idx]


if __name__ == "__main__":
    height = [1.73, 1.68, 1.71, 1.89, 1.79]
    weight = [65.4, 59.2, 63.6, 88.4, 68.7]
    values = bmi(height, weight)
    print(values, above(values, 23), make_2d(height, weight).shape, select_members(make_2d(height, weight), [1, 2]))

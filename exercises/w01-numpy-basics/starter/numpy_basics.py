"""w01-numpy-basics: element-wise BMI, boolean masks and 2-D indexing with NumPy (notes L670-929).

Use NumPy operations, not Python loops. Keep experiments under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import numpy as np


def bmi(height: list[float] | np.ndarray, weight: list[float] | np.ndarray) -> np.ndarray:
    """Body-mass index weight / height ** 2 for every member at once; accepts lists or arrays, returns floats."""
    raise NotImplementedError  # TODO


def above(bmi: np.ndarray, threshold: float) -> np.ndarray:
    """The BMI values strictly greater than `threshold`, selected with a boolean mask."""
    raise NotImplementedError  # TODO


def make_2d(height: list[float] | np.ndarray, weight: list[float] | np.ndarray) -> np.ndarray:
    """np_2d: heights in row 0 and weights in row 1, a float array of shape (2, n)."""
    raise NotImplementedError  # TODO


def select_members(np_2d: np.ndarray, idx: list[int]) -> np.ndarray:
    """Height and weight (both rows) of the members at positions `idx`, in that order: shape (2, len(idx))."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    height = [1.73, 1.68, 1.71, 1.89, 1.79]
    weight = [65.4, 59.2, 63.6, 88.4, 68.7]
    values = bmi(height, weight)
    print(values, above(values, 23), make_2d(height, weight).shape, select_members(make_2d(height, weight), [1, 2]))

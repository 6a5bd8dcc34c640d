"""Hidden tests for w06-sliding-windows (cost formula, window count, patches and boxes)."""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points


def random_image(rng: np.random.Generator, channels: int, height: int, width: int) -> torch.Tensor:
    """A float32 image whose pixels are all different, so a misplaced crop never matches by luck."""
    return torch.tensor(rng.normal(size=(channels, height, width)), dtype=torch.float32)


def random_setting(rng: np.random.Generator) -> tuple[int, int, tuple[int, int], int]:
    """Image size, a non-square window and a stride that does not divide the leftover evenly."""
    height, width = int(rng.integers(18, 30)), int(rng.integers(31, 45))
    win_h, win_w = int(rng.integers(4, 9)), int(rng.integers(10, 15))
    stride = int(rng.integers(3, 6))
    return height, width, (win_h, win_w), stride


@points(1, hint="the notes' formula (L5201): num_scales * num_aspect_ratios * width * height, an int")
def test_computational_cost(student, reference, rng):
    """The notes' cost formula: (3, 3, 640, 480) -> 2,764,800 and random arguments."""
    assert_equal(student.computational_cost(3, 3, 640, 480), 2_764_800)
    args = [int(v) for v in rng.integers(1, 6, size=2)] + [int(v) for v in rng.integers(32, 1024, size=2)]
    assert_equal(student.computational_cost(*args), reference.computational_cost(*args))


@points(2, hint="per axis (size - window) // stride + 1 positions; window = (height, width)")
def test_num_windows(student, reference, rng):
    """num_windows on random sizes, and a window as large as the image (exactly 1 window)."""
    for _ in range(4):
        height, width, window, stride = random_setting(rng)
        assert_equal(student.num_windows(height, width, window, stride),
                     reference.num_windows(height, width, window, stride))
    assert_equal(student.num_windows(20, 30, (20, 30), 4), 1)


@points(1, hint="a window larger than the image fits 0 times (watch out: two negative factors multiply to a positive)")
def test_num_windows_too_large(student, reference, rng):
    """A window larger than the image in one or both dimensions gives 0 windows."""
    height, width, window, stride = random_setting(rng)
    assert_equal(student.num_windows(height, width, window, stride),
                 reference.num_windows(height, width, window, stride))
    assert_equal(student.num_windows(10, 12, (11, 4), 2), 0)
    assert_equal(student.num_windows(10, 12, (30, 40), 1), 0)


@points(2.5, hint="row-major order: all windows of the top row left to right, then the next row; crop "
        "image[:, y:y+h, x:x+w]")
def test_patches(student, reference, rng):
    """sliding_windows patches [K, C, h, w] match the reference (values and order)."""
    height, width, window, stride = random_setting(rng)
    image = random_image(rng, 3, height, width)
    patches, _ = student.sliding_windows(image.clone(), window, stride)
    assert_close(patches, reference.sliding_windows(image.clone(), window, stride)[0])


@points(2, hint="boxes are float32 xyxy (x along columns), x2 = x1 + window width (exclusive)")
def test_boxes(student, reference, rng):
    """sliding_windows boxes [K, 4] match the reference."""
    height, width, window, stride = random_setting(rng)
    image = random_image(rng, 2, height, width)
    _, boxes = student.sliding_windows(image.clone(), window, stride)
    assert_close(boxes, reference.sliding_windows(image.clone(), window, stride)[1])


@points(0.5, hint="no window fits: return patches of shape [0, C, h, w] and boxes of shape [0, 4]")
def test_sliding_windows_empty(student, reference, rng):
    """A window larger than the image gives empty (but well-shaped) patches and boxes."""
    image = random_image(rng, 3, 8, 9)
    assert_close(student.sliding_windows(image.clone(), (6, 4), 2),
                 reference.sliding_windows(image.clone(), (6, 4), 2))
    assert_close(student.sliding_windows(image.clone(), (10, 4), 2),
                 reference.sliding_windows(image.clone(), (10, 4), 2))


@points(1, hint="one window shape after the other, in the order given; each shape row-major as in sliding_windows")
def test_window_boxes_several_shapes(student, reference, rng):
    """window_boxes for three window shapes (scales and aspect ratios) matches the reference."""
    height, width, _, stride = random_setting(rng)
    windows = [(8, 8), (6, 12), (12, 6)]
    assert_close(student.window_boxes(height, width, windows, stride),
                 reference.window_boxes(height, width, windows, stride))

"""Hidden tests for w07-upsampling-from-scratch (nearest, corner-aligned bilinear, max pool indices, max unpool)."""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points

NOTES_2X2 = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])       # the feature map of L5998-6000
UNPOOL_4X4 = torch.tensor([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0],
                             [0.0, 2.0, 1.0, 3.0], [6.0, 1.0, 2.0, 7.0]]]])


def random_maps(rng: np.random.Generator, height: int, width: int) -> torch.Tensor:
    """A float32 batch (N=2, C=3) of distinct random values (so no ties in max pooling)."""
    return torch.tensor(rng.normal(size=(2, 3, height, width)), dtype=torch.float32)


@points(1, hint="every pixel becomes a scale x scale block: [[1, 2], [3, 4]] -> [[1, 1, 2, 2], [1, 1, 2, 2], ...]")
def test_nearest_notes(student, reference, rng):
    """Nearest neighbour x2 of the notes' 2 x 2 map."""
    expected = torch.tensor(
        [[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0], [3.0, 3.0, 4.0, 4.0], [3.0, 3.0, 4.0, 4.0]]]])
    assert_close(student.nearest_upsample(NOTES_2X2.clone(), 2), expected)


@points(1, hint="repeat each row and each column (repeat_interleave), do not tile the whole image (repeat)")
def test_nearest_random(student, reference, rng):
    """Nearest neighbour on a random non-square batch, scales 2 and 3."""
    x = random_maps(rng, int(rng.integers(2, 6)), int(rng.integers(6, 9)))
    for scale in (2, 3):
        assert_close(student.nearest_upsample(x.clone(), scale), reference.nearest_upsample(x.clone(), scale))


@points(1, hint="corner-aligned: the input's corners land exactly on the output's corners (align_corners=True)")
def test_bilinear_notes(student, reference, rng):
    """Bilinear 2 x 2 -> 4 x 4 of the notes' map (rows 1, 1.333, 1.667, 2 / 1.667, 2, ... / 3, 3.333, 3.667, 4)."""
    assert_close(student.bilinear_upsample(NOTES_2X2.clone(), (4, 4)),
                 reference.bilinear_upsample(NOTES_2X2.clone(), (4, 4)))


@points(2, hint="output row i samples input row i * (H_in - 1) / (H_out - 1); columns use the W ratio; "
        "clamp the last neighbour")
def test_bilinear_random(student, reference, rng):
    """Corner-aligned bilinear on random non-square inputs and output sizes."""
    for _ in range(2):
        h, w = int(rng.integers(2, 5)), int(rng.integers(5, 8))
        out = (int(rng.integers(h + 2, 3 * h + 3)), int(rng.integers(w + 1, 2 * w + 1)))
        x = random_maps(rng, h, w)
        assert_close(student.bilinear_upsample(x.clone(), out), reference.bilinear_upsample(x.clone(), out))


@points(0.5, hint="the notes (L6083-6086): from 1 x 1 bilinear interpolation just duplicates the value")
def test_bilinear_from_1x1(student, reference, rng):
    """A 1 x 1 map upsampled to 4 x 4 repeats its value 16 times."""
    x = random_maps(rng, 1, 1)
    assert_close(student.bilinear_upsample(x.clone(), (4, 4)), x.expand(2, 3, 4, 4).contiguous())


@points(1, hint="indices are flat positions row * W + col in the whole H x W input plane, not inside the window")
def test_max_pool_notes(student, reference, rng):
    """The 4 x 4 example: pooled [[5, 8], [6, 7]], indices [[1, 6], [12, 15]]."""
    pooled, indices = student.max_pool_with_indices(UNPOOL_4X4.clone(), 2)
    assert_close(pooled, torch.tensor([[[[5.0, 8.0], [6.0, 7.0]]]]))
    assert_equal(indices, torch.tensor([[[[1, 6], [12, 15]]]]))


@points(1, hint="windows do not overlap (stride = kernel_size); rows/columns that do not fill a window are dropped")
def test_max_pool_random(student, reference, rng):
    """max_pool_with_indices on random batches, kernel 2 and 3, sizes that are not multiples of the kernel."""
    x = random_maps(rng, int(rng.integers(6, 10)), int(rng.integers(10, 14)))
    for k in (2, 3):
        assert_close(student.max_pool_with_indices(x.clone(), k), reference.max_pool_with_indices(x.clone(), k))


@points(1, hint="place each value at its saved index and 0 everywhere else")
def test_unpool_notes(student, reference, rng):
    """Max unpooling the 4 x 4 example gives [[0, 5, 0, 0], [0, 0, 8, 0], [0, 0, 0, 0], [6, 0, 0, 7]]."""
    pooled = torch.tensor([[[[5.0, 8.0], [6.0, 7.0]]]])
    indices = torch.tensor([[[[1, 6], [12, 15]]]])
    expected = torch.tensor(
        [[[[0.0, 5.0, 0.0, 0.0], [0.0, 0.0, 8.0, 0.0], [0.0, 0.0, 0.0, 0.0], [6.0, 0.0, 0.0, 7.0]]]])
    assert_close(student.max_unpool(pooled, indices, (4, 4)), expected)


@points(1.5, hint="use the indices of each (n, c) plane separately; the output size may be larger than pooled * kernel")
def test_unpool_random(student, reference, rng):
    """max_unpool on random batches (negative values too) with indices from max pooling."""
    h, w = int(rng.integers(6, 10)), int(rng.integers(10, 14))
    x = random_maps(rng, h, w) - 1.0
    for k in (2, 3):
        pooled, indices = reference.max_pool_with_indices(x, k)
        assert_close(student.max_unpool(pooled.clone(), indices.clone(), (h, w)),
                     reference.max_unpool(pooled, indices, (h, w)))

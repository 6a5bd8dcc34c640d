"""Hidden tests for w06-anchors (anchor count, base anchors, grid anchors, full generator)."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_equal, points

NOTES_SIZES = [32, 64, 128]          # notes L5539-5542: sizes=((32, 64, 128),), aspect_ratios=((0.5, 1.0, 2.0),)
NOTES_RATIOS = [0.5, 1.0, 2.0]


def random_sizes_ratios(rng: np.random.Generator) -> tuple[list[int], list[float]]:
    """2-4 sizes (multiples of 8, so no value is exactly halfway when rounding) and 2-3 distinct ratios."""
    sizes = sorted(int(s) for s in rng.choice(np.arange(16, 513, 8), size=int(rng.integers(2, 5)), replace=False))
    ratios = [float(r) for r in rng.choice([0.25, 0.5, 2.0, 4.0], size=int(rng.integers(2, 4)), replace=False)]
    return sizes, ratios


@points(1, hint="one anchor per (size, aspect ratio) pair")
def test_num_anchors_per_location(student, reference, rng):
    """9 anchors per location for the notes' generator, and random size / ratio lists."""
    assert_equal(student.num_anchors_per_location(NOTES_SIZES, NOTES_RATIOS), 9)
    sizes, ratios = random_sizes_ratios(rng)
    assert_equal(student.num_anchors_per_location(sizes, ratios), reference.num_anchors_per_location(sizes, ratios))


@points(1.5, hint="ratio = h / w with area size**2: h = size * sqrt(ratio), w = size / sqrt(ratio); half on each side")
def test_base_anchors_notes(student, reference, rng):
    """Base anchors of the notes' AnchorGenerator (sizes 32/64/128, ratios 0.5/1/2)."""
    assert_close(student.base_anchors(NOTES_SIZES, NOTES_RATIOS), reference.base_anchors(NOTES_SIZES, NOTES_RATIOS))


@points(1.5, hint="ratio-major order (all sizes for the first ratio, then the next ratio); round with torch.round")
def test_base_anchors_random(student, reference, rng):
    """Base anchors for random sizes and aspect ratios."""
    sizes, ratios = random_sizes_ratios(rng)
    assert_close(student.base_anchors(sizes, ratios), reference.base_anchors(sizes, ratios))


@points(3, hint="cell (row i, col j) shifts every base anchor by (j * stride_w, i * stride_h); locations row-major, "
                "the A anchors of one location consecutive")
def test_grid_anchors(student, reference, rng):
    """grid_anchors on a random non-square feature map with different strides along y and x."""
    sizes, ratios = random_sizes_ratios(rng)
    base = reference.base_anchors(sizes, ratios)
    feature = (int(rng.integers(2, 6)), int(rng.integers(6, 10)))
    stride = (int(rng.integers(4, 9)), int(rng.integers(10, 17)))
    assert_close(student.grid_anchors(feature, stride, base.clone()), reference.grid_anchors(feature, stride, base))


@points(1, hint="a 7 x 7 feature map of a 224 x 224 image has stride 32 and 7 * 7 * 9 = 441 anchors")
def test_generate_anchors_notes(student, reference, rng):
    """The notes' generator on a 7 x 7 feature map of a 224 x 224 image: 441 anchors."""
    expected = reference.generate_anchors((224, 224), (7, 7), NOTES_SIZES, NOTES_RATIOS)
    assert_close(student.generate_anchors((224, 224), (7, 7), NOTES_SIZES, NOTES_RATIOS), expected)


@points(2, hint="stride per axis = image size // feature size (integer division), height with height, width with width")
def test_generate_anchors_random(student, reference, rng):
    """generate_anchors for a non-square image whose size is not a multiple of the feature size."""
    sizes, ratios = random_sizes_ratios(rng)
    feature = (int(rng.integers(3, 6)), int(rng.integers(6, 9)))
    image = (feature[0] * int(rng.integers(8, 12)) + int(rng.integers(1, 3)),
             feature[1] * int(rng.integers(14, 20)) + int(rng.integers(1, 5)))
    assert_close(student.generate_anchors(image, feature, sizes, ratios),
                 reference.generate_anchors(image, feature, sizes, ratios))

"""Hidden tests for w05-morphology: hand-written dilation/erosion must equal skimage's exactly."""

import warnings

import numpy as np
from skimage import morphology

from grader.judge import assert_equal, points

CROSS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=np.uint8)


def sk_dilate(image: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():  # binary_* are deprecated in skimage 0.26 (FutureWarning)
        warnings.simplefilter("ignore")
        return morphology.binary_dilation(image, footprint)


def sk_erode(image: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return morphology.binary_erosion(image, footprint)


def symmetric_footprints() -> list[np.ndarray]:
    """3x3 square, 3x3 cross and the radius-2 disk: all unchanged by a 180-degree rotation."""
    return [np.ones((3, 3), dtype=np.uint8), CROSS, morphology.disk(2)]


def random_binary(rng: np.random.Generator, density: tuple[float, float]) -> np.ndarray:
    """A random boolean image of random size whose density lies in the given range."""
    rows, cols = rng.integers(12, 24, size=2)
    return rng.random((rows, cols)) < rng.uniform(*density)


def asymmetric_footprint(rng: np.random.Generator) -> np.ndarray:
    """A random odd-sized footprint that differs from its 180-degree rotation."""
    while True:
        shape = (int(rng.choice([3, 5])), int(rng.choice([3, 5])))
        footprint = (rng.random(shape) < 0.5).astype(np.uint8)
        if footprint.sum() >= 2 and not np.array_equal(footprint, footprint[::-1, ::-1]):
            return footprint


@points(1, hint="footprint_rectangle returns ones with dtype uint8")
def test_square_footprint(student):
    """make_square_footprint(n) equals morphology.footprint_rectangle((n, n)), dtype uint8."""
    for n in (1, 3, 4, 5):
        assert_equal(student.make_square_footprint(n), morphology.footprint_rectangle((n, n)))


@points(3, hint="dilation: a pixel becomes 1 if the footprint centred on it hits any foreground pixel; pad with 0s")
def test_dilate_symmetric(student, rng):
    """my_dilate equals binary_dilation on random images with square, cross and disk footprints."""
    for footprint in symmetric_footprints():
        image = random_binary(rng, (0.1, 0.4))
        assert_equal(student.my_dilate(image, footprint), sk_dilate(image, footprint))


@points(3, hint="erosion: a pixel stays 1 only if the footprint centred on it fits entirely; pad with 1s")
def test_erode_symmetric(student, rng):
    """my_erode equals binary_erosion on random images with square, cross and disk footprints."""
    for footprint in symmetric_footprints():
        image = random_binary(rng, (0.6, 0.9))
        assert_equal(student.my_erode(image, footprint), sk_erode(image, footprint))


@points(1, hint="pad with 1s for erosion and 0s for dilation (notes L4505-4508); never wrap around")
def test_border_rule(student, rng):
    """Erosion of an all-ones image keeps all pixels; nothing wraps around the border."""
    size = int(rng.integers(8, 14))
    square = np.ones((3, 3), dtype=np.uint8)
    ones = np.ones((size, size), dtype=bool)
    assert_equal(student.my_erode(ones, square), ones, msg="erosion of an all-ones image")
    corner = np.zeros((size, size), dtype=bool)
    corner[0, 0] = True
    expected = np.zeros((size, size), dtype=bool)
    expected[:2, :2] = True
    assert_equal(student.my_dilate(corner, square), expected, msg="dilation of a corner pixel")
    band = np.zeros((size, size), dtype=bool)
    band[:, :3] = True
    assert_equal(student.my_erode(band, square), sk_erode(band, square), msg="erosion of a band on the left edge")


@points(1, hint="work it out on paper: the cross adds the 4 neighbours of every foreground pixel")
def test_hand_fixture(student):
    """An L-shaped object dilated with a 3x3 cross gives the hand-computed result."""
    shape = np.zeros((7, 7), dtype=bool)
    shape[1:5, 1] = True
    shape[4, 1:5] = True
    expected = np.array([
        [0, 1, 0, 0, 0, 0, 0],
        [1, 1, 1, 0, 0, 0, 0],
        [1, 1, 1, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 0, 0],
        [1, 1, 1, 1, 1, 1, 0],
        [0, 1, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
    ], dtype=bool)
    assert_equal(student.my_dilate(shape, CROSS), expected)
    assert_equal(student.my_erode(expected, CROSS), sk_erode(expected, CROSS))


@points(1, hint="dilation stamps the footprint on each foreground pixel (it is not mirrored); erosion is not mirrored")
def test_asymmetric_footprints(student, rng):
    """Asymmetric footprints: my_dilate / my_erode equal binary_dilation / binary_erosion."""
    dot = np.zeros((7, 7), dtype=bool)
    dot[3, 3] = True
    ell = np.array([[1, 0, 0], [1, 0, 0], [1, 1, 0]], dtype=np.uint8)
    assert_equal(student.my_dilate(dot, ell), sk_dilate(dot, ell), msg="single pixel dilated with an L")
    stamped = sk_dilate(dot, ell)
    assert_equal(student.my_erode(stamped, ell), sk_erode(stamped, ell), msg="that L eroded with the same L")
    for _ in range(2):
        footprint = asymmetric_footprint(rng)
        sparse, dense = random_binary(rng, (0.1, 0.3)), random_binary(rng, (0.7, 0.9))
        assert_equal(student.my_dilate(sparse, footprint), sk_dilate(sparse, footprint))
        assert_equal(student.my_erode(dense, footprint), sk_erode(dense, footprint))

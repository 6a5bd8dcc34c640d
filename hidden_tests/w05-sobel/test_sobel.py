"""Hidden tests for w05-sobel: the hand-written Sobel must equal skimage.filters within float64 rounding."""

import numpy as np
from skimage import data, filters

from grader.judge import assert_close, points


def uint8_crop(rng: np.random.Generator, size: int = 64) -> np.ndarray:
    """A random size x size crop of the bundled camera or coins image (uint8)."""
    image = data.camera() if rng.random() < 0.5 else data.coins()
    r = rng.integers(0, image.shape[0] - size + 1)
    c = rng.integers(0, image.shape[1] - size + 1)
    return np.ascontiguousarray(image[r:r + size, c:c + size])


def float_image(rng: np.random.Generator) -> np.ndarray:
    """A non-square float64 image in [0, 1] (smooth ramp plus noise, so borders matter)."""
    rows, cols = rng.integers(12, 40, size=2)
    ramp = np.linspace(0, 1, rows)[:, None] * rng.uniform(-1, 1) + np.linspace(0, 1, cols)[None, :] * rng.uniform(-1, 1)
    return np.clip(0.5 + 0.4 * ramp + 0.2 * rng.random((rows, cols)), 0, 1)


def frame(image: np.ndarray) -> np.ndarray:
    """The outer one-pixel frame of a 2-D array, flattened."""
    return np.concatenate([image[0], image[-1], image[1:-1, 0], image[1:-1, -1]])


@points(2, hint="skimage's sobel_h is (row below - row above) with weights 1,2,1 divided by 4: check the sign")
def test_sobel_h(student, rng):
    """sobel_h equals skimage.filters.sobel_h on a uint8 crop and a float image (including the sign)."""
    for image in (uint8_crop(rng), float_image(rng)):
        assert_close(student.sobel_h(image), filters.sobel_h(image))


@points(1, hint="sobel_v is the transpose of sobel_h: (column right - column left) / 4 with weights 1,2,1")
def test_sobel_v(student, rng):
    """sobel_v equals skimage.filters.sobel_v on a uint8 crop and a float image."""
    for image in (uint8_crop(rng), float_image(rng)):
        assert_close(student.sobel_v(image), filters.sobel_v(image))


@points(2, hint="uint8 images are scaled to [0, 1] first; magnitude = sqrt((h**2 + v**2) / 2)")
def test_magnitude_uint8_interior(student, rng):
    """sobel(uint8 crop) equals skimage.filters.sobel away from the border."""
    for _ in range(2):
        image = uint8_crop(rng)
        assert_close(student.sobel(image)[1:-1, 1:-1], filters.sobel(image)[1:-1, 1:-1])


@points(2, hint="both kernels are divided by 4 and the magnitude by sqrt(2)")
def test_magnitude_float_interior(student, rng):
    """sobel(float image) equals skimage.filters.sobel away from the border."""
    for _ in range(3):
        image = float_image(rng)
        assert_close(student.sobel(image)[1:-1, 1:-1], filters.sobel(image)[1:-1, 1:-1])


@points(2, hint="skimage extends the border by mirroring with the edge pixel repeated (np.pad mode='symmetric')")
def test_magnitude_border(student, rng):
    """The outer one-pixel frame of sobel() equals skimage's (border handling)."""
    for image in (uint8_crop(rng), float_image(rng)):
        result = student.sobel(image)
        assert_close(result.shape, image.shape, msg="shape")
        assert_close(frame(result), frame(filters.sobel(image)))


@points(1, hint="a constant image has no edges anywhere, borders included")
def test_flat_and_step(student, rng):
    """A constant image gives all zeros; a vertical step gives skimage's response."""
    constant = np.full((9, 11), rng.uniform(0.2, 0.9))
    assert_close(student.sobel(constant), np.zeros((9, 11)))
    step = np.zeros((10, 12), dtype=np.uint8)
    step[:, int(rng.integers(3, 9)):] = 200
    assert_close(student.sobel(step), filters.sobel(step))

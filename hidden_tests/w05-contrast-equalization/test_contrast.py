"""Hidden tests for w05-contrast-equalization: contrast, stretching and equalization vs skimage.exposure."""

import numpy as np
from skimage import data, exposure

from grader.judge import assert_close, assert_equal, points


def low_contrast(rng: np.random.Generator, low: int = 99, high: int = 247) -> np.ndarray:
    """A uint8 image whose values lie in low..high, with both ends present (the checkpoint image, L4408-4433)."""
    rows, cols = rng.integers(20, 48, size=2)
    image = np.clip(rng.normal((low + high) / 2, (high - low) / 5, size=(rows, cols)), low, high)
    image = np.rint(image).astype(np.uint8)
    image.flat[rng.choice(image.size, size=2, replace=False)] = (low, high)
    return image


def bundled_crop(rng: np.random.Generator, size: int = 64) -> np.ndarray:
    """A random crop of a bundled grayscale image (camera, coins or moon) that is not constant."""
    while True:
        image = (data.camera, data.coins, data.moon)[rng.integers(3)]()
        r = rng.integers(0, image.shape[0] - size + 1)
        c = rng.integers(0, image.shape[1] - size + 1)
        crop = np.ascontiguousarray(image[r:r + size, c:c + size])
        if crop.min() != crop.max():
            return crop


def random_range(rng: np.random.Generator) -> tuple[int, int]:
    """A random intensity range low..high inside 1..254 at least 20 wide."""
    low = int(rng.integers(1, 200))
    return low, int(rng.integers(low + 20, 255))


@points(1, hint="max minus min; convert to int first (uint8 arithmetic wraps around)")
def test_contrast_checkpoint(student, rng):
    """The checkpoint image (values 99..247) has contrast 148, a Python int (notes L4408-4433)."""
    assert_equal(student.contrast(low_contrast(rng)), 148)


@points(1, hint="the contrast is the difference between the maximum and the minimum pixel intensity")
def test_contrast_random(student, rng):
    """contrast equals max - min on random low-contrast images and bundled crops."""
    for image in (low_contrast(rng, *random_range(rng)), bundled_crop(rng)):
        assert_equal(student.contrast(image), int(image.max()) - int(image.min()))


@points(2, hint="subtract the minimum, divide by (max - min), multiply by 255, then truncate to uint8")
def test_stretch_values(student, rng):
    """stretch_contrast equals exposure.rescale_intensity within 1 grey level (rounding)."""
    for image in (low_contrast(rng), low_contrast(rng, *random_range(rng)), bundled_crop(rng)):
        assert_close(student.stretch_contrast(image), exposure.rescale_intensity(image), atol=1, rtol=0)


@points(1, hint="the result is uint8 with min exactly 0 and max exactly 255; a constant image stays as it is")
def test_stretch_range_and_constant(student, rng):
    """Stretched images span exactly 0..255 as uint8; a constant image is returned unchanged."""
    stretched = student.stretch_contrast(low_contrast(rng, *random_range(rng)))
    assert_equal(stretched.dtype.name, "uint8", msg="dtype")
    assert_equal((int(stretched.min()), int(stretched.max())), (0, 255), msg="(min, max)")
    constant = np.full((5, 7), int(rng.integers(0, 256)), dtype=np.uint8)
    assert_equal(student.stretch_contrast(constant), constant, msg="constant image")


@points(2, hint="each value v becomes the fraction of pixels <= v (normalized cumulative histogram)")
def test_equalize_bundled_crops(student, rng):
    """my_equalize_hist equals exposure.equalize_hist on random crops of camera, coins and moon."""
    for _ in range(3):
        crop = bundled_crop(rng)
        assert_close(student.my_equalize_hist(crop), exposure.equalize_hist(crop))


@points(2, hint="do not shift the CDF so that the darkest value maps to 0: skimage maps it to count(min) / N")
def test_equalize_low_contrast(student, rng):
    """my_equalize_hist equals exposure.equalize_hist on synthetic low-contrast images."""
    for image in (low_contrast(rng), low_contrast(rng, *random_range(rng))):
        assert_close(student.my_equalize_hist(image), exposure.equalize_hist(image))


@points(1, hint="the output is float64, reaches exactly 1.0, and is a non-decreasing function of the input")
def test_equalize_camera_properties(student):
    """Equalized camera equals skimage (float64, max 1.0) and is a monotone function of the input."""
    camera = data.camera()
    result = student.my_equalize_hist(camera)
    assert_close(result, exposure.equalize_hist(camera))
    order = np.argsort(camera, axis=None, kind="stable")
    assert np.all(np.diff(result.ravel()[order]) >= 0), "the mapping is not monotone"

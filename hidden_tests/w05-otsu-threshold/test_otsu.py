"""Hidden tests for w05-otsu-threshold: the hand-written Otsu must equal skimage's threshold_otsu."""

import warnings

import numpy as np
from skimage import data, filters

from grader.judge import assert_equal, points

BUNDLED = {"camera": 102, "coins": 107, "page": 157, "text": 109, "moon": 87}


def skimage_otsu(image: np.ndarray) -> int:
    """skimage's threshold as a Python int (it returns a numpy integer for uint8 input)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return int(filters.threshold_otsu(image))


def assert_same_split(actual, image: np.ndarray) -> None:
    """The threshold must split the pixels exactly like threshold_otsu does.

    Any t between skimage's threshold and the next intensity present in the image gives the same
    segmentation (the between-class variance is equal there up to rounding), so all of them pass.
    """
    expected = skimage_otsu(image)
    present = np.unique(image)
    upper = int(present[present > expected].min()) - 1
    if type(actual) is not int:
        raise AssertionError(f"expected a Python int threshold, got {type(actual).__name__}: {actual!r}")
    if not expected <= actual <= upper:
        allowed = str(expected) if upper == expected else f"{expected}..{upper}"
        raise AssertionError(f"threshold {actual} splits the pixels differently from threshold_otsu "
                             f"(expected {allowed}; value range of the image {image.min()}..{image.max()})")


def random_crop(rng: np.random.Generator, size: int = 64) -> np.ndarray:
    """A size x size crop of a bundled grayscale image that is not constant."""
    names = sorted(BUNDLED)
    while True:
        image = getattr(data, names[rng.integers(len(names))])()
        r = rng.integers(0, image.shape[0] - size + 1)
        c = rng.integers(0, image.shape[1] - size + 1)
        crop = np.ascontiguousarray(image[r:r + size, c:c + size])
        if crop.min() != crop.max():
            return crop


def bimodal(rng: np.random.Generator, shape: tuple[int, int] = (48, 64)) -> np.ndarray:
    """Two noisy intensity populations (dark background, bright objects) that never span 0..255."""
    low = rng.uniform(40, 100)
    high = rng.uniform(low + 60, 215)
    spread = rng.uniform(5, 15)
    mask = rng.random(shape) < rng.uniform(0.25, 0.75)
    image = np.where(mask, rng.normal(high, spread, shape), rng.normal(low, spread, shape))
    return np.clip(np.rint(image), 1, 254).astype(np.uint8)


@points(1, hint="one bin per intensity 0..255, counted with np.bincount(..., minlength=256) or equivalent")
def test_histogram_counts(student, rng):
    """histogram() counts every intensity 0..255 (length 256, int64)."""
    for image in (bimodal(rng), random_crop(rng)):
        assert_equal(student.histogram(image), np.bincount(image.ravel(), minlength=256).astype(np.int64))


@points(3, hint="maximize the between-class variance w0*w1*(mean0-mean1)**2 with background = value <= t")
def test_otsu_bundled_images(student):
    """otsu_threshold equals threshold_otsu on camera, coins, page, text and moon (102, 107, 157, 109, 87)."""
    for name, expected in BUNDLED.items():
        assert_equal(student.otsu_threshold(getattr(data, name)()), expected, msg=name)


@points(2, hint="check the split: t belongs to the background class, the foreground is value > t")
def test_otsu_random_crops(student, rng):
    """otsu_threshold splits random 64x64 crops of the bundled images exactly like threshold_otsu."""
    for _ in range(6):
        crop = random_crop(rng)
        assert_same_split(student.otsu_threshold(crop), crop)


@points(2, hint="use the histogram of the actual intensities; the image does not span 0..255")
def test_otsu_synthetic_bimodal(student, rng):
    """otsu_threshold splits seeded bimodal images exactly like threshold_otsu."""
    for _ in range(4):
        image = bimodal(rng)
        assert_same_split(student.otsu_threshold(image), image)


@points(1, hint="when several thresholds give the same variance, keep the first (smallest) one")
def test_otsu_edge_cases(student, rng):
    """Two-level image -> the lower level (first maximum); constant image -> its value."""
    low, high = sorted(rng.choice(np.arange(10, 246), size=2, replace=False))
    two_levels = np.where(rng.random((20, 30)) < 0.4, high, low).astype(np.uint8)
    two_levels[0, 0], two_levels[0, 1] = low, high
    assert_equal(student.otsu_threshold(two_levels), int(low), msg="two-level image")
    constant = np.full((8, 8), int(rng.integers(0, 256)), dtype=np.uint8)
    assert_equal(student.otsu_threshold(constant), int(constant[0, 0]), msg="constant image")


@points(1, hint="the foreground is value > thresh (strict), as a boolean array")
def test_binarize_strict(student, rng):
    """binarize is image > thresh, strict, as a bool array (camera > 102 has 177984 pixels)."""
    camera = data.camera()
    assert_equal(student.binarize(camera, 102), camera > 102)
    crop = random_crop(rng)
    thresh = int(crop.flat[rng.integers(crop.size)])  # a value that occurs in the crop
    assert_equal(student.binarize(crop, thresh), crop > thresh)

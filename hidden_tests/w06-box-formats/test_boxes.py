"""Hidden tests for w06-box-formats (box conversions, batch normalisation, tightest box)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from grader.judge import assert_close, assert_equal, points


def assert_raises_value_error(call, *args) -> None:
    """The student's call raises ValueError (from the sandbox it arrives as an exception with type_name)."""
    with pytest.raises(Exception) as info:
        call(*args)
    name = getattr(info.value, "type_name", type(info.value).__name__)
    assert name == "ValueError", f"expected ValueError, got {name}: {info.value}"

FORMATS = ("xyxy", "xywh", "cxcywh")


def random_xyxy(rng: np.random.Generator, n: int) -> torch.Tensor:
    """n valid float32 xyxy boxes (x1 < x2, y1 < y2) of unequal width and height."""
    xy = rng.uniform(0, 100, size=(n, 2))
    wh = rng.uniform(1, 60, size=(n, 2))
    return torch.tensor(np.hstack([xy, xy + wh]), dtype=torch.float32)


def check_conversion(student_fn, reference_fn, boxes: torch.Tensor) -> None:
    """Student and reference agree on the same (copied) boxes."""
    expected = reference_fn(boxes.clone())
    assert_close(student_fn(boxes.clone()), expected)


@points(1.5, hint="x2 = x1 + w and y2 = y1 + h, keep the column order (x1, y1, x2, y2)")
def test_xywh_to_xyxy(student, reference, rng):
    """xywh_to_xyxy: the notes-style example [10, 20, 30, 40] -> [10, 20, 40, 60] and random boxes."""
    assert_close(student.xywh_to_xyxy(torch.tensor([[10.0, 20.0, 30.0, 40.0]])),
                 torch.tensor([[10.0, 20.0, 40.0, 60.0]]))
    check_conversion(student.xywh_to_xyxy, reference.xywh_to_xyxy, reference.xyxy_to_xywh(random_xyxy(rng, 9)))


@points(1.5, hint="w = x2 - x1 is measured along x, h = y2 - y1 along y")
def test_xyxy_to_xywh(student, reference, rng):
    """xyxy_to_xywh on random boxes."""
    check_conversion(student.xyxy_to_xywh, reference.xyxy_to_xywh, random_xyxy(rng, 9))


@points(1.5, hint="the centre is half a width away from each side")
def test_cxcywh_to_xyxy(student, reference, rng):
    """cxcywh_to_xyxy on random boxes."""
    check_conversion(student.cxcywh_to_xyxy, reference.cxcywh_to_xyxy, reference.xyxy_to_cxcywh(random_xyxy(rng, 9)))


@points(1.5, hint="cx is the midpoint (x1 + x2) / 2, not half the width")
def test_xyxy_to_cxcywh(student, reference, rng):
    """xyxy_to_cxcywh on random boxes."""
    check_conversion(student.xyxy_to_cxcywh, reference.xyxy_to_cxcywh, random_xyxy(rng, 9))


@points(1, hint="box_convert(boxes, in_fmt, out_fmt) converts FROM in_fmt TO out_fmt; unknown formats raise ValueError")
def test_box_convert_all_pairs(student, reference, rng):
    """box_convert between every pair of formats (including the same format) matches the reference."""
    xyxy = random_xyxy(rng, 6)
    for in_fmt, out_fmt in itertools.product(FORMATS, FORMATS):
        boxes = reference.box_convert(xyxy, "xyxy", in_fmt)
        assert_close(student.box_convert(boxes.clone(), in_fmt, out_fmt),
                     reference.box_convert(boxes.clone(), in_fmt, out_fmt), msg=f"{in_fmt} -> {out_fmt}")
    assert_raises_value_error(student.box_convert, xyxy, "xyxy", "yxyx")


@points(0.5, hint="an image with no boxes gives a tensor of shape [0, 4]; don't loop over rows with torch.stack")
def test_empty_input(student, reference, rng):
    """Every conversion maps an empty [0, 4] batch to an empty [0, 4] float32 batch."""
    empty = torch.zeros((0, 4), dtype=torch.float32)
    for name in ("xywh_to_xyxy", "xyxy_to_xywh", "cxcywh_to_xyxy", "xyxy_to_cxcywh"):
        assert_close(getattr(student, name)(empty.clone()), getattr(reference, name)(empty.clone()), msg=name)


@points(1, hint="one unsqueeze(0) turns [4] into [1, 4]; the notes' second unsqueeze gives [1, 1, 4] (L5093-5094)")
def test_to_box_batch(student, reference, rng):
    """to_box_batch: [4] -> [1, 4], [N, 4] unchanged, [1, 1, 4] rejected with ValueError."""
    box = random_xyxy(rng, 1)[0]
    assert_close(student.to_box_batch(box.clone()), reference.to_box_batch(box.clone()))
    batch = random_xyxy(rng, 5)
    assert_close(student.to_box_batch(batch.clone()), batch)
    assert_raises_value_error(student.to_box_batch, box.reshape(1, 1, 4))


def random_mask(rng: np.random.Generator, height: int, width: int) -> torch.Tensor:
    """A uint8 mask with a few scattered object pixels (never touching all borders)."""
    mask = np.zeros((height, width), dtype=np.uint8)
    top, left = rng.integers(0, height // 2), rng.integers(0, width // 2)
    bottom, right = rng.integers(top + 1, height), rng.integers(left + 1, width)
    ys = rng.integers(top, bottom, size=6)
    xs = rng.integers(left, right, size=6)
    mask[ys, xs] = 1
    mask[top, rng.integers(left, right)] = 1
    mask[rng.integers(top, bottom), left] = 1
    return torch.from_numpy(mask)


@points(1, hint="x runs along columns and y along rows; x2 and y2 are exclusive (last index + 1)")
def test_tightest_box(student, reference, rng):
    """tightest_box on random non-square masks matches the reference (int64 [x1, y1, x2, y2])."""
    for height, width in ((17, 29), (31, 12), (20, 20)):
        mask = random_mask(rng, height, width)
        assert_equal(student.tightest_box(mask.clone()), reference.tightest_box(mask.clone()))
    single = torch.zeros((9, 13), dtype=torch.float32)
    single[4, 7] = 1.0
    assert_equal(student.tightest_box(single), torch.tensor([7, 4, 8, 5]))


@points(0.5, hint="a mask with no object pixel has no box: raise ValueError")
def test_tightest_box_empty_mask(student, reference, rng):
    """tightest_box raises ValueError on an all-zero mask (after working on a normal one)."""
    mask = random_mask(rng, 15, 15)
    assert_equal(student.tightest_box(mask.clone()), reference.tightest_box(mask.clone()))
    assert_raises_value_error(student.tightest_box, torch.zeros((15, 15), dtype=torch.uint8))

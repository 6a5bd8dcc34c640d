"""Hidden tests for w07-seg-metrics (argmax masks, one-hot masks, pixel accuracy, confusion matrix, IoU, Dice)."""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points

IGNORE = 255


def random_masks(rng: np.random.Generator, num_classes: int, shape=(2, 6, 7), agree: float = 0.6):
    """(pred, target) int64 masks over classes 0..num_classes-2 (the last class never occurs), mostly agreeing."""
    target = rng.integers(0, num_classes - 1, size=shape)
    noise = rng.integers(0, num_classes - 1, size=shape)
    pred = np.where(rng.random(shape) < agree, target, noise)
    return torch.tensor(pred, dtype=torch.int64), torch.tensor(target, dtype=torch.int64)


def with_ignored(rng: np.random.Generator, target: torch.Tensor) -> torch.Tensor:
    """Mark about a quarter of the target as 'not classified' (like the trimap's class 3), never none."""
    ignored = torch.tensor(rng.random(tuple(target.shape)) < 0.25)
    ignored.view(-1)[0] = True
    return torch.where(ignored, torch.full_like(target, IGNORE), target)


def assert_close_with_nan(actual, expected: torch.Tensor) -> None:
    """Same NaN positions (absent classes), and close values elsewhere."""
    assert type(actual) is torch.Tensor, f"expected a torch.Tensor, got {type(actual).__name__}"
    assert_equal(torch.isnan(actual).to(torch.int64), torch.isnan(expected).to(torch.int64), msg="NaN positions")
    assert_close(torch.nan_to_num(actual, nan=-1.0), torch.nan_to_num(expected, nan=-1.0))


@points(1, hint="the most likely class per pixel is the argmax over the CLASS dimension, dim=1 (notes L6408)")
def test_logits_to_mask(student, reference, rng):
    """logits_to_mask on random [2, 4, 5, 6] logits gives [2, 5, 6] int64 class ids."""
    logits = torch.tensor(rng.normal(size=(2, 4, 5, 6)), dtype=torch.float32)
    assert_equal(student.logits_to_mask(logits.clone()), reference.logits_to_mask(logits.clone()))


@points(1.5, hint="F.one_hot puts the class axis last ([N, H, W, C]): move it to dim 1; pass num_classes explicitly")
def test_one_hot_mask(student, reference, rng):
    """one_hot_mask: [N, H, W] -> [N, C, H, W] float32, with a plane of zeros for a class that does not occur."""
    _, target = random_masks(rng, 5)
    assert_close(student.one_hot_mask(target.clone(), 5), reference.one_hot_mask(target.clone(), 5))


@points(1, hint="correct pixels / all pixels, returned as a Python float")
def test_pixel_accuracy(student, reference, rng):
    """pixel_accuracy on random masks."""
    pred, target = random_masks(rng, 4)
    assert_close(student.pixel_accuracy(pred.clone(), target.clone()), reference.pixel_accuracy(pred, target))


@points(1, hint="ignored pixels (target == ignore_index) count neither as correct nor in the denominator")
def test_pixel_accuracy_ignore(student, reference, rng):
    """pixel_accuracy with ignore_index=255 on about a quarter of the pixels."""
    pred, target = random_masks(rng, 4)
    target = with_ignored(rng, target)
    assert_close(student.pixel_accuracy(pred.clone(), target.clone(), IGNORE),
                 reference.pixel_accuracy(pred, target, IGNORE))


@points(1.5, hint="conf[true_class, predicted_class]: rows are the truth, columns the prediction; int64")
def test_confusion_matrix(student, reference, rng):
    """confusion_matrix on a small asymmetric example and on random masks."""
    pred = torch.tensor([[[0, 1], [1, 2]]])
    target = torch.tensor([[[0, 1], [2, 2]]])
    assert_equal(student.confusion_matrix(pred, target, 3), torch.tensor([[1, 0, 0], [0, 1, 0], [0, 1, 1]]))
    pred, target = random_masks(rng, 5)
    assert_equal(student.confusion_matrix(pred.clone(), target.clone(), 5), reference.confusion_matrix(pred, target, 5))


@points(0.5, hint="leave out the pixels whose target is ignore_index")
def test_confusion_matrix_ignore(student, reference, rng):
    """confusion_matrix with ignore_index=255."""
    pred, target = random_masks(rng, 4)
    target = with_ignored(rng, target)
    assert_equal(student.confusion_matrix(pred.clone(), target.clone(), 4, IGNORE),
                 reference.confusion_matrix(pred, target, 4, IGNORE))


@points(1.5, hint="IoU = TP / (TP + FP + FN) = intersection / union; a class absent from both masks gets NaN")
def test_iou_per_class(student, reference, rng):
    """iou_per_class from a random confusion matrix (the last class is absent: NaN)."""
    pred, target = random_masks(rng, 5)
    conf = reference.confusion_matrix(pred, target, 5)
    assert_close_with_nan(student.iou_per_class(conf.clone()), reference.iou_per_class(conf))


@points(1, hint="Dice = 2 TP / (2 TP + FP + FN) = 2 |A and B| / (|A| + |B|); NaN for an absent class")
def test_dice_per_class(student, reference, rng):
    """dice_per_class from a random confusion matrix (the last class is absent: NaN)."""
    pred, target = random_masks(rng, 5)
    conf = reference.confusion_matrix(pred, target, 5)
    assert_close_with_nan(student.dice_per_class(conf.clone()), reference.dice_per_class(conf))


@points(1, hint="average only over the classes that occur in the prediction or the truth (skip the NaNs)")
def test_mean_iou(student, reference, rng):
    """mean_iou from a random confusion matrix with an absent class."""
    pred, target = random_masks(rng, 5)
    conf = reference.confusion_matrix(pred, target, 5)
    assert_close(student.mean_iou(conf.clone()), reference.mean_iou(conf))

"""Public tests for w07-seg-metrics: from the bundle's folder, run them with
`grader check w07-seg-metrics w07-seg-metrics/segmetrics.py`.
"""

import torch

from grader.judge import assert_close, assert_equal

PRED = torch.tensor([[[0, 1], [1, 2]]])
TARGET = torch.tensor([[[0, 1], [2, 2]]])
CONF = torch.tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 0]])


def test_logits_to_mask_shape(student):
    """The notes' U-Net output [1, 3, H, W] becomes a [1, H, W] mask (L6393-6408)."""
    logits = torch.zeros(1, 3, 4, 5)
    logits[0, 2, 1, 3] = 1.0
    mask = student.logits_to_mask(logits)
    assert_equal(tuple(mask.shape), (1, 4, 5))
    assert_equal(int(mask[0, 1, 3]), 2)


def test_small_example(student):
    """Three of four pixels right; class 3 never occurs (IoU NaN); mean IoU (1 + 0.5 + 0.5) / 3."""
    assert_close(student.pixel_accuracy(PRED, TARGET), 0.75)
    assert_equal(student.confusion_matrix(PRED, TARGET, 4), CONF)
    iou = student.iou_per_class(CONF)
    assert_close(iou[:3], torch.tensor([1.0, 0.5, 0.5]))
    assert bool(torch.isnan(iou[3]))
    assert_close(student.dice_per_class(CONF)[:3], torch.tensor([1.0, 2 / 3, 2 / 3]))
    assert_close(student.mean_iou(CONF), 2 / 3)


def test_ignore_index(student):
    """The wrongly predicted pixel is marked 'not classified' (255): accuracy 1.0."""
    target = torch.tensor([[[0, 1], [255, 2]]])
    assert_close(student.pixel_accuracy(PRED, target, 255), 1.0)

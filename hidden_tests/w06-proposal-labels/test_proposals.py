"""Hidden tests for w06-proposal-labels (matching, labelling, R-CNN box regression targets)."""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points


def random_gt(rng: np.random.Generator, g: int) -> torch.Tensor:
    """g float32 ground-truth boxes inside a 200 x 200 image."""
    xy = rng.uniform(0, 140, size=(g, 2))
    wh = rng.uniform(15, 60, size=(g, 2))
    return torch.tensor(np.hstack([xy, xy + wh]), dtype=torch.float32)


def random_proposals(rng: np.random.Generator, gt: torch.Tensor, per_gt: int = 6, extra: int = 8) -> torch.Tensor:
    """Proposals jittered around each GT box (a range of IoUs) plus a few boxes anywhere."""
    boxes = []
    for x1, y1, x2, y2 in gt.double().numpy():
        w, h = x2 - x1, y2 - y1
        shift = rng.uniform(-0.45, 0.45, size=(per_gt, 2)) * [w, h]
        scale = rng.uniform(0.6, 1.5, size=(per_gt, 2)) * [w, h]
        cx, cy = (x1 + x2) / 2 + shift[:, 0], (y1 + y2) / 2 + shift[:, 1]
        half = scale / 2
        boxes.append(np.stack([cx - half[:, 0], cy - half[:, 1], cx + half[:, 0], cy + half[:, 1]], 1))
    xy = rng.uniform(0, 170, size=(extra, 2))
    boxes.append(np.hstack([xy, xy + rng.uniform(5, 30, size=(extra, 2))]))
    return torch.tensor(np.vstack(boxes), dtype=torch.float32)


def random_labels(rng: np.random.Generator, g: int) -> torch.Tensor:
    """Class ids in 1..9 (0 is background)."""
    return torch.tensor(rng.integers(1, 10, size=g), dtype=torch.int64)


@points(1.5, hint="box_iou(proposals, gt).max(dim=1) gives both the best IoU and the index of the best GT")
def test_match_random(student, reference, rng):
    """match_proposals: best IoU (float32) and matched GT index (int64) on random proposals."""
    gt = random_gt(rng, 4)
    props = random_proposals(rng, gt)
    expected = reference.match_proposals(props.clone(), gt.clone())
    assert_close(student.match_proposals(props.clone(), gt.clone()), expected)


@points(0.5, hint="clamp the intersection width and height at 0 before multiplying them")
def test_match_disjoint_on_both_axes(student, reference, rng):
    """A GT box that is disjoint on both axes must give IoU 0, not (-10) * (-10) / ..."""
    props = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    gt = torch.tensor([[20.0, 20.0, 30.0, 30.0], [5.0, 0.0, 15.0, 10.0]])
    max_iou, matched = student.match_proposals(props, gt)
    assert_close(max_iou, torch.tensor([1.0 / 3.0]))
    assert_equal(matched, torch.tensor([1]))


@points(0.5, hint="with no ground-truth box every proposal has IoU 0 and matched index -1; .max over an "
        "empty dim raises")
def test_match_no_gt(student, reference, rng):
    """An image without objects: zeros (float32) and -1 (int64) for every proposal."""
    props = random_proposals(rng, random_gt(rng, 2))
    gt = torch.zeros((0, 4), dtype=torch.float32)
    assert_close(student.match_proposals(props, gt), (torch.zeros(len(props)), torch.full((len(props),), -1)))


@points(1, hint="the notes: IoU >= 0.5 is a correct prediction (L5431); 0.5 itself is positive")
def test_labels_threshold_inclusive(student, reference, rng):
    """IoU exactly 0.5 is foreground, IoU 0.49 is background."""
    gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    props = torch.tensor([[0.0, 0.0, 10.0, 5.0], [0.0, 0.0, 10.0, 4.9], [0.0, 0.0, 10.0, 10.0]])
    assert_equal(student.label_proposals(props, gt, torch.tensor([3])), torch.tensor([3, 0, 3]))


@points(1, hint="label with the class of the GT box with the HIGHEST IoU, not the first one above the threshold")
def test_labels_best_gt(student, reference, rng):
    """A proposal overlapping two GT boxes takes the class of the better one (IoU 0.9 beats 0.6)."""
    gt = torch.tensor([[0.0, 0.0, 10.0, 6.0], [0.0, 0.0, 10.0, 9.0]])
    props = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    assert_equal(student.label_proposals(props, gt, torch.tensor([7, 4])), torch.tensor([4]))


@points(1.5, hint="labels are class ids from gt_labels (0 = background), not GT indices")
def test_labels_random(student, reference, rng):
    """label_proposals with the default threshold (0.5) on random proposals."""
    gt = random_gt(rng, 4)
    props = random_proposals(rng, gt)
    labels = random_labels(rng, 4)
    assert_equal(student.label_proposals(props.clone(), gt.clone(), labels.clone()),
                 reference.label_proposals(props.clone(), gt.clone(), labels.clone()))


@points(1, hint="with neg_iou < pos_iou, proposals with neg_iou <= IoU < pos_iou are ignored (-1)")
def test_labels_ignore_zone(student, reference, rng):
    """pos_iou=0.7, neg_iou=0.3: positives, background and ignored (-1) proposals."""
    far = torch.tensor([[300.0, 300.0, 340.0, 330.0]])  # away from the random boxes (all inside 200 x 200)
    gt = torch.cat([random_gt(rng, 3), far])
    fixed = torch.tensor([[300.0, 300.0, 340.0, 315.0],     # IoU 0.5  -> ignored
                          [300.0, 300.0, 340.0, 324.0],     # IoU 0.8  -> positive
                          [300.0, 300.0, 340.0, 306.0]])    # IoU 0.2  -> background
    props = torch.cat([fixed, random_proposals(rng, gt[:3])])
    labels = random_labels(rng, 4)
    expected = reference.label_proposals(props.clone(), gt.clone(), labels.clone(), 0.7, 0.3)
    assert_equal(student.label_proposals(props.clone(), gt.clone(), labels.clone(), 0.7, 0.3), expected)


@points(0.5, hint="an image without objects: every proposal is background (0)")
def test_labels_no_gt(student, reference, rng):
    """No ground-truth boxes: all labels are 0 (int64)."""
    props = random_proposals(rng, random_gt(rng, 2))
    gt = torch.zeros((0, 4), dtype=torch.float32)
    no_labels = torch.zeros(0, dtype=torch.int64)
    assert_equal(student.label_proposals(props, gt, no_labels), torch.zeros(len(props), dtype=torch.int64))


@points(1.5, hint="use box centres and sizes: tx = (gx - px) / pw, tw = log(gw / pw)")
def test_regression_targets(student, reference, rng):
    """box_regression_targets on random proposal / GT pairs."""
    gt = random_gt(rng, 3)
    props = random_proposals(rng, gt, per_gt=4, extra=0)
    matched = gt.repeat_interleave(4, dim=0)
    assert_close(student.box_regression_targets(props.clone(), matched.clone()),
                 reference.box_regression_targets(props.clone(), matched.clone()))


@points(1, hint="invert the targets: w = pw * exp(tw), centre = p + pw * tx, then back to xyxy")
def test_apply_deltas(student, reference, rng):
    """apply_box_deltas on random deltas, and applying the targets recovers the GT boxes."""
    gt = random_gt(rng, 3)
    props = random_proposals(rng, gt, per_gt=3, extra=2)
    deltas = torch.tensor(rng.normal(0, 0.3, size=(len(props), 4)), dtype=torch.float32)
    assert_close(student.apply_box_deltas(props.clone(), deltas), reference.apply_box_deltas(props.clone(), deltas),
                 atol=1e-4)
    matched = gt[torch.arange(len(props)) % 3]
    targets = reference.box_regression_targets(props, matched)
    assert_close(student.apply_box_deltas(props.clone(), targets), matched, atol=1e-3)

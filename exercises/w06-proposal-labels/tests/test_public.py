"""Public tests for w06-proposal-labels: from the bundle's folder, run them with
`grader check w06-proposal-labels w06-proposal-labels/proposals.py`.
"""

import torch

from grader.judge import assert_close, assert_equal


def test_box_iou_notes_example(student):
    """The notes' example (L5461-5469): [50, 50, 150, 150] vs [100, 100, 200, 200] -> 0.1429."""
    iou = student.box_iou(torch.tensor([[50.0, 50.0, 150.0, 150.0]]), torch.tensor([[100.0, 100.0, 200.0, 200.0]]))
    assert_close(iou, torch.tensor([[2500.0 / 17500.0]]))


def test_match_and_label(student):
    """Two proposals, one GT box of class 3: IoU 0.5 is foreground, IoU 0.49 is background."""
    gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    props = torch.tensor([[0.0, 0.0, 10.0, 5.0], [0.0, 0.0, 10.0, 4.9]])
    max_iou, matched = student.match_proposals(props, gt)
    assert_close(max_iou, torch.tensor([0.5, 0.49]))
    assert_equal(matched, torch.tensor([0, 0]))
    assert_equal(student.label_proposals(props, gt, torch.tensor([3])), torch.tensor([3, 0]))


def test_targets_round_trip(student):
    """A proposal half as tall as its GT box: ty = 0.5, th = log 2; applying the targets gives the GT back."""
    props = torch.tensor([[0.0, 0.0, 10.0, 5.0]])
    gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    targets = student.box_regression_targets(props, gt)
    assert_close(targets, torch.tensor([[0.0, 0.5, 0.0, 0.6931472]]))
    assert_close(student.apply_box_deltas(props, targets), gt)

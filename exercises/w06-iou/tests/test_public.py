"""Public tests for w06-iou (run them from the bundle's folder with `grader check w06-iou w06-iou/detection.py`)."""

import torch

from grader.judge import assert_close, assert_equal


def test_notes_example(student):
    """notes L5458-5470: [50,50,150,150] vs [100,100,200,200] gives tensor([[0.1429]])."""
    a = torch.tensor([[50, 50, 150, 150]])
    b = torch.tensor([[100, 100, 200, 200]])
    assert_close(student.box_iou(a, b), torch.tensor([[2500 / 17500]]))


def test_iou_matrix_shape(student):
    """3 boxes against 2 boxes give a 3 x 2 matrix; identical boxes have IoU 1, disjoint ones 0."""
    a = torch.tensor([[0.0, 0, 10, 10], [20, 20, 30, 30], [0, 0, 5, 10]])
    b = torch.tensor([[0.0, 0, 10, 10], [100, 100, 110, 110]])
    assert_close(student.box_iou(a, b), torch.tensor([[1.0, 0.0], [0.0, 0.0], [0.5, 0.0]]))


def test_nms_keeps_best_in_score_order(student):
    """Two near-duplicates and one separate box: keep the better duplicate and the separate box, best first."""
    b = torch.tensor([[0.0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60]])
    s = torch.tensor([0.6, 0.8, 0.7])
    assert_equal(student.nms(b, s, 0.5), torch.tensor([1, 2]))

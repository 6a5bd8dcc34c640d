"""Public tests for w06-box-formats: from the bundle's folder, run them with
`grader check w06-box-formats w06-box-formats/boxes.py`.
"""

import torch

from grader.judge import assert_close, assert_equal


def test_xywh_to_xyxy_example(student):
    """[10, 20, 30, 40] in xywh is [10, 20, 40, 60] in xyxy."""
    boxes = torch.tensor([[10.0, 20.0, 30.0, 40.0]])
    assert_close(student.xywh_to_xyxy(boxes), torch.tensor([[10.0, 20.0, 40.0, 60.0]]))


def test_cxcywh_round_trip(student):
    """A centre-format box goes to xyxy and back unchanged."""
    boxes = torch.tensor([[50.0, 40.0, 20.0, 10.0]])
    xyxy = student.cxcywh_to_xyxy(boxes)
    assert_close(xyxy, torch.tensor([[40.0, 35.0, 60.0, 45.0]]))
    assert_close(student.xyxy_to_cxcywh(xyxy), boxes)


def test_to_box_batch_single_box(student):
    """A single box [4] becomes a batch [1, 4] (not the notes' [1, 1, 4])."""
    assert_close(student.to_box_batch(torch.tensor([1.0, 2.0, 3.0, 4.0])), torch.tensor([[1.0, 2.0, 3.0, 4.0]]))


def test_tightest_box_small_mask(student):
    """The object occupies rows 1-2 and columns 2-4, so the box is [2, 1, 5, 3]."""
    mask = torch.zeros((5, 6), dtype=torch.uint8)
    mask[1, 2] = mask[2, 4] = mask[2, 3] = 1
    assert_equal(student.tightest_box(mask), torch.tensor([2, 1, 5, 3]))

"""Hidden tests for w06-iou: box_iou against the reference and on edge cases; NMS order, threshold, greedy."""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points


def boxes(rows) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


def random_boxes(rng: np.random.Generator, n: int) -> torch.Tensor:
    xy = rng.uniform(0, 50, size=(n, 2))
    wh = rng.uniform(1, 50, size=(n, 2))
    return torch.tensor(np.hstack([xy, xy + wh]), dtype=torch.float32)


def clusters(rng: np.random.Generator, n_centres: int = 5, per_centre: int = 6):
    """Jittered copies of a few boxes with distinct random scores, like a detector's raw output."""
    centres = random_boxes(rng, n_centres).numpy()
    jitter = rng.normal(0, 4, size=(n_centres, per_centre, 4))
    raw = (centres[:, None, :] + jitter).reshape(-1, 4)
    x1, x2 = np.minimum(raw[:, 0], raw[:, 2]), np.maximum(raw[:, 0], raw[:, 2]) + 1
    y1, y2 = np.minimum(raw[:, 1], raw[:, 3]), np.maximum(raw[:, 1], raw[:, 3]) + 1
    b = torch.tensor(np.stack([x1, y1, x2, y2], axis=1), dtype=torch.float32)
    return b, torch.tensor(rng.permutation(len(b)) / len(b) + 0.01, dtype=torch.float32)


@points(1, hint="IoU = intersection / (area1 + area2 - intersection), with no +1 on widths; int boxes give a "
                "float result.")
def test_iou_notes_example(student, reference):
    """The notes' example (L5458-5470): [50,50,150,150] vs [100,100,200,200] -> [[0.1429]], from int64 boxes."""
    a = torch.tensor([[50, 50, 150, 150]])
    b = torch.tensor([[100, 100, 200, 200]])
    assert_close(student.box_iou(a, b), reference.box_iou(a, b))
    assert_close(student.box_iou(a.float(), b.float()), reference.box_iou(a.float(), b.float()))


@points(2, hint="Return the full [N, M] matrix: every box of the first set against every box of the second.")
def test_iou_random_matrix(student, reference, rng):
    """Random boxes in N x M matrices (N != M) against the reference; symmetric in its arguments."""
    a, b = random_boxes(rng, 7), random_boxes(rng, 5)
    assert_close(student.box_iou(a, b), reference.box_iou(a, b))
    assert_close(student.box_iou(b, a), reference.box_iou(a, b).T)


@points(1, hint="Identical boxes give 1; a box touching another (shared edge) or with zero area gives 0; empty "
                "inputs give an empty [N, M] matrix.")
def test_iou_edge_cases(student, reference):
    """Identical, contained, touching, disjoint on one axis, zero-area boxes; empty inputs."""
    a = boxes([[0, 0, 10, 10], [2, 2, 4, 4], [5, 5, 5, 8]])
    b = boxes([[0, 0, 10, 10], [10, 0, 20, 10], [20, 0, 30, 10], [0, 10, 10, 20]])
    assert_close(student.box_iou(a, b), reference.box_iou(a, b))
    empty = torch.zeros((0, 4))
    assert_close(student.box_iou(empty, b), reference.box_iou(empty, b), msg="N = 0")
    assert_close(student.box_iou(a, empty), reference.box_iou(a, empty), msg="M = 0")


@points(1, hint="Clamp the intersection's width and height at 0 separately: two negative sides must not multiply "
                "into a positive area.")
def test_iou_disjoint_both_axes(student, reference, rng):
    """Boxes apart on both axes have IoU 0 (the missing-clamp trap)."""
    a = boxes([[0, 0, 10, 10]])
    b = boxes([[20, 20, 30, 30]])
    assert_close(student.box_iou(a, b), torch.zeros((1, 1)))
    far = random_boxes(rng, 4) + 200.0
    near = random_boxes(rng, 3)
    assert_close(student.box_iou(near, far), reference.box_iou(near, far))


@points(2, hint="Greedy NMS: repeatedly keep the highest-scoring remaining box and drop the boxes that overlap it.")
def test_nms_random_clusters(student, reference, rng):
    """Clusters of jittered boxes at thresholds 0.3, 0.5 and 0.7: the same indices as the reference."""
    for threshold in (0.3, 0.5, 0.7):
        b, s = clusters(rng)
        assert_equal(student.nms(b, s, threshold), reference.nms(b, s, threshold), msg=f"iou_threshold={threshold}")


@points(1, hint="Return the kept indices ordered by decreasing score, not by index.")
def test_nms_score_order(student, reference, rng):
    """Disjoint boxes are all kept, in decreasing score order ([0.1, 0.9, 0.5] -> [1, 2, 0])."""
    b = boxes([[0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 50, 10]])
    assert_equal(student.nms(b, torch.tensor([0.1, 0.9, 0.5]), 0.5), torch.tensor([1, 2, 0]))
    grid = boxes([[20 * i, 20 * j, 20 * i + 10, 20 * j + 10] for i in range(3) for j in range(3)])
    s = torch.tensor(rng.permutation(9) / 9.0, dtype=torch.float32)
    assert_equal(student.nms(grid, s, 0.5), reference.nms(grid, s, 0.5))


@points(1, hint="Suppress only when IoU is strictly greater than the threshold.")
def test_nms_strict_threshold(student):
    """Two boxes with IoU exactly 0.5: both kept at threshold 0.5, only the better one at 0.49."""
    b = boxes([[0, 0, 1, 1], [0, 0, 2, 1]])
    s = torch.tensor([0.8, 0.9])
    assert_equal(student.nms(b, s, 0.5), torch.tensor([1, 0]), msg="iou_threshold=0.5")
    assert_equal(student.nms(b, s, 0.49), torch.tensor([1]), msg="iou_threshold=0.49")


@points(1, hint="Compare each box only with the boxes already kept: a box suppressed by a better one cannot "
                "suppress others.")
def test_nms_greedy_chain(student):
    """A overlaps B, B overlaps C, A and C only touch; scores A > B > C: keep A and C."""
    b = boxes([[10, 0, 20, 10], [0, 0, 10, 10], [5, 0, 15, 10]])  # C, A, B
    s = torch.tensor([0.7, 0.9, 0.8])
    assert_equal(student.nms(b, s, 0.3), torch.tensor([1, 0]))


@points(1, hint="Return an int64 tensor of indices, also when nothing or a single box is given.")
def test_nms_edge_cases(student):
    """Empty input, a single box, and identical boxes (only the best one survives)."""
    assert_equal(student.nms(torch.zeros((0, 4)), torch.zeros(0), 0.5), torch.zeros(0, dtype=torch.int64),
                 msg="empty")
    assert_equal(student.nms(boxes([[1, 2, 3, 4]]), torch.tensor([0.3]), 0.5), torch.tensor([0]), msg="one box")
    same = boxes([[5, 5, 15, 15]] * 4)
    assert_equal(student.nms(same, torch.tensor([0.2, 0.6, 0.9, 0.4]), 0.5), torch.tensor([2]), msg="identical")

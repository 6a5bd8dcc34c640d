"""Public tests for w03-cross-entropy: from the bundle's folder, run them with
`grader check w03-cross-entropy w03-cross-entropy/cross_entropy.py`.
"""

import torch

from grader.judge import assert_close, assert_equal


def test_softmax_notes(student):
    """nn.Softmax(dim=-1) on [[4.3, 6.1, 2.3]] gives [[0.1392, 0.8420, 0.0188]] (notes L2232)."""
    assert_close(student.softmax(torch.tensor([[4.3, 6.1, 2.3]])), torch.tensor([[0.1392, 0.8420, 0.0188]]),
                 atol=1e-4)


def test_one_hot_notes(student):
    """F.one_hot(torch.tensor(0), num_classes=3) is tensor([1, 0, 0]) (notes L2303)."""
    assert_equal(student.one_hot(torch.tensor(0), 3), torch.tensor([1, 0, 0]))


def test_cross_entropy_notes(student):
    """CrossEntropyLoss()([[-0.1211, 0.1059]], [[1., 0.]]) is 0.8131 (notes L2334)."""
    loss = student.cross_entropy(torch.tensor([[-0.1211, 0.1059]]), torch.tensor([[1.0, 0.0]]))
    assert_close(loss, torch.tensor(0.8131), atol=1e-4)

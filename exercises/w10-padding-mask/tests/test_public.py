"""Public tests for w10-padding-mask: from the bundle's folder, run them with
`grader check w10-padding-mask w10-padding-mask/padding.py`.
"""

import torch

from grader.judge import assert_close, assert_shape


def test_notes_shape(student):
    """ids [[5, 6, 7, 0, 0], [3, 4, 0, 0, 0]] with pad 0 give a [2, 5, 5] mask."""
    assert_shape(student.make_src_mask(torch.tensor([[5, 6, 7, 0, 0], [3, 4, 0, 0, 0]]), 0), (2, 5, 5))


def test_zero_scores(student):
    """Zero scores with key mask [1, 1, 0, 0] give [0.5, 0.5, 0, 0] in every row."""
    mask = torch.tensor([1, 1, 0, 0]).expand(4, 4).unsqueeze(0)
    wei = student.masked_softmax(torch.zeros(1, 4, 4), mask)
    assert_close(wei, torch.tensor([0.5, 0.5, 0.0, 0.0]).expand(1, 4, 4), atol=1e-7)

"""Public tests for w04-multi-output-loss: from the bundle's folder, run them with
`grader check w04-multi-output-loss w04-multi-output-loss/multi_output.py`.
"""

import torch
import torch.nn as nn

from grader.judge import assert_close, assert_shape


def test_two_outputs(student):
    """Net()(images) returns alphabet logits [N, 30] and character logits [N, 964]."""
    out_alpha, out_char = student.Net()(torch.rand(2, 1, 64, 64))
    assert_shape(out_alpha, (2, 30))
    assert_shape(out_char, (2, 964))


def test_combined_loss_is_weighted(student):
    """combined_loss = (1 - char_weight) * CE(alpha) + char_weight * CE(char), e.g. 0.33 / 0.67 (notes L3866)."""
    torch.manual_seed(0)
    outputs_alpha, outputs_char = torch.randn(4, 30), torch.randn(4, 964)
    labels_alpha, labels_char = torch.tensor([0, 1, 2, 3]), torch.tensor([10, 20, 30, 40])
    ce = nn.CrossEntropyLoss()
    expected = 0.33 * ce(outputs_alpha, labels_alpha) + 0.67 * ce(outputs_char, labels_char)
    assert_close(student.combined_loss(outputs_alpha, outputs_char, labels_alpha, labels_char, 0.67), expected)


def test_train_step_returns_float(student):
    """train_step runs one SGD step and returns the loss as a Python float; normalized, it is 1.0."""
    net = student.Net()
    data = (torch.rand(3, 1, 64, 64), torch.tensor([0, 1, 2]), torch.tensor([5, 6, 7]))
    loss = student.train_step(net, *data, 0.5, 0.01)
    assert type(loss) is float and loss > 0
    assert_close(student.train_step(net, *data, 0.5, 0.01, normalize=True), 1.0, rtol=1e-5)

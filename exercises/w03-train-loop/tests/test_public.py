"""Public tests for w03-train-loop: from the bundle's folder, run them with
`grader check w03-train-loop w03-train-loop/train_loop.py`.
"""

import torch

from grader.judge import assert_equal


def data() -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 4, generator=g)
    return x, (x[:, 0] > 0).long() + (x[:, 1] > 0).long()


def test_model_layout(student):
    """Linear(4, 16), ReLU, Dropout, Linear(16, 3): 4 layers, logits of shape [batch, 3]."""
    model = student.make_model(4, 16, 3)
    assert_equal(len(model), 4)
    assert_equal(tuple(model(torch.zeros(5, 4)).shape), (5, 3))


def test_fit_reduces_the_loss(student):
    """20 epochs of SGD (lr 0.5, batches of 16) bring the loss well down."""
    x, y = data()
    model = student.make_model(4, 16, 3)
    losses = student.fit(model, x, y, 20, 0.5, 16)
    assert len(losses) == 20 and losses[-1] < 0.5 * losses[0], losses


def test_evaluate_restores_train_mode(student):
    """evaluate returns (loss, accuracy) floats and leaves the model in train mode."""
    x, y = data()
    model = student.make_model(4, 16, 3, 0.5)
    loss, accuracy = student.evaluate(model, x, y)
    assert type(loss) is float and 0.0 <= accuracy <= 1.0
    assert model.training is True

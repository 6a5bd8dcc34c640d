"""Public tests for w14-estimate-loss: from the bundle's folder, run them with
`grader check w14-estimate-loss w14-estimate-loss/estimate.py`.
"""

import math

import torch


def data():
    return {"train": torch.arange(200) % 10, "val": torch.arange(60) % 10}


def test_estimate_loss_keys_and_range(student):
    """A fresh 10-token model: both estimates are floats near or above ln(10) = 2.30."""
    torch.manual_seed(0)
    model = student.BigramLanguageModel(10, 0.2)
    out = student.estimate_loss(model, data(), 5, 4, 8, 0)
    assert sorted(out) == ["train", "val"]
    assert all(isinstance(v, float) and v > math.log(10) - 0.5 for v in out.values())


def test_dropout_off_and_train_mode_back(student):
    """The same seed gives the same estimate, and the model ends in training mode."""
    model = student.BigramLanguageModel(10, 0.5)
    first = student.estimate_loss(model, data(), 3, 4, 8, 1)
    assert first == student.estimate_loss(model, data(), 3, 4, 8, 1)
    assert model.training


def test_history_steps(student):
    """max_iters 25, eval_interval 10: estimates at steps 0, 10, 20 and 24."""
    model = student.BigramLanguageModel(10)
    history = student.train_with_eval(model, data(), 25, 10, 2, 4, 8, 0.1, 0)
    assert [h["step"] for h in history] == [0, 10, 20, 24]
    assert history[-1]["train"] < history[0]["train"]

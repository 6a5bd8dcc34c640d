"""Hidden tests for w03-train-loop: model layout, an exact replay of the training loop, learning, evaluation,
manual SGD."""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, points

N_FEATURES, N_HIDDEN, N_CLASSES = 4, 16, 3


def make_data(rng: np.random.Generator, n: int = 64) -> tuple[torch.Tensor, torch.Tensor]:
    """float32 features and int64 labels from a random linear rule (so the data is learnable)."""
    g = torch.Generator().manual_seed(int(rng.integers(2**31)))
    x = torch.randn(n, N_FEATURES, generator=g)
    w = torch.randn(N_FEATURES, N_CLASSES, generator=g)
    return x, (x @ w).argmax(dim=-1)


def twin_models(student, reference, rng: np.random.Generator, dropout: float = 0.0):
    """The student's model and the reference's with the same (random) initial weights."""
    torch.manual_seed(int(rng.integers(2**31)))
    ref = reference.make_model(N_FEATURES, N_HIDDEN, N_CLASSES, dropout)
    model = student.make_model(N_FEATURES, N_HIDDEN, N_CLASSES, dropout)
    model.load_state_dict(ref.state_dict())
    return model, ref


def weights(model) -> dict[str, torch.Tensor]:
    """A copy of a model's parameters (student handle or reference module)."""
    return {k: v.clone() for k, v in dict(model.state_dict()).items()}


def assert_computes_like(model, ref, rng: np.random.Generator, what: str) -> None:
    """The student's model computes what the reference computes (dropout 0): the weights read from its
    state_dict() are only believed if the model's outputs agree with them."""
    x, _ = make_data(rng, 16)
    with torch.no_grad():
        expected = ref(x)
    assert_close(model(x), expected, atol=1e-5, rtol=1e-4, msg=f"{what}: the model's own outputs")


@points(1, hint="nn.Sequential(Linear(n_features, n_hidden), ReLU(), Dropout(p=dropout), "
                "Linear(n_hidden, n_classes)), no softmax")
def test_make_model(student, reference, rng):
    """Four layers with the right shapes; with the reference's weights it computes the same logits."""
    model = student.make_model(N_FEATURES, N_HIDDEN, N_CLASSES)
    assert_equal(len(model), 4)
    assert_equal(tuple(model[0].weight.shape), (N_HIDDEN, N_FEATURES))
    assert_equal(tuple(model[3].weight.shape), (N_CLASSES, N_HIDDEN))
    model, ref = twin_models(student, reference, rng)
    x, _ = make_data(rng, 8)
    assert_close(model(x), ref(x).detach())


@points(3, hint="per batch, in this order: optimizer.zero_grad(), forward, loss, loss.backward(), optimizer.step(); "
                "batches in data order (shuffle=False)")
def test_fit_replays_reference(student, reference, rng):
    """One epoch of SGD from the same start ends with exactly the reference's weights (batch size and lr random)."""
    x, y = make_data(rng, int(rng.integers(30, 50)))
    batch_size, lr = int(rng.integers(4, 9)), float(rng.uniform(0.05, 0.3))
    model, ref = twin_models(student, reference, rng)
    student.fit(model, x, y, 1, lr, batch_size)
    reference.fit(ref, x, y, 1, lr, batch_size)
    assert_close(weights(model), weights(ref), atol=1e-6, rtol=1e-5)
    assert_computes_like(model, ref, rng, "after fit")


@points(1, hint="return one number per epoch: the mean of that epoch's batch losses (loss.item()), "
                "not divided by the sample count")
def test_fit_losses(student, reference, rng):
    """The per-epoch losses of a 3-epoch run equal the reference's."""
    x, y = make_data(rng, 40)
    model, ref = twin_models(student, reference, rng)
    losses = student.fit(model, x, y, 3, 0.2, 8)
    assert_close(losses, reference.fit(ref, x, y, 3, 0.2, 8), rtol=1e-5, atol=1e-6)


@points(2, hint="the loss must fall: check the loop order, zero_grad, and that the optimizer gets model.parameters()")
def test_fit_learns(student, reference, rng):
    """25 epochs on learnable data: the grader's own loss on the returned weights < 0.3 and accuracy >= 0.9."""
    x, y = make_data(rng, 64)
    model, ref = twin_models(student, reference, rng)
    start = reference.evaluate(ref, x, y)[0]
    student.fit(model, x, y, 25, 0.5, 16)
    ref.load_state_dict(weights(model))
    assert_computes_like(model, ref, rng, "the trained model")
    loss, accuracy = reference.evaluate(ref, x, y)
    assert loss < min(0.3, start), f"loss {loss:.3f} after training (was {start:.3f})"
    assert accuracy >= 0.9, f"training accuracy {accuracy:.3f}"


@points(2, hint="model.eval() and torch.no_grad() while evaluating, then model.train() again; "
                "accuracy = mean of argmax(dim=-1) == labels")
def test_evaluate(student, reference, rng):
    """With Dropout(0.5): the reference's (loss, accuracy), weights untouched, model back in train mode."""
    x, y = make_data(rng, 50)
    model, ref = twin_models(student, reference, rng, dropout=0.5)
    before = weights(ref)  # the twin's, not the student's own state_dict(): that could say anything
    loss, accuracy = student.evaluate(model, x, y)
    expected = reference.evaluate(ref, x, y)
    assert_close((loss, accuracy), expected, rtol=1e-5, atol=1e-6)
    assert model.training is True, "the model must be back in train mode after evaluate"
    assert_close(weights(model), before)
    model.eval()
    with torch.no_grad():
        ref.eval()
        unchanged = ref(x)
    assert_close(model(x), unchanged, msg="outputs after evaluate (weights untouched)")


@points(1, hint="the notes' `weight = weight - lr * weight_grad` only rebinds a name: "
                "update p in place under torch.no_grad()")
def test_manual_sgd_step(student, reference, rng):
    """One manual full-batch step gives the reference's loss and weights (the same as optim.SGD)."""
    x, y = make_data(rng, 32)
    lr = float(rng.uniform(0.05, 0.5))
    model, ref = twin_models(student, reference, rng)
    loss = student.manual_sgd_step(model, x, y, lr)
    assert_close(loss, reference.manual_sgd_step(ref, x, y, lr), rtol=1e-5)
    assert_close(weights(model), weights(ref), atol=1e-6, rtol=1e-5)
    assert_computes_like(model, ref, rng, "after the step")

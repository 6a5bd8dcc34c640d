"""Hidden tests for w14-estimate-loss: estimate_loss and train_with_eval with the reference's weights loaded.

The student's model (the given BigramLanguageModel in the submission) gets the weights of a judge-built
reference model; estimates and training histories are compared with the reference's on the same data.
"""

import numpy as np
import torch

from grader.judge import assert_close, points

V = 16


def seeded(rng: np.random.Generator) -> torch.Generator:
    return torch.Generator().manual_seed(int(rng.integers(2**31)))


def model_pair(student, reference, rng, dropout=0.3):
    ref = reference.BigramLanguageModel(V, dropout)
    with torch.no_grad():
        ref.token_embedding_table.weight.copy_(torch.randn(V, V, generator=seeded(rng)))
    model = student.BigramLanguageModel(V, dropout)
    model.load_state_dict(ref.state_dict())
    return model, ref


def split_data(rng) -> dict[str, torch.Tensor]:
    """Train and val ids with different statistics, so mixing them up shows."""
    train = torch.tensor(rng.integers(0, V, size=400))
    val = torch.tensor(rng.integers(0, V // 2, size=120)) * 2
    return {"train": train, "val": val}


def check_estimate(got, expected, what):
    assert isinstance(got, dict) and sorted(got) == ["train", "val"], f"{what}: expected a dict with train and val"
    for split in ("train", "val"):
        assert isinstance(got[split], float), f"{what}: {split} is {type(got[split]).__name__}, expected float"
        assert_close(got[split], expected[split], rtol=1e-5, msg=f"{what}, {split}")


@points(3, hint="One Generator seeded with seed, train first then val; eval_iters batches each via get_batch; "
                "the mean loss, in eval mode and under torch.no_grad().")
def test_estimate_loss_values(student, reference, rng):
    """estimate_loss (dropout 0.3 in the model) equals the reference's for both splits."""
    model, ref = model_pair(student, reference, rng)
    data = split_data(rng)
    seed = int(rng.integers(2**31))
    check_estimate(student.estimate_loss(model, data, 6, 8, 8, seed), reference.estimate_loss(ref, data, 6, 8, 8, seed),
                   "eval_iters=6")


@points(1, hint="Average eval_iters batches per split, not one.")
def test_estimate_loss_eval_iters(student, reference, rng):
    """estimate_loss with eval_iters 1 and 9 equals the reference's."""
    model, ref = model_pair(student, reference, rng)
    data = split_data(rng)
    seed = int(rng.integers(2**31))
    for iters in (1, 9):
        check_estimate(student.estimate_loss(model, data, iters, 4, 6, seed),
                       reference.estimate_loss(ref, data, iters, 4, 6, seed), f"eval_iters={iters}")


@points(1, hint="model.eval() switches dropout off: two estimates with the same seed must be identical.")
def test_estimate_loss_deterministic(student, reference, rng):
    """Two calls with the same seed give identical estimates (dropout 0.5 is off during evaluation)."""
    model, _ = model_pair(student, reference, rng, dropout=0.5)
    data = split_data(rng)
    first = student.estimate_loss(model, data, 4, 8, 8, 7)
    second = student.estimate_loss(model, data, 4, 8, 8, 7)
    assert first == second, f"{first} != {second}"


@points(1, hint="Call model.train() at the end of estimate_loss: training continues with dropout on.")
def test_estimate_loss_restores_train_mode(student, reference, rng):
    """After estimate_loss the model is back in training mode."""
    model, _ = model_pair(student, reference, rng)
    model.train()
    student.estimate_loss(model, split_data(rng), 2, 4, 4, 0)
    assert model.training is True, "the model was left in eval mode"


@points(1, hint="Each split's batches come from data[split].")
def test_estimate_loss_val_split(student, reference, rng):
    """With train and val data swapped, the two estimates swap accordingly (and equal the reference's)."""
    model, ref = model_pair(student, reference, rng, dropout=0.0)
    data = split_data(rng)
    swapped = {"train": data["val"], "val": data["train"]}
    seed = int(rng.integers(2**31))
    check_estimate(student.estimate_loss(model, swapped, 5, 8, 8, seed),
                   reference.estimate_loss(ref, swapped, 5, 8, 8, seed), "swapped splits")


@points(2, hint="Before the steps with step % eval_interval == 0 and before the last step, record "
                "{'step', 'train', 'val'} from estimate_loss(..., seed=step); then one AdamW step.")
def test_train_with_eval_history(student, reference, rng):
    """train_with_eval (no dropout): the recorded steps and estimates equal the reference's."""
    model, ref = model_pair(student, reference, rng, dropout=0.0)
    data = split_data(rng)
    seed = int(rng.integers(2**31))
    history = student.train_with_eval(model, data, 23, 10, 3, 8, 8, 0.05, seed)
    expected = reference.train_with_eval(ref, data, 23, 10, 3, 8, 8, 0.05, seed)
    assert [h["step"] for h in history] == [e["step"] for e in expected], \
        f"steps {[h['step'] for h in history]}, expected {[e['step'] for e in expected]}"
    for h, e in zip(history, expected, strict=True):
        assert_close([h["train"], h["val"]], [e["train"], e["val"]], rtol=1e-4, msg=f"step {e['step']}")


@points(1, hint="Train on batches of data['train'] drawn with a Generator seeded with seed; AdamW with lr.")
def test_train_with_eval_weights(student, reference, rng):
    """After train_with_eval the model's weights equal the reference's."""
    model, ref = model_pair(student, reference, rng, dropout=0.0)
    data = split_data(rng)
    seed = int(rng.integers(2**31))
    student.train_with_eval(model, data, 12, 5, 2, 8, 8, 0.05, seed)
    reference.train_with_eval(ref, data, 12, 5, 2, 8, 8, 0.05, seed)
    assert_close(model.token_embedding_table.weight, ref.token_embedding_table.weight.detach(), rtol=1e-4, atol=1e-5)

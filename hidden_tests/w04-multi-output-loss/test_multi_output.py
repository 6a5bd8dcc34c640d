"""Hidden tests for w04-multi-output-loss: outputs, weighted loss and SGD steps vs the reference."""

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_shape, points


def images(rng: np.random.Generator, n: int) -> torch.Tensor:
    return torch.tensor(rng.random((n, 1, 64, 64)), dtype=torch.float32)


def labels(rng: np.random.Generator, n: int, num_classes: int) -> torch.Tensor:
    return torch.tensor(rng.integers(0, num_classes, size=n), dtype=torch.long)


def batch(rng: np.random.Generator, n: int = 6, num_alpha: int = 30, num_char: int = 964):
    return images(rng, n), labels(rng, n, num_alpha), labels(rng, n, num_char)


def same_weights(student, reference, rng: np.random.Generator, *args):
    """A student model and a reference model holding the same seeded weights."""
    torch.manual_seed(int(rng.integers(2**31)))
    ref = reference.Net(*args)
    net = student.Net(*args)
    net.load_state_dict(ref.state_dict())
    return net, ref


def snapshot(model) -> dict[str, torch.Tensor]:
    """A copy of the model's state_dict (a state_dict shares storage with the live parameters)."""
    return {key: value.clone() for key, value in model.state_dict().items()}


def assert_outputs_like(net, ref, rng: np.random.Generator, what: str) -> None:
    """The student's model computes the reference's logits: weights read from its state_dict() are only
    believed if the model's own outputs agree with them."""
    x = images(rng, 3)
    with torch.no_grad():
        expected = ref(x)
    out = net(x)
    assert_close(out[0], expected[0], atol=1e-5, rtol=1e-4, msg=f"{what}: alphabet logits")
    assert_close(out[1], expected[1], atol=1e-5, rtol=1e-4, msg=f"{what}: character logits")


def changed(before: dict, after: dict, prefix: str) -> bool:
    """Whether any tensor whose name starts with prefix differs between two state_dicts."""
    return any(not torch.equal(before[k], after[k]) for k in before if k.startswith(prefix))


@points(2, hint="forward returns a tuple (alphabet logits, character logits)")
def test_forward_shapes(student, rng):
    """forward returns two logit tensors: [N, 30] and [N, 964]; other head sizes work too."""
    out = student.Net()(images(rng, 4))
    assert_equal(len(out), 2, msg="number of outputs")
    assert_shape(out[0], (4, 30), msg="alphabet output")
    assert_shape(out[1], (4, 964), msg="character output")
    out = student.Net(5, 7)(images(rng, 3))
    assert_shape(out[0], (3, 5), msg="alphabet output of Net(5, 7)")
    assert_shape(out[1], (3, 7), msg="character output of Net(5, 7)")


@points(1, hint="image_layer -> each classifier; return raw logits (no softmax: CrossEntropyLoss adds it)")
def test_forward_matches_reference(student, reference, rng):
    """With the reference's weights loaded, both outputs equal the reference's logits."""
    net, ref = same_weights(student, reference, rng)
    x = images(rng, 5)
    with torch.no_grad():
        expected = ref(x)
    out = net(x)
    assert_close(out[0], expected[0], msg="alphabet logits")
    assert_close(out[1], expected[1], msg="character logits")


@points(2, hint="loss = (1 - char_weight) * CE(alphabet) + char_weight * CE(character), both mean-reduced")
def test_combined_loss_values(student, reference, rng):
    """combined_loss equals the reference for char_weight 0.1, 0.5, 0.9 and 0.67 (notes L3866, L3907-3911)."""
    n = 8
    outputs_alpha = torch.tensor(rng.normal(size=(n, 30)) * 3, dtype=torch.float32)
    outputs_char = torch.tensor(rng.normal(size=(n, 964)) * 3, dtype=torch.float32)
    labels_alpha, labels_char = labels(rng, n, 30), labels(rng, n, 964)
    for char_weight in (0.1, 0.5, 0.9, 0.67):
        args = (outputs_alpha, outputs_char, labels_alpha, labels_char, char_weight)
        assert_close(student.combined_loss(*args), reference.combined_loss(*args), msg=f"char_weight={char_weight}")


@points(1, hint="the weights multiply the losses, so a weight of 0 gives that head no gradient at all")
def test_char_weight_extremes(student, reference, rng):
    """char_weight=0 leaves classifier_char unchanged, char_weight=1 leaves classifier_alpha unchanged;
    the shared image_layer changes in both cases."""
    for char_weight, frozen, trained in ((0.0, "classifier_char", "classifier_alpha"),
                                         (1.0, "classifier_alpha", "classifier_char")):
        net, ref = same_weights(student, reference, rng)
        before = snapshot(ref)  # the twin's weights, not the student's own state_dict()
        student.train_step(net, *batch(rng), char_weight, 0.1)
        after = snapshot(net)
        assert not changed(before, after, frozen), f"char_weight={char_weight}: {frozen} changed"
        assert changed(before, after, trained), f"char_weight={char_weight}: {trained} did not change"
        assert changed(before, after, "image_layer"), (
            f"char_weight={char_weight}: the shared image_layer did not change")


@points(2, hint="zero the gradients, forward, weighted loss, backward, optimizer.step(); return loss.item()")
def test_train_step_matches_reference(student, reference, rng):
    """Two SGD steps (char_weight 0.3, lr 0.05): same returned losses and same weights as the reference."""
    net, ref = same_weights(student, reference, rng)
    for _ in range(2):
        data = batch(rng)
        expected = reference.train_step(ref, *data, 0.3, 0.05)
        assert_close(student.train_step(net, *data, 0.3, 0.05), expected, rtol=1e-5, msg="returned loss")
    student_state, ref_state = snapshot(net), snapshot(ref)
    for key, value in ref_state.items():
        assert_close(student_state[key], value, msg=key)
    assert_outputs_like(net, ref, rng, "after two steps")


@points(2, hint="divide each loss by its value DETACHED from the graph; scalar loss / torch.max(loss) has no gradient")
def test_normalized_step(student, reference, rng):
    """normalize=True: the loss is 1.0, and the weights move exactly like the reference's (not frozen)."""
    net, ref = same_weights(student, reference, rng)
    before = snapshot(ref)  # the twin's weights, not the student's own state_dict()
    data = batch(rng)
    expected = reference.train_step(ref, *data, 0.7, 0.5, normalize=True)
    assert_close(student.train_step(net, *data, 0.7, 0.5, normalize=True), expected, rtol=1e-5, msg="returned loss")
    after = snapshot(net)
    assert changed(before, after, "image_layer"), "no weight changed: the normalized loss has no gradient"
    for key, value in ref.state_dict().items():
        assert_close(after[key], value, msg=key)
    assert_outputs_like(net, ref, rng, "after the normalized step")

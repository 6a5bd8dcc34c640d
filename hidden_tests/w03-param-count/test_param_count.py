"""Hidden tests for w03-param-count: parameter arithmetic, the MLP's layers and outputs, counting.

The student's model stays in the sandbox: the tests read layer names (`_get_name()`), sizes, the
state_dict (data) and outputs, and load the reference's weights into it.
"""

import numpy as np
import torch

from grader.judge import assert_close, assert_param_count, points

NOTES_ARCHS = [(8, [8, 4], 2), (16, [4, 2], 1), (5, [], 3)]


def random_arch(rng: np.random.Generator) -> tuple[int, list[int], int]:
    n_features = int(rng.integers(2, 20))
    hidden = [int(h) for h in rng.integers(1, 16, size=int(rng.integers(2, 4)))]
    return n_features, hidden, int(rng.integers(1, 6))


def layers_of(model) -> list[tuple]:
    """(class name, in_features, out_features) per layer; sizes only for Linear layers."""
    out = []
    for layer in model:
        name = layer._get_name()
        out.append((name, layer.in_features, layer.out_features) if name == "Linear" else (name,))
    return out


def true_count(model) -> int:
    """Elements in the model's state_dict (an MLP of Linear/ReLU layers has no buffers)."""
    return sum(t.numel() for t in model.state_dict().values())


@points(2, hint="Each Linear(n_in, n_out) has n_in * n_out weights plus n_out biases.")
def test_linear_stack_notes_examples(student):
    """The notes' counts: 8 -> 4 -> 2 is 46 (L2609), 16 -> 4 -> 2 -> 1 is 81 (L2634), 10 -> 18 -> 20 -> 5 is 683."""
    assert_param_count(student.linear_stack_params([8, 4, 2]), 46, msg="[8, 4, 2]")
    assert_param_count(student.linear_stack_params([16, 4, 2, 1]), 81, msg="[16, 4, 2, 1]")
    assert_param_count(student.linear_stack_params([10, 18, 20, 5]), 683, msg="[10, 18, 20, 5]")


@points(2, hint="Sum over every consecutive pair of sizes, including the last layer; one size means no layer.")
def test_linear_stack_random(student, reference, rng):
    """Random size lists (2 to 6 sizes, plus a single size) against the reference."""
    cases = [[int(s) for s in rng.integers(1, 64, size=n)] for n in (2, 3, 4, 5, 6)] + [[int(rng.integers(1, 9))]]
    for sizes in cases:
        assert_param_count(student.linear_stack_params(sizes), reference.linear_stack_params(sizes), msg=str(sizes))


@points(2, hint="Linear, ReLU, Linear, ReLU, ..., Linear: each Linear's in_features is the previous out_features; "
                "no activation after the last layer.")
def test_build_mlp_layers(student, reference, rng):
    """Layer types, order and sizes for the notes' architectures, no hidden layer, and a random one."""
    for n_features, hidden, n_classes in [*NOTES_ARCHS, random_arch(rng)]:
        model = student.build_mlp(n_features, hidden, n_classes)
        expected = layers_of(reference.build_mlp(n_features, hidden, n_classes))
        assert layers_of(model) == expected, f"build_mlp({n_features}, {hidden}, {n_classes}): expected {expected}"


@points(2, hint="With the reference's weights loaded, your model must compute the same outputs (logits, no "
                "final activation).")
def test_build_mlp_outputs(student, reference, rng):
    """Outputs equal the reference's after loading its state_dict, on random architectures."""
    for _ in range(3):
        n_features, hidden, n_classes = random_arch(rng)
        ref = reference.build_mlp(n_features, hidden, n_classes)
        model = student.build_mlp(n_features, hidden, n_classes)
        model.load_state_dict(ref.state_dict())
        x = torch.tensor(rng.normal(size=(6, n_features)), dtype=torch.float32)
        with torch.no_grad():
            expected = ref(x)
        assert_close(model(x), expected, msg=f"build_mlp({n_features}, {hidden}, {n_classes})")


@points(1, hint="Count elements (numel), weights and biases, of every parameter tensor.")
def test_count_parameters_total(student, rng):
    """count_parameters on your own models equals the number of elements in their state_dict."""
    for n_features, hidden, n_classes in [NOTES_ARCHS[0], random_arch(rng)]:
        model = student.build_mlp(n_features, hidden, n_classes)
        total = true_count(model)
        assert_param_count(student.count_parameters(model), total, msg="default (all trainable)")
        assert_param_count(student.count_parameters(model, trainable_only=False), total, msg="trainable_only=False")


@points(1, hint="trainable_only=True (the default) skips parameters with requires_grad=False.")
def test_count_parameters_frozen(student, rng):
    """After freezing the first layer: the default counts only trainable parameters, False counts all."""
    model = student.build_mlp(*random_arch(rng))
    total = true_count(model)
    frozen = true_count(model[0])
    model[0].requires_grad_(False)
    assert_param_count(student.count_parameters(model), total - frozen, msg="first layer frozen, default")
    assert_param_count(student.count_parameters(model, trainable_only=True), total - frozen, msg="trainable_only=True")
    assert_param_count(student.count_parameters(model, trainable_only=False), total, msg="trainable_only=False")
    model.requires_grad_(False)
    assert_param_count(student.count_parameters(model), 0, msg="everything frozen")

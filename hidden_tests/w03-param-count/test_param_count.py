"""Hidden tests for w03-param-count: parameter arithmetic, the MLP's layers and outputs, counting.

The student's model stays in the sandbox: the tests read layer names (`_get_name()`), sizes and outputs,
and load the reference's weights into it. `count_parameters` is checked on models the test builds itself
(from `torch.nn` layers, in the sandbox) against the same model built in the judge: the expected count never
comes from the student's objects (their `state_dict()` or `parameters()` could say anything).
"""

import numpy as np
import torch

from grader.judge import StudentError, assert_close, assert_param_count, count_parameters, points

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


def sandbox_nn(student):
    """`torch.nn` as the submission sees it (`from torch import nn`, or `import torch`), to build test models."""
    try:
        return student.nn
    except StudentError:
        return student.torch.nn


def mlp_model(nn, sizes: list[int]):
    """Linear/ReLU stack built by the test (not by build_mlp), so counting is graded on its own."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers)


def cnn_model(nn, c: list[int], k: int):
    """Convolutions (with and without bias), BatchNorm (which also holds buffers), nesting and a Linear head."""
    return nn.Sequential(
        nn.Sequential(nn.Conv2d(c[0], c[1], k, padding=1), nn.BatchNorm2d(c[1]), nn.ReLU()),
        nn.Conv2d(c[1], c[2], 3, bias=False),
        nn.ConvTranspose2d(c[2], c[3], 2, stride=2),
        nn.BatchNorm2d(c[3]),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(c[3], c[4]),
    )


def sequence_model(nn, vocab: int, d: int, c: int):
    """Embedding, LayerNorm, Conv1d, BatchNorm1d and a Linear head without bias."""
    return nn.Sequential(
        nn.Embedding(vocab, d),
        nn.LayerNorm(d),
        nn.Linear(d, c),
        nn.ReLU(),
        nn.Conv1d(c, c, 3, padding=1),
        nn.BatchNorm1d(c),
        nn.Linear(c, vocab, bias=False),
    )


def twin_models(student, build, *args):
    """The same architecture twice: in the sandbox (given to the student) and in the judge (to count)."""
    return build(sandbox_nn(student), *args), build(torch.nn, *args)


@points(1, hint="Each Linear(n_in, n_out) has n_in * n_out weights plus n_out biases.")
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
    """count_parameters on Linear/ReLU models (built by the test) with both values of trainable_only."""
    for sizes in ([8, 8, 4, 2], [int(s) for s in rng.integers(1, 20, size=4)]):
        model, twin = twin_models(student, mlp_model, sizes)
        total = count_parameters(twin, trainable_only=False)
        assert_param_count(student.count_parameters(model), total, msg=f"{sizes}, default (all trainable)")
        assert_param_count(student.count_parameters(model, trainable_only=False), total,
                           msg=f"{sizes}, trainable_only=False")


@points(1, hint="Count every parameter of every module, nested ones too (Conv, BatchNorm, LayerNorm, Embedding, "
                "Linear...), and only parameters: BatchNorm's running statistics are buffers, not parameters.")
def test_count_parameters_layer_types(student, rng):
    """count_parameters on models with convolutions, normalisation, embeddings and nesting (built by the test)."""
    c = [int(v) for v in rng.integers(2, 9, size=5)]
    cases = [
        ("conv/batchnorm model", cnn_model, (c, int(rng.integers(2, 5)))),
        ("embedding/layernorm/conv1d model", sequence_model,
         (int(rng.integers(5, 30)), int(rng.integers(2, 12)), int(rng.integers(2, 8)))),
    ]
    for what, build, args in cases:
        model, twin = twin_models(student, build, *args)
        for trainable_only in (True, False):
            assert_param_count(student.count_parameters(model, trainable_only=trainable_only),
                               count_parameters(twin, trainable_only=trainable_only),
                               msg=f"{what}, trainable_only={trainable_only}")


@points(1, hint="trainable_only=True (the default) skips parameters with requires_grad=False.")
def test_count_parameters_frozen(student, rng):
    """After freezing some layers: the default counts only trainable parameters, False counts all."""
    sizes = [int(s) for s in rng.integers(1, 20, size=4)]
    c = [int(v) for v in rng.integers(2, 9, size=5)]
    for what, build, args, frozen in [("MLP", mlp_model, (sizes,), [0]),
                                      ("conv model", cnn_model, (c, 3), [0, 3])]:
        model, twin = twin_models(student, build, *args)
        for index in frozen:
            model[index].requires_grad_(False)
            twin[index].requires_grad_(False)
        trainable, total = count_parameters(twin), count_parameters(twin, trainable_only=False)
        assert trainable < total
        assert_param_count(student.count_parameters(model), trainable, msg=f"{what}, layers {frozen} frozen, default")
        assert_param_count(student.count_parameters(model, trainable_only=True), trainable,
                           msg=f"{what}, layers {frozen} frozen, trainable_only=True")
        assert_param_count(student.count_parameters(model, trainable_only=False), total,
                           msg=f"{what}, layers {frozen} frozen, trainable_only=False")
        model.requires_grad_(False)
        assert_param_count(student.count_parameters(model), 0, msg=f"{what}, everything frozen")

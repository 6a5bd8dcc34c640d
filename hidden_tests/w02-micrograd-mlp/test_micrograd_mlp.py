"""Hidden tests for w02-micrograd-mlp: seeded Neuron/Linear/MLP outputs, structure, SSE loss, grads, training."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, assert_equal, points

try:
    from grader.judge.proxy import type_name
except ImportError:  # the authoring shim runs student code in-process
    def type_name(value: object) -> str:
        return type(value).__name__

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]  # task sheet
YS = [1.0, -1.0, -1.0, 1.0]


def datas(values) -> list[float]:
    """The .data of every Value in a list (works for a list of sandbox handles too)."""
    return [v.data for v in values]


def build(module, seed: int, cls: str, *args):
    """Seed that side's NumPy generator, then construct: each side draws its own parameters."""
    module.set_seed(seed)
    return getattr(module, cls)(*args)


def random_inputs(rng: np.random.Generator, n: int) -> list[float]:
    return [float(v) for v in rng.uniform(-2, 2, size=n)]


def random_sizes(rng: np.random.Generator) -> tuple[int, list[int]]:
    """A random architecture with a single output: (in_channels, hidden_channels)."""
    hidden = [int(h) for h in rng.integers(2, 6, size=int(rng.integers(1, 3)))] + [1]
    return int(rng.integers(2, 5)), hidden


@points(1, hint="weights first (one np.random.uniform(-1, 1) each), then the bias; output tanh(w·x + b)")
def test_neuron_seed_42(student):
    """With seed 42, Neuron(2)([2.0, 3.0]) is 0.9903860468404846 [task sheet] and it has 3 parameters."""
    student.set_seed(42)
    neuron = student.Neuron(2)
    assert_close(neuron([2.0, 3.0]).data, 0.9903860468404846, rtol=1e-12)
    assert_equal(len(neuron.parameters()), 3)


@points(1, hint="parameters() lists the weights in order, then the bias")
def test_neuron_random(student, reference, rng):
    """Random seeds, sizes and inputs: same output and same parameters (weights, then bias) as the reference."""
    for _ in range(3):
        seed, nin = int(rng.integers(2**31)), int(rng.integers(1, 6))
        x = random_inputs(rng, nin)
        neuron, ref = build(student, seed, "Neuron", nin), build(reference, seed, "Neuron", nin)
        assert_close(datas(neuron.parameters()), datas(ref.parameters()))
        assert_close(neuron(x).data, ref(x).data)


@points(1, hint="a Linear layer is out_features neurons, created one after the other, each seeing all inputs")
def test_linear(student, reference, rng):
    """Seed 42: Linear(2, 3)([2.0, 3.0]) [task sheet]; random layers match the reference."""
    student.set_seed(42)
    assert_close(datas(student.Linear(2, 3)([2.0, 3.0])),
                 [0.9903860468404846, -0.9822311315316595, 0.5591676286573155], rtol=1e-12)
    seed, nin, nout = int(rng.integers(2**31)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
    x = random_inputs(rng, nin)
    layer, ref = build(student, seed, "Linear", nin, nout), build(reference, seed, "Linear", nin, nout)
    assert_equal(len(layer.parameters()), nout * (nin + 1))
    assert_close(datas(layer(x)), datas(ref(x)))


@points(2, hint="layer k maps sizes[k] -> sizes[k + 1] with sizes = [in_channels] + hidden_channels; "
                "one output neuron gives a Value, more give a list")
def test_mlp_structure(student, rng):
    """MLP(3, [4, 4, 1]) has 41 parameters and returns a Value; MLP(3, [4, 4, 2]) returns a list of 2 Values."""
    model = student.MLP(3, [4, 4, 1])
    assert_equal(len(model.parameters()), 41)  # 4*(3+1) + 4*(4+1) + 1*(4+1)
    out = model([2.0, 3.0, -1.0])
    assert type_name(out) == "Value", f"a single-output MLP must return a Value, got {type_name(out)}"
    outs = student.MLP(3, [4, 4, 2])([2.0, 3.0, -1.0])
    assert type_name(outs) == "list" and len(outs) == 2, f"expected a list of 2 Values, got {type_name(outs)}"
    assert all(type_name(v) == "Value" for v in outs)
    nin, hidden = random_sizes(rng)
    sizes = [nin] + hidden
    expected = sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(hidden)))
    assert_equal(len(student.MLP(nin, hidden).parameters()), expected)


@points(1, hint="feed each layer's output list into the next layer, with tanh on every neuron")
def test_mlp_forward(student, reference, rng):
    """Seed 42: MLP(3, [4, 4, 1])([2, 3, -1]) = -0.6490834594731474; random architectures match the reference."""
    student.set_seed(42)
    assert_close(student.MLP(3, [4, 4, 1])([2.0, 3.0, -1.0]).data, -0.6490834594731474, rtol=1e-12)
    seed = int(rng.integers(2**31))
    nin, hidden = random_sizes(rng)
    x = random_inputs(rng, nin)
    model, ref = build(student, seed, "MLP", nin, hidden), build(reference, seed, "MLP", nin, hidden)
    assert_close(model(x).data, ref(x).data)


@points(1, hint="the loss is the SUM over samples of (prediction - target) ** 2, returned as a Value")
def test_sse_loss(student, reference, rng):
    """Seed 42 on the task sheet's data: 5.466021962407364; a random seed matches the reference."""
    student.set_seed(42)
    assert_close(student.sse_loss(student.MLP(3, [4, 4, 1]), XS, YS).data, 5.466021962407364, rtol=1e-12)
    seed = int(rng.integers(2**31))
    model, ref = build(student, seed, "MLP", 3, [4, 4, 1]), build(reference, seed, "MLP", 3, [4, 4, 1])
    assert_close(student.sse_loss(model, XS, YS).data, reference.sse_loss(ref, XS, YS).data)


@points(1, hint="loss.backward() must reach every parameter of every layer; zero_grad(model) resets every grad, "
                "weights and biases, to 0")
def test_loss_gradients(student, reference, rng):
    """After sse_loss(...).backward() every parameter's grad equals the reference's (seed 42: first grad -1.0597);
    zero_grad(model) then resets every one of them to 0."""
    seed = int(rng.integers(2**31))
    for s in (42, seed):
        model, ref = build(student, s, "MLP", 3, [4, 4, 1]), build(reference, s, "MLP", 3, [4, 4, 1])
        student.sse_loss(model, XS, YS).backward()
        reference.sse_loss(ref, XS, YS).backward()
        grads = [p.grad for p in model.parameters()]
        assert_close(grads, [p.grad for p in ref.parameters()], rtol=1e-9, atol=1e-12)
        if s == 42:
            assert_close(grads[0], -1.059677860605262, rtol=1e-9)
    student.zero_grad(model)
    zeroed = [p.grad for p in model.parameters()]
    assert_close(zeroed, [0.0] * len(zeroed), msg="grads after zero_grad(model)")


@points(2, hint="every epoch: loss, zero the grads, backward, p.data -= lr * p.grad; record the loss before the update")
def test_train(student, reference, rng):
    """Six epochs on random data: the losses and the final parameters equal the reference's."""
    seed = int(rng.integers(2**31))
    xs = [random_inputs(rng, 3) for _ in range(5)]
    ys = [float(v) for v in rng.choice([-1.0, 1.0], size=5)]
    lr = float(rng.uniform(0.02, 0.08))
    model, ref = build(student, seed, "MLP", 3, [4, 4, 1]), build(reference, seed, "MLP", 3, [4, 4, 1])
    losses = student.train(model, xs, ys, 6, lr)
    expected = reference.train(ref, xs, ys, 6, lr)
    assert_close(losses, expected, rtol=1e-9, msg="losses")
    assert_close(datas(model.parameters()), datas(ref.parameters()), rtol=1e-9, atol=1e-12, msg="parameters")
    assert expected[-1] < expected[0]

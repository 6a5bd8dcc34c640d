"""Hidden tests for w02-manual-backprop: the a, b, c, e, d, f, L graph, hand grads, manual_der, one descent step."""

from __future__ import annotations

import numpy as np

from grader.judge import assert_close, points

LABELS = ("a", "b", "c", "e", "d", "f", "L")
NOTES_GRADS = {"a": 6.0, "b": -4.0, "c": -2.0, "e": -2.0, "d": -2.0, "f": 4.0, "L": 1.0}


def random_leaves(rng: np.random.Generator) -> dict[str, float]:
    """Leaf values a, b, c, f away from 0, so no gradient vanishes by accident."""
    signs = rng.choice([-1.0, 1.0], size=4)
    values = rng.uniform(0.5, 5.0, size=4)
    return {k: float(s * v) for k, s, v in zip(("a", "b", "c", "f"), signs, values, strict=False)}


def grads_of(nodes) -> dict[str, float]:
    return {k: nodes[k].grad for k in LABELS}


def expected_grads(reference, leaves: dict[str, float]) -> dict[str, float]:
    nodes = reference.build_graph(**leaves)
    reference.set_manual_grads(nodes)
    return grads_of(nodes)


@points(1, hint="e = a * b, d = e + c, L = d * f, each node labelled with its letter")
def test_build_graph(student, reference, rng):
    """Default leaves give e = -6, d = 4, L = -8; random leaves match the reference; labels are set."""
    nodes = student.build_graph()
    assert_close({k: nodes[k].data for k in LABELS},
                 {"a": 2.0, "b": -3.0, "c": 10.0, "e": -6.0, "d": 4.0, "f": -2.0, "L": -8.0})
    assert [nodes[k].label for k in LABELS] == list(LABELS)
    leaves = random_leaves(rng)
    nodes, ref = student.build_graph(**leaves), reference.build_graph(**leaves)
    assert_close({k: nodes[k].data for k in LABELS}, {k: ref[k].data for k in LABELS})


@points(2, hint="start with L.grad = 1; for * use the OTHER parent's value times the current grad; + copies the grad")
def test_manual_grads_notes_graph(student):
    """On a=2, b=-3, c=10, f=-2: L 1, d -2, f 4, e -2, c -2, a 6, b -4."""
    nodes = student.build_graph()
    student.set_manual_grads(nodes)
    assert_close(grads_of(nodes), NOTES_GRADS, rtol=0, atol=1e-12)


@points(2, hint="compute the grads from the nodes' .data (don't type in numbers): the grader uses other leaf values")
def test_manual_grads_random_graph(student, reference, rng):
    """Random leaf values: every grad equals the chain rule's."""
    for _ in range(3):
        leaves = random_leaves(rng)
        nodes = student.build_graph(**leaves)
        student.set_manual_grads(nodes)
        assert_close(grads_of(nodes), expected_grads(reference, leaves), rtol=1e-12, atol=1e-12)


@points(3, hint="nudge the node by eps and RECOMPUTE everything after it (for e: d = e + c, L = d * f), then divide")
def test_manual_der(student, reference, rng):
    """manual_der agrees with the chain-rule grads (within 1e-2) for every label, on default and random leaves."""
    for label in LABELS:
        assert_close(student.manual_der(label), NOTES_GRADS[label], rtol=0, atol=1e-2, msg=label)
    leaves = random_leaves(rng)
    expected = expected_grads(reference, leaves)
    for label in LABELS:
        assert_close(student.manual_der(label, 1e-3, **leaves), expected[label], rtol=0, atol=1e-2, msg=label)


@points(2, hint="descent: x.data -= lr * x.grad on the leaves a, b, c, f only, then recompute e, d and L from them")
def test_gradient_step(student, reference, rng):
    """One step with lr 0.01 on the default graph gives L = -8.726304; random graphs and lr match the reference."""
    nodes = student.build_graph()
    student.set_manual_grads(nodes)
    assert_close(student.gradient_step(nodes, 0.01), -8.726304, rtol=1e-12)
    leaves, lr = random_leaves(rng), float(rng.uniform(0.005, 0.05))
    nodes, ref = student.build_graph(**leaves), reference.build_graph(**leaves)
    student.set_manual_grads(nodes)
    reference.set_manual_grads(ref)
    assert_close(student.gradient_step(nodes, lr), reference.gradient_step(ref, lr))
    assert_close({k: nodes[k].data for k in ("a", "b", "c", "f")}, {k: ref[k].data for k in ("a", "b", "c", "f")})

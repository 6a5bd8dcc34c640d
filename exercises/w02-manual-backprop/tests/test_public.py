"""Public tests for w02-manual-backprop: from the bundle's folder, run them with
`grader check w02-manual-backprop w02-manual-backprop/manual_backprop.py`.
"""

from grader.judge import assert_close


def test_forward(student):
    """a=2, b=-3, c=10, f=-2 gives e=-6, d=4, L=-8."""
    nodes = student.build_graph()
    assert_close([nodes[k].data for k in ("e", "d", "L")], [-6.0, 4.0, -8.0])


def test_manual_grads(student):
    """L 1, d -2, f 4, e -2, c -2, a 6, b -4."""
    nodes = student.build_graph()
    student.set_manual_grads(nodes)
    grads = {k: nodes[k].grad for k in ("a", "b", "c", "e", "d", "f", "L")}
    assert_close(grads, {"a": 6.0, "b": -4.0, "c": -2.0, "e": -2.0, "d": -2.0, "f": 4.0, "L": 1.0})


def test_manual_der_a(student):
    """Nudging a by 0.001 changes L by about 6 * 0.001."""
    assert abs(student.manual_der("a") - 6.0) < 1e-2


def test_one_step(student):
    """One descent step with lr 0.01: L goes from -8 to -8.726304."""
    nodes = student.build_graph()
    student.set_manual_grads(nodes)
    assert_close(student.gradient_step(nodes, 0.01), -8.726304)

"""Public tests for w02-backprop: from the bundle's folder, run them with
`grader check w02-backprop w02-backprop/micrograd.py`.
"""

from grader.judge import assert_close, remote_repr


def test_notes_graph_gradients(student):
    """The notes' graph: e = a*b, d = e + c, L = d*f with a=2, b=-3, c=10, f=-2."""
    a, b, c, f = student.Value(2.0), student.Value(-3.0), student.Value(10.0), student.Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    assert_close([L.data, L.grad, d.grad, f.grad, a.grad, b.grad], [-8.0, 1.0, -2.0, 4.0, 6.0, -4.0])


def test_reused_node_accumulates(student):
    """a + a has gradient 2 with respect to a."""
    a = student.Value(3.0)
    (a + a).backward()
    assert_close(a.grad, 2.0)


def test_tanh_neuron(student):
    """o = tanh(x1*w1 + x2*w2 + b) = 0.7071..., do/dx1 = -1.5, do/dw1 = 1.0."""
    x1, x2, w1, w2 = student.Value(2.0), student.Value(0.0), student.Value(-3.0), student.Value(1.0)
    b = student.Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert_close([o.data, x1.grad, w1.grad, x2.grad, w2.grad], [0.7071067811865476, -1.5, 1.0, 0.5, 0.0], atol=1e-9)


def test_reflected_operators(student):
    """2 + v, 2 * v, 2 - v and 2 / v work when v is a Value."""
    v = student.Value(4.0)
    assert_close([(2 + v).data, (2 * v).data, (2 - v).data, (2 / v).data], [6.0, 8.0, -2.0, 0.5])


def test_repr(student):
    """repr(Value(-8.0)) is 'Value(data=-8.0)' (what print shows)."""
    assert remote_repr(student.Value(-8.0)) == "Value(data=-8.0)"

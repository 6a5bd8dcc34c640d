"""Hidden tests for w02-backprop: forward values, gradients (fixed graphs, random graphs vs torch) and order.

Student `Value`s stay in the sandbox as handles: the tests only read `.data`, `.grad` and `.label`.
"""

import math

import numpy as np
import torch

from grader.judge import assert_close, points, remote_repr

# Expressions on two leaves x, y; each runs unchanged on student handles and reference Values.
EXPRESSIONS = {
    "x + y": lambda x, y: x + y,
    "x - y": lambda x, y: x - y,
    "x * y": lambda x, y: x * y,
    "x / y": lambda x, y: x / y,
    "x ** 3": lambda x, y: x**3,
    "x ** 0.5": lambda x, y: x**0.5,
    "y ** -2": lambda x, y: y**-2,
    "-x": lambda x, y: -x,
    "x.exp()": lambda x, y: x.exp(),
    "y.tanh()": lambda x, y: y.tanh(),
    "x.relu()": lambda x, y: x.relu(),
    "y.relu()": lambda x, y: y.relu(),
}
REFLECTED = {
    "2 + x": lambda x, y: 2 + x,
    "2 * x": lambda x, y: 2 * x,
    "2 - x": lambda x, y: 2 - x,
    "2 / x": lambda x, y: 2 / x,
    "x + 2": lambda x, y: x + 2,
    "y - 0.5": lambda x, y: y - 0.5,
    "y / 4": lambda x, y: y / 4,
}


def forward_and_grads(lib, expression, x0: float = 1.5, y0: float = -0.8) -> list[float]:
    """[out.data, x.grad, y.grad] after out.backward() on fresh leaves."""
    x, y = lib.Value(x0, label="x"), lib.Value(y0, label="y")
    out = expression(x, y)
    out.backward()
    return [out.data, x.grad, y.grad]


# ---------------------------------------------------------------- random expression graphs

UNARY = ["neg", "tanh", "exp", "relu", "pow2", "pow3", "sqrt", "inv", "radd", "rsub", "rmul", "rdiv", "subc", "divc"]
BINARY = ["add", "sub", "mul", "div"]


def apply_op(op: str, a, b, c: float):
    """One operation, written once for floats, Values, handles and torch tensors alike."""
    table = {
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b,
        "neg": lambda: -a, "pow2": lambda: a**2, "pow3": lambda: a**3, "sqrt": lambda: a**0.5,
        "inv": lambda: a**-1, "radd": lambda: c + a, "rsub": lambda: c - a, "rmul": lambda: c * a,
        "rdiv": lambda: c / a, "subc": lambda: a - c, "divc": lambda: a / c,
    }
    if op in table:
        return table[op]()
    if isinstance(a, float):
        return {"tanh": math.tanh, "exp": math.exp, "relu": lambda v: max(v, 0.0)}[op](a)
    if isinstance(a, torch.Tensor):
        return {"tanh": torch.tanh, "exp": torch.exp, "relu": torch.relu}[op](a)
    return getattr(a, op)()


def safe(op: str, a: float, b: float) -> bool:
    """Keep derivatives defined and values moderate (no division by ~0, no relu at 0, no overflow)."""
    if op in ("div", "inv") and abs(b if op == "div" else a) < 0.5:
        return False
    if op == "rdiv" and abs(a) < 0.5:
        return False
    if op == "sqrt" and a < 0.2:
        return False
    if op == "relu" and abs(a) < 0.05:
        return False
    return not (op == "exp" and a > 2.0)


def make_program(rng: np.random.Generator, n_leaves: int = 4, n_ops: int = 16):
    """Random DAG: each op picks operands among all earlier nodes, so nodes get reused."""
    values = [float(v) for v in rng.uniform(0.5, 2.0, n_leaves) * rng.choice([-1.0, 1.0], n_leaves)]
    leaves, program, used = list(values), [], set()
    while len(program) < n_ops:
        op = str(rng.choice(UNARY + BINARY + BINARY))
        i, j = (int(k) for k in rng.integers(len(values), size=2))
        c = round(float(rng.uniform(0.5, 2.0)), 3)
        if not safe(op, values[i], values[j]):
            continue
        v = apply_op(op, values[i], values[j], c)
        if not abs(v) < 20:
            continue
        program.append((op, i, j, c))
        used.update({i, j} if op in BINARY else {i})
        values.append(v)
    sinks = [k for k in range(len(values)) if k not in used]
    return leaves, program, sinks


def run_program(make_leaf, leaves, program, sinks):
    """Build the graph; returns (all nodes, root). The root sums the unused nodes so every leaf matters."""
    nodes = [make_leaf(v, f"x{k}") for k, v in enumerate(leaves)]
    for op, i, j, c in program:
        nodes.append(apply_op(op, nodes[i], nodes[j], c))
    root = nodes[sinks[0]]
    for k in sinks[1:]:
        root = root + nodes[k]
    return nodes, root


def torch_leaf_grads(leaves, program, sinks) -> list[float]:
    tensors = []

    def leaf(v, _label):
        t = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        tensors.append(t)
        return t

    _, root = run_program(leaf, leaves, program, sinks)
    root.backward()
    return [float(t.grad) if t.grad is not None else 0.0 for t in tensors]


# ---------------------------------------------------------------- tests


@points(1, hint="Check each operator's forward value, including 2 + v, 2 * v, 2 - v and 2 / v "
                "(__radd__, __rmul__, __rsub__, __rtruediv__), and repr(v) == 'Value(data=...)'.")
def test_forward_values(student, reference):
    """Forward values of + - * / **, unary -, exp, tanh, relu and the reflected operators; repr."""
    assert remote_repr(student.Value(-8.0)) == "Value(data=-8.0)", "repr(Value(-8.0)) should be 'Value(data=-8.0)'"
    for name, expression in {**EXPRESSIONS, **REFLECTED}.items():
        x, y = student.Value(1.5), student.Value(-0.8)
        rx, ry = reference.Value(1.5), reference.Value(-0.8)
        assert_close(expression(x, y).data, expression(rx, ry).data, msg=name)


@points(1, hint="After L.backward(): L.grad is 1, + copies the gradient, * multiplies by the other input's data.")
def test_notes_graph(student):
    """The notes' graph e = a*b, d = e + c, L = d*f: every gradient, root gradient 1, unrelated node 0."""
    a, b = student.Value(2.0, label="a"), student.Value(-3.0, label="b")
    c, f = student.Value(10.0, label="c"), student.Value(-2.0, label="f")
    unrelated = student.Value(5.0, label="z")
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    got = [L.data, L.grad, d.grad, f.grad, e.grad, c.grad, a.grad, b.grad, unrelated.grad]
    assert_close(got, [-8.0, 1.0, -2.0, 4.0, -2.0, -2.0, 6.0, -4.0, 0.0])


@points(1, hint="The derivative of tanh is 1 - tanh(x)**2, using the *output* t = tanh(x).")
def test_tanh_neuron(student, reference):
    """The classic neuron o = tanh(x1*w1 + x2*w2 + b): output and every gradient."""

    def neuron(lib):
        x1, x2 = lib.Value(2.0, label="x1"), lib.Value(0.0, label="x2")
        w1, w2 = lib.Value(-3.0, label="w1"), lib.Value(1.0, label="w2")
        b = lib.Value(6.8813735870195432, label="b")
        n = x1 * w1 + x2 * w2 + b
        o = n.tanh()
        o.backward()
        return [o.data, n.grad, b.grad, x1.grad, w1.grad, x2.grad, w2.grad]

    assert_close(neuron(student), neuron(reference), atol=1e-9)


@points(1, hint="A node used twice receives the sum of both contributions: accumulate with +=, never =.")
def test_accumulation(student):
    """Gradients accumulate when a node is used more than once (a + a, a * a, a*b + a)."""
    a = student.Value(3.0)
    (a + a).backward()
    b = student.Value(-2.0)
    (b * b).backward()
    p, q = student.Value(1.5), student.Value(4.0)
    (p * q + p).backward()
    assert_close([a.grad, b.grad, p.grad, q.grad], [2.0, -4.0, 5.0, 1.5])


def reused_inputs_grads(lib, expression, x0: float = 1.5, y0: float = -0.8) -> list[float]:
    """Gradients when the operation's inputs are also used elsewhere: a leaf and an intermediate node.

    root = f(x, y) + x + y, then root2 = f(g, y) + g with g = x * 1.25: the operation's _backward runs after
    the other contribution already reached its input, so an `=` in it loses that contribution.
    """
    x, y = lib.Value(x0, label="x"), lib.Value(y0, label="y")
    root = expression(x, y) + x + y
    root.backward()
    first = [root.data, x.grad, y.grad]
    x, y = lib.Value(x0, label="x"), lib.Value(y0, label="y")
    g = x * 1.25
    root = expression(g, y) + g
    root.backward()
    return [*first, root.data, x.grad, y.grad, g.grad]


@points(1, hint="Every operation (+, *, **, exp, tanh, relu and those built from them) must add (+=) into its "
                "inputs' .grad: an input used elsewhere too receives the sum of all contributions.")
def test_accumulation_every_operation(student, reference):
    """Each operation whose input is also used elsewhere in the graph (a leaf, then an intermediate node)."""
    for name, expression in {**EXPRESSIONS, **REFLECTED}.items():
        assert_close(reused_inputs_grads(student, expression), reused_inputs_grads(reference, expression),
                     msg=f"{name} with its inputs reused")


@points(1, hint="Call _backward in reverse topological order, once per node, so a node's gradient is complete "
                "before it is passed on.")
def test_diamond(student):
    """e = (a*b + a) * (a*b) with the shared node a*b: e = 48, de/da = 48, de/db = 28."""
    a, b = student.Value(2.0), student.Value(3.0)
    ab = a * b
    e = (ab + a) * ab
    e.backward()
    assert_close([e.data, a.grad, b.grad, ab.grad], [48.0, 48.0, 28.0, 14.0])


@points(1, hint="Check the local derivative of each operation (pow: k * x**(k-1); exp: its output; relu: 0 for "
                "negative inputs), including the reflected operators.")
def test_operation_gradients(student, reference):
    """Value and both leaf gradients for each single operation, at fixed inputs."""
    for name, expression in {**EXPRESSIONS, **REFLECTED}.items():
        assert_close(forward_and_grads(student, expression), forward_and_grads(reference, expression), msg=name)


@points(2, hint="Random graphs reuse nodes many times: gradients must accumulate and follow topological order.")
def test_random_graphs(student, reference, rng):
    """Every gradient on random expression graphs with shared nodes: vs the reference and torch.autograd."""
    for _ in range(3):
        leaves, program, sinks = make_program(rng)
        nodes, root = run_program(lambda v, lab: student.Value(v, label=lab), leaves, program, sinks)
        root.backward()
        ref_nodes, ref_root = run_program(lambda v, lab: reference.Value(v, label=lab), leaves, program, sinks)
        ref_root.backward()
        assert_close(root.data, ref_root.data, msg="root value")
        got_leaves = [n.grad for n in nodes[: len(leaves)]]
        assert_close(got_leaves, torch_leaf_grads(leaves, program, sinks), rtol=1e-6, atol=1e-9,
                     msg="leaf gradients vs torch.autograd")
        assert_close([n.grad for n in nodes], [n.grad for n in ref_nodes], rtol=1e-6, atol=1e-9,
                     msg="all node gradients vs the reference")


@points(1, hint="topological_sort(root) lists each node once, every node after all of its children, root last.")
def test_topological_sort(student):
    """Order property on a graph with shared nodes, checked by the labels of the returned nodes."""
    a, b, c = student.Value(0.5, label="a"), student.Value(-1.0, label="b"), student.Value(2.0, label="c")
    children = {"a": [], "b": [], "c": []}

    def node(value, label, *kids):
        value.label = label
        children[label] = list(kids)
        return value

    d = node(a * b, "d", "a", "b")
    e = node(d + c, "e", "d", "c")
    f = node(e * d, "f", "e", "d")
    g = node(f.tanh(), "g", "f")
    h = node(g + a, "h", "g", "a")
    order = [n.label for n in student.topological_sort(h)]
    assert sorted(order) == sorted(children), f"expected each of {sorted(children)} exactly once, got {order}"
    position = {label: i for i, label in enumerate(order)}
    for parent, kids in children.items():
        for kid in kids:
            assert position[kid] < position[parent], f"{kid!r} must come before {parent!r} in {order}"
    assert order[-1] == "h", f"the root must be last, got {order}"
    assert [n.label for n in student.topological_sort(a)] == ["a"], "a leaf sorts to itself"

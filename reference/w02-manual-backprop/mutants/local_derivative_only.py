"""MUTANT local_derivative_only: uses the local derivatives without the chain rule (a.grad = b, e.grad = 1, ...).

w02-manual-backprop: gradients by hand on a small computational graph (notes L1673-1703).

The graph:  e = a * b,  d = e + c,  L = d * f.  The `Value` class below is given (no backward on purpose):
you apply the notes' rules of thumb yourself.
"""

from __future__ import annotations

LEAVES = ("a", "b", "c", "f")


class Value:
    """Given: a scalar node of a computational graph (data, grad, children, operation, label)."""

    def __init__(self, data: float, _children: tuple[Value, ...] = (), _op: str = "", label: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self) -> str:
        return f"Value(data={self.data}, label={self.label!r})"

    def __add__(self, other: Value) -> Value:
        return Value(self.data + other.data, (self, other), "+")

    def __mul__(self, other: Value) -> Value:
        return Value(self.data * other.data, (self, other), "*")


# ---------------------------------------------------------------------------------------------
# Your part


def build_graph(a: float = 2.0, b: float = -3.0, c: float = 10.0, f: float = -2.0) -> dict[str, Value]:
    """Build e = a * b, d = e + c, L = d * f; return the seven nodes by label ('a', 'b', 'c', 'e', 'd', 'f', 'L')."""
    na, nb, nc, nf = Value(a, label="a"), Value(b, label="b"), Value(c, label="c"), Value(f, label="f")
    ne = na * nb
    ne.label = "e"
    nd = ne + nc
    nd.label = "d"
    nl = nd * nf
    nl.label = "L"
    return {"a": na, "b": nb, "c": nc, "e": ne, "d": nd, "f": nf, "L": nl}


def set_manual_grads(nodes: dict[str, Value]) -> None:
    """Set every node's grad = dL/dnode by the chain rule, from the end of the graph back to the leaves."""
    a, b, c, e, d, f, L = (nodes[k] for k in ("a", "b", "c", "e", "d", "f", "L"))
    L.grad = 1.0                   # dL/dL
    d.grad = f.data * L.grad       # L = d * f: the other parent's value times the current grad
    f.grad = d.data * L.grad
    e.grad = 1.0                   # d = e + c
    c.grad = 1.0
    a.grad = b.data                # e = a * b
    b.grad = a.data


def _forward_l(values: dict[str, float], bump: str | None = None, eps: float = 0.0) -> float:
    """L from the leaf values, with `eps` added to node `bump` (a leaf or an intermediate node) on the way."""
    v = dict(values)
    shift = {k: (eps if k == bump else 0.0) for k in ("a", "b", "c", "f", "e", "d", "L")}
    a, b, c, f = (v[k] + shift[k] for k in LEAVES)
    e = a * b + shift["e"]
    d = e + c + shift["d"]
    return d * f + shift["L"]


def manual_der(label: str, eps: float = 1e-3, a: float = 2.0, b: float = -3.0, c: float = 10.0,
               f: float = -2.0) -> float:
    """dL/d<label> by the forward difference (L(node + eps) - L) / eps, recomputing the graph after the nudge."""
    values = {"a": a, "b": b, "c": c, "f": f}
    return (_forward_l(values, label, eps) - _forward_l(values)) / eps


def gradient_step(nodes: dict[str, Value], lr: float = 0.01) -> float:
    """One gradient-DESCENT step on the leaves (x.data -= lr * x.grad), then a fresh forward pass: the new L."""
    for k in LEAVES:
        nodes[k].data -= lr * nodes[k].grad
    fresh = build_graph(*(nodes[k].data for k in LEAVES))
    for k in ("e", "d", "L"):
        nodes[k].data = fresh[k].data
    return nodes["L"].data


if __name__ == "__main__":
    nodes = build_graph()
    set_manual_grads(nodes)
    print({k: (n.data, n.grad) for k, n in nodes.items()})
    print({k: manual_der(k) for k in nodes})
    print("new L", gradient_step(nodes))

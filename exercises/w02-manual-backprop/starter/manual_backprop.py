"""w02-manual-backprop: gradients by hand on a small computational graph (notes L1673-1703).

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
    """Build e = a * b, d = e + c, L = d * f; return the seven nodes by label ('a', 'b', 'c', 'e', 'd', 'f', 'L').

    Give every node its label (e.g. e.label = "e").
    """
    raise NotImplementedError  # TODO


def set_manual_grads(nodes: dict[str, Value]) -> None:
    """Set every node's .grad to dL/dnode by hand, from L back to the leaves (notes L1680-1688).

    Compute each grad from the nodes' .data and the grads you already set (write the rule in a comment);
    don't type in numbers: the grader builds graphs with other leaf values.
    """
    raise NotImplementedError  # TODO


def manual_der(label: str, eps: float = 1e-3, a: float = 2.0, b: float = -3.0, c: float = 10.0,
               f: float = -2.0) -> float:
    """dL/d<label> by the forward difference (L(node + eps) - L) / eps.

    `label` may be any node, leaf or not. After nudging a node, everything that depends on it must be
    recomputed. Don't use the grads from set_manual_grads: this function checks them.
    """
    raise NotImplementedError  # TODO


def gradient_step(nodes: dict[str, Value], lr: float = 0.01) -> float:
    """One gradient-DESCENT step on the leaves a, b, c, f (x.data -= lr * x.grad); return the new L.

    The grads are already set. Recompute e, d and L from the updated leaves (don't step them with their grads).
    """
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    nodes = build_graph()
    set_manual_grads(nodes)
    print({k: (n.data, n.grad) for k, n in nodes.items()})
    print({k: manual_der(k) for k in nodes})
    print("new L", gradient_step(nodes))

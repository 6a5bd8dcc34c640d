"""w02-backprop: a scalar autograd engine (micrograd-style `Value`).

Fill in every TODO. Keep the names and signatures: the grader calls them.
"""

from __future__ import annotations

import math  # noqa: F401  (you will need it)


class Value:
    """A scalar that remembers how it was computed, so that gradients can flow back through it."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None  # set by each operation: pushes out.grad into the children
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        """Return 'Value(data=<data>)'."""
        raise NotImplementedError  # TODO

    def __add__(self, other):
        """self + other (other may be a Value or a number)."""
        raise NotImplementedError  # TODO

    def __mul__(self, other):
        """self * other (other may be a Value or a number)."""
        raise NotImplementedError  # TODO

    def __pow__(self, k):
        """self ** k for an int or float exponent k (a Value exponent is not supported)."""
        raise NotImplementedError  # TODO

    def __neg__(self):
        """-self"""
        raise NotImplementedError  # TODO

    def __sub__(self, other):
        """self - other"""
        raise NotImplementedError  # TODO

    def __truediv__(self, other):
        """self / other"""
        raise NotImplementedError  # TODO

    def __radd__(self, other):
        """other + self, e.g. 2 + v"""
        raise NotImplementedError  # TODO

    def __rmul__(self, other):
        """other * self, e.g. 2 * v"""
        raise NotImplementedError  # TODO

    def __rsub__(self, other):
        """other - self, e.g. 2 - v"""
        raise NotImplementedError  # TODO

    def __rtruediv__(self, other):
        """other / self, e.g. 2 / v"""
        raise NotImplementedError  # TODO

    def tanh(self):
        """Hyperbolic tangent; its derivative is 1 - tanh(x)**2."""
        raise NotImplementedError  # TODO

    def exp(self):
        """e ** self"""
        raise NotImplementedError  # TODO

    def relu(self):
        """max(self, 0); the derivative is 1 for positive inputs, else 0."""
        raise NotImplementedError  # TODO

    def backward(self):
        """Set self.grad = 1, then call every node's _backward in reverse topological order."""
        raise NotImplementedError  # TODO


def topological_sort(root):
    """Return every node reachable from root exactly once, each after all of its children, root last."""
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    L = (a * b + 10.0) * -2.0
    L.backward()
    print(L, a.grad, b.grad)  # Value(data=-8.0) 6.0 -4.0

"""w02-micrograd-mlp: Neuron, Linear and MLP built from `Value`s, trained with backprop (notes L497-517, L1673-1742).

The `Value` class below is given: keep it as it is. Write the classes and functions after it.
"""

from __future__ import annotations

import math

import numpy as np


def set_seed(seed: int) -> None:
    """Given: seed NumPy's global generator, which every Neuron draws its parameters from."""
    np.random.seed(seed)


class Value:
    """Given: a scalar that remembers how it was computed, so gradients can flow back through it."""

    def __init__(self, data: float, _children: tuple[Value, ...] = (), _op: str = "", label: str = "") -> None:
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self) -> str:
        return f"Value(data={self.data})"

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k: float) -> Value:
        assert isinstance(k, int | float), "only int or float exponents"
        out = Value(self.data ** k, (self,), f"**{k}")

        def _backward() -> None:
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - t ** 2) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: float) -> Value:
        return self + other

    def __rmul__(self, other: float) -> Value:
        return self * other

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other)

    def __rsub__(self, other: float) -> Value:
        return other + (-self)

    def backward(self) -> None:
        """Topologically sort the graph, set this node's grad to 1 and run every _backward in reverse order."""
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev if child not in visited)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


# ---------------------------------------------------------------------------------------------
# Your part


class Neuron:
    """tanh(w · x + b) with nin weights and one bias.

    Create the weights first, one Value(np.random.uniform(-1, 1)) each, then the bias the same way.
    """

    def __init__(self, nin: int) -> None:
        raise NotImplementedError  # TODO

    def __call__(self, x: list[float | Value]) -> Value:
        """tanh(w1 * x1 + ... + wn * xn + b) as a Value."""
        raise NotImplementedError  # TODO

    def parameters(self) -> list[Value]:
        """The weights in order, then the bias."""
        raise NotImplementedError  # TODO


class Linear:
    """A layer of out_features neurons, created one after the other, that all see the same in_features inputs."""

    def __init__(self, in_features: int, out_features: int) -> None:
        raise NotImplementedError  # TODO

    def __call__(self, x: list[float | Value]) -> list[Value]:
        """The list of the neurons' outputs."""
        raise NotImplementedError  # TODO

    def parameters(self) -> list[Value]:
        """All neurons' parameters, neuron after neuron."""
        raise NotImplementedError  # TODO


class MLP:
    """Linear layers of sizes in_channels -> hidden_channels[0] -> ... -> hidden_channels[-1], tanh everywhere."""

    def __init__(self, in_channels: int, hidden_channels: list[int]) -> None:
        raise NotImplementedError  # TODO

    def __call__(self, x: list[float | Value]) -> Value | list[Value]:
        """Run the layers in order; return a single Value if the last layer has one neuron, else the list."""
        raise NotImplementedError  # TODO

    def parameters(self) -> list[Value]:
        """All layers' parameters, layer after layer."""
        raise NotImplementedError  # TODO


def sse_loss(model: MLP, xs: list[list[float]], ys: list[float]) -> Value:
    """The SUM over samples of (model(x) - y) ** 2 for a single-output model, as a Value."""
    raise NotImplementedError  # TODO


def zero_grad(model: MLP) -> None:
    """Reset every parameter's grad to 0.0 (backward accumulates with +=)."""
    raise NotImplementedError  # TODO


def train(model: MLP, xs: list[list[float]], ys: list[float], epochs: int, lr: float) -> list[float]:
    """Full-batch gradient descent for `epochs` epochs; return every epoch's loss (a float), measured before its update.

    Each epoch: compute the loss, zero the grads, backward, then p.data -= lr * p.grad for every parameter.
    """
    raise NotImplementedError  # TODO


if __name__ == "__main__":
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    set_seed(42)
    print(Neuron(2)([2.0, 3.0]))
    set_seed(42)
    model = MLP(3, [4, 4, 1])
    print(model([2.0, 3.0, -1.0]), len(model.parameters()))
    print(train(model, xs, ys, epochs=10, lr=0.1))

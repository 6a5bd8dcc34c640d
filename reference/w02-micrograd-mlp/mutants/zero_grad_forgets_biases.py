"""MUTANT zero_grad_forgets_biases: zero_grad resets only the weights, not the biases (train zeroes every
grad itself, so training is right)."""

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
    """tanh(w · x + b), with nin weights and one bias, all Values drawn from np.random.uniform(-1, 1)."""

    def __init__(self, nin: int) -> None:
        self.w = [Value(np.random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(np.random.uniform(-1, 1))

    def __call__(self, x: list[float | Value]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        return act.tanh()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]


class Linear:
    """A layer of out_features neurons that all see the same in_features inputs."""

    def __init__(self, in_features: int, out_features: int) -> None:
        self.neurons = [Neuron(in_features) for _ in range(out_features)]

    def __call__(self, x: list[float | Value]) -> list[Value]:
        return [neuron(x) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Linear layers of sizes in_channels -> hidden_channels[0] -> ... -> hidden_channels[-1]."""

    def __init__(self, in_channels: int, hidden_channels: list[int]) -> None:
        sizes = [in_channels] + list(hidden_channels)
        self.layers = [Linear(sizes[i], sizes[i + 1]) for i in range(len(hidden_channels))]

    def __call__(self, x: list[float | Value]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]


def sse_loss(model: MLP, xs: list[list[float]], ys: list[float]) -> Value:
    """Sum of squared errors of a single-output model over the dataset."""
    return sum(((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True)), Value(0.0))


def zero_grad(model: MLP) -> None:
    """Reset every parameter's grad to 0 (backward accumulates with +=)."""
    for layer in model.layers:
        for neuron in layer.neurons:
            for w in neuron.w:
                w.grad = 0.0


def train(model: MLP, xs: list[list[float]], ys: list[float], epochs: int, lr: float) -> list[float]:
    """Full-batch gradient descent; returns the loss of every epoch, measured before that epoch's update."""
    losses = []
    for _ in range(epochs):
        loss = sse_loss(model, xs, ys)
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


if __name__ == "__main__":
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    set_seed(42)
    print(Neuron(2)([2.0, 3.0]))
    set_seed(42)
    model = MLP(3, [4, 4, 1])
    print(model([2.0, 3.0, -1.0]), len(model.parameters()))
    print(train(model, xs, ys, epochs=10, lr=0.1))

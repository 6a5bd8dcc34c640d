"""Hidden tests for w09-rnn-cell-numpy: the numpy RNN step, unrolling, the concat style and nn.RNN parity.

Weights are seeded random matrices with input, hidden and output sizes that differ, so transposed
products fail; torch modules built here (nn.RNNCell, nn.RNN) are the oracle for the parity tests.
"""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, points


def sizes(rng: np.random.Generator) -> tuple[int, int, int]:
    """Distinct (input, hidden, output) sizes."""
    n_in = int(rng.integers(2, 5))
    hidden = n_in + int(rng.integers(1, 4))
    return n_in, hidden, hidden + int(rng.integers(1, 3))


def weights(rng: np.random.Generator, n_in: int, hidden: int, n_out: int):
    """W_xh (hidden, in), W_hh (hidden, hidden), W_hy (out, hidden)."""
    return (rng.normal(scale=0.7, size=(hidden, n_in)), rng.normal(scale=0.7, size=(hidden, hidden)),
            rng.normal(scale=0.7, size=(n_out, hidden)))


def arr(value) -> np.ndarray:
    """The student's value as a float64 array."""
    return np.asarray(value, dtype=np.float64)


@points(0.5, hint="without h0 the hidden state starts as zeros of size hidden; with h0 it starts at h0")
def test_initial_state(student, reference, rng):
    """RNN(...).h is zeros(hidden), or a copy of h0 when it is given."""
    n_in, hidden, n_out = sizes(rng)
    w = weights(rng, n_in, hidden, n_out)
    assert_close(arr(student.RNN(*w).h), np.zeros(hidden))
    h0 = rng.normal(size=hidden)
    assert_close(arr(student.RNN(*w, h0).h), h0)


@points(2, hint="self.h = tanh(W_hh @ h + W_xh @ x) first, then y = W_hy @ (the NEW) h")
def test_single_step(student, reference, rng):
    """One step from a random h0: the returned y and the new h equal the reference's."""
    n_in, hidden, n_out = sizes(rng)
    w, h0, x = weights(rng, n_in, hidden, n_out), rng.normal(size=hidden), rng.normal(size=n_in)
    rnn, ref = student.RNN(*w, h0), reference.RNN(*w, h0)
    assert_close(arr(rnn.step(x)), ref.step(x))
    assert_close(arr(rnn.h), ref.h)


@points(2, hint="copy weight_ih -> W_xh and weight_hh -> W_hh: PyTorch computes tanh(W_ih x + W_hh h)")
def test_matches_torch_rnncell(student, reference, rng):
    """Five steps: the hidden state equals torch.nn.RNNCell(bias=False) with the same weights after every step."""
    n_in, hidden, n_out = sizes(rng)
    torch.manual_seed(int(rng.integers(2**31)))
    cell = torch.nn.RNNCell(n_in, hidden, bias=False).double()
    w_xh, w_hh = cell.weight_ih.detach().numpy().copy(), cell.weight_hh.detach().numpy().copy()
    rnn = student.RNN(w_xh, w_hh, rng.normal(size=(n_out, hidden)))
    h = torch.zeros(1, hidden, dtype=torch.float64)
    for _ in range(5):
        x = rng.normal(size=n_in)
        with torch.no_grad():
            h = cell(torch.tensor(x).unsqueeze(0), h)
        rnn.step(x)
        assert_close(arr(rnn.h), h[0].numpy(), atol=1e-7)


@points(1, hint="keep self.h between calls: the same input twice gives two different outputs")
def test_state_persists(student, reference, rng):
    """The same x fed twice: the second y differs from the first and equals the reference's second y."""
    n_in, hidden, n_out = sizes(rng)
    w, x = weights(rng, n_in, hidden, n_out), rng.normal(size=n_in)
    rnn, ref = student.RNN(*w), reference.RNN(*w)
    y1, y2 = arr(rnn.step(x)), arr(rnn.step(x))
    r1, r2 = ref.step(x), ref.step(x)
    assert not np.allclose(y1, y2), "the second step returned the same output: is the state kept?"
    assert_close(y1, r1)
    assert_close(y2, r2)


@points(1.5, hint="forward calls step for each row of xs, continuing from the current state, and stacks the outputs")
def test_forward_unrolls(student, reference, rng):
    """After one step, forward(xs) of 6 inputs returns the (6, out) outputs of the reference and the same final h."""
    n_in, hidden, n_out = sizes(rng)
    w, x0, xs = weights(rng, n_in, hidden, n_out), rng.normal(size=n_in), rng.normal(size=(6, n_in))
    rnn, ref = student.RNN(*w), reference.RNN(*w)
    rnn.step(x0)
    ref.step(x0)
    assert_close(arr(rnn.forward(xs)), ref.forward(xs))
    assert_close(arr(rnn.h), ref.h)


@points(1, hint="W = [W_hh | W_xh] multiplies the concatenation [h; x] (hidden state first)")
def test_step_concat(student, reference, rng):
    """step_concat([W_hh | W_xh], h, x) equals the PyTorch-style update tanh(W_hh h + W_xh x)."""
    n_in, hidden, n_out = sizes(rng)
    w_xh, w_hh, _ = weights(rng, n_in, hidden, n_out)
    h, x = rng.normal(size=hidden), rng.normal(size=n_in)
    expected = np.tanh(w_hh @ h + w_xh @ x)
    assert_close(arr(student.step_concat(np.hstack([w_hh, w_xh]), h, x)), expected)


@points(2, hint="nn.RNN adds two biases: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh); outputs are all h_t")
def test_rnn_layer_matches_nn_rnn(student, reference, rng):
    """rnn_layer with the weights of a judge-built torch.nn.RNN gives the same outputs (T, H) and final h."""
    n_in, hidden, _ = sizes(rng)
    torch.manual_seed(int(rng.integers(2**31)))
    layer = torch.nn.RNN(n_in, hidden).double()
    params = [p.detach().numpy().copy() for p in (layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0,
                                                  layer.bias_hh_l0)]
    xs, h0 = rng.normal(size=(7, n_in)), rng.normal(size=hidden)
    with torch.no_grad():
        out, h_n = layer(torch.tensor(xs), torch.tensor(h0).unsqueeze(0))
    outputs, h_last = student.rnn_layer(xs, h0, *params)
    assert_close(arr(outputs), out.numpy(), atol=1e-7)
    assert_close(arr(h_last), h_n[0].numpy(), atol=1e-7)

"""Hidden tests for w09-recurrent-shapes: the seq2vec net with RNN / LSTM / GRU, shapes, parameter counts, cells.

Expected values come from the reference's modules and from torch.nn modules built here (never from the
student's own modules): the student's net gets the reference's weights and must give the same outputs.
Batch sizes differ from the sequence lengths (and from 8) so that batch_first mix-ups fail.
"""

from __future__ import annotations

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, count_parameters, points
from grader.judge.data import randn


def compare_net(student, reference, rng, cell: str, batch: int) -> None:
    """The student's net with the reference's weights gives the reference's (batch, 1) outputs."""
    input_size, hidden, layers = int(rng.integers(1, 4)), int(rng.integers(3, 9)), int(rng.integers(1, 4))
    ref = reference.RecurrentNet(cell, input_size, hidden, layers)
    net = student.RecurrentNet(cell, input_size, hidden, layers)
    net.load_state_dict(ref.state_dict())
    x = randn(rng, batch, int(rng.integers(10, 15)), input_size)
    with torch.no_grad():
        expected = ref(x)
    assert_close(net(x), expected)


@points(1.5, hint="nn.RNN(..., batch_first=True), h0 = zeros(num_layers, x.size(0), hidden), fc on out[:, -1, :]")
def test_rnn_net(student, reference, rng):
    """RecurrentNet('rnn', ...) with the reference's weights: the same (batch, 1) predictions."""
    compare_net(student, reference, rng, "rnn", int(rng.integers(3, 7)))


@points(1.5, hint="an LSTM takes the tuple (h0, c0), both zeros(num_layers, batch, hidden)")
def test_lstm_net(student, reference, rng):
    """RecurrentNet('lstm', ...) with the reference's weights: the same predictions."""
    compare_net(student, reference, rng, "lstm", int(rng.integers(3, 7)))


@points(1, hint="nn.GRU is used like nn.RNN: one hidden state h0")
def test_gru_net(student, reference, rng):
    """RecurrentNet('gru', ...) with the reference's weights: the same predictions."""
    compare_net(student, reference, rng, "gru", int(rng.integers(3, 7)))


@points(0.5, hint="build h0 from x.size(0) in forward, never from a fixed batch size")
def test_batch_independence(student, reference, rng):
    """Batches of 1 and 11 work for all three cells and match the reference."""
    for cell in ("rnn", "lstm", "gru"):
        for batch in (1, 11):
            compare_net(student, reference, rng, cell, batch)


@points(1, hint="with batch_first=True out is (batch, seq, hidden) but h_n and c_n stay (num_layers, batch, hidden)")
def test_recurrent_shapes(student, reference, rng):
    """recurrent_shapes equals the shapes of a judge-built batch_first layer's out, h_n (and c_n) on random sizes."""
    for cell, module in (("rnn", torch.nn.RNN), ("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)):
        b, t, i, h, layers = (int(rng.integers(2, 6)), int(rng.integers(7, 12)), int(rng.integers(1, 4)),
                              int(rng.integers(3, 8)), int(rng.integers(1, 4)))
        with torch.no_grad():
            out, state = module(i, h, layers, batch_first=True)(torch.zeros(b, t, i))
        expected = {"out": tuple(out.shape)}
        if cell == "lstm":
            expected["h_n"], expected["c_n"] = tuple(state[0].shape), tuple(state[1].shape)
        else:
            expected["h_n"] = tuple(state.shape)
        got = student.recurrent_shapes(cell, b, t, i, h, layers)
        assert_equal(sorted(got), sorted(expected))
        for key, shape in expected.items():
            assert_equal(tuple(got[key]), shape, msg=f"{cell} {key}: ")


@points(1.5, hint="per layer: gates * hidden * (layer_input + hidden + 2), gates = 1 (RNN), 3 (GRU), 4 (LSTM)")
def test_param_count(student, reference, rng):
    """param_count equals the parameters of judge-built nn.RNN / nn.GRU / nn.LSTM (the notes' 1,480 / 4,440 / 5,920)."""
    for cell, module in (("rnn", torch.nn.RNN), ("gru", torch.nn.GRU), ("lstm", torch.nn.LSTM)):
        assert_equal(student.param_count(cell, 10, 20, 2), count_parameters(module(10, 20, 2)), msg=f"{cell}: ")
        i, h, layers = int(rng.integers(1, 30)), int(rng.integers(1, 40)), int(rng.integers(1, 4))
        assert_equal(student.param_count(cell, i, h, layers), count_parameters(module(i, h, layers)), msg=f"{cell}: ")


def cell_inputs(rng: np.random.Generator, module: torch.nn.Module, batch: int, n_in: int, hidden: int):
    """Random x and h, and the module's weights (W_ih, W_hh, b_ih, b_hh) as plain tensors."""
    weights = [p.detach().clone() for p in (module.weight_ih, module.weight_hh, module.bias_ih, module.bias_hh)]
    return randn(rng, batch, n_in), randn(rng, batch, hidden), weights


@points(1.5, hint="PyTorch's GRU: gates (r, z, n); n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); h' = (1 - z) n + z h")
def test_gru_cell(student, reference, rng):
    """gru_cell with the weights of a judge-built nn.GRUCell equals the cell's output."""
    n_in, hidden, batch = int(rng.integers(2, 6)), int(rng.integers(3, 8)), int(rng.integers(2, 5))
    torch.manual_seed(int(rng.integers(2**31)))
    cell = torch.nn.GRUCell(n_in, hidden)
    x, h, weights = cell_inputs(rng, cell, batch, n_in, hidden)
    with torch.no_grad():
        expected = cell(x, h)
    assert_close(student.gru_cell(x, h, *weights), expected)


@points(1.5, hint="PyTorch's LSTM: gates (i, f, g, o); c' = f c + i g; h' = o tanh(c'); return (h', c')")
def test_lstm_cell(student, reference, rng):
    """lstm_cell with the weights of a judge-built nn.LSTMCell equals the cell's (h', c')."""
    n_in, hidden, batch = int(rng.integers(2, 6)), int(rng.integers(3, 8)), int(rng.integers(2, 5))
    torch.manual_seed(int(rng.integers(2**31)))
    cell = torch.nn.LSTMCell(n_in, hidden)
    x, h, weights = cell_inputs(rng, cell, batch, n_in, hidden)
    c = randn(rng, batch, hidden)
    with torch.no_grad():
        h_next, c_next = cell(x, (h, c))
    got = student.lstm_cell(x, h, c, *weights)
    assert_equal(len(got), 2)
    assert_close(got[0], h_next)
    assert_close(got[1], c_next)

"""Mutant: builds h0 (and c0) for a fixed batch size of 8 instead of x.size(0)."""

from __future__ import annotations

import torch
from torch import nn

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class RecurrentNet(nn.Module):
    """The notes' seq2vec Net for any cell: a stacked recurrent layer, then Linear(hidden, 1) on the last step."""

    def __init__(self, cell: str = "rnn", input_size: int = 1, hidden_size: int = 32, num_layers: int = 2) -> None:
        super().__init__()
        self.cell, self.hidden_size, self.num_layers = cell, hidden_size, num_layers
        self.rnn = CELLS[cell](input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                               batch_first=True)
        self.fc = nn.Linear(hidden_size, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h0 = torch.zeros(self.num_layers, 8, self.hidden_size)
        if self.cell == "lstm":
            c0 = torch.zeros(self.num_layers, 8, self.hidden_size)
            out, _ = self.rnn(x, (h0, c0))
        else:
            out, _ = self.rnn(x, h0)
        return self.fc(out[:, -1, :])


def recurrent_shapes(cell: str, batch: int, seq_len: int, input_size: int, hidden_size: int,
                     num_layers: int) -> dict[str, tuple[int, ...]]:
    """Shapes of out and h_n (and c_n for an LSTM) of a batch_first layer on a (batch, seq_len, input) input."""
    shapes = {"out": (batch, seq_len, hidden_size), "h_n": (num_layers, batch, hidden_size)}
    if cell == "lstm":
        shapes["c_n"] = (num_layers, batch, hidden_size)
    return shapes


def param_count(cell: str, input_size: int, hidden_size: int, num_layers: int) -> int:
    """Parameters of nn.RNN / nn.LSTM / nn.GRU (with biases) by formula: gates * (W_ih + W_hh + b_ih + b_hh)."""
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else hidden_size
        total += gates * hidden_size * (layer_input + hidden_size + 2)
    return total


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh) -> torch.Tensor:
    """One nn.GRUCell step, gates in PyTorch's order (r, z, n); x (B, in), h (B, H)."""
    gi = x @ W_ih.T + b_ih
    gh = h @ W_hh.T + b_hh
    i_r, i_z, i_n = gi.chunk(3, dim=1)
    h_r, h_z, h_n = gh.chunk(3, dim=1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh) -> tuple[torch.Tensor, torch.Tensor]:
    """One nn.LSTMCell step, gates in PyTorch's order (i, f, g, o); returns (h', c')."""
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    i, f, g, o = gates.chunk(4, dim=1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_next = f * c + i * g
    h_next = o * torch.tanh(c_next)
    return h_next, c_next

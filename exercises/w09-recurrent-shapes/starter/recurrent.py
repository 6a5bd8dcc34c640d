"""w09-recurrent-shapes: the seq2vec Net (notes L7200-7222) with RNN, LSTM and GRU; shapes, sizes, cells."""

from __future__ import annotations

import torch
from torch import nn


class RecurrentNet(nn.Module):
    """self.rnn = nn.RNN / nn.LSTM / nn.GRU (cell = "rnn" / "lstm" / "gru") with input_size, hidden_size,
    num_layers and batch_first=True; self.fc = nn.Linear(hidden_size, 1).
    forward(x (batch, seq_len, input_size)): zero initial state(s) of shape (num_layers, batch, hidden_size)
    (an LSTM takes (h0, c0)), then self.fc(out[:, -1, :]) -> (batch, 1).
    """

    def __init__(self, cell: str = "rnn", input_size: int = 1, hidden_size: int = 32, num_layers: int = 2) -> None:
        super().__init__()
        raise NotImplementedError  # TODO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError  # TODO


def recurrent_shapes(cell: str, batch: int, seq_len: int, input_size: int, hidden_size: int,
                     num_layers: int) -> dict[str, tuple[int, ...]]:
    """{"out": shape, "h_n": shape} (+ "c_n" for "lstm") of a batch_first layer on (batch, seq_len, input_size)."""
    raise NotImplementedError  # TODO


def param_count(cell: str, input_size: int, hidden_size: int, num_layers: int) -> int:
    """Number of parameters of nn.RNN / nn.LSTM / nn.GRU(input_size, hidden_size, num_layers), by formula."""
    raise NotImplementedError  # TODO


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh) -> torch.Tensor:
    """One nn.GRUCell step without using nn.GRUCell: x (B, in), h (B, H) -> h' (B, H). Gate order (r, z, n)."""
    raise NotImplementedError  # TODO


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh) -> tuple[torch.Tensor, torch.Tensor]:
    """One nn.LSTMCell step without using nn.LSTMCell: returns (h', c'). Gate order (i, f, g, o)."""
    raise NotImplementedError  # TODO

"""Reference solution for w09-rnn-cell-numpy: the PyTorch-style RNN step in numpy."""

from __future__ import annotations

import numpy as np


class RNN:
    """A vanilla RNN cell without biases: h <- tanh(W_hh h + W_xh x), y = W_hy h."""

    def __init__(self, W_xh, W_hh, W_hy, h0=None) -> None:
        self.W_xh = np.asarray(W_xh, dtype=np.float64)
        self.W_hh = np.asarray(W_hh, dtype=np.float64)
        self.W_hy = np.asarray(W_hy, dtype=np.float64)
        hidden = self.W_hh.shape[0]
        self.h = np.zeros(hidden) if h0 is None else np.array(h0, dtype=np.float64)

    def step(self, x) -> np.ndarray:
        """Update the hidden state with one input vector, then return the output vector."""
        self.h = np.tanh(np.dot(self.W_hh, self.h) + np.dot(self.W_xh, x))
        y = np.dot(self.W_hy, self.h)
        return y

    def forward(self, xs) -> np.ndarray:
        """Unroll over time from the current state: xs (T, input) -> ys (T, output)."""
        return np.stack([self.step(x) for x in np.asarray(xs, dtype=np.float64)])


def step_concat(W, h, x) -> np.ndarray:
    """The concatenation style: new h = tanh(W @ [h; x]) with W = [W_hh | W_xh]."""
    return np.tanh(np.dot(W, np.concatenate([h, x])))


def rnn_layer(xs, h0, W_ih, W_hh, b_ih, b_hh) -> tuple[np.ndarray, np.ndarray]:
    """nn.RNN (one layer, tanh, unbatched): h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh).

    Returns (outputs (T, hidden): every h_t, h_T (hidden,)).
    """
    h = np.asarray(h0, dtype=np.float64)
    outputs = []
    for x in np.asarray(xs, dtype=np.float64):
        h = np.tanh(W_ih @ x + b_ih + W_hh @ h + b_hh)
        outputs.append(h)
    return np.stack(outputs), h

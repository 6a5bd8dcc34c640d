"""w09-rnn-cell-numpy: the PyTorch-style RNN cell in numpy (notes L7135-7171). numpy only, no torch."""

from __future__ import annotations

import numpy as np


class RNN:
    """A vanilla RNN cell without biases.

    __init__(W_xh (hidden, input), W_hh (hidden, hidden), W_hy (output, hidden), h0=None):
        store the weights; self.h = zeros(hidden) if h0 is None else a copy of h0.
    """

    def __init__(self, W_xh, W_hh, W_hy, h0=None) -> None:
        raise NotImplementedError  # TODO

    def step(self, x) -> np.ndarray:
        """self.h = tanh(W_hh @ self.h + W_xh @ x); return y = W_hy @ self.h."""
        raise NotImplementedError  # TODO

    def forward(self, xs) -> np.ndarray:
        """Call step on every row of xs (T, input), continuing from the current state; return ys (T, output)."""
        raise NotImplementedError  # TODO


def step_concat(W, h, x) -> np.ndarray:
    """The concatenation style: return tanh(W @ [h; x]) where W = [W_hh | W_xh] (hidden, hidden + input)."""
    raise NotImplementedError  # TODO


def rnn_layer(xs, h0, W_ih, W_hh, b_ih, b_hh) -> tuple[np.ndarray, np.ndarray]:
    """One nn.RNN layer (tanh, unbatched): h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh).

    xs (T, input), h0 (hidden,). Return (outputs (T, hidden) = every h_t, the last h_T (hidden,)).
    """
    raise NotImplementedError  # TODO

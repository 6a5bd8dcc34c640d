"""Public tests for w09-recurrent-shapes: from the bundle's folder, run them with
`grader check w09-recurrent-shapes w09-recurrent-shapes/recurrent.py`.
"""

import torch

from grader.judge import assert_equal


def test_net_output_shape(student):
    """The notes' Net (RNN, hidden 32, 2 layers) maps a batch (8, 96, 1) to (8, 1); so do LSTM and GRU."""
    for cell in ("rnn", "lstm", "gru"):
        net = student.RecurrentNet(cell, 1, 32, 2)
        assert_equal(tuple(net(torch.zeros(8, 96, 1)).shape), (8, 1))


def test_notes_param_counts(student):
    """nn.RNN(10, 20, 2) has 1,480 parameters, nn.GRU(10, 20, 2) 4,440 and nn.LSTM(10, 20, 2) 5,920."""
    assert_equal(student.param_count("rnn", 10, 20, 2), 1480)
    assert_equal(student.param_count("gru", 10, 20, 2), 4440)
    assert_equal(student.param_count("lstm", 10, 20, 2), 5920)


def test_h_n_shape(student):
    """With batch_first=True, input (8, 96, 1) and 2 layers of 32: h_n is (2, 8, 32), not (8, 32)."""
    assert_equal(tuple(student.recurrent_shapes("rnn", 8, 96, 1, 32, 2)["h_n"]), (2, 8, 32))

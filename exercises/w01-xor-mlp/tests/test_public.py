"""Public tests for w01-xor-mlp: from the bundle's folder, run them with
`grader check w01-xor-mlp w01-xor-mlp/xor.py`.
"""

from grader.judge import assert_close, assert_equal

HAND = [20.0, 20.0, -10.0, -20.0, -20.0, 30.0, 20.0, 20.0, -30.0]


def test_nine_parameters(student):
    """'How many parameters would we have in total?' 9 (notes L511-513)."""
    assert_equal(student.n_parameters(student.Xor()), 9)


def test_round_trip(student):
    """Xor(p).parameters() gives p back."""
    assert_close(student.Xor(HAND).parameters(), HAND)


def test_hand_weights(student):
    """OR (20, 20, -10), NAND (-20, -20, 30) and AND (20, 20, -30) compute XOR."""
    model = student.Xor(HAND)
    outputs = [student.forward(model, a, b) for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]]
    assert [round(o) for o in outputs] == [0, 1, 1, 0], outputs

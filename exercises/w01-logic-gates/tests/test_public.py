"""Public tests for w01-logic-gates: from the bundle's folder, run them with
`grader check w01-logic-gates w01-logic-gates/logic_gates.py`.
"""

from grader.judge import assert_close, assert_equal


def test_sigmoid(student):
    """sigmoid(0) = 0.5 and sigmoid(6) = 0.99753 (the Week 03 value, notes L2198)."""
    assert_close(student.sigmoid(0.0), 0.5)
    assert_close(student.sigmoid(6.0), 0.9975273768433653)


def test_and_table(student):
    """AND is 1 only for (1, 1)."""
    assert_equal([tuple(row) for row in student.AND], [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)])


def test_bias_fixes_the_zero_input(student):
    """With w1 = w2 = 0 the output for (0, 0) is 0.5 (notes L463-471); a bias of -10 pushes it to almost 0."""
    assert_close(student.forward([0.0, 0.0, 0.0], 0, 0), 0.5)
    assert student.forward([0.0, 0.0, -10.0], 0, 0) < 1e-4


def test_learns_and(student):
    """Training with the defaults learns AND: every output rounds to its target."""
    table = [(0, 0, 0), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
    params = student.train([0.1, -0.2, 0.3], table)
    assert [round(student.forward(params, a, b)) for a, b, _ in table] == [0, 0, 0, 1]

"""Public tests for w02-micrograd-mlp: from the bundle's folder, run them with
`grader check w02-micrograd-mlp w02-micrograd-mlp/micrograd_mlp.py`.
"""

from grader.judge import assert_close, assert_equal

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def test_neuron(student):
    """With seed 42, Neuron(2)([2.0, 3.0]) is 0.9903860468404846."""
    student.set_seed(42)
    assert_close(student.Neuron(2)([2.0, 3.0]).data, 0.9903860468404846)


def test_mlp(student):
    """With seed 42, MLP(3, [4, 4, 1]) has 41 parameters and outputs -0.6490834594731474 for [2, 3, -1]."""
    student.set_seed(42)
    model = student.MLP(3, [4, 4, 1])
    assert_equal(len(model.parameters()), 41)
    assert_close(model([2.0, 3.0, -1.0]).data, -0.6490834594731474)


def test_loss_and_one_step(student):
    """With seed 42 the SSE is 5.466021962407364; after one step with lr 0.1 it is 2.296693343458525."""
    student.set_seed(42)
    model = student.MLP(3, [4, 4, 1])
    assert_close(student.train(model, XS, YS, 2, 0.1), [5.466021962407364, 2.296693343458525])

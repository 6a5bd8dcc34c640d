import torch

from grader.judge import assert_close, points


@points(1, hint="add the two numbers")
def test_add(student, reference, rng):
    """add() on random integers."""
    a, b = (int(v) for v in rng.integers(-100, 100, size=2))
    assert_close(student.add(a, b), reference.add(a, b))


@points(1)
def test_scale(student, reference, rng):
    """scale() multiplies a tensor."""
    x = torch.tensor(rng.normal(size=(3, 4)), dtype=torch.float32)
    assert_close(student.scale(x, 2.5), reference.scale(x, 2.5))


@points(1, hint="softmax over the last dimension")
def test_softmax(student, reference, rng):
    """softmax() over rows."""
    x = torch.tensor(rng.normal(size=(4, 5)), dtype=torch.float32)
    assert_close(student.softmax(x), reference.softmax(x))


@points(1)
def test_acc(student):
    """Acc keeps a running total (an object that stays in the sandbox)."""
    acc = student.Acc()
    for v in (1.5, 2.0, -0.5):
        acc.add(v)
    assert_close(acc.total(), 3.0)


@points(1)
def test_add_equality(student):
    """A plain == on what the student returned."""
    assert student.add(1, 2) == 3

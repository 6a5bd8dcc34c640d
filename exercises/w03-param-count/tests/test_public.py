"""Public tests for w03-param-count: from the bundle's folder, run them with
`grader check w03-param-count w03-param-count/params.py`.
"""

from grader.judge import assert_param_count


def test_notes_example_46(student):
    """notes L2602-2609: Linear(8, 4) then Linear(4, 2) has 36 + 10 = 46 parameters."""
    assert_param_count(student.linear_stack_params([8, 4, 2]), 46)


def test_notes_checkpoint_81(student):
    """notes L2624-2634: 16 -> 4 -> 2 -> 1 has 81 parameters."""
    assert_param_count(student.linear_stack_params([16, 4, 2, 1]), 81)


def test_build_and_count(student):
    """build_mlp(16, [4, 2], 1) has 5 layers (Linear, ReLU, Linear, ReLU, Linear) and 81 parameters."""
    model = student.build_mlp(16, [4, 2], 1)
    assert [layer._get_name() for layer in model] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert_param_count(student.count_parameters(model), 81)

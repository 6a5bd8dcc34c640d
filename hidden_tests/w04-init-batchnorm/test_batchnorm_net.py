"""Hidden tests for w04-init-batchnorm: layer sizes, Kaiming init, and outputs equal to the reference's
once the student's model holds the reference's weights (so the forward order is what is tested)."""

import math

import numpy as np
import torch

from grader.judge import assert_close, assert_equal, assert_param_count, assert_shape, points

FAN_IN = {"fc1": 9, "fc2": 16, "fc3": 8}


def randomized_state(reference, rng: np.random.Generator) -> dict[str, torch.Tensor]:
    """A reference state_dict whose BatchNorm scales, shifts and running statistics are random,
    so that every BatchNorm detail changes the output."""
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    state = reference.Net().state_dict()
    for name in ("bn1", "bn2"):
        size = state[f"{name}.weight"].shape
        state[f"{name}.weight"] = torch.rand(size, generator=gen) + 0.5
        state[f"{name}.bias"] = torch.randn(size, generator=gen) * 0.5
        state[f"{name}.running_mean"] = torch.randn(size, generator=gen)
        state[f"{name}.running_var"] = torch.rand(size, generator=gen) + 0.5
    return state


def batch(rng: np.random.Generator, n: int) -> torch.Tensor:
    return torch.tensor(rng.uniform(0, 1, size=(n, 9)), dtype=torch.float32)


@points(2, hint="BatchNorm1d needs as many features as the previous Linear layer has outputs (16, then 8)")
def test_batchnorm_sizes(student):
    """bn1 normalizes 16 features and bn2 8 features (weights, biases and running statistics)."""
    net = student.Net()
    assert_equal(net.bn1.num_features, 16, msg="bn1.num_features")
    assert_equal(net.bn2.num_features, 8, msg="bn2.num_features")
    state = net.state_dict()
    for name, size in (("bn1", 16), ("bn2", 8)):
        for field in ("weight", "bias", "running_mean", "running_var"):
            assert_shape(state[f"{name}.{field}"], (size,), msg=f"{name}.{field}")


@points(1, hint="305 for the three Linear layers plus 2 x (16 + 8) learnable BatchNorm parameters")
def test_parameter_count(student):
    """Net has 353 learnable parameters (305 + 48 from the two BatchNorm layers)."""
    net = student.Net()
    assert_param_count(sum(p.numel() for p in net.parameters()), 353)


@points(3, hint="call init.kaiming_uniform_ on fc1.weight, fc2.weight and fc3.weight in __init__")
def test_kaiming_uniform_init(student):
    """Weights of fc1/fc2/fc3 lie within the Kaiming bound sqrt(6/fan_in) and reach close to it.

    Over 50 fresh nets every layer has at least 400 weights: uniform on [-b, b], the largest |w| exceeds 0.97 b
    except with probability 0.97**400 < 1e-5, while PyTorch's default init (b = 1/sqrt(fan_in)) and Xavier
    (b = sqrt(6/(fan_in + fan_out)), at most 0.943 of Kaiming's here) never do.
    """
    weights = {name: [] for name in FAN_IN}
    for _ in range(50):
        state = student.Net().state_dict()
        for name in FAN_IN:
            weights[name].append(state[f"{name}.weight"].abs().max().item())
    for name, fan_in in FAN_IN.items():
        kaiming_bound, default_bound = math.sqrt(6 / fan_in), 1 / math.sqrt(fan_in)
        largest = max(weights[name])
        assert largest <= kaiming_bound + 1e-6, (
            f"{name}.weight has |w| = {largest:.4f} above the kaiming_uniform_ bound {kaiming_bound:.4f}")
        assert largest > default_bound, (
            f"{name}.weight never exceeds {default_bound:.4f}: "
            "it looks like PyTorch's default init, not kaiming_uniform_")
        assert largest > 0.97 * kaiming_bound, (
            f"{name}.weight never comes close to the kaiming_uniform_ bound {kaiming_bound:.4f} (largest "
            f"|w| = {largest:.4f}): a narrower init (Xavier?) was used")


@points(2, hint="order in each block: Linear -> BatchNorm -> ReLU, and a sigmoid at the end")
def test_forward_train_mode(student, reference, rng):
    """In train mode, outputs and updated running statistics equal the reference's with the same weights."""
    state = randomized_state(reference, rng)
    net, ref = student.Net(), reference.Net()
    net.load_state_dict(state)
    ref.load_state_dict(state)
    net.train()
    ref.train()
    x = batch(rng, 32)
    with torch.no_grad():
        expected = ref(x)
    assert_close(net(x), expected)
    student_state, ref_state = net.state_dict(), ref.state_dict()
    for key in ("bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var"):
        assert_close(student_state[key], ref_state[key], msg=key)


@points(2, hint="in eval mode BatchNorm uses its running statistics, so a batch of one sample works")
def test_forward_eval_mode(student, reference, rng):
    """In eval mode (running statistics), batches of 1 and 5 give the reference's probabilities."""
    state = randomized_state(reference, rng)
    net, ref = student.Net(), reference.Net()
    net.load_state_dict(state)
    ref.load_state_dict(state)
    net.eval()
    ref.eval()
    for n in (1, 5):
        x = batch(rng, n)
        with torch.no_grad():
            expected = ref(x)
        result = net(x)
        assert_shape(result, (n, 1))
        assert_close(result, expected)

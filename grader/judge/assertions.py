"""Assertions for deep-learning outputs, written so that a lying value can never pass.

Every check is positive (``|a - b| <= tol`` must hold everywhere), so NaN fails; types, shapes
and dtypes must match exactly (no broadcasting, no tensor subclasses); messages name the worst
element so a TA can see what went wrong without rerunning anything.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

# (rtol, atol) by dtype: loose enough for a different but correct order of float operations.
DEFAULT_TOLERANCES: dict[str, tuple[float, float]] = {
    "float16": (1e-3, 1e-3),
    "bfloat16": (1.6e-2, 1e-2),
    "float32": (1e-5, 1e-5),
    "float64": (1e-7, 1e-9),
}
PYTHON_FLOAT_TOLERANCE = (1e-6, 1e-9)


class Mismatch(AssertionError):
    """A failed comparison. ``str()`` is the TA's full message (with expected values); ``kind`` is what a
    student may see for a hidden test: the kind of mismatch, never an expected value."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _type_words(value: Any) -> str:
    return "an object" if _is_handle(value) else type(value).__name__


def _is_handle(value: Any) -> bool:
    return getattr(type(value), "_grader_is_handle", False)


def _kind(value: Any) -> str:
    if _is_handle(value):
        return f"an object that stayed in the sandbox ({value!r})"
    return type(value).__name__


def _as_array(value: Any, what: str) -> np.ndarray:
    if type(value) is torch.Tensor:
        return value.detach().cpu().numpy()
    if type(value) is np.ndarray:
        return value
    raise Mismatch(f"{what}: expected an array or tensor, got {_kind(value)}",
                   f"wrong type: got {_type_words(value)}, expected an array or tensor")


def _tolerances(dtype: np.dtype, rtol: float | None, atol: float | None) -> tuple[float, float]:
    default = DEFAULT_TOLERANCES.get(str(dtype), (0.0, 0.0))
    return (default[0] if rtol is None else rtol, default[1] if atol is None else atol)


def _compare_arrays(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float, msg: str) -> None:
    if actual.shape != expected.shape:
        raise Mismatch(f"{msg}shape {tuple(actual.shape)} != expected {tuple(expected.shape)}",
                       f"wrong shape: got {tuple(actual.shape)}, expected {tuple(expected.shape)}")
    if actual.size == 0:
        return
    if actual.dtype.kind not in "biufc":
        raise Mismatch(f"{msg}dtype {actual.dtype} is not numeric", f"wrong dtype: {actual.dtype} is not numeric")
    a = actual.astype(np.float64) if actual.dtype.kind != "c" else actual.astype(np.complex128)
    b = expected.astype(np.float64) if expected.dtype.kind != "c" else expected.astype(np.complex128)
    if not np.isfinite(b).all():
        # Expected values come from the reference; a non-finite one is the test author's bug.
        raise ValueError("assert_close: expected value contains NaN or Inf; fix the test")
    finite = np.isfinite(a)
    if not finite.all():
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise Mismatch(
            f"{msg}{int((~finite).sum())} of {a.size} elements are NaN or Inf (first at index {index}: {a[index]})",
            f"values differ: {int((~finite).sum())} of {a.size} elements are NaN or Inf")
    diff = np.abs(a - b)
    ok = diff <= atol + rtol * np.abs(b)
    if ok.all():
        return
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))
    rel = diff / np.maximum(np.abs(b), np.finfo(np.float64).tiny)
    raise Mismatch(
        f"{msg}{int((~ok).sum())} of {a.size} elements differ beyond rtol={rtol:g}, atol={atol:g}; "
        f"max abs error {float(diff.max()):.6g} at index {worst} (got {a[worst]!r}, expected {b[worst]!r}); "
        f"max rel error {float(rel.max()):.6g}",
        f"values differ: {int((~ok).sum())} of {a.size} elements, worst relative error {float(rel.max()):.3g}")


def assert_close(
    actual: Any,
    expected: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    check_dtype: bool = True,
    msg: str = "",
) -> None:
    """Compare a submission's value with the reference's.

    Tensors must be tensors, arrays arrays, numbers numbers (bool is not a number here); shapes
    and (by default) dtypes must be equal; tolerances default by dtype, integers are exact; lists,
    tuples, dicts (any plain keys) and sets are compared item by item with their types.
    """
    prefix = f"{msg}: " if msg else ""
    if isinstance(expected, torch.Tensor | np.ndarray):
        want_tensor = isinstance(expected, torch.Tensor)
        if want_tensor and type(actual) is not torch.Tensor:
            raise Mismatch(f"{prefix}expected a torch.Tensor, got {_kind(actual)}",
                           f"wrong type: got {_type_words(actual)}, expected a torch.Tensor")
        if not want_tensor and type(actual) is not np.ndarray:
            raise Mismatch(f"{prefix}expected a numpy.ndarray, got {_kind(actual)}",
                           f"wrong type: got {_type_words(actual)}, expected a numpy.ndarray")
        a, b = _as_array(actual, "actual"), _as_array(expected, "expected")
        if check_dtype and a.dtype != b.dtype:
            shown = (actual.dtype, expected.dtype) if want_tensor else (a.dtype, b.dtype)
            raise Mismatch(f"{prefix}dtype {shown[0]} != expected {shown[1]}",
                           f"wrong dtype: got {shown[0]}, expected {shown[1]}")
        r, t = _tolerances(b.dtype if b.dtype.kind == "f" else a.dtype, rtol, atol)
        _compare_arrays(a, b, r, t, prefix)
        return
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        if type(actual) is not type(expected) or actual != expected:
            kind = "wrong value" if type(actual) is type(expected) else \
                f"wrong type: got {_type_words(actual)}, expected {type(expected).__name__}"
            raise Mismatch(f"{prefix}got {actual!r} ({_kind(actual)}), expected {expected!r}", kind)
        return
    if isinstance(expected, int | float):
        if type(actual) not in (int, float):
            raise Mismatch(f"{prefix}expected a number, got {_kind(actual)}",
                           f"wrong type: got {_type_words(actual)}, expected a number")
        if check_dtype and isinstance(expected, int) and type(actual) is not int:
            raise Mismatch(f"{prefix}expected an int, got {actual!r}", "wrong type: got float, expected int")
        if not math.isfinite(actual):
            raise Mismatch(f"{prefix}got {actual!r}, expected {expected!r}", f"values differ: got {actual!r}")
        r, t = PYTHON_FLOAT_TOLERANCE if isinstance(expected, float) else (0.0, 0.0)
        r, t = (r if rtol is None else rtol), (t if atol is None else atol)
        if not abs(actual - expected) <= t + r * abs(expected):
            raise Mismatch(
                f"{prefix}got {actual!r}, expected {expected!r} (abs error {abs(actual - expected):.6g}, "
                f"rtol={r:g}, atol={t:g})", "values differ")
        return
    if isinstance(expected, list | tuple):
        if type(actual) is not type(expected):
            raise Mismatch(f"{prefix}expected a {type(expected).__name__}, got {_kind(actual)}",
                           f"wrong type: got {_type_words(actual)}, expected {type(expected).__name__}")
        if len(actual) != len(expected):
            raise Mismatch(f"{prefix}length {len(actual)} != expected {len(expected)}",
                           f"wrong length: got {len(actual)}, expected {len(expected)}")
        for i, (a_item, e_item) in enumerate(zip(actual, expected, strict=True)):
            assert_close(a_item, e_item, rtol=rtol, atol=atol, check_dtype=check_dtype, msg=f"{msg}[{i}]")
        return
    if isinstance(expected, dict):
        if type(actual) is not dict:
            raise Mismatch(f"{prefix}expected a dict, got {_kind(actual)}",
                           f"wrong type: got {_type_words(actual)}, expected dict")
        if set(actual) != set(expected):
            raise Mismatch(f"{prefix}keys {sorted(map(repr, actual))} != expected {sorted(map(repr, expected))}",
                           "wrong dict keys")
        for key in expected:
            assert_close(actual[key], expected[key], rtol=rtol, atol=atol, check_dtype=check_dtype,
                         msg=f"{msg}[{key!r}]")
        return
    if isinstance(expected, set | frozenset):
        if type(actual) is not type(expected):
            raise Mismatch(f"{prefix}expected a {type(expected).__name__}, got {_kind(actual)}",
                           f"wrong type: got {_type_words(actual)}, expected {type(expected).__name__}")
        if actual != expected:
            missing, extra = sorted(map(repr, expected - actual))[:10], sorted(map(repr, actual - expected))[:10]
            raise Mismatch(f"{prefix}{len(actual ^ expected)} elements differ: missing {missing}, extra {extra}",
                           f"values differ: {len(actual ^ expected)} elements")
        return
    raise TypeError(f"assert_close cannot compare against a {type(expected).__name__}; fix the test")


def assert_shape(actual: Any, shape: Sequence[int], msg: str = "") -> None:
    """The value is a tensor or array of exactly this shape."""
    prefix = f"{msg}: " if msg else ""
    if type(actual) not in (torch.Tensor, np.ndarray):
        raise Mismatch(f"{prefix}expected a tensor of shape {tuple(shape)}, got {_kind(actual)}",
                       f"wrong type: got {_type_words(actual)}, expected a tensor")
    if tuple(actual.shape) != tuple(shape):
        raise Mismatch(f"{prefix}shape {tuple(actual.shape)} != expected {tuple(shape)}",
                       f"wrong shape: got {tuple(actual.shape)}, expected {tuple(shape)}")


def assert_equal(actual: Any, expected: Any, msg: str = "") -> None:
    """Exact equality for integers, strings, index tensors and nested containers of them."""
    assert_close(actual, expected, rtol=0.0, atol=0.0, msg=msg)


def count_parameters(module: torch.nn.Module, trainable_only: bool = True) -> int:
    """Parameter count of an in-process (reference) module."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


def assert_param_count(actual: Any, expected: int, msg: str = "") -> None:
    """A parameter count is an exact int; the message gives the difference."""
    prefix = f"{msg}: " if msg else ""
    if type(actual) is not int:
        raise Mismatch(f"{prefix}expected an int parameter count, got {_kind(actual)}",
                       f"wrong type: got {_type_words(actual)}, expected int")
    if actual != expected:
        raise Mismatch(f"{prefix}{actual} parameters, expected {expected} (off by {actual - expected:+d})",
                       "wrong parameter count")


def autograd_gradients(fn: Callable[..., torch.Tensor], *inputs: Any) -> list[np.ndarray]:
    """Gradients of a scalar ``fn`` with respect to each input, by torch.autograd in float64."""
    leaves = [torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True) for x in inputs]
    out = fn(*leaves)
    if out.numel() != 1:
        raise ValueError("autograd_gradients: fn must return a scalar")
    grads = torch.autograd.grad(out, leaves, allow_unused=True)
    return [np.zeros_like(x.detach().numpy()) if g is None else g.numpy() for x, g in zip(leaves, grads, strict=True)]


def finite_difference_gradient(f: Callable[[np.ndarray], float], x: Any, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function in float64."""
    point = np.array(x, dtype=np.float64)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        old = point[index]
        point[index] = old + eps
        up = float(f(point.copy()))
        point[index] = old - eps
        down = float(f(point.copy()))
        point[index] = old
        grad[index] = (up - down) / (2 * eps)
    return grad

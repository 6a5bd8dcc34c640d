"""The wire format decodes data strictly, and the assertions never let a wrong value pass."""

from __future__ import annotations

import base64
import io
import pickle

import numpy as np
import pytest
import torch

from grader.inside import protocol
from grader.judge import assert_close, assert_param_count, assert_shape, autograd_gradients, finite_difference_gradient


def _refuse(ref):
    raise AssertionError("no handles expected")


def roundtrip(value):
    return protocol.decode(protocol.encode(value, _refuse), _refuse)


def test_data_roundtrips_with_exact_types():
    value = {"a": [1, 2.5, None, True, "x"], "t": (np.arange(3, dtype=np.int64), torch.ones(2, 2))}
    back = roundtrip(value)
    assert type(back["t"]) is tuple and type(back["t"][1]) is torch.Tensor
    assert back["t"][0].dtype == np.int64 and back["a"] == [1, 2.5, None, True, "x"]


def test_the_notes_natural_data_crosses_with_its_types():
    itos = {0: ".", 1: "a", 2: "b"}  # the notes: itos = {i: s for s, i in stoi.items()}
    counts = {("a", "b"): 3, ("b", "."): 1}
    value = {"itos": itos, "counts": counts, "seen": {"a", "b"}, "frozen": frozenset({1, 2}), "mixed": {None: 1.5}}
    back = roundtrip(value)
    assert back == value and type(back["seen"]) is set and type(back["frozen"]) is frozenset
    assert all(type(k) is int for k in back["itos"]) and all(type(k) is tuple for k in back["counts"])


def test_a_dict_key_or_set_element_must_be_plain_hashable_data():
    array_key = {"t": "dict", "v": [[{"t": "ndarray", "npy": ""}, 1]]}
    list_key = {"t": "dict", "v": [[[1, 2], 1]]}
    list_element = {"t": "set", "v": [[1]]}
    for forged in (array_key, list_key, list_element):
        with pytest.raises(protocol.ProtocolError):
            protocol.decode(forged, _refuse)


def test_assert_close_compares_int_keyed_dicts_and_sets():
    assert_close({0: ".", 1: "a"}, {0: ".", 1: "a"})
    assert_close({"a", "b"}, {"a", "b"})
    with pytest.raises(AssertionError, match="keys"):
        assert_close({0: ".", "1": "a"}, {0: ".", 1: "a"})
    with pytest.raises(AssertionError, match="expected a set"):
        assert_close(["a", "b"], {"a", "b"})
    with pytest.raises(AssertionError, match="1 elements differ"):
        assert_close({"a"}, {"a", "b"})


def test_scalars_and_zero_dim_tensors_keep_their_shape():
    back = roundtrip([torch.tensor(0.8131), np.float32(2.5), np.array(3, dtype=np.int64), torch.zeros(0, 4)])
    assert back[0].shape == () and back[0].dtype == torch.float32
    assert back[1] == 2.5 and back[2].shape == () and back[3].shape == (0, 4)


def test_tensor_subclasses_come_back_as_plain_tensors():
    class Sneaky(torch.Tensor):
        pass

    back = roundtrip(torch.zeros(3).as_subclass(Sneaky))
    assert type(back) is torch.Tensor


def test_pickled_or_object_arrays_are_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    payload = {"t": "ndarray", "npy": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(payload, _refuse)
    raw_pickle = {"t": "ndarray", "npy": base64.b64encode(pickle.dumps([1, 2])).decode()}
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(raw_pickle, _refuse)


def test_unknown_tags_and_deep_nesting_are_refused():
    with pytest.raises(protocol.ProtocolError):
        protocol.decode({"t": "eval", "v": "1"}, _refuse)
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(deep, _refuse)


def test_assert_close_checks_type_shape_dtype_and_nan():
    expected = torch.tensor([1.0, 2.0])
    assert_close(torch.tensor([1.0, 2.0 + 1e-7]), expected)
    with pytest.raises(AssertionError, match="expected a torch.Tensor"):
        assert_close(np.array([1.0, 2.0], dtype=np.float32), expected)
    with pytest.raises(AssertionError, match="shape"):
        assert_close(torch.tensor([[1.0, 2.0]]), expected)
    with pytest.raises(AssertionError, match="dtype"):
        assert_close(torch.tensor([1.0, 2.0], dtype=torch.float64), expected)
    with pytest.raises(AssertionError, match="NaN or Inf"):
        assert_close(torch.tensor([1.0, float("nan")]), expected)
    with pytest.raises(AssertionError, match=r"max abs error 0.5 at index \(1,\)"):
        assert_close(torch.tensor([1.0, 2.5]), expected)
    with pytest.raises(AssertionError, match="expected a number"):
        assert_close(True, 1.0)
    with pytest.raises(AssertionError):
        assert_close(float("nan"), 1.0)


def test_shape_and_parameter_count_helpers():
    assert_shape(torch.zeros(2, 3), (2, 3))
    with pytest.raises(AssertionError, match=r"\(3, 2\)"):
        assert_shape(torch.zeros(3, 2), (2, 3))
    with pytest.raises(AssertionError, match="off by \\+1"):
        assert_param_count(82, 81)


def test_gradient_helpers_agree():
    x = np.array([0.3, -1.2, 2.0])
    (autograd,) = autograd_gradients(lambda t: (t.tanh() * t).sum(), x)
    numeric = finite_difference_gradient(lambda v: float((np.tanh(v) * v).sum()), x)
    np.testing.assert_allclose(autograd, numeric, rtol=1e-6)

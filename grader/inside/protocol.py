"""The wire format between the trusted judge and the untrusted worker.

Frames are a 4-byte big-endian length and a UTF-8 JSON body. Values are plain JSON scalars and
lists, or tagged objects ({"t": ...}) for tuples, dicts (keys: plain hashable data, e.g. ints), sets,
arrays and handles. Arrays travel as
.npy bytes and are read back with ``allow_pickle=False`` and a dtype allowlist: nothing is ever
unpickled. This module is imported by the worker inside the sandbox too, so it only needs the
standard library and numpy (torch is optional on the encoding side).
"""

from __future__ import annotations

import base64
import io
import json
import struct
from collections.abc import Callable
from typing import IO, Any

import numpy as np

if __package__:  # imported by the judge as grader.inside.protocol
    from grader.inside import wire
else:  # a plain file inside the sandbox, next to its siblings
    import wire  # type: ignore[import-not-found,no-redef]

MAX_FRAME_BYTES = wire.MAX_FRAME_BYTES
MAX_DEPTH = 32
MAX_ITEMS = 100_000
ALLOWED_DTYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
     "float16", "float32", "float64"]
)


class ProtocolError(Exception):
    """A frame or value that breaks the wire format; the worker is not trusted after one."""


def write_frame(stream: IO[bytes], message: dict[str, Any]) -> None:
    body = json.dumps(message, separators=(",", ":")).encode()
    if len(body) > MAX_FRAME_BYTES:
        raise ProtocolError(f"message of {len(body)} bytes exceeds the {MAX_FRAME_BYTES} byte cap")
    stream.write(struct.pack(">I", len(body)) + body)
    stream.flush()


def parse_frame_body(body: bytes) -> dict[str, Any]:
    try:
        message = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"undecodable frame: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a frame must hold a JSON object")
    return message


def read_exact(stream: IO[bytes], n: int) -> bytes:
    chunks = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            raise EOFError("stream closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: IO[bytes]) -> dict[str, Any]:
    (length,) = struct.unpack(">I", read_exact(stream, 4))
    if length > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {length} bytes exceeds the cap")
    return parse_frame_body(read_exact(stream, length))


# ---------------------------------------------------------------------------------------------
# Encoding (both sides). `make_handle` decides what an unencodable object becomes: the worker
# registers it and returns {"t": "handle", ...}; the judge refuses (it only sends data and handles).


def _npy_bytes(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    array = array.astype(array.dtype.newbyteorder("="), copy=False)  # native byte order: the only kind decoded
    np.save(buffer, np.require(array, requirements="C"), allow_pickle=False)  # keeps 0-d arrays 0-d
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def encode(value: Any, make_handle: Callable[[Any], dict[str, Any]], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, np.generic) and value.dtype.name in ALLOWED_DTYPES:
        return value.item()
    torch = _torch_if_loaded()
    if torch is not None and isinstance(value, torch.Tensor):
        array = value.detach().cpu()
        if array.dtype == torch.bfloat16:
            return make_handle(value)
        array = array.resolve_conj().resolve_neg().numpy()
        if array.dtype.name not in ALLOWED_DTYPES:
            return make_handle(value)
        return {"t": "tensor", "npy": _npy_bytes(array)}
    if isinstance(value, np.ndarray):
        if value.dtype.name not in ALLOWED_DTYPES:
            return make_handle(value)
        return {"t": "ndarray", "npy": _npy_bytes(np.asarray(value))}
    if isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise ProtocolError(f"sequence of {len(value)} items exceeds the cap")
        items = [encode(item, make_handle, depth + 1) for item in value]
        return items if isinstance(value, list) else {"t": "tuple", "v": items}
    if isinstance(value, dict) and all(_plain_key(key) for key in value):
        if len(value) > MAX_ITEMS:
            raise ProtocolError(f"dict of {len(value)} items exceeds the cap")
        return {"t": "dict", "v": [[encode(k, make_handle, depth + 1), encode(v, make_handle, depth + 1)]
                                   for k, v in value.items()]}
    if isinstance(value, set | frozenset) and all(_plain_key(item) for item in value):
        if len(value) > MAX_ITEMS:
            raise ProtocolError(f"set of {len(value)} items exceeds the cap")
        items = sorted((encode(item, make_handle, depth + 1) for item in value), key=repr)  # deterministic
        return {"t": "set" if isinstance(value, set) else "frozenset", "v": items}
    return make_handle(value)


def _plain_key(value: Any, depth: int = 0) -> bool:
    """Plain hashable data: what may be a dict key or a set element on the wire (the notes' ``itos`` is
    a dict with int keys; bigram counts use tuple keys)."""
    if value is None or type(value) in (bool, int, float, str):
        return True
    return type(value) is tuple and depth < MAX_DEPTH and all(_plain_key(item, depth + 1) for item in value)


def _torch_if_loaded() -> Any:
    import sys

    return sys.modules.get("torch")


# ---------------------------------------------------------------------------------------------
# Decoding (both sides). Strict: exact JSON shapes, allow-listed dtypes, no pickle.


def _load_npy(text: Any) -> np.ndarray:
    if not isinstance(text, str):
        raise ProtocolError("array payload must be a base64 string")
    try:
        array = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except Exception as exc:  # noqa: BLE001 - any malformed payload is a protocol error
        raise ProtocolError(f"bad array payload: {exc}") from None
    if type(array) is not np.ndarray or array.dtype.name not in ALLOWED_DTYPES:
        raise ProtocolError(f"array of dtype {getattr(array, 'dtype', '?')} is not allowed")
    if not array.dtype.isnative:  # e.g. big-endian: torch refuses it with a ValueError a test could catch
        raise ProtocolError(f"array of non-native byte order ({array.dtype.str}) is not allowed")
    return array


def _decode_key(value: Any, resolve_handle: Callable[[dict[str, Any]], Any], depth: int) -> Any:
    key = decode(value, resolve_handle, depth + 1)
    if not _plain_key(key):
        raise ProtocolError(f"a dict key or set element must be plain hashable data, got {type(key).__name__}")
    return key


def decode(value: Any, resolve_handle: Callable[[dict[str, Any]], Any], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        if len(value) > MAX_ITEMS:
            raise ProtocolError("sequence too long")
        return [decode(item, resolve_handle, depth + 1) for item in value]
    if type(value) is not dict:
        raise ProtocolError(f"unexpected JSON value of type {type(value).__name__}")
    tag = value.get("t")
    if tag == "tuple" and type(value.get("v")) is list:
        return tuple(decode(item, resolve_handle, depth + 1) for item in value["v"])
    if tag == "dict" and type(value.get("v")) is list:
        if len(value["v"]) > MAX_ITEMS:
            raise ProtocolError("dict too long")
        result: dict[Any, Any] = {}
        for pair in value["v"]:
            if type(pair) is not list or len(pair) != 2:
                raise ProtocolError("malformed dict entry")
            result[_decode_key(pair[0], resolve_handle, depth)] = decode(pair[1], resolve_handle, depth + 1)
        return result
    if tag in ("set", "frozenset") and type(value.get("v")) is list:
        if len(value["v"]) > MAX_ITEMS:
            raise ProtocolError("set too long")
        items = [_decode_key(item, resolve_handle, depth) for item in value["v"]]
        return set(items) if tag == "set" else frozenset(items)
    if tag == "ndarray":
        return _load_npy(value.get("npy")).copy()
    if tag == "tensor":
        import torch

        try:
            return torch.from_numpy(_load_npy(value.get("npy")).copy())
        except (TypeError, ValueError, RuntimeError) as exc:  # decoding failed: the sender's fault, never a test's
            raise ProtocolError(f"bad tensor payload: {exc}") from None
    if tag == "handle":
        return resolve_handle(value)
    raise ProtocolError(f"unknown value tag {tag!r}")

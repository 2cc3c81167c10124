"""Figure data as plain values: Plotly 6 writes numpy arrays as typed arrays.

`plotly.io.to_json` (and so `registry.build()`) turns a numpy array into
``{"dtype": "f8", "bdata": "<base64 of the little-endian bytes>"}``, with ``"shape": "r, c"`` for a
2-D array (customdata). plotly.js decodes them in the browser; anything in Python that reads a
figure's data (the CSV, tests) must decode them first, or it sees the dict instead of the numbers.
Every reader of figure JSON goes through `decoded()`.
"""
from __future__ import annotations

import base64
from typing import Any

import numpy as np

DTYPES = {"f8": "<f8", "f4": "<f4", "i1": "|i1", "u1": "|u1", "u1c": "|u1", "i2": "<i2", "u2": "<u2",
          "i4": "<i4", "u4": "<u4", "i8": "<i8", "u8": "<u8"}


def is_typed_array(value: Any) -> bool:
    return isinstance(value, dict) and "bdata" in value and "dtype" in value


def decode(value: dict) -> list:
    """A typed array ({dtype, bdata[, shape]}) as a (nested) list of Python numbers."""
    dtype = DTYPES.get(str(value["dtype"]))
    if dtype is None:
        raise ValueError(f"unknown typed-array dtype {value['dtype']!r}")
    raw = value["bdata"]
    data = base64.b64decode(raw) if isinstance(raw, str) else bytes(raw)
    arr = np.frombuffer(data, dtype=dtype)
    shape = value.get("shape")
    if shape is not None:
        dims = [int(x) for x in (shape.split(",") if isinstance(shape, str) else shape)]
        arr = arr.reshape(dims)
    return arr.tolist()


def decoded(obj: Any) -> Any:
    """The figure (or any part of it) with every typed array replaced by a list; other values as they are.
    Returns new containers; the input is not changed."""
    if is_typed_array(obj):
        return decode(obj)
    if isinstance(obj, dict):
        return {k: decoded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [decoded(v) for v in obj]
    return obj

"""Encoding Arrow columns into the engine's row-major int32 matrices.

Strings are encoded straight from Arrow's buffers by the Cython encoder; integer
columns are copied; any other type is cast to string first. Nothing here loops over
rows in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hrgfast import _encode
from hrgfast._encode import Kind

BLANK_CODE = -1
INT_BLANK = -(2**31)


def to_table(data: Any) -> pa.Table:
    """Accept a pyarrow Table/RecordBatch, pandas or polars DataFrame, or a mapping of
    column name -> array-like, and return a pyarrow Table (zero-copy where possible)."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    mod = type(data).__module__
    if mod.startswith("polars"):
        return data.to_arrow()
    if mod.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if isinstance(data, Mapping):
        cols = {}
        for k, v in data.items():
            if isinstance(v, (pa.Array, pa.ChunkedArray)):
                cols[str(k)] = v
            else:
                arr = np.asarray(v)
                if arr.dtype.kind in "SU":
                    arr = arr.astype(str)
                cols[str(k)] = pa.array(arr, from_pandas=True) if arr.dtype.kind == "O" \
                    else pa.array(arr)
        return pa.table(cols)
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    raise TypeError(f"cannot group a {type(data).__name__}: pass a pyarrow Table, a pandas or "
                    "polars DataFrame, or a mapping of column name to array")


def upper_names(table: pa.Table) -> pa.Table:
    """Field names are matched case-insensitively, as the RDF does."""
    return table.rename_columns([c.strip().upper() for c in table.column_names])


def _as_utf8(arr: pa.Array) -> pa.Array:
    t = arr.type
    if pa.types.is_string(t):
        return arr
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        return _as_utf8(arr)
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return arr.cast(pa.string())
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return arr.cast(pa.string())
    if pa.types.is_floating(t):
        # whole numbers print without ".0" so 12.0 reads as the code "12"
        as_int = pc.cast(arr, pa.int64(), safe=False)
        whole = pc.equal(pc.cast(as_int, t), arr)
        text = pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(arr, pa.string()))
        return text
    return arr.cast(pa.string())


def encode_column(column: pa.ChunkedArray | pa.Array, kind: int, out: np.ndarray, col: int,
                  key_to_id: np.ndarray | None = None, keys: np.ndarray | None = None,
                  num_threads: int = 1) -> None:
    """Encode one column into ``out[:, col]`` (chunk by chunk)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    start = 0
    for chunk in chunks:
        n = len(chunk)
        if n == 0:
            continue
        view = out[start:start + n]
        if pa.types.is_dictionary(chunk.type):
            _encode_dictionary(chunk, kind, view, col, key_to_id, keys, num_threads)
        elif kind == Kind.INTEGER and pa.types.is_integer(chunk.type):
            vals = chunk.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
            valid = chunk.buffers()[0]
            _encode.encode_int_values(np.ascontiguousarray(vals, dtype=np.int64),
                                      None if valid is None else np.frombuffer(valid, np.uint8),
                                      chunk.offset, view, col)
        else:
            arr = _as_utf8(chunk)
            valid, offs, data = arr.buffers()
            offsets = np.frombuffer(offs, np.int32, n + 1, arr.offset * 4)
            data_np = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
            _encode.encode_utf8(kind, offsets, data_np,
                                None if valid is None else np.frombuffer(valid, np.uint8),
                                arr.offset, view, col, key_to_id, keys, num_threads)
        start += n


def _encode_dictionary(chunk: pa.DictionaryArray, kind: int, view: np.ndarray, col: int,
                       key_to_id: np.ndarray | None, keys: np.ndarray | None,
                       num_threads: int) -> None:
    """A dictionary column: encode its (few) distinct values once, then map the indices."""
    ids = np.empty((len(chunk.dictionary), 1), dtype=np.int32)
    encode_column(chunk.dictionary, kind, ids, 0, key_to_id=key_to_id, keys=keys)
    indices = chunk.indices
    if indices.type != pa.int32():
        indices = indices.cast(pa.int32())
    valid, data = indices.buffers()
    idx = np.frombuffer(data, np.int32, len(indices), indices.offset * 4)
    _encode.encode_dict_indices(idx, None if valid is None else np.frombuffer(valid, np.uint8),
                                indices.offset, np.ascontiguousarray(ids[:, 0]),
                                INT_BLANK if kind in (Kind.INTEGER, Kind.DATE, Kind.DECIMAL3)
                                else BLANK_CODE,
                                view, col, 1)   # memory-bound: one thread is fastest


def fill_blank(out: np.ndarray, col: int, kind: int) -> None:
    numeric = kind in (Kind.INTEGER, Kind.DATE, Kind.DECIMAL3)
    out[:, col] = INT_BLANK if numeric else BLANK_CODE

"""Writing the official output file set: delimited text rows assembled in Cython.

Every output file is a list of columns (Arrow arrays rendered as strings), optionally
preceded by the echoed input line and followed by a variable-length trailing list
(unbundled HRGs, quality messages) that only the first trailing column names.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hrgfast import _csvio
from hrgfast.exitcodes import OUTPUT, GrouperError

CHUNK_ROWS = 1 << 18


def utf8(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Render any Arrow array as utf8 strings (nulls stay null and print as blank)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_string(arr.type):
        return arr
    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, "1", "0")
    if pa.types.is_timestamp(arr.type):
        return pc.strftime(arr, format="%Y-%m-%d %H:%M:%S")
    return arr.cast(pa.string())


def column_spec(arr: pa.Array, index: np.ndarray | None = None) -> tuple:
    arr = utf8(arr)
    valid, offs, data = arr.buffers()
    return (np.frombuffer(offs, np.int32, len(arr) + 1, arr.offset * 4),
            np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8),
            None if valid is None else np.frombuffer(valid, np.uint8), arr.offset, index)


def trail_spec(rows: np.ndarray, values: pa.Array, n: int, min_items: int = 1) -> tuple:
    """CSR of trailing items per row (``rows`` ascending), padding empty rows to
    ``min_items`` blank items so every row has at least the named trailing column."""
    values = utf8(values)
    counts = np.bincount(rows, minlength=n) if len(rows) else np.zeros(n, np.int64)
    padded = np.maximum(counts, min_items)
    start = np.zeros(n + 1, np.int64)
    np.cumsum(padded, out=start[1:])
    old_start = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=old_start[1:])
    src = np.full(int(start[-1]), -1, np.int64)
    if len(rows):
        k = np.arange(len(rows)) - old_start[rows]
        src[start[rows] + k] = np.arange(len(rows))
    items = pc.fill_null(pc.take(values, pa.array(src, mask=src < 0)), "")
    items = utf8(items)
    _valid, offs, data = items.buffers()
    return (start, np.frombuffer(offs, np.int32, len(items) + 1, items.offset * 4),
            np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8))


@dataclass
class TextFile:
    """One output file: header names, columns and optional echo/trailing parts."""

    suffix: str
    header: list[str]
    columns: list[pa.Array] = field(default_factory=list)
    rows: int = 0
    echo: tuple | list | None = None   # raw-line echo spec, or column specs to prepend
    trail: tuple | None = None


def write_text(path: Path, f: TextFile, headers: bool, delimiter: str = ",") -> None:
    specs = [column_spec(c) for c in f.columns]
    echo = f.echo
    if isinstance(echo, list):
        specs, echo = echo + specs, None
    d = ord(delimiter)
    try:
        with open(path, "wb") as fh:
            if headers:
                fh.write((delimiter.join(f.header) + "\n").encode("utf-8"))
            for lo in range(0, f.rows, CHUNK_ROWS):
                hi = min(f.rows, lo + CHUNK_ROWS)
                fh.write(_csvio.join_rows(lo, hi, d, specs, echo, f.trail))
    except OSError as exc:
        raise GrouperError(OUTPUT, f"cannot write {path}: {exc.strerror or exc}") from exc


def output_base(path: str | os.PathLike[str]) -> Path:
    """``-o out.csv`` or ``-o out``: the base that suffixes are added to."""
    p = Path(path)
    if p.suffix.lower() in (".csv", ".txt", ".parquet"):
        p = p.with_suffix("")
    if not p.name:
        raise GrouperError(OUTPUT, f"output name {path!r} has no file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise GrouperError(OUTPUT, f"output directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise GrouperError(OUTPUT, f"output directory {parent} is not writable")
    return p


def write_index(base: Path, names: Iterable[str], headers: bool) -> None:
    """``[name].csv``: the list of files this run wrote (used for validation only)."""
    lines = (["Output File"] if headers else []) + list(names)
    try:
        Path(str(base) + ".csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise GrouperError(OUTPUT, f"cannot write {base}.csv: {exc.strerror or exc}") from exc


def constant(value: str, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), n)


def blanks(n: int) -> pa.Array:
    return pa.nulls(n, pa.string())


def named(prefix: str, count: int) -> Sequence[str]:
    return [f"{prefix}{i}" for i in range(1, count + 1)]

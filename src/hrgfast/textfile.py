"""Reading the official grouper's input files: plain delimited text, no quoting.

Only the fields the RDF (or header) names become Arrow columns; the raw lines are
kept (memory-mapped) so the output files can echo each input row byte for byte,
extra columns included, as the official grouper does.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from hrgfast import _csvio
from hrgfast.exitcodes import INPUT, RDF_BLANK, GrouperError
from hrgfast.rdf import Rdf, from_header


@dataclass
class Echo:
    """The input lines, for copying rows into the output files."""

    buf: np.ndarray          # the file's bytes (uint8, usually a memory map)
    line_start: np.ndarray   # int64, data lines only
    line_end: np.ndarray
    nfields: np.ndarray      # int32 fields on each line
    ncols: int               # fields in the widest line (or header)

    def spec(self, order: np.ndarray) -> tuple:
        return (self.buf, self.line_start, self.line_end, self.nfields, order, self.ncols)


@dataclass
class TextInput:
    table: pa.Table          # one string column per RDF field, named by internal name
    echo: Echo
    header: list[str]        # names of the echoed input columns, for output headers
    rdf: Rdf
    path: Path


def map_file(path: Path) -> np.ndarray:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                return np.zeros(0, dtype=np.uint8)
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except IsADirectoryError:
        raise GrouperError(INPUT, f"input {path} is a directory, not a file") from None
    except OSError as exc:
        raise GrouperError(INPUT, f"cannot read input file {path}: {exc.strerror or exc}") from exc
    return np.frombuffer(mm, dtype=np.uint8)


def string_array(offsets: np.ndarray, data: np.ndarray) -> pa.Array:
    arr = pa.Array.from_buffers(pa.string(), len(offsets) - 1,
                                [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:  # not UTF-8: keep every byte readable as Latin-1
        text = [bytes(data[offsets[i]:offsets[i + 1]]).decode("latin-1")
                for i in range(len(offsets) - 1)]
        arr = pa.array(text, type=pa.string())
    return arr


def read_text(path: str | os.PathLike[str], rdf: Rdf | None, has_header: bool) -> TextInput:
    """Read ``path`` by ``rdf`` (or, without one, by its header row)."""
    p = Path(path)
    buf = map_file(p)
    if rdf is not None:
        delim = rdf.delimiter
    else:
        delim = ","
    ls, le = _csvio.index_lines(buf)
    header: list[str] = []
    if has_header and len(ls):
        header = bytes(buf[ls[0]:le[0]]).decode("utf-8", "replace").split(delim)
        ls, le = ls[1:], le[1:]
    if rdf is None:
        if not has_header:
            raise GrouperError(RDF_BLANK, "no RDF given (-d) and the input has no header (-h): "
                                          "the fields cannot be identified")
        rdf = from_header(header, delim)
    specs = [(f.position - 1, f.extract, f.picture) for f in rdf.fields]
    columns, nfields = _csvio.split_fields(buf, ls, le, ord(delim), specs)
    arrays = [string_array(offs, data) for offs, data in columns]
    table = pa.Table.from_arrays(arrays, names=rdf.names) if arrays else pa.table({})
    ncols = max(int(nfields.max()) if len(nfields) else 0, len(header),
                max((f.position for f in rdf.fields), default=0))
    names = list(header) + [""] * (ncols - len(header))
    for f in rdf.fields:
        if not names[f.position - 1]:
            names[f.position - 1] = f.display
    names = [n or f"FIELD{i + 1}" for i, n in enumerate(names)]
    return TextInput(table, Echo(buf, ls, le, nfields, ncols), names, rdf, p)

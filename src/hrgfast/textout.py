"""The official text output files, written batch by batch from integer kernel outputs.

Each file is a list of typed columns (``hrgfast._csvio.Col``) rendered in Cython:
codes come from the design's fixed-width tables, input values are echoed from the raw
lines (or Arrow columns) they came from, so no per-row Python work is done. This module
holds what every dataset's file set shares: the input sources, the quality files, the
summary and index files; ``apc/textout.py`` and ``datasets/textout.py`` add the
dataset's own files.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np
import pyarrow as pa

from hrgfast import _csvio
from hrgfast import messages as M
from hrgfast._csvio import Col
from hrgfast.exitcodes import OUTPUT, GrouperError
from hrgfast.outfiles import BackgroundWriter

QUALITY_REL = ["RowNo", "Iteration", "Code Type", "Code", "Error Message"]
UB_REL = ["RowNo", "Iteration", "UnbundledHRGs"]


class Source(Protocol):
    """Where a batch's input values come from (raw text lines or Arrow columns)."""

    def echo(self, index: np.ndarray) -> list[tuple]: ...
    def key(self, name: str, index: np.ndarray) -> tuple: ...
    def message_values(self, rows: np.ndarray, names: list[str]) -> tuple: ...


@dataclass
class TextSource:
    """Raw delimited lines: echo them byte for byte, find cells by position."""

    buf: np.ndarray
    line_start: np.ndarray
    line_end: np.ndarray
    nfields: np.ndarray
    ncols: int
    spans: dict[str, np.ndarray]       # PROCODET/PROVSPNO (n, 2) spans
    positions: dict[str, int]          # field name -> 0-based position
    delim: int

    def echo(self, index: np.ndarray) -> list[tuple]:
        return [(Col.ECHO, self.buf, self.line_start, self.line_end, self.nfields, self.ncols,
                 index)]

    def key(self, name: str, index: np.ndarray) -> tuple:
        return (Col.SPAN, self.buf, self.spans[name], index)

    def message_values(self, rows: np.ndarray, names: list[str]) -> tuple:
        """(buf, spans (m, 2)) of the named field on each line; unknown names are blank."""
        pos = np.array([self.positions.get(nm, 1 << 30) for nm in names], dtype=np.int32)
        spans = _csvio.field_spans(self.buf, self.line_start, self.line_end,
                                   np.ascontiguousarray(rows, np.int64), pos, self.delim)
        return self.buf, spans


@dataclass
class ArrowSource:
    """Arrow string columns (Parquet or in-memory input)."""

    table: pa.Table
    header: list[str]

    def _utf8(self, name: str, index: np.ndarray | None) -> tuple:
        from hrgfast.encode import _as_utf8
        col = self.table.column(name)
        arr = _as_utf8(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col)
        valid, offs, data = arr.buffers()
        return (Col.UTF8, np.frombuffer(offs, np.int32, len(arr) + 1, arr.offset * 4),
                np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8),
                None if valid is None else np.frombuffer(valid, np.uint8), arr.offset, index)

    def echo(self, index: np.ndarray) -> list[tuple]:
        return [self._utf8(name, index) for name in self.header]

    def key(self, name: str, index: np.ndarray) -> tuple:
        return self._utf8(name, index)

    def message_values(self, rows: np.ndarray, names: list[str]) -> tuple:
        """A byte buffer and (m, 2) spans of each message's value."""
        values = []
        for r, nm in zip(rows.tolist(), names, strict=True):
            v = self.table.column(nm)[r].as_py() if nm in self.table.column_names else None
            values.append(b"" if v is None else str(v).encode("utf-8"))
        lens = np.array([len(v) for v in values], dtype=np.int64)
        starts = np.zeros(len(values), np.int64)
        np.cumsum(lens[:-1], out=starts[1:]) if len(values) > 1 else None
        buf = np.frombuffer(b"".join(values), np.uint8) if values else np.zeros(0, np.uint8)
        return buf, np.stack([starts, lens], axis=1) if len(values) else np.zeros((0, 2), np.int64)


def string_table(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    enc = [s.encode("utf-8") for s in strings]
    offs = np.zeros(len(enc) + 1, np.int32)
    np.cumsum([len(e) for e in enc], out=offs[1:]) if enc else None
    data = np.frombuffer(b"".join(enc), np.uint8) if enc else np.zeros(0, np.uint8)
    return offs, data


def csr(rows: np.ndarray, n: int) -> np.ndarray:
    start = np.zeros(n + 1, np.int64)
    if len(rows):
        np.cumsum(np.bincount(rows, minlength=n), out=start[1:])
    return start


def iteration(rows: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(0, np.int32)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    run = np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    return (np.arange(len(rows)) - run + 1).astype(np.int32)



class TextFileSet:
    """A set of output files ``{base}{suffix}.csv`` appended to batch by batch through a
    background writer; ``close`` adds the summary and the index file."""

    def __init__(self, base: Path, heads: dict[str, list[str]], headers: bool = True,
                 delimiter: str = ",", num_threads: int = 1) -> None:
        self.base, self.headers = base, headers
        self.heads = heads
        self.delim = delimiter
        self.d = ord(delimiter)
        self.threads = num_threads
        self.paths: list[Path] = []
        self.files: dict[str, IO[bytes]] = {}
        self.io = BackgroundWriter()
        self._open()

    def _open(self) -> None:
        self.paths = []
        try:
            for suffix, head in self.heads.items():
                path = Path(f"{self.base}{suffix}.csv")
                fh = open(path, "wb")
                self.files[suffix] = fh
                self.paths.append(path)
                if self.headers:
                    fh.write((self.delim.join(head) + "\n").encode("utf-8"))
        except OSError as exc:
            self._close_files()
            raise GrouperError(OUTPUT, f"cannot write {self.base}_*.csv: "
                                       f"{exc.strerror or exc}") from exc

    def restart(self) -> None:
        """Discard everything written so far (the input turned out to need sorting)."""
        self.io.flush()
        self._close_files()
        self._open()

    def blanks(self, k: int) -> tuple:
        """k consecutive empty fields as one constant column."""
        return (Col.CONST, self.delim.encode() * (k - 1))

    def render(self, suffix: str | None, n: int,
               cols: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
        """Render rows once: write them to ``suffix`` (if given) and return (buffer, spans)
        for reuse as a SPAN column."""
        data, spans = _csvio.format_rows(n, cols, self.d, num_threads=self.threads, spans=True)
        if suffix is not None and n:
            try:
                self.io.write(self.files[suffix], data)
            except OSError as exc:
                raise GrouperError(OUTPUT, f"cannot write {self.base}{suffix}.csv: "
                                           f"{exc.strerror or exc}") from exc
        return np.frombuffer(data, np.uint8), spans

    def write_rows(self, suffix: str, n: int, cols: list[tuple]) -> None:
        if n == 0:
            return
        try:
            for piece in _csvio.format_rows(n, cols, self.d, num_threads=self.threads,
                                            pieces_out=True):
                self.io.write(self.files[suffix], piece)
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.base}{suffix}.csv: "
                                       f"{exc.strerror or exc}") from exc

    def write_quality(self, errors: np.ndarray, order: np.ndarray, source: Source, base: int,
                      name_of: Callable[[int], str], label_of: Callable[[int], str]) -> None:
        """``_quality_rel`` (one row per message) and ``_quality`` (one row per record with
        messages, the messages trailing); ``name_of`` / ``label_of`` give a field code's
        Code Type and the label used in message texts."""
        m = len(errors)
        if m == 0:
            return
        rows = errors["row"].astype(np.int64)
        codes = errors["a"].astype(np.int64)
        msgs = errors["b"].astype(np.int64)
        ucode, code_inv = np.unique(codes, return_inverse=True)
        names = [name_of(int(c)) for c in ucode]
        ukey, key_inv = np.unique(codes * 1000 + msgs, return_inverse=True)
        texts = [M.render(int(k % 1000), label_of(int(k // 1000))) for k in ukey.tolist()]
        offs, data = string_table(names + texts)
        type_ids = code_inv.astype(np.int32)
        text_ids = (key_inv + len(names)).astype(np.int32)
        blank = np.isin(msgs, list(M.CODE_BLANK_MESSAGES))
        vbuf, vspans = source.message_values(order[rows], [names[i] for i in code_inv.tolist()])
        vspans = vspans.copy()
        vspans[blank, 1] = 0
        self.write_rows("_quality_rel", m, [
            (Col.ROWNO, base, rows), (Col.INT, iteration(rows), 0, None),
            (Col.UTF8, offs, data, None, 0, type_ids.astype(np.int64)),
            (Col.SPAN, vbuf, vspans, None),
            (Col.UTF8, offs, data, None, 0, text_ids.astype(np.int64))])
        bad = np.unique(rows)
        start = np.searchsorted(rows, np.r_[bad, rows[-1] + 1]).astype(np.int64)
        self.write_rows("_quality", len(bad), source.echo(order[bad]) + [
            (Col.ROWNO, base, bad),
            (Col.TRAIL_MSG, start, type_ids, vspans, text_ids, vbuf, offs, data, None)])

    def _close_files(self) -> None:
        try:
            self.io.flush()
        except OSError:
            pass
        for fh in self.files.values():
            try:
                if not fh.closed:
                    self.io.release(fh)
                fh.close()
            except OSError:
                pass

    def close_with_summary(self, columns: list[str], values: list[Any]) -> list[Path]:
        """Finish the files, write ``_summary`` and the index file; return every path."""
        try:
            self.io.close()
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {self.base}_*.csv: "
                                       f"{exc.strerror or exc}") from exc
        finally:
            self._close_files()
        text = [self.delim.join(columns)] if self.headers else []
        text.append(self.delim.join(fmt(v) for v in values))
        summary = Path(f"{self.base}_summary.csv")
        index = Path(f"{self.base}.csv")
        try:
            summary.write_text("\n".join(text) + "\n", encoding="utf-8")
            names = [p.name for p in self.paths] + [summary.name]
            index.write_text("\n".join((["Output File"] if self.headers else []) + names) + "\n",
                             encoding="utf-8")
        except OSError as exc:
            raise GrouperError(OUTPUT, f"cannot write {summary}: {exc.strerror or exc}") from exc
        return [index] + self.paths + [summary]


def fmt(v: Any) -> str:
    if isinstance(v, _dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)

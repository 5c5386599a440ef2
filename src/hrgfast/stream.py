"""Streaming a delimited input file of any size through a dataset's grouping pipeline,
in bounded memory.

The file is read in blocks of whole lines; each block is parsed and encoded in one
pass, grouped and appended to the output files. Datasets whose records are grouped
in sets (APC spells, PCC/NCC critical care days of one unit stay) declare a two-field
key: a set that straddles a block boundary is held back and carried into the next
block, so sets are always grouped whole. When the input is not in key order the
first pass stops and the file is instead range-partitioned by key into temporary
files (boundaries from a sample of keys), each sorted and grouped in key order; the
outputs are then in RowNo order either way.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from hrgfast import _apc, _csvio, _encode
from hrgfast.exitcodes import INPUT, RDF_BLANK, GrouperError
from hrgfast.rdf import Rdf, from_header

KEY = 7                     # _encode KIND_KEY: keep the cell's span
DEFAULT_BLOCK = 16 << 20    # bytes per block: measured fastest here (bench/README.md)


class Unsorted(Exception):
    """The input is not in key order (raised to switch to partitioned mode)."""


@dataclass
class Layout:
    """Where each field sits in a line, and the echoed header."""

    rdf: Rdf
    header: list[str]              # output names of the echoed input columns
    ncols: int
    delim: int
    positions: dict[str, int]

    @classmethod
    def make(cls, rdf: Rdf | None, header_line: list[str] | None,
             check: Callable[[list[str]], None]) -> Layout:
        if rdf is None:
            if header_line is None:
                raise GrouperError(RDF_BLANK, "no RDF given (-d) and the input has no header "
                                              "(-h): the fields cannot be identified")
            rdf = from_header(header_line)
        check(rdf.names)
        header = list(header_line or [])
        ncols = max(len(header), max(f.position for f in rdf.fields))
        header += [""] * (ncols - len(header))
        for f in rdf.fields:
            if not header[f.position - 1]:
                header[f.position - 1] = f.display
        header = [h or f"FIELD{i + 1}" for i, h in enumerate(header)]
        return cls(rdf, header, ncols, ord(rdf.delimiter),
                   {f.name: f.position - 1 for f in rdf.fields})


class Pipeline(Protocol):
    """One dataset's encode-and-group steps over blocks of raw lines."""

    keys: tuple[str, str] | None     # the grouping-set key fields, or None

    def encode(self, buf: np.ndarray, ls: np.ndarray, le: np.ndarray) -> int: ...

    def key_spans(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first key spans, second key spans, int32 order column) of the last block."""
        ...

    def group(self, writer: Any, buf: np.ndarray, ls: np.ndarray, le: np.ndarray, n: int,
              group_start: np.ndarray | None, rowno: int, order: np.ndarray) -> None: ...


def sort_order(buf: np.ndarray, spans_p: np.ndarray, spans_s: np.ndarray,
               within: np.ndarray) -> np.ndarray:
    """Rows in (key 1, key 2) byte order, then ``within``, stable."""
    wp = max(1, (int(spans_p[:, 1].max(initial=0)) + 7) // 8)
    ws = max(1, (int(spans_s[:, 1].max(initial=0)) + 7) // 8)
    kp = _apc.pack_keys(buf, np.ascontiguousarray(spans_p), wp)
    ks = _apc.pack_keys(buf, np.ascontiguousarray(spans_s), ws)
    keys = [within] + [ks[:, i] for i in range(ws - 1, -1, -1)] + \
        [kp[:, i] for i in range(wp - 1, -1, -1)]
    return np.lexsort(keys).astype(np.int64)


class BlockGrouper:
    """Groups one text file into a writer, block by block, through ``pipeline``."""

    def __init__(self, path: Path, layout_check: Callable[[list[str]], None],
                 make_pipeline: Callable[[Layout], Pipeline], rdf: Rdf | None,
                 has_header: bool, threads: int, block_bytes: int = DEFAULT_BLOCK,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.path, self.threads = path, threads
        self.block = block_bytes
        self.progress = progress or (lambda rows, nbytes: None)
        self.mode = "streamed"
        try:
            self.size = path.stat().st_size
        except OSError as exc:
            raise GrouperError(INPUT, f"cannot read input file {path}: {exc.strerror or exc}") \
                from exc
        header_line = None
        self.header_bytes = 0
        if has_header:
            with open(path, "rb") as fh:
                first = fh.readline()
            self.header_bytes = len(first)
            delim = rdf.delimiter if rdf else ","
            header_line = first.rstrip(b"\r\n").decode("utf-8", "replace").split(delim)
        self.layout = Layout.make(rdf, header_line, layout_check)
        self.pipeline = make_pipeline(self.layout)

    def blocks(self, start: int = 0) -> Iterator[tuple[np.ndarray, bool]]:
        """Blocks of whole lines from the file (the last one flagged)."""
        with open(self.path, "rb") as fh:
            fh.seek(start)
            carry = b""
            while True:
                data = fh.read(self.block)
                eof = len(data) < self.block
                chunk = carry + data
                if not eof:
                    cut = chunk.rfind(b"\n")
                    if cut < 0:          # one line longer than a block: keep reading
                        carry = chunk
                        continue
                    carry = chunk[cut + 1:]
                    chunk = chunk[:cut + 1]
                else:
                    carry = b""
                yield np.frombuffer(chunk, np.uint8), eof
                if eof:
                    return

    def run(self, writer: Any) -> None:
        """Group the whole file into ``writer``; ``mode`` records how."""
        if self.pipeline.keys is None:
            self.mode = "streamed"
            self._run_unkeyed(writer)
            return
        try:
            self.mode = "sorted"
            self._run_sorted(writer)
        except Unsorted:
            self.mode = "partitioned"
            writer.restart()
            self._run_partitioned(writer)

    def _run_unkeyed(self, writer: Any) -> None:
        rowno = 0
        offset = self.header_bytes
        for buf, _eof in self.blocks(self.header_bytes):
            ls, le = _csvio.index_lines(buf)
            n = self.pipeline.encode(buf, ls, le)
            if n:
                self.pipeline.group(writer, buf, ls, le, n, None, rowno,
                                    np.arange(n, dtype=np.int64))
            rowno += n
            offset += len(buf)
            self.progress(rowno, min(self.size, offset))
        self.progress(rowno, self.size)

    # -- keyed input in key order: stream with carry-over ----------------------------------
    def _run_sorted(self, writer: Any) -> None:
        rowno = 0
        pending: np.ndarray | None = None   # bytes of a held-back set
        last_key: tuple[bytes, bytes] | None = None
        offset = self.header_bytes          # file offset of buf[0]
        for buf, eof in self.blocks(self.header_bytes):
            if pending is not None and len(pending):
                buf = np.concatenate([pending, buf])
            ls, le = _csvio.index_lines(buf)
            n = self.pipeline.encode(buf, ls, le)
            if n == 0:
                pending = None
                continue
            sp, ss, within = self.pipeline.key_spans(n)
            status, starts = _apc.find_spells(buf, sp, buf, ss, np.ascontiguousarray(within))
            if status == _apc.UNSORTED:
                raise Unsorted()
            first_key = _key(buf, sp, ss, 0)
            if last_key is not None and first_key < last_key:
                raise Unsorted()
            if not eof:
                if len(starts) <= 2:       # one set fills the block: read on
                    pending = buf[ls[0]:].copy()
                    continue
                keep = int(starts[-2])
                pending = buf[ls[keep]:].copy()
                starts = starts[:-1]
            else:
                keep = n
                pending = None
            last_key = _key(buf, sp, ss, keep - 1)
            if status == _apc.GROUPED:
                set_of = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
                order = np.lexsort((within[:keep], set_of)).astype(np.int64)
            else:
                order = np.arange(keep, dtype=np.int64)
            self.pipeline.group(writer, buf, ls[:keep], le[:keep], keep, starts, rowno, order)
            rowno += keep
            offset += int(ls[keep]) if pending is not None else len(buf)
            self.progress(rowno, min(self.size, offset))
        self.progress(rowno, self.size)

    # -- keyed input out of order: partition by key range, then sort each part -------------
    def _sample_keys(self, want: int = 4096) -> list[tuple[bytes, bytes]]:
        """Keys of lines read at evenly spread offsets (cheap, no full pass)."""
        lay = self.layout
        kp, ks = (lay.positions.get(k, 1 << 30) for k in self.pipeline.keys)
        d = bytes([lay.delim])
        keys = []
        rng = random.Random(0)
        with open(self.path, "rb") as fh:
            for k in range(want):
                off = self.header_bytes + (self.size - self.header_bytes) * k // want
                off += rng.randrange(0, max(1, (self.size - self.header_bytes) // want))
                fh.seek(off)
                if off > self.header_bytes:
                    fh.readline()              # skip the partial line
                line = fh.readline().rstrip(b"\r\n")
                if not line:
                    continue
                cells = line.split(d)
                keys.append((cells[kp] if kp < len(cells) else b"",
                             cells[ks] if ks < len(cells) else b""))
        return sorted(set(keys))

    def _run_partitioned(self, writer: Any) -> None:
        body = max(1, self.size - self.header_bytes)
        parts = max(2, -(-body // max(1, self.block // 2)))
        sample = self._sample_keys()
        if len(sample) < parts:
            parts = max(1, len(sample))
        bounds = [sample[len(sample) * (i + 1) // parts] for i in range(parts - 1)] if parts > 1 \
            else []
        bounds = sorted(set(bounds))
        bbuf, bp, bs = _bound_spans(bounds)
        lay = self.layout
        kp, ks = (lay.positions.get(k, 1 << 30) for k in self.pipeline.keys)
        tmp = Path(tempfile.mkdtemp(prefix="hrgfast-parts-",
                                    dir=os.environ.get("HRGFAST_TMPDIR") or None))
        try:
            files = [open(tmp / f"part{i:05d}", "wb") for i in range(len(bounds) + 1)]
            try:
                for buf, _eof in self.blocks(self.header_bytes):
                    ls, le = _csvio.index_lines(buf)
                    n = len(ls)
                    if n == 0:
                        continue
                    spans_p = np.empty((n, 2), np.int64)
                    spans_s = np.empty((n, 2), np.int64)
                    nf = np.empty(n, np.int32)
                    _encode.encode_lines(buf, ls, le, lay.delim, [
                        (kp, KEY, spans_p, 0, None, None, None),
                        (ks, KEY, spans_s, 0, None, None, None)], nf, self.threads)
                    part = _apc.key_partitions(buf, spans_p, spans_s, bbuf, bp, bs)
                    order = np.argsort(part, kind="stable")
                    cuts = np.searchsorted(part[order], np.arange(len(files) + 1))
                    for i, fh in enumerate(files):
                        rows = order[cuts[i]:cuts[i + 1]].astype(np.int64)
                        if len(rows):
                            fh.write(_csvio.gather_lines(buf, ls, le, rows))
            finally:
                for fh in files:
                    fh.close()
            rowno = 0
            done = self.header_bytes
            for i in range(len(files)):
                data = (tmp / f"part{i:05d}").read_bytes()
                (tmp / f"part{i:05d}").unlink()
                if not data:
                    continue
                buf = np.frombuffer(data, np.uint8)
                ls, le = _csvio.index_lines(buf)
                n = self.pipeline.encode(buf, ls, le)
                sp, ss, within = self.pipeline.key_spans(n)
                order = sort_order(buf, sp, ss, within)
                _status, starts = _apc.find_spells(
                    buf, np.ascontiguousarray(sp[order]), buf, np.ascontiguousarray(ss[order]),
                    np.ascontiguousarray(within[order]))
                self.pipeline.group(writer, buf, ls, le, n, starts, rowno, order)
                rowno += n
                done += len(data)
                self.progress(rowno, min(done, self.size))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _key(buf: np.ndarray, sp: np.ndarray, ss: np.ndarray, row: int) -> tuple[bytes, bytes]:
    p0, pn = sp[row]
    s0, sn = ss[row]
    return bytes(buf[p0:p0 + pn]), bytes(buf[s0:s0 + sn])


def _bound_spans(bounds: list[tuple[bytes, bytes]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    blob = b"".join(p + s for p, s in bounds)
    bp = np.zeros((len(bounds), 2), np.int64)
    bs = np.zeros((len(bounds), 2), np.int64)
    pos = 0
    for i, (p, s) in enumerate(bounds):
        bp[i] = (pos, len(p))
        bs[i] = (pos + len(p), len(s))
        pos += len(p) + len(s)
    return np.frombuffer(blob, np.uint8) if blob else np.zeros(0, np.uint8), bp, bs

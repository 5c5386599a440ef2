"""Streaming APC grouping of files of any size, in bounded memory.

Text input is read in blocks of whole lines, parsed and encoded in one pass
(``encode_lines``), grouped, and appended to the output files. A spell that straddles
a block boundary is held back and carried into the next block, so spells are always
grouped whole. When the input is not sorted by (PROCODET, PROVSPNO) the first pass
stops and the file is instead range-partitioned by spell key into temporary files
(boundaries from a sample of keys), each of which is sorted and grouped in key order;
the outputs are then in the official RowNo order either way.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hrgfast import _apc, _csvio, _encode
from hrgfast._encode import Kind
from hrgfast.apc import fields as F
from hrgfast.apc.grouper import Encoded, MissingFields, check_fields, run_kernel
from hrgfast.apc.textout import ApcTextWriter, Batch, TextSource
from hrgfast.design.loader import Design
from hrgfast.exitcodes import INPUT, RDF_BLANK, GrouperError
from hrgfast.rdf import Rdf, from_header

KEY = 7                     # _encode KIND_KEY: keep the cell's span
DEFAULT_BLOCK = 16 << 20    # bytes per block: measured fastest here (bench/README.md)
SLOT_EPIORDER = F.SLOT["EPIORDER"]


class Unsorted(Exception):
    """The input is not in spell-key order (raised to switch to partitioned mode)."""


@dataclass
class Layout:
    """Where each needed field sits in a line, and how it is encoded."""

    rdf: Rdf
    header: list[str]              # output names of the echoed input columns
    ncols: int
    delim: int
    positions: dict[str, int]
    diag_names: list[str]
    proc_names: list[str]

    @classmethod
    def make(cls, rdf: Rdf | None, header_line: list[str] | None) -> Layout:
        if rdf is None:
            if header_line is None:
                raise GrouperError(RDF_BLANK, "no RDF given (-d) and the input has no header "
                                              "(-h): the fields cannot be identified")
            rdf = from_header(header_line)
        names = rdf.names
        check_fields(names)
        header = list(header_line or [])
        ncols = max(len(header), max(f.position for f in rdf.fields))
        header += [""] * (ncols - len(header))
        for f in rdf.fields:
            if not header[f.position - 1]:
                header[f.position - 1] = f.display
        header = [h or f"FIELD{i + 1}" for i, h in enumerate(header)]
        return cls(rdf, header, ncols, ord(rdf.delimiter),
                   {f.name: f.position - 1 for f in rdf.fields},
                   F.repeated(names, "DIAG"), F.repeated(names, "OPER"))


@dataclass
class Buffers:
    """Reusable per-block arrays (allocated once at the largest size seen)."""

    cap: int = 0
    fields: np.ndarray = field(default_factory=lambda: np.empty((0, F.NF), np.int32))
    diag: np.ndarray = field(default_factory=lambda: np.empty((0, 0), np.int32))
    proc: np.ndarray = field(default_factory=lambda: np.empty((0, 0), np.int32))
    spans_p: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int64))
    spans_s: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int64))
    nfields: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))

    def ensure(self, n: int, nd: int, np_: int) -> None:
        if n <= self.cap and self.diag.shape[1] == nd and self.proc.shape[1] == np_:
            return
        cap = max(n, int(self.cap * 1.5))
        self.cap = cap
        self.fields = np.empty((cap, F.NF), np.int32)
        self.diag = np.empty((cap, nd), np.int32)
        self.proc = np.empty((cap, np_), np.int32)
        self.spans_p = np.empty((cap, 2), np.int64)
        self.spans_s = np.empty((cap, 2), np.int64)
        self.nfields = np.empty(cap, np.int32)


def _specs(layout: Layout, design: Design, b: Buffers, n: int) -> list[tuple]:
    fields, diag, proc = b.fields[:n], b.diag[:n], b.proc[:n]
    specs = []
    rdf = layout.rdf
    for slot, (name, kind, _label) in enumerate(F.SCALARS):
        f = rdf.field(name)
        if f is None:
            continue
        keys = design.field_keys("APC", name) if kind in (Kind.VALUE, Kind.VALUE_ZEROS) else None
        specs.append((f.position - 1, int(kind), fields, slot, None,
                      keys if keys is not None and len(keys) else None, f.extract))
    for j, name in enumerate(layout.diag_names):
        f = rdf.field(name)
        specs.append((f.position - 1, int(Kind.ICD10), diag, j, design.arrays["dx_key_to_id"],
                      None, f.extract))
    for j, name in enumerate(layout.proc_names):
        f = rdf.field(name)
        specs.append((f.position - 1, int(Kind.OPCS4), proc, j, design.arrays["px_key_to_id"],
                      None, f.extract))
    specs.append((layout.positions["PROCODET"], KEY, b.spans_p[:n], 0, None, None, None))
    specs.append((layout.positions["PROVSPNO"], KEY, b.spans_s[:n], 0, None, None, None))
    return specs


def _blank_missing(layout: Layout, b: Buffers, n: int) -> None:
    """Optional fields absent from the RDF encode as blank."""
    for slot, (name, kind, _label) in enumerate(F.SCALARS):
        if layout.rdf.field(name) is None:
            b.fields[:n, slot] = np.int32(-(2**31)) if kind == Kind.INTEGER else -1


@dataclass
class Encoder:
    layout: Layout
    design: Design
    threads: int
    bufs: Buffers = field(default_factory=Buffers)

    def encode(self, buf: np.ndarray, ls: np.ndarray, le: np.ndarray) -> int:
        n = len(ls)
        lay = self.layout
        self.bufs.ensure(n, len(lay.diag_names), len(lay.proc_names))
        _encode.encode_lines(buf, ls, le, lay.delim, _specs(lay, self.design, self.bufs, n),
                             self.bufs.nfields[:n], self.threads)
        _blank_missing(lay, self.bufs, n)
        return n


def _sort_order(buf: np.ndarray, spans_p: np.ndarray, spans_s: np.ndarray,
                epiorder: np.ndarray) -> np.ndarray:
    """Rows in (PROCODET, PROVSPNO) byte order, then EPIORDER, stable."""
    wp = max(1, (int(spans_p[:, 1].max(initial=0)) + 7) // 8)
    ws = max(1, (int(spans_s[:, 1].max(initial=0)) + 7) // 8)
    kp = _apc.pack_keys(buf, np.ascontiguousarray(spans_p), wp)
    ks = _apc.pack_keys(buf, np.ascontiguousarray(spans_s), ws)
    keys = [epiorder] + [ks[:, i] for i in range(ws - 1, -1, -1)] + \
        [kp[:, i] for i in range(wp - 1, -1, -1)]
    return np.lexsort(keys).astype(np.int64)


class TextGrouper:
    """Groups one text file into an ApcTextWriter, block by block."""

    def __init__(self, path: Path, design: Design, rdf: Rdf | None, has_header: bool,
                 threads: int, block_bytes: int = DEFAULT_BLOCK,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.path, self.design, self.threads = path, design, threads
        self.block = block_bytes
        self.has_header = has_header
        self.progress = progress or (lambda rows, nbytes: None)
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
        self.layout = Layout.make(rdf, header_line)
        self.encoder = Encoder(self.layout, design, threads)

    # -- the sorted (streaming) pass -------------------------------------------------------
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

    def run(self, writer: ApcTextWriter) -> None:
        """Group the whole file into ``writer``; ``mode`` records how."""
        try:
            self.mode = "sorted"
            self._run_sorted(writer)
        except Unsorted:
            self.mode = "partitioned"
            writer.restart()
            self._run_partitioned(writer)

    def _run_sorted(self, writer: ApcTextWriter) -> None:
        rowno = 0
        pending: np.ndarray | None = None   # bytes of a held-back spell
        last_key: tuple[bytes, bytes] | None = None
        offset = self.header_bytes          # file offset of buf[0]
        for buf, eof in self.blocks(self.header_bytes):
            if pending is not None and len(pending):
                buf = np.concatenate([pending, buf])
            ls, le = _csvio.index_lines(buf)
            n = self.encoder.encode(buf, ls, le)
            if n == 0:
                pending = None
                continue
            b = self.encoder.bufs
            epi = np.ascontiguousarray(b.fields[:n, SLOT_EPIORDER])
            status, spell_start = _apc.find_spells(buf, b.spans_p[:n], buf, b.spans_s[:n], epi)
            if status == _apc.UNSORTED:
                raise Unsorted()
            first_key = _key(buf, b, 0)
            if last_key is not None and first_key < last_key:
                raise Unsorted()
            if not eof:
                if len(spell_start) <= 2:       # one spell fills the block: read on
                    pending = buf[ls[0]:].copy()
                    continue
                keep = int(spell_start[-2])
                pending = buf[ls[keep]:].copy()
                spell_start = spell_start[:-1]
            else:
                keep = n
                pending = None
            last_key = _key(buf, b, keep - 1)
            self._group(writer, buf, ls[:keep], le[:keep], keep, spell_start, status, rowno)
            rowno += keep
            offset += int(ls[keep]) if pending is not None else len(buf)
            self.progress(rowno, min(self.size, offset))
        self.progress(rowno, self.size)

    def _group(self, writer: ApcTextWriter, buf: np.ndarray, ls: np.ndarray, le: np.ndarray,
               n: int, spell_start: np.ndarray, status: int, rowno: int,
               order: np.ndarray | None = None) -> None:
        b = self.encoder.bufs
        epi = b.fields[:n, SLOT_EPIORDER]
        if order is None:
            if status == _apc.GROUPED:
                spell_of = np.repeat(np.arange(len(spell_start) - 1), np.diff(spell_start))
                order = np.lexsort((epi, spell_of)).astype(np.int64)
            else:
                order = np.arange(n, dtype=np.int64)
        enc = Encoded(b.fields[:n], b.diag[:n], b.proc[:n], self.layout.diag_names,
                      self.layout.proc_names)
        raw = run_kernel(enc, self.design, order, spell_start, self.threads)
        source = TextSource(buf, ls, le, b.nfields[:n], self.layout.ncols,
                            {"PROCODET": b.spans_p[:n], "PROVSPNO": b.spans_s[:n]},
                            self.layout.positions, self.layout.delim)
        writer.write(Batch(raw, order, spell_start, source, rowno))

    # -- the partitioned pass for unsorted input ---------------------------------------------
    def _sample_keys(self, want: int = 4096) -> list[tuple[bytes, bytes]]:
        """Spell keys of lines read at evenly spread offsets (cheap, no full pass)."""
        lay = self.layout
        pp, ps = lay.positions["PROCODET"], lay.positions["PROVSPNO"]
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
                keys.append((cells[pp] if pp < len(cells) else b"",
                             cells[ps] if ps < len(cells) else b""))
        return sorted(set(keys))

    def _run_partitioned(self, writer: ApcTextWriter) -> None:
        body = max(1, self.size - self.header_bytes)
        parts = max(2, -(-body // max(1, self.block // 2)))
        sample = self._sample_keys()
        if len(sample) < parts:
            parts = max(1, len(sample))
        bounds = [sample[len(sample) * (i + 1) // parts] for i in range(parts - 1)] if parts > 1 \
            else []
        bounds = sorted(set(bounds))
        bbuf, bp, bs = _bound_spans(bounds)
        tmp = Path(tempfile.mkdtemp(prefix="hrgfast-parts-",
                                    dir=os.environ.get("HRGFAST_TMPDIR") or None))
        try:
            files = [open(tmp / f"part{i:05d}", "wb") for i in range(len(bounds) + 1)]
            lay = self.layout
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
                        (lay.positions["PROCODET"], KEY, spans_p, 0, None, None, None),
                        (lay.positions["PROVSPNO"], KEY, spans_s, 0, None, None, None)],
                        nf, self.threads)
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
                n = self.encoder.encode(buf, ls, le)
                b = self.encoder.bufs
                epi = np.ascontiguousarray(b.fields[:n, SLOT_EPIORDER])
                order = _sort_order(buf, b.spans_p[:n], b.spans_s[:n], epi)
                sp = np.ascontiguousarray(b.spans_p[:n][order])
                ss = np.ascontiguousarray(b.spans_s[:n][order])
                _status, spell_start = _apc.find_spells(buf, sp, buf, ss,
                                                        np.ascontiguousarray(epi[order]))
                self._group(writer, buf, ls, le, n, spell_start, _apc.SORTED, rowno, order)
                rowno += n
                done += len(data)
                self.progress(rowno, min(done, self.size))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _key(buf: np.ndarray, b: Buffers, row: int) -> tuple[bytes, bytes]:
    p0, pn = b.spans_p[row]
    s0, sn = b.spans_s[row]
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


__all__ = ["TextGrouper", "Unsorted", "MissingFields", "DEFAULT_BLOCK"]
